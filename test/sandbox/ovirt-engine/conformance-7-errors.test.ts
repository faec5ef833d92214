/**
 * Conformance, reference §7: the engine's message table checked against the
 * engine's own catalogue, the fault body, the status from the error type
 * and its precedence, 404 with and without a body, "Incomplete parameters",
 * and failed actions.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ManualClock } from "../../../sandbox/ovirt-engine/clock";
import { ENGINE_MESSAGES, ENGINE_VARIABLES, type EngineMessageKey } from "../../../sandbox/ovirt-engine/engine-messages";
import { operationFailed, statusForMessages } from "../../../sandbox/ovirt-engine/faults";
import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { optionalReference } from "../../harness/tools";
import { bodyOf, createPool, MISSING_ID, poolBody, type JsonObject } from "./conformance-1-7-helpers";
import { startTestSandbox, type TestSandbox } from "./sandbox-client";

/**
 * The engine's own catalogue, from the shared reference folder. A clone has
 * no copy, so the cross-check runs only where the folder exists; the
 * sandbox's own table (`engine-messages.ts`) is what every other test uses.
 */
const CATALOGUE = optionalReference("ovirt-engine", "the §7 cross-check of the message table against the engine's catalogue");

/** Java `.properties`: comments, `key=value` / `key:value` / `key value`, continuations and escapes. */
function parseProperties(text: string): Map<string, string> {
  const logical: string[] = [];
  let pending = "";
  for (const line of text.split(/\r\n|\r|\n/)) {
    const piece = pending === "" ? line.replace(/^[ \t\f]+/, "") : line.replace(/^[ \t\f]+/, "");
    if (pending === "" && (piece === "" || piece.startsWith("#") || piece.startsWith("!"))) {
      continue;
    }
    const trailing = /\\+$/.exec(piece)?.[0].length ?? 0;
    if (trailing % 2 === 1) {
      pending += piece.slice(0, -1);
      continue;
    }
    logical.push(pending + piece);
    pending = "";
  }
  if (pending !== "") {
    logical.push(pending);
  }
  const unescape = (s: string): string =>
    s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_whole, c: string) => {
      if (c.length === 5) {
        return String.fromCharCode(parseInt(c.slice(1), 16));
      }
      return ({ t: "\t", n: "\n", r: "\r", f: "\f" } as Record<string, string>)[c] ?? c;
    });
  const result = new Map<string, string>();
  for (const entry of logical) {
    let i = 0;
    while (i < entry.length && !"=: \t\f".includes(entry.charAt(i))) {
      i += entry.charAt(i) === "\\" ? 2 : 1;
    }
    const key = entry.slice(0, i);
    let rest = entry.slice(i).replace(/^[ \t\f]*/, "");
    if (rest.startsWith("=") || rest.startsWith(":")) {
      rest = rest.slice(1).replace(/^[ \t\f]*/, "");
    }
    result.set(unescape(key), unescape(rest));
  }
  return result;
}

/** `EngineMessage.java`: every enum constant with its `ErrorType`, or null when it has none. */
function parseEngineMessage(text: string): Map<string, string | null> {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  const body = code.slice(code.indexOf("{") + 1, code.indexOf(";", code.indexOf("{")) + 1);
  const result = new Map<string, string | null>();
  for (const match of body.matchAll(/^\s+([A-Z][A-Za-z0-9_]*)\s*(?:\(\s*ErrorType\.([A-Z_]+)\s*\))?\s*[,;]/gm)) {
    result.set(match[1] ?? "", match[2] ?? null);
  }
  return result;
}

/** `ErrorMessageHelper.getStatus`: error type -> HTTP status, read from its switch. */
function parseStatusSwitch(text: string): Map<string, number> {
  const codes: Record<string, number> = { BAD_REQUEST: 400, CONFLICT: 409, UNAUTHORIZED: 401, FORBIDDEN: 403, INTERNAL_SERVER_ERROR: 500 };
  const result = new Map<string, number>();
  for (const match of text.matchAll(/case ([A-Z_]+):\s*return Status\.([A-Z_]+);/g)) {
    result.set(match[1] ?? "", codes[match[2] ?? ""] ?? NaN);
  }
  return result;
}

const catalogueSuite =
  CATALOGUE === undefined
    ? "§7 the message table against the engine's catalogue: SKIPPED, no reference/ovirt-engine folder"
    : "§7 the message table against the engine's catalogue";

describe.skipIf(CATALOGUE === undefined)(catalogueSuite, () => {
  // Read in beforeAll, not at collection: vitest collects a skipped suite too.
  let appErrors = new Map<string, string>();
  let engineMessage = new Map<string, string | null>();
  let statusOfType = new Map<string, number>();
  beforeAll(() => {
    // Never "" here: the suite is skipped when CATALOGUE is undefined.
    const dir = CATALOGUE ?? "";
    appErrors = parseProperties(fs.readFileSync(path.join(dir, "AppErrors.properties"), "utf8"));
    engineMessage = parseEngineMessage(fs.readFileSync(path.join(dir, "EngineMessage.java"), "utf8"));
    statusOfType = parseStatusSwitch(fs.readFileSync(path.join(dir, "ErrorMessageHelper.java"), "utf8"));
  });

  it("§7 parses the catalogue (sanity: known entries with unescaped texts)", () => {
    expect(appErrors.get("ACTION_TYPE_FAILED_VM_IS_LOCKED")).toBe("Cannot ${action} ${type}: VM is locked. Please try again in a few minutes.");
    expect(appErrors.get("CANNOT_FETCH_STORAGE_DEVICES_HOST_DOESNT_EXIST_ANYMORE")).toBe("Cannot fetch storage, host doesn't exist anymore.");
    expect(engineMessage.get("VM_POOL_CANNOT_CREATE_WITH_NO_VMS")).toBe("CONSTRAINT_VIOLATION");
    expect(engineMessage.get("VAR__TYPE__DESKTOP_POOL")).toBeNull();
    expect(engineMessage.get("CLUSTER_BOTH_LOW_AND_HIGH_CPU_UTILIZATION_PERCENTAGE_MUST_BE_DEFINED_WHEN_USING_POWER_SAVING")).not.toBeUndefined();
    expect(statusOfType.get("ATTESTATION_SERVER_ERROR")).toBe(400);
  });

  it("§7 every ENGINE_MESSAGES text is the AppErrors.properties text and every type the EngineMessage.java ErrorType", () => {
    const mismatches: string[] = [];
    for (const [key, { type, text }] of Object.entries(ENGINE_MESSAGES)) {
      if (appErrors.get(key) !== text) {
        mismatches.push(`${key} text: table '${text}' vs AppErrors '${appErrors.get(key) ?? "(missing)"}'`);
      }
      if (engineMessage.get(key) !== type) {
        mismatches.push(`${key} type: table ${type} vs EngineMessage ${engineMessage.get(key) ?? "(missing)"}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("§7 every ENGINE_VARIABLES filler is the AppErrors.properties text of an untyped EngineMessage constant", () => {
    const mismatches: string[] = [];
    for (const [key, text] of Object.entries(ENGINE_VARIABLES)) {
      if (appErrors.get(key) !== text) {
        mismatches.push(`${key}: table '${text}' vs AppErrors '${appErrors.get(key) ?? "(missing)"}'`);
      }
      if (engineMessage.get(key) !== null) {
        mismatches.push(`${key}: EngineMessage has ${String(engineMessage.get(key))}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("§7 a single message answers the status ErrorMessageHelper gives its type (list rule: no 401 branch, so NO_AUTHENTICATION alone stays 400)", () => {
    for (const key of Object.keys(ENGINE_MESSAGES) as EngineMessageKey[]) {
      const typeStatus = statusOfType.get(ENGINE_MESSAGES[key].type);
      expect(typeStatus, key).toBeDefined();
      expect(statusForMessages([key]), key).toBe(typeStatus === 401 ? 400 : typeStatus);
    }
  });
});

// These need only the sandbox's own table, so they run without the catalogue.
describe("§7 status and detail of engine messages", () => {
  it("§7 picks the status of several messages by precedence 400 > 409 > 500 > 403", () => {
    const bad: EngineMessageKey = "VM_POOL_CANNOT_DECREASE_VMS_FROM_POOL";
    const conflict: EngineMessageKey = "ACTION_TYPE_FAILED_NAME_ALREADY_USED";
    const internal: EngineMessageKey = "CAN_DO_ACTION_GENERAL_FAILURE";
    const forbidden: EngineMessageKey = "USER_NOT_AUTHORIZED_TO_PERFORM_ACTION";
    expect(statusForMessages([forbidden, internal, conflict, bad])).toBe(400);
    expect(statusForMessages([forbidden, internal, conflict])).toBe(409);
    expect(statusForMessages([forbidden, internal])).toBe(500);
    expect(statusForMessages([forbidden])).toBe(403);
    expect(statusForMessages(["USER_MUST_EXIST_IN_DB", forbidden])).toBe(403);
  });

  it("§7 an empty message list defaults to 400", () => {
    expect(statusForMessages([])).toBe(400);
  });

  it("§7 the detail is the translated messages as a Java list with ${action} and ${type} filled in", () => {
    const fault = operationFailed("VAR__ACTION__UPDATE", "VAR__TYPE__DESKTOP_POOL", "ACTION_TYPE_FAILED_PRESTARTED_VMS_CANNOT_EXCEED_VMS_COUNT", "VM_POOL_CANNOT_DECREASE_VMS_FROM_POOL");
    expect([fault.status, fault.body]).toEqual([
      400,
      { reason: "Operation Failed", detail: "[Cannot edit VM-Pool. Number of Prestarted VMs cannot exceed the number of VMs in the Pool., Cannot decrease VMs from VM-Pool.]" },
    ]);
  });
});

describe("§7 errors over HTTP", () => {
  const clock = new ManualClock();
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ clock });
  });
  afterAll(async () => t?.close());

  it("§7 a failed command answers exactly {reason: Operation Failed, detail: [..]} (409 CONFLICT for a used name)", async () => {
    await createPool(t, "taken");
    const res = await t.api("POST", "/vmpools", { body: poolBody("taken") });
    expect(res.status).toBe(409);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.json).toEqual({ reason: "Operation Failed", detail: "[Cannot create VM-Pool. The VM-Pool name is already in use, please choose a unique name and try again.]" });
  });

  it("§7 CONSTRAINT_VIOLATION answers 400 ([Cannot create Pool with 0 VMs])", async () => {
    const res = await t.api("POST", "/vmpools", { body: poolBody("empty", { size: 0 }) });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ reason: "Operation Failed", detail: "[Cannot create Pool with 0 VMs]" });
  });

  it("§7 CONFLICT answers 409 with ${action} 'edit' for an update", async () => {
    const pool = await createPool(t, "edit-me", { size: 1 });
    const res = await t.api("PUT", `/vmpools/${String(pool["id"])}`, { body: { prestarted_vms: 2 } });
    expect(res.status).toBe(409);
    expect(res.json).toEqual({ reason: "Operation Failed", detail: "[Cannot edit VM-Pool. Number of Prestarted VMs cannot exceed the number of VMs in the Pool.]" });
  });

  it("§7 NO_PERMISSION answers 403 [User is not authorized to perform this action.]", async () => {
    const alice = await t.token("alice@internal", "alice-password");
    const res = await t.api("POST", "/vmpools", { body: poolBody("alice-pool"), auth: { bearer: alice } });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ reason: "Operation Failed", detail: "[User is not authorized to perform this action.]" });
  });

  it("§7 several messages of one command are all listed, in order, in one detail", async () => {
    const res = await t.api("POST", "/vmpools", { body: poolBody("bad name", { max_user_vms: 0 }) });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      reason: "Operation Failed",
      detail:
        "[Can not create VM-Pool. The given name is invalid for pool name. Only lower-case and upper-case letters, numbers, '_', '-', '.', and one mask sequence are allowed., Attribute: vmPool.name, Number of max assigned VMs per user must be between 1 and 32,767., Attribute: vmPool.maxAssignedVmsPerUser]",
    });
  });

  it("§7 a command that fails without any message answers 400 with detail [] (inferred, §5.2 missing principal)", async () => {
    const pool = await createPool(t, "perm-pool");
    const res = await t.api("POST", `/vmpools/${String(pool["id"])}/permissions`, { body: { role: { name: "UserRole" }, user: { id: MISSING_ID } } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ reason: "Operation Failed", detail: "[]" });
  });

  it("§7 a missing or malformed id in the path answers 404 with an empty body", async () => {
    const pool = await createPool(t, "has-permissions");
    const cases: [string, string, JsonObject | undefined][] = [
      ["GET", `/vmpools/${MISSING_ID}`, undefined],
      ["GET", "/vmpools/not-a-uuid", undefined],
      ["PUT", `/vmpools/${MISSING_ID}`, { description: "x" }],
      ["POST", `/vmpools/${MISSING_ID}/allocatevm`, {}],
      ["GET", `/vmpools/${MISSING_ID}/permissions`, undefined],
      ["GET", `/vmpools/${String(pool["id"])}/permissions/${MISSING_ID}`, undefined],
      ["GET", `/clusters/${MISSING_ID}`, undefined],
      ["GET", `/vms/${MISSING_ID}`, undefined],
      ["POST", `/vms/${MISSING_ID}/detach`, {}],
      ["GET", `/users/${MISSING_ID}`, undefined],
    ];
    for (const [method, apiPath, body] of cases) {
      const res = await t.api(method, apiPath, body === undefined ? {} : { body });
      expect([res.status, res.text], `${method} ${apiPath}`).toEqual([404, ""]);
    }
  });

  it("§7 DELETE of a missing pool answers 404 with an empty body (the delete GETs first)", async () => {
    const res = await t.api("DELETE", `/vmpools/${MISSING_ID}`);
    expect([res.status, res.text]).toEqual([404, ""]);
  });

  it("§7 a missing entity referenced from the body answers 404 with a fault (Entity not found)", async () => {
    const cases: [JsonObject, string][] = [
      [{ cluster: { name: "nope" } }, "Entity not found: Cluster: name=nope"],
      [{ cluster: { id: MISSING_ID } }, `Entity not found: Cluster: id=${MISSING_ID}`],
      [{ template: { name: "nope" } }, "Entity not found: Template: name=nope"],
      [{ template: { id: MISSING_ID } }, `Entity not found: ${MISSING_ID}`],
    ];
    for (const [override, detail] of cases) {
      const res = await t.api("POST", "/vmpools", { body: poolBody("ref-pool", override) });
      expect(res.status, detail).toBe(404);
      expect(res.json).toEqual({ reason: "Operation Failed", detail });
    }
  });

  it("§7 missing mandatory fields answer 400 Incomplete parameters, detail '<Type> [<fields>] required for <method>'", async () => {
    const none = await t.api("POST", "/vmpools", { body: {} });
    expect(none.status).toBe(400);
    expect(none.json).toEqual({ reason: "Incomplete parameters", detail: "VmPool [name, template.id|name, cluster.id|name] required for add" });
    const noTemplate = await t.api("POST", "/vmpools", { body: { name: "x", cluster: { id: DEFAULT_SEED_IDS.cluster } } });
    expect(noTemplate.status).toBe(400);
    expect(noTemplate.json).toEqual({ reason: "Incomplete parameters", detail: "VmPool [template.id|name] required for add" });
    const pool = await createPool(t, "role-less");
    const noRole = await t.api("POST", `/vmpools/${String(pool["id"])}/permissions`, { body: { user: { id: DEFAULT_SEED_IDS.alice } } });
    expect(noRole.status).toBe(400);
    expect(noRole.json).toEqual({ reason: "Incomplete parameters", detail: "Permission [role.id|name] required for add" });
  });

  it('§7 an action answers status "complete"; a failed one the echoed action with status "failed" and a nested fault', async () => {
    const pool = await createPool(t, "alloc-pool", { size: 2 });
    clock.advance(t.sandbox.control.engine.timings.diskCreateMs);
    const first = await t.api("POST", `/vmpools/${String(pool["id"])}/allocatevm`, { body: {} });
    expect(first.status).toBe(200);
    expect(bodyOf(first)["status"]).toBe("complete");
    const second = await t.api("POST", `/vmpools/${String(pool["id"])}/allocatevm`, { body: {} });
    expect(second.status).toBe(409);
    expect(second.json).toEqual({
      status: "failed",
      fault: { reason: "Operation Failed", detail: "[User is already attached to maximum number of VMs from this VM-Pool.]" },
    });
  });

  it("§7 a failed VM action (detach of a running VM) answers 409 with the failed action", async () => {
    await createPool(t, "running-pool");
    clock.advance(t.sandbox.control.engine.timings.diskCreateMs);
    const vm = t.sandbox.control.takeVm({ pool: "running-pool" }, "alice");
    clock.advance(t.sandbox.control.engine.timings.vmBootMs);
    expect(t.sandbox.control.engine.store.vms.get(vm.id)?.status).toBe("up");
    const res = await t.api("POST", `/vms/${vm.id}/detach`, { body: {} });
    expect(res.status).toBe(409);
    expect(res.json).toEqual({ status: "failed", fault: { reason: "Operation Failed", detail: "[Cannot detach VM from VM-Pool. VM is running.]" } });
  });

  it("§7 allocating from a pool without free VMs answers 409 [Cannot allocate and run VM from VM-Pool. There are no available VMs in the VM-Pool.]", async () => {
    const pool = await createPool(t, "busy-pool", { max_user_vms: 2 });
    t.sandbox.control.takeVm({ pool: "busy-pool" }, "bob");
    const res = await t.api("POST", `/vmpools/${String(pool["id"])}/allocatevm`, { body: {} });
    expect(res.status).toBe(409);
    expect(res.json).toEqual({
      status: "failed",
      fault: { reason: "Operation Failed", detail: "[Cannot allocate and run VM from VM-Pool. There are no available VMs in the VM-Pool.]" },
    });
  });
});
