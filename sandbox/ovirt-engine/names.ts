/**
 * Pool and VM naming as the engine does it (`ValidationUtils.POOL_NAME_PATTERN`,
 * `NameForVmInPoolGenerator`, `CommonVmPoolCommand.generateUniqueVmName`).
 */

/** Letters of any script, digits, `.`, `_`, `-`, and at most one run of `?` beside at least one other character. */
export const POOL_NAME_PATTERN = /^[\p{L}0-9._-]+[?]*[\p{L}0-9._-]*$|^[\p{L}0-9._-]*[?]*[\p{L}0-9._-]+$/u;
/** `VM_POOL_NAME_SIZE`. */
export const MAX_POOL_NAME_LENGTH = 255;

/** Whether the engine accepts `name` as a pool name. */
export function isValidPoolName(name: string): boolean {
  return name.length >= 1 && name.length <= MAX_POOL_NAME_LENGTH && POOL_NAME_PATTERN.test(name);
}

/**
 * The name of the `counter`-th VM of a pool: `<pool>-<n>` without a mask;
 * with a mask of `?`, the mask replaced by the counter zero-padded to its
 * width (`my???pool`, 1 -> `my001pool`).
 */
export function toPoolVmName(poolName: string, counter: number): string {
  const mask = /\?+/.exec(poolName);
  if (mask === null) {
    return `${poolName}-${counter}`;
  }
  return poolName.replace(mask[0], String(counter).padStart(mask[0].length, "0"));
}

/**
 * The next free VM names for a pool: the counter starts at 1 on every call
 * and skips names already taken in the data center, so gaps are refilled.
 */
export function nextPoolVmNames(poolName: string, count: number, taken: ReadonlySet<string>): string[] {
  const names: string[] = [];
  for (let counter = 1; names.length < count; counter++) {
    const name = toPoolVmName(poolName, counter);
    if (!taken.has(name)) {
      names.push(name);
    }
  }
  return names;
}
