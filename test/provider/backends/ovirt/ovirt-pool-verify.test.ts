/**
 * The read-only checks `check()` runs on an oVirt pool, as many pools meet
 * them: Pulumi checks one resource after the other, so a resolved cluster
 * and template are reused for a minute within a process, and a reference
 * that failed to resolve is asked again next time.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { OvirtBackend } from "../../../../provider/backends/ovirt/ovirt-backend";
import { vmPoolInputsSchema, type VmPoolInputs } from "../../../../provider/schemas/vm-pool";
import { startOvirtFixture, type OvirtFixture } from "./ovirt-engine-fixture";

function pool(name: string, template = "rhel9-desktop"): VmPoolInputs {
  return vmPoolInputsSchema.parse({ name, size: 1, backend: { kind: "ovirt", cluster: "Default", template } });
}

describe("verifying many oVirt pools", () => {
  let f: OvirtFixture;
  let backend: OvirtBackend;

  beforeAll(async () => {
    f = await startOvirtFixture();
    backend = new OvirtBackend(f.client);
  });
  afterAll(async () => f?.dispose());
  beforeEach(() => {
    f.sandbox.control.resetRequestCounts();
  });

  it("resolves a cluster and template once for many pools on them", async () => {
    for (const name of ["many-1", "many-2", "many-3", "many-4"]) {
      expect(await backend.verify(pool(name), undefined)).toEqual([]);
    }
    expect([f.count("GET", /^\/clusters$/), f.count("GET", /^\/templates$/)]).toEqual([1, 1]);
  });

  it("asks again for a template that did not resolve, and fails each time it still does not", async () => {
    for (let i = 0; i < 2; i++) {
      expect((await backend.verify(pool(`ghost-${i}`, "no-such-template"), undefined)).map((x) => x.property)).toEqual(["backend.template"]);
    }
    expect(f.count("GET", /^\/templates$/)).toBe(2);
  });
});
