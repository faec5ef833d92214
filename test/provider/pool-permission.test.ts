import { describe, expect, it } from "vitest";

import { calculatePermissionPoolSize } from "../../provider/pool-permission";

describe("calculatePermissionPoolSize", () => {
  it.each([
    { label: "a pool sized by its program", size: 3, backend: {}, names: 3 },
    // The autoscaler may add VMs up to maxReplicas; each gets the lowest free index.
    { label: "an autoscaled pool", size: 2, backend: { autoscaling: { maxReplicas: 5 } }, names: 5 },
  ])("$label: the Role names $names VMs", ({ size, backend, names }) => {
    expect(calculatePermissionPoolSize(size, backend)).toBe(names);
  });
});
