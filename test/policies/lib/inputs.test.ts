import { describe, expect, it } from "vitest";

import { dig, readPath, toPlainProps, UNKNOWN } from "../../../policies/lib/inputs";
import { unknownCheckingProxy } from "../../../policies/lib/policy-sdk";

describe("toPlainProps", () => {
  it("copies props through the policy server's proxy, marking each unknown value instead of throwing", () => {
    // GIVEN props as the server hands them over in preview: a pool whose trusted cluster does not exist yet
    const props = unknownCheckingProxy({ size: 3, trustedCluster: UNKNOWN, backend: { kind: "ovirt", tags: ["a", UNKNOWN] } });
    // WHEN read directly, the proxy throws
    expect(() => props.trustedCluster).toThrow("string value at .trustedCluster can't be known during preview");
    // THEN the copy has every known value and the marker for the others
    expect(toPlainProps(props)).toEqual({ size: 3, trustedCluster: UNKNOWN, backend: { kind: "ovirt", tags: ["a", UNKNOWN] } });
  });

  it("answers an empty object for props that are not an object", () => {
    expect(toPlainProps(undefined)).toEqual({});
    expect(toPlainProps(UNKNOWN)).toEqual({});
  });
});

describe("readPath and dig", () => {
  it.each([
    { value: { a: { b: 1 } }, path: ["a", "b"], found: 1 },
    { value: { a: UNKNOWN }, path: ["a", "b"], found: UNKNOWN },
    { value: { a: [1] }, path: ["a", "b"], found: undefined },
    { value: { a: null }, path: ["a"], found: null },
  ])("readPath finds $found at $path", ({ value, path, found }) => {
    expect(readPath(value, ...path)).toEqual(found);
  });

  it("dig reads any value and answers undefined past a non-object", () => {
    expect(dig({ spec: { cpu: { dedicated: true } } }, "spec", "cpu", "dedicated")).toBe(true);
    expect(dig({ spec: "x" }, "spec", "cpu")).toBeUndefined();
  });
});
