import { describe, expect, it } from "vitest";

import { validateMaxVmsPerUser, validatePrestarted, validatePrestartedPoolType, validatePrestartedRange, validateSpiceProxy } from "../../../provider/schemas/pool-rules";

describe("validatePrestarted", () => {
  it.each([
    { size: 5, prestarted: 0, type: "automatic" as const },
    { size: 5, prestarted: 5, type: "automatic" as const },
    { size: 0, prestarted: 0, type: "manual" as const },
    // An invalid size is reported by the size field alone.
    { size: -1, prestarted: 3, type: "automatic" as const },
  ])("accepts $prestarted prestarted of $size in a $type pool", (fields) => {
    expect(validatePrestarted(fields)).toEqual([]);
  });

  it.each([
    { fields: { size: 2, prestarted: 3, type: "automatic" as const }, messages: ["must be between 0 and the pool's size (2)"] },
    {
      fields: { size: 4, prestarted: 1, type: "manual" as const },
      messages: ["must be 0 for a manual pool: prestarted VMs are for automatic pools, whose VMs return to the pool after use"],
    },
    {
      fields: { size: 1, prestarted: 2, type: "manual" as const },
      messages: ["must be between 0 and the pool's size (1)", "must be 0 for a manual pool: prestarted VMs are for automatic pools, whose VMs return to the pool after use"],
    },
  ])("reports $fields", ({ fields, messages }) => {
    expect(validatePrestarted(fields)).toEqual(messages.map((message) => ({ path: ["prestarted"], value: fields.prestarted, message })));
  });
});

describe("validateSpiceProxy", () => {
  it.each(["http://proxy.example.com:3128", "proxy.example.com", "proxy:8080", "https://[2001:db8::1]:443", undefined])("accepts %s", (proxy) => {
    expect(validateSpiceProxy(proxy)).toEqual([]);
  });

  it.each(["http://proxy:99999", "proxy:0", "http:/proxy", "pro xy", "http://proxy:80/path", ""])("rejects %s", (proxy) => {
    expect(validateSpiceProxy(proxy)).toEqual([
      { path: ["backend", "spiceProxy"], value: proxy, message: "must be a SPICE proxy address protocol://host:port, e.g. http://proxy.example.com:3128 (port 1-65535)" },
    ]);
  });
});

describe("validatePrestartedRange and validatePrestartedPoolType, the two halves of validatePrestarted", () => {
  const tooMany = { path: ["prestarted"], value: 3, message: "must be between 0 and the pool's size (2)" };
  const manual = { path: ["prestarted"], value: 3, message: "must be 0 for a manual pool: prestarted VMs are for automatic pools, whose VMs return to the pool after use" };

  it.each([
    // Within the size: neither half reports.
    { fields: { size: 5, prestarted: 5, type: "automatic" as const }, range: [], poolType: [] },
    // Above the size in an automatic pool: only the range.
    { fields: { size: 2, prestarted: 3, type: "automatic" as const }, range: [tooMany], poolType: [] },
    // Above the size in a manual pool: each half its own issue.
    { fields: { size: 2, prestarted: 3, type: "manual" as const }, range: [tooMany], poolType: [manual] },
    // A negative count is the field's own error, not the range's.
    { fields: { size: 2, prestarted: -1, type: "manual" as const }, range: [], poolType: [] },
  ])("splits $fields", ({ fields, range, poolType }) => {
    expect(validatePrestartedRange(fields)).toEqual(range);
    expect(validatePrestartedPoolType(fields)).toEqual(poolType);
    expect(validatePrestarted(fields)).toEqual([...range, ...poolType]);
  });
});

describe("validateMaxVmsPerUser", () => {
  it.each([
    { maxVmsPerUser: 1, size: 1 },
    { maxVmsPerUser: 10, size: 10 },
    // An empty pool has nothing to compare with.
    { maxVmsPerUser: 3, size: 0 },
  ])("accepts $maxVmsPerUser per user in a pool of $size", (fields) => {
    expect(validateMaxVmsPerUser(fields)).toEqual([]);
  });

  it.each([
    { maxVmsPerUser: 2, size: 1 },
    { maxVmsPerUser: 32_767, size: 20 },
  ])("reports $maxVmsPerUser per user in a pool of $size", (fields) => {
    expect(validateMaxVmsPerUser(fields)).toEqual([
      { path: ["maxVmsPerUser"], value: fields.maxVmsPerUser, message: `must not exceed the pool's size (${fields.size}): a user cannot hold more VMs than the pool has` },
    ]);
  });
});
