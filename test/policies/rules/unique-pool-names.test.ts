import { describe, expect, it } from "vitest";

import { uniquePoolNames } from "../../../policies/rules/unique-pool-names";
import { kubevirtPoolProps, ovirtPoolProps, runStackPolicy, UNKNOWN_VALUE } from "../../harness/policy-harness";

describe("unique-pool-names", () => {
  it("passes the same name on different engines, namespaces or backends", async () => {
    const resources = [
      { name: "a", props: ovirtPoolProps({ name: "lab" }) },
      { name: "b", props: ovirtPoolProps({ name: "lab" }, { connection: "lab2" }) },
      // oVirt compares exactly, so letter case makes another name.
      { name: "c", props: ovirtPoolProps({ name: "Lab" }) },
      { name: "d", props: kubevirtPoolProps({ name: "lab" }) },
      { name: "e", props: kubevirtPoolProps({ name: "lab", backend: { ...(kubevirtPoolProps().backend as object), namespace: "exams" } }) },
      { name: "f", props: ovirtPoolProps({ name: UNKNOWN_VALUE }) },
    ];
    expect(await runStackPolicy(uniquePoolNames, resources)).toEqual([]);
  });

  it("reports the second pool of a name on one engine and in one namespace", async () => {
    const resources = [
      { name: "room12", props: ovirtPoolProps({ name: "desks" }) },
      { name: "room14", props: ovirtPoolProps({ name: "desks" }) },
      { name: "lab-a", props: kubevirtPoolProps({ name: "lab" }) },
      { name: "lab-b", props: kubevirtPoolProps({ name: "lab" }) },
    ];
    expect(await runStackPolicy(uniquePoolNames, resources)).toEqual([
      { resource: "lab-b", message: "Pool name 'lab' must be unique in KubeVirt namespace 'default' (default connection): resources 'lab-a' and 'lab-b' both use it" },
      { resource: "room14", message: "Pool name 'desks' must be unique in the oVirt engine (default connection): resources 'room12' and 'room14' both use it" },
    ]);
  });
});

describe("unique-pool-names, whatever order the engine lists resources in", () => {
  it("reports the pool whose resource name sorts last", async () => {
    const room12 = { name: "room12", props: ovirtPoolProps({ name: "desks" }) };
    const room14 = { name: "room14", props: ovirtPoolProps({ name: "desks" }) };
    const expected = [{ resource: "room14", message: "Pool name 'desks' must be unique in the oVirt engine (default connection): resources 'room12' and 'room14' both use it" }];
    expect(await runStackPolicy(uniquePoolNames, [room14, room12])).toEqual(expected);
    expect(await runStackPolicy(uniquePoolNames, [room12, room14])).toEqual(expected);
  });
});
