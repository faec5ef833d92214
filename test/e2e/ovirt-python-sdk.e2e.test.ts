/**
 * The engine's own Python SDK (ovirt-engine-sdk-python, XML over HTTPS with
 * a CA file) drives a pool's life against the sandbox: a client no one here
 * wrote checks the sandbox's XML, SSO and pool behaviour.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_SEED_IDS } from "../../sandbox/ovirt-engine/seed";
import type { OvirtSandbox } from "../../sandbox/ovirt-engine/server";
import { startEngineWithCaFile, type EngineUnderTest } from "../harness/ovirt-engine";
import { findTool, missingTools, REPO_ROOT } from "../harness/tools";

const skip = missingTools("ovirt-sdk-python").length > 0;

describe.skipIf(skip)("the engine's Python SDK against the sandbox", () => {
  let under: EngineUnderTest;
  let engine: OvirtSandbox;

  beforeAll(async () => {
    under = await startEngineWithCaFile();
    engine = under.engine;
  });
  afterAll(async () => under?.dispose());

  it("creates, lists, grows, fails to shrink, grants UserRole on, and removes a pool", async () => {
    const python = findTool("ovirt-sdk-python") ?? "";
    const script = path.join(REPO_ROOT, "test/fixtures/ovirt-sdk/pool_lifecycle.py");
    // Asynchronously: the sandbox answers from this very process.
    const out = await new Promise<string>((resolve, reject) => {
      execFile(python, [script, engine.url, under.caFile, engine.credentials.password], { timeout: 120_000 }, (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`${err.message}\n${stderr}`));
        } else {
          resolve(stdout);
        }
      });
    });
    expect(JSON.parse(out)).toEqual({
      clusters: ["Default"],
      created: { name: "sdk-pool", size: 2, type: "automatic" },
      vms: ["sdk-pool-1", "sdk-pool-2"],
      grown: 3,
      shrink: {
        code: 400,
        message: 'Fault reason is "Operation Failed". Fault detail is "[Cannot decrease VMs from VM-Pool.]". HTTP response code is 400.',
      },
      permission: { user: DEFAULT_SEED_IDS.alice, role: "00000000-0000-0000-0001-000000000001" },
      gone: true,
    });
    // The sandbox saw the same: the pool and its VMs are gone, the SDK spoke XML.
    expect(engine.control.pools()).toEqual([]);
    expect(engine.control.countRequests("POST", /^\/ovirt-engine\/api\/vmpools$/)).toBe(1);
  });
});
