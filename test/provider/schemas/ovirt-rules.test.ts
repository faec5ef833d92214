import { describe, expect, it } from "vitest";

import { toOvirtVmName, validateOvirtPoolName, validateOvirtSysprepVmNames, validateOvirtVmNames } from "../../../provider/schemas/ovirt-rules";

describe("validateOvirtPoolName", () => {
  // The engine's own cases (PoolNameValidationTest) plus other scripts.
  it.each(["pool", "my-pool_1.a", "??rt", "pool-T4534f?????rt", "lab-???", "Пул", "プール"])("accepts %s", (name) => {
    expect(validateOvirtPoolName(name)).toEqual([]);
  });

  it.each(["???", "a??b??", "my pool", "pool/1", "pool@x"])("rejects %s", (name) => {
    expect(validateOvirtPoolName(name)).toEqual([
      { path: ["name"], value: name, message: "must use only letters, digits, '.', '_', '-' and at most one run of '?' (the VM number mask, e.g. 'lab-???'), and no spaces" },
    ]);
  });
});

describe("toOvirtVmName", () => {
  it.each([
    { pool: "lab", n: 1, vm: "lab-1" },
    { pool: "my???pool", n: 1, vm: "my001pool" },
    { pool: "mypool???", n: 12, vm: "mypool012" },
    { pool: "???mypool", n: 7, vm: "007mypool" },
    { pool: "lab-??", n: 100, vm: "lab-100" },
  ])("names VM $n of $pool $vm", ({ pool, n, vm }) => {
    expect(toOvirtVmName(pool, n)).toBe(vm);
  });
});

describe("validateOvirtVmNames", () => {
  it.each([
    { name: "p".repeat(62), size: 9 }, // p...p-9: 64 characters, the limit
    { name: `${"p".repeat(61)}???`, size: 999 },
  ])("accepts a $name.length-character name for $size VMs", ({ name, size }) => {
    expect(validateOvirtVmNames(name, size)).toEqual([]);
  });

  it.each([
    {
      name: "p".repeat(62),
      size: 10,
      issues: [{ path: ["name"], value: "p".repeat(62), message: `makes VM names up to 65 characters long ('${"p".repeat(62)}-10' for a pool of 10); the engine allows 64, so shorten the name` }],
    },
    {
      name: "lab",
      size: 0,
      issues: [{ path: ["size"], value: 0, message: "must be at least 1 on oVirt: the engine cannot create an empty pool, and detaching its last VM removes the pool" }],
    },
  ])("reports $name.length characters for $size VMs", ({ name, size, issues }) => {
    expect(validateOvirtVmNames(name, size)).toEqual(issues);
  });
});

describe("validateOvirtSysprepVmNames", () => {
  it.each([
    { name: "lab-??", size: 99 }, // lab-99
    { name: "p".repeat(13), size: 9 }, // ppppppppppppp-9: 15 characters, the limit
    { name: "room-12-???", size: 999 }, // room-12-999: 11
    // An empty pool is validateOvirtVmNames' to report.
    { name: "p".repeat(40), size: 0 },
  ])("accepts $name for $size VMs", ({ name, size }) => {
    expect(validateOvirtSysprepVmNames(name, size)).toEqual([]);
  });

  it.each([
    // One character over: ppppppppppppp-10.
    { name: "p".repeat(13), size: 10, longest: `${"p".repeat(13)}-10` },
    // The mask grows past its width once the count needs more digits.
    { name: "classroom-12-??", size: 100, longest: "classroom-12-100" },
    // Fits the engine's 64 but not sysprep's 15.
    { name: "exam-desktops-???", size: 30, longest: "exam-desktops-030" },
  ])("reports $name for $size VMs", ({ name, size, longest }) => {
    expect(validateOvirtSysprepVmNames(name, size)).toEqual([
      {
        path: ["name"],
        value: name,
        message: `makes VM names up to ${longest.length} characters long ('${longest}' for a pool of ${size}); a Windows computer name holds 15, and the engine's sysprep cuts longer VM names to 15 at first boot, so VMs would share computer names, so shorten the name`,
      },
    ]);
    expect(validateOvirtVmNames(name, size)).toEqual([]);
  });
});
