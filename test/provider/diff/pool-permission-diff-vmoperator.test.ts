import { describe, expect, it } from "vitest";

import { diffPoolPermission } from "../../../provider/diff/pool-permission-diff";

const base = { role: "UserRole", user: "alice", pool: { name: "lab", uid: "u1" }, backend: { kind: "vmoperator", namespace: "vdi" } };

describe("diffPoolPermission on VM-Operator", () => {
  it.each([
    { label: "nothing changed", news: base, diff: { changes: false, replaces: [], deleteBeforeReplace: false } },
    // The entry is keyed by its principal: a role only sets its `may`.
    { label: "a role change rewrites the entry in place", news: { ...base, role: "VmPoolAdmin" }, diff: { changes: true, replaces: [], deleteBeforeReplace: false } },
    { label: "a may change rewrites the entry in place", news: { ...base, may: ["start"] }, diff: { changes: true, replaces: [], deleteBeforeReplace: false } },
    // Another principal: the new entry is added before the old one goes.
    { label: "another user replaces it, new first", news: { ...base, user: "bob" }, diff: { changes: true, replaces: ["user"], deleteBeforeReplace: false } },
    // The same principal on a recreated pool of the same name: the old entry must go first.
    { label: "a recreated pool replaces it, old first", news: { ...base, pool: { name: "lab", uid: "u2" } }, diff: { changes: true, replaces: ["pool"], deleteBeforeReplace: true } },
  ])("$label", ({ news, diff }) => {
    expect(diffPoolPermission(base, news)).toEqual(diff);
  });

  it("keeps role a replacement on KubeVirt, where it names the Role", () => {
    const kubevirt = { ...base, backend: { kind: "kubevirt", namespace: "vdi" } };
    expect(diffPoolPermission(kubevirt, { ...kubevirt, role: "VmPoolAdmin" })).toEqual({ changes: true, replaces: ["role"], deleteBeforeReplace: false });
  });
});
