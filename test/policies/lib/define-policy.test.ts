import { describe, expect, it } from "vitest";
import { z } from "zod";

import { parsePolicyConfig, toPolicyConfigSchema } from "../../../policies/lib/define-policy";

const config = z.strictObject({
  maxVmsInPool: z.number().int().min(1).default(1000).describe("The largest pool."),
  templates: z.array(z.string().min(1)).default(["win*"]),
});

describe("toPolicyConfigSchema", () => {
  it("turns the zod schema into the JSON schema the engine validates config against, defaults included", () => {
    expect(toPolicyConfigSchema(config)).toEqual({
      properties: {
        maxVmsInPool: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: 1000, description: "The largest pool." },
        templates: { type: "array", items: { type: "string", minLength: 1 }, default: ["win*"] },
      },
    });
  });

  it("has nothing to declare for a policy without settings", () => {
    expect(toPolicyConfigSchema(z.strictObject({}))).toBeUndefined();
  });
});

describe("parsePolicyConfig", () => {
  it("fills in defaults", () => {
    expect(parsePolicyConfig("p", config, {})).toEqual({ maxVmsInPool: 1000, templates: ["win*"] });
    expect(parsePolicyConfig("p", config, { maxVmsInPool: 10 })).toEqual({ maxVmsInPool: 10, templates: ["win*"] });
  });

  it("refuses a misspelt setting, which the engine lets through, naming the policy", () => {
    expect(() => parsePolicyConfig("vm-pool-max-size", config, { maxVmsInpool: 10 })).toThrow(`the configuration of policy 'vm-pool-max-size' is invalid: Unrecognized key: "maxVmsInpool"`);
  });

  it("refuses a value out of range", () => {
    expect(() => parsePolicyConfig("vm-pool-max-size", config, { maxVmsInPool: 0 })).toThrow("the configuration of policy 'vm-pool-max-size' is invalid: maxVmsInPool: Too small: expected number to be >=1");
  });
});
