import { describe, expect, it } from "vitest";

import { toPlainProps, UNKNOWN } from "../../../policies/lib/inputs";
import { readVmPoolFields } from "../../../policies/lib/vm-pool-fields";
import { kubevirtPoolProps, ovirtPoolProps } from "../../harness/policy-harness";

describe("readVmPoolFields", () => {
  it("reads inputs check() accepted, defaults included", () => {
    const fields = readVmPoolFields(toPlainProps(ovirtPoolProps({}, { spiceProxy: "proxy:3128" })));
    expect(fields).toMatchObject({
      name: { state: "known", value: "room12-??" },
      size: { state: "known", value: 20 },
      prestarted: { state: "known", value: 4 },
      kind: { state: "known", value: "ovirt" },
      template: { state: "known", value: "rhel9-desktop" },
      spiceProxy: { state: "known", value: "proxy:3128" },
      trustedCluster: { state: "absent" },
      namespace: { state: "absent" },
    });
  });

  it("applies the schema's defaults to raw inputs, and derives prestarted as the provider does", () => {
    // GIVEN raw inputs, as check() returns them when they did not parse
    const fields = readVmPoolFields({ name: "lab", size: 4, backend: { kind: "kubevirt", virtualMachineTemplate: { spec: { running: true } } } });
    expect(fields).toMatchObject({
      maxVmsPerUser: { state: "known", value: 1 },
      type: { state: "known", value: "automatic" },
      namespace: { state: "known", value: "default" },
      // running: true runs all the pool's VMs
      prestarted: { state: "known", value: 4 },
    });
  });

  it("keeps unknown and invalid fields apart, each field on its own", () => {
    const fields = readVmPoolFields(toPlainProps(kubevirtPoolProps({ size: UNKNOWN, prestarted: undefined, maxVmsPerUser: 0, trustedCluster: UNKNOWN })));
    expect(fields.size).toEqual({ state: "unknown" });
    // Derived from the size, so unknown too.
    expect(fields.prestarted).toEqual({ state: "unknown" });
    expect(fields.trustedCluster).toEqual({ state: "unknown" });
    expect(fields.maxVmsPerUser).toEqual({ state: "invalid", issues: [{ path: ["maxVmsPerUser"], message: "must be between 1 and 32767", value: 0 }] });
    expect(fields.name).toEqual({ state: "known", value: "lab" });
  });
});
