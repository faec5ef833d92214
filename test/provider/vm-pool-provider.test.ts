/**
 * The VmPool provider's check() against the engine sandbox: bad input is
 * reported with nothing sent to the engine; valid input is verified with
 * reads only.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { toProviderSettings } from "../../provider/config/settings";
import { VmPoolProvider } from "../../provider/vm-pool-provider";
import type { OvirtSandbox } from "../../sandbox/ovirt-engine/server";
import { startEngineWithCaFile, type EngineUnderTest } from "../harness/ovirt-engine";

describe("VmPoolProvider.check against the engine sandbox", () => {
  let under: EngineUnderTest;
  let sandbox: OvirtSandbox;
  let provider: VmPoolProvider;

  beforeAll(async () => {
    under = await startEngineWithCaFile();
    sandbox = under.engine;
    const settings = toProviderSettings(
      (key) => ({ ovirtUrl: sandbox.url, ovirtUsername: "admin@internal", ovirtPassword: sandbox.credentials.password, ovirtCaFile: under.caFile })[key],
      {},
    );
    provider = new VmPoolProvider(() => settings);
  });
  afterAll(async () => under?.dispose());
  beforeEach(() => {
    sandbox.control.resetRequestCounts();
  });

  const total = (): number => Object.values(sandbox.control.requestCounts()).reduce((a, b) => a + b, 0);
  const ovirt = { kind: "ovirt", cluster: "Default", template: "rhel9-desktop" };

  it("rejects prestarted above the size, naming the property and value, with nothing sent to the engine", async () => {
    const result = await provider.check({}, { name: "desks", size: 2, prestarted: 5, backend: ovirt });
    expect(result.failures).toEqual([{ property: "prestarted", reason: "must be between 0 and the pool's size (2) (got 5)" }]);
    expect(total()).toBe(0);
  });

  it("verifies valid input with reads only", async () => {
    const result = await provider.check({}, { name: "desks", size: 2, prestarted: 1, backend: ovirt });
    expect(result.failures).toEqual([]);
    expect(Object.keys(sandbox.control.requestCounts()).filter((k) => !k.startsWith("GET ") && k !== "POST /ovirt-engine/sso/oauth/token")).toEqual([]);
    expect(sandbox.control.countRequests("GET", /^\/ovirt-engine\/api\/(clusters|templates)$/)).toBe(2);
  });

  it("reports a template that does not exist on the template property", async () => {
    const result = await provider.check({}, { name: "desks", size: 2, backend: { ...ovirt, template: "gone" } });
    expect(result.failures).toEqual([{ property: "backend.template", reason: "ovirt preview of desks failed: template 'gone' does not exist on the engine; create it or fix 'backend.template'" }]);
  });
});
