/**
 * Rules of the oVirt engine for pool and VM names, checked before anything
 * is sent (reference §2.3).
 */
import type { RuleIssue } from "./kubevirt-rules";

/**
 * The engine's pool name pattern (`ValidationUtils.POOL_NAME_PATTERN`):
 * letters of any script, digits, `.`, `_`, `-`, and at most one run of `?`
 * (the VM name mask) beside at least one other character.
 */
export const OVIRT_POOL_NAME = /^[\p{L}0-9._-]+[?]*[\p{L}0-9._-]*$|^[\p{L}0-9._-]*[?]*[\p{L}0-9._-]+$/u;
/** The engine's `MaxVmNameLength`. */
export const MAX_OVIRT_VM_NAME = 64;

/** Checks a pool name against the engine's pattern. */
export function validateOvirtPoolName(name: string): RuleIssue[] {
  if (OVIRT_POOL_NAME.test(name)) {
    return [];
  }
  return [
    {
      path: ["name"],
      value: name,
      message: "must use only letters, digits, '.', '_', '-' and at most one run of '?' (the VM number mask, e.g. 'lab-???'), and no spaces",
    },
  ];
}

/**
 * The name the engine gives the `n`-th VM of a pool: `<pool>-<n>`, or the
 * mask replaced by `n` zero-padded to its width. Example: `lab-??`, 3 ->
 * `lab-03`.
 */
export function toOvirtVmName(poolName: string, n: number): string {
  const mask = /\?+/.exec(poolName);
  return mask === null ? `${poolName}-${n}` : poolName.replace(mask[0], String(n).padStart(mask[0].length, "0"));
}

/**
 * Checks that every VM name the engine will generate fits in 64 characters.
 * Names are numbered from 1, so the longest belongs to VM `size`.
 */
export function validateOvirtVmNames(poolName: string, size: number): RuleIssue[] {
  if (size < 1) {
    return [{ path: ["size"], value: size, message: "must be at least 1 on oVirt: the engine cannot create an empty pool, and detaching its last VM removes the pool" }];
  }
  return validateLongestVmName(poolName, size, MAX_OVIRT_VM_NAME, `the engine allows ${MAX_OVIRT_VM_NAME}`);
}

/**
 * The engine's `MaxVmNameLengthSysprep`: a Windows VM's name becomes its
 * computer (NetBIOS) name through sysprep, which holds at most 15
 * characters. The engine does not refuse longer names (reference §2.3 says
 * it does; `VmCommand.isVmNameValidLength` checks only `MaxVmNameLength`):
 * `SysprepHandler` cuts the computer name to 15 at first boot.
 */
export const MAX_OVIRT_SYSPREP_VM_NAME = 15;

/**
 * Checks that every VM name the engine will generate fits in 15 characters,
 * so no two Windows (sysprep) VMs end up with one computer name. Example: `lab-??` of 99 VMs
 * passes (`lab-99`); `classroom-12-???` does not (16 characters). An empty
 * pool is {@link validateOvirtVmNames}' to report.
 */
export function validateOvirtSysprepVmNames(poolName: string, size: number): RuleIssue[] {
  if (size < 1) {
    return [];
  }
  return validateLongestVmName(poolName, size, MAX_OVIRT_SYSPREP_VM_NAME, `a Windows computer name holds ${MAX_OVIRT_SYSPREP_VM_NAME}, and the engine's sysprep cuts longer VM names to ${MAX_OVIRT_SYSPREP_VM_NAME} at first boot, so VMs would share computer names`);
}

function validateLongestVmName(poolName: string, size: number, max: number, limit: string): RuleIssue[] {
  const longest = toOvirtVmName(poolName, size);
  if (longest.length <= max) {
    return [];
  }
  return [
    {
      path: ["name"],
      value: poolName,
      message: `makes VM names up to ${longest.length} characters long ('${longest}' for a pool of ${size}); ${limit}, so shorten the name`,
    },
  ];
}
