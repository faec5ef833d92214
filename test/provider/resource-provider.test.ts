import { describe, expect, it } from "vitest";

import { toWireObject, withoutHostKeys } from "../../provider/resource-provider";

describe("toWireObject", () => {
  it.each([
    // Nested undefined members: what made the host fail with "Unexpected struct type".
    [{ backend: { kind: "ovirt", cluster: undefined, template: "t" } }, { backend: { kind: "ovirt", template: "t" } }],
    [{ a: 1, b: undefined, c: [{ d: undefined }] }, { a: 1, c: [{}] }],
    // null is a value Structs carry; it stays.
    [{ a: null }, { a: null }],
    [{}, {}],
  ])("drops undefined members of %j at any depth", (value, expected) => {
    expect(toWireObject(value)).toEqual(expected);
    expect(JSON.stringify(toWireObject(value))).toBe(JSON.stringify(expected));
  });
});

describe("withoutHostKeys", () => {
  it("drops the serialized provider and keeps everything else", () => {
    expect(withoutHostKeys({ __provider: "exports.handler = ...", size: 2, backend: { kind: "ovirt" } })).toEqual({ size: 2, backend: { kind: "ovirt" } });
  });
});
