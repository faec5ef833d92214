import { describe, expect, it } from "vitest";

import { diffVmPool } from "../../provider/diff/vm-pool-diff";
import { hashPoolSecrets, hashSecret, isSameSecret, isSecretHash, resolveSecretHashes } from "../../provider/secret-hash";

const SALT = "0123456789abcdef0123456789abcdef";

describe("hashSecret", () => {
  it("is salted SHA-256 of salt:value", () => {
    // sha256("<salt>:pw"), computed with sha256sum.
    expect(hashSecret("pw", SALT)).toBe("vmpools-sha256:0123456789abcdef0123456789abcdef:77150b6c0f9eb8053761d2d08898739a319cbb3227573e677a4e2d07ef674929");
    expect(hashSecret("pw", SALT)).toMatch(/^vmpools-sha256:0123456789abcdef0123456789abcdef:[0-9a-f]{64}$/);
    expect(hashSecret("pw", SALT)).not.toBe(hashSecret("pw2", SALT));
    expect(hashSecret("pw")).not.toBe(hashSecret("pw"));
  });

  it.each([
    { stored: hashSecret("pw", SALT), given: "pw", same: true },
    { stored: hashSecret("pw", SALT), given: "other", same: false },
    { stored: "pw", given: hashSecret("pw", SALT), same: true },
    { stored: "pw", given: "pw", same: true },
    { stored: undefined, given: "pw", same: false },
  ])("isSameSecret($stored, $given) is $same", ({ stored, given, same }) => {
    expect(isSameSecret(stored, given)).toBe(same);
  });
});

describe("hashPoolSecrets", () => {
  it("replaces exactly the credentials", () => {
    const state = {
      name: "w-??",
      backend: { kind: "ovirt", vm: { initialRun: { sysprep: { adminPassword: "pw", customFile: "<unattend/>", domain: "ad" }, cloudInit: { user: { name: "u", password: "p2" }, customScript: "x" } } } },
    };
    const hashed = hashPoolSecrets(state);
    const run = hashed.backend.vm.initialRun;
    expect([isSecretHash(run.sysprep.adminPassword), isSecretHash(run.sysprep.customFile), isSecretHash(run.cloudInit.user.password), isSecretHash(run.cloudInit.customScript)]).toEqual([true, true, true, true]);
    expect({ domain: run.sysprep.domain, name: run.cloudInit.user.name }).toEqual({ domain: "ad", name: "u" });
    expect(JSON.stringify(hashed)).not.toMatch(/"pw"|"p2"|unattend/);
    expect(hashPoolSecrets(hashed)).toEqual(hashed);
    expect(state.backend.vm.initialRun.sysprep.adminPassword).toBe("pw");
  });

  it("leaves pools without an initial run alone", () => {
    const state = { name: "lab", backend: { kind: "ovirt", vm: { sso: true } } };
    expect(hashPoolSecrets(state)).toEqual(state);
  });
});

describe("the pool diff with stored hashes", () => {
  const pool = (password: string) => ({ name: "w-??", size: 2, stateful: false, backend: { kind: "ovirt", template: "win", vm: { initialRun: { sysprep: { adminPassword: password } } } } });

  it("sees no change for the same credential", () => {
    expect(resolveSecretHashes(hashPoolSecrets(pool("pw")), pool("pw"))).toEqual(pool("pw"));
    expect(diffVmPool(hashPoolSecrets(pool("pw")), pool("pw"))).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("replaces a stateless pool whose credential changed, as the engine cannot change its VMs' initial run", () => {
    expect(diffVmPool(hashPoolSecrets(pool("pw")), pool("new"))).toEqual({ changes: true, replaces: ["backend"], deleteBeforeReplace: true });
  });

  it("replaces a stateless pool storing a password for any VM-setting change, since the engine refuses edits of its VMs", () => {
    const withHost = (mode: string): Record<string, unknown> => {
      const p = pool("pw");
      return { ...p, backend: { ...p.backend, vm: { ...p.backend.vm, host: { migrationMode: mode } } } };
    };
    expect(diffVmPool(hashPoolSecrets(withHost("automatic")), withHost("none"))).toEqual({ changes: true, replaces: ["backend"], deleteBeforeReplace: true });
    const noPassword = (mode: string): Record<string, unknown> => ({ name: "w-??", size: 2, stateful: false, backend: { kind: "ovirt", template: "win", vm: { initialRun: { sysprep: { customFile: "f" } }, host: { migrationMode: mode } } } });
    expect(diffVmPool(hashPoolSecrets(noPassword("automatic")), noPassword("none"))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("replaces a stateful pool whose initial run changed too, but changes its other VM settings in place despite a stored password", () => {
    expect(diffVmPool(hashPoolSecrets({ ...pool("pw"), stateful: true }), { ...pool("new"), stateful: true })).toEqual({ changes: true, replaces: ["backend"], deleteBeforeReplace: true });
    const withUsb = (usb: boolean): Record<string, unknown> => {
      const p = { ...pool("pw"), stateful: true };
      return { ...p, backend: { ...p.backend, vm: { ...p.backend.vm, usb } } };
    };
    expect(diffVmPool(hashPoolSecrets(withUsb(false)), withUsb(true))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });
});
