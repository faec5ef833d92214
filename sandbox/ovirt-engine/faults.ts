/**
 * Errors as the engine's REST layer answers them: `fault {reason, detail}`
 * with the translated messages as a bracketed Java list, and the status
 * chosen from the messages' error types (400 > 409 > 500 > 403, default 400).
 */
import { ENGINE_MESSAGES, ENGINE_VARIABLES, type EngineMessageKey, type EngineVariableKey, type ErrorType } from "./engine-messages";

/** The engine's fault body. */
export interface FaultBody {
  reason: string;
  detail: string;
}

/** An answer other than success. `body` undefined means an empty body. */
export class EngineFault extends Error {
  constructor(
    public readonly status: number,
    public readonly body: FaultBody | undefined,
    public readonly headers: Record<string, string> = {},
  ) {
    super(body === undefined ? `HTTP ${status}` : `${status} ${body.reason}: ${body.detail}`);
    this.name = "EngineFault";
  }
}

const TYPE_STATUS: Record<ErrorType, number> = {
  BAD_PARAMETERS: 400,
  CONSTRAINT_VIOLATION: 400,
  NOT_SUPPORTED: 400,
  INCOMPATIBLE_VERSION: 400,
  ATTESTATION_SERVER_ERROR: 400,
  CONFLICT: 409,
  NO_AUTHENTICATION: 401,
  NO_PERMISSION: 403,
  INTERNAL_ERROR: 500,
  DATA_CORRUPTION: 500,
};

/** The status for a list of message keys, as `ErrorMessageHelper.getErrorStatus(List)` picks it. */
export function statusForMessages(keys: readonly EngineMessageKey[]): number {
  const statuses = keys.map((key) => TYPE_STATUS[ENGINE_MESSAGES[key].type]);
  for (const status of [400, 409, 500, 403]) {
    if (statuses.includes(status)) {
      return status;
    }
  }
  return 400;
}

/** A message to translate, with its own variables (e.g. `VmPoolName`). */
export type MessageRef = EngineMessageKey | { key: EngineMessageKey; vars: Record<string, string> };

function variableWord(key: EngineVariableKey): string {
  // "$action create" -> "create"
  return ENGINE_VARIABLES[key].replace(/^\$\w+ /, "");
}

/** Translates one message with `${action}`, `${type}` and its own variables filled in. */
export function translate(ref: MessageRef, action: EngineVariableKey | undefined, type: EngineVariableKey | undefined): string {
  const key = typeof ref === "string" ? ref : ref.key;
  const vars: Record<string, string> = {
    ...(action === undefined ? {} : { action: variableWord(action) }),
    ...(type === undefined ? {} : { type: variableWord(type) }),
    ...(typeof ref === "string" ? {} : ref.vars),
  };
  return ENGINE_MESSAGES[key].text.replace(/\$\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

/**
 * A backend command's validation or execution failure: reason `Operation
 * Failed`, detail `[msg1, msg2]`.
 */
export function operationFailed(action: EngineVariableKey | undefined, type: EngineVariableKey | undefined, ...refs: MessageRef[]): EngineFault {
  const keys = refs.map((r) => (typeof r === "string" ? r : r.key));
  return new EngineFault(statusForMessages(keys), {
    reason: "Operation Failed",
    detail: `[${refs.map((r) => translate(r, action, type)).join(", ")}]`,
  });
}

/** A missing entity in the request path: 404 with an empty body. */
export function notFoundInPath(): EngineFault {
  return new EngineFault(404, undefined);
}

/** A missing entity referenced from the body: 404 with a fault. */
export function entityNotFound(what: string): EngineFault {
  return new EngineFault(404, { reason: "Operation Failed", detail: `Entity not found: ${what}` });
}

/** Mandatory fields missing: `<Type> [<fields>] required for <method>`. */
export function incompleteParameters(type: string, fields: string[], method: string): EngineFault {
  return new EngineFault(400, { reason: "Incomplete parameters", detail: `${type} [${fields.join(", ")}] required for ${method}` });
}

/** A request without valid credentials. */
export function unauthorized(): EngineFault {
  return new EngineFault(401, undefined, { "WWW-Authenticate": 'Basic realm="RESTAPI"' });
}

/** A request body the engine cannot parse. */
export function malformedBody(message: string): EngineFault {
  return new EngineFault(400, { reason: "Bad Request", detail: message });
}
