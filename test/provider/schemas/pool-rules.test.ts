import { describe, expect, it } from "vitest";

import { validatePrestarted, validateSpiceProxy } from "../../../provider/schemas/pool-rules";

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
