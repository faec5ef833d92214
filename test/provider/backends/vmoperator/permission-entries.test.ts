import { describe, expect, it } from "vitest";

import { addEntry, parseOwners, removeEntry, PERMISSION_OWNERS_ANNOTATION } from "../../../../provider/backends/vmoperator/permission-entries";

describe("addEntry", () => {
  it.each([
    {
      label: "appends after entries others made",
      entries: [{ role: "staff", may: ["*"] }],
      owners: {},
      principal: { user: "alice" },
      result: { entries: [{ role: "staff", may: ["*"] }, { user: "alice", may: ["accessConsole", "start"] }], owners: { "user:alice": "p1" } },
    },
    {
      label: "a role and a user of one name are different principals",
      entries: [{ user: "staff", may: ["start"] }],
      owners: {},
      principal: { role: "staff" },
      result: { entries: [{ user: "staff", may: ["start"] }, { role: "staff", may: ["accessConsole", "start"] }], owners: { "role:staff": "p1" } },
    },
    {
      label: "its own entry again (a retried add, a changed may) is rewritten in place",
      entries: [{ user: "alice", may: ["start"] }, { role: "staff" }],
      owners: { "user:alice": "p1" },
      principal: { user: "alice" },
      result: { entries: [{ user: "alice", may: ["accessConsole", "start"] }, { role: "staff" }], owners: { "user:alice": "p1" } },
    },
    {
      label: "an entry someone else made is not adopted",
      entries: [{ user: "alice" }],
      owners: {},
      principal: { user: "alice" },
      result: { refused: `the pool already has a permission entry for user 'alice' (may: ["accessConsole"]) that this PoolPermission did not add; remove it from the VmPool or drop this resource` },
    },
    {
      label: "nor one another PoolPermission added",
      entries: [{ user: "alice", may: ["*"] }],
      owners: { "user:alice": "p2" },
      principal: { user: "alice" },
      result: { refused: `the pool already has a permission entry for user 'alice' (may: ["*"]) that this PoolPermission did not add; remove it from the VmPool or drop this resource` },
    },
  ])("$label", ({ entries, owners, principal, result }) => {
    expect(addEntry(entries, owners, principal, ["accessConsole", "start"], "p1")).toEqual(result);
  });
});

describe("removeEntry", () => {
  it.each([
    {
      label: "removes its own entry and record only",
      entries: [{ user: "alice", may: ["start"] }, { role: "staff" }, { user: "bob" }],
      owners: { "user:alice": "p1", "user:bob": "p2" },
      result: { entries: [{ role: "staff" }, { user: "bob" }], owners: { "user:bob": "p2" } },
    },
    {
      label: "leaves an entry for the same user that it did not add",
      entries: [{ user: "alice", may: ["*"] }],
      owners: {},
      result: { entries: [{ user: "alice", may: ["*"] }], owners: {} },
    },
    { label: "an entry already gone is fine", entries: [], owners: { "user:alice": "p1" }, result: { entries: [], owners: {} } },
  ])("$label", ({ entries, owners, result }) => {
    expect(removeEntry(entries, owners, { user: "alice" }, "p1")).toEqual(result);
  });
});

describe("parseOwners", () => {
  it.each([
    { text: undefined, owners: {} },
    { text: '{"user:alice":"p1","role:x":2}', owners: { "user:alice": "p1" } },
    { text: "not json", owners: {} },
    { text: "[1]", owners: {} },
  ])("reads $text", ({ text, owners }) => {
    expect(parseOwners(text === undefined ? {} : { [PERMISSION_OWNERS_ANNOTATION]: text })).toEqual(owners);
  });
});
