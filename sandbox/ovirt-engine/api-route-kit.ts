/**
 * What every REST route shares: the request and answer shapes, and the
 * answers the engine gives for success, missing path entities, actions and
 * searches.
 */
import type { Body } from "./body";
import type { CommandContext, Engine } from "./engine";
import { EngineFault, notFoundInPath } from "./faults";
import { applySearch } from "./search";

/** A request as the routes see it. */
export interface ApiRequest {
  method: string;
  /** Path below the API root, e.g. `/vmpools/123`. */
  path: string;
  query: URLSearchParams;
  body: Body;
  ctx: CommandContext;
  /** `All-Content: true`. */
  allContent: boolean;
  /** `async=true` or `Expect: 202-accepted`. */
  async: boolean;
}

/** An answer: status, JSON body (undefined for none) and extra headers. */
export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A route handler: the engine, the request and the path parameters. */
export type Handler = (engine: Engine, req: ApiRequest, params: string[]) => ApiResponse;

/** 200 with a body. */
export const ok = (body: unknown): ApiResponse => ({ status: 200, body });
/** 201 with a body and its `Location`. */
export const created = (body: Record<string, unknown>): ApiResponse => ({ status: 201, body, headers: { Location: String(body["href"]) } });

/** The entity, or 404 for a path naming none. */
export function need<T>(value: T | undefined): T {
  if (value === undefined) {
    throw notFoundInPath();
  }
  return value;
}

/** An action answer: `status: complete`, or the echoed action with `status: failed` and the fault. */
export function action(req: ApiRequest, run: () => Record<string, unknown>): ApiResponse {
  try {
    const extra = run();
    return req.async ? { status: 202, body: { ...req.body, status: "pending", ...extra } } : ok({ ...req.body, status: "complete", ...extra });
  } catch (err) {
    if (err instanceof EngineFault && err.body !== undefined) {
      return { status: err.status, body: { ...req.body, status: "failed", fault: err.body } };
    }
    throw err;
  }
}

/** `search`, `case_sensitive` and `max` applied to a collection. */
export function search<T>(req: ApiRequest, items: readonly T[], fields: Record<string, (item: T) => string | undefined>): T[] {
  const found = applySearch(items, req.query.get("search"), req.query.get("case_sensitive") === "true", fields);
  const max = Number(req.query.get("max") ?? Infinity);
  return found.slice(0, Number.isFinite(max) && max >= 0 ? max : undefined);
}

