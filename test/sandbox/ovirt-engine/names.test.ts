/**
 * Table tests of the sandbox's naming rules (reference §2.3): the pool name
 * pattern and length (`ValidationUtils.POOL_NAME_PATTERN`, cases from the
 * engine's `PoolNameValidationTest`), the VM name of the n-th pool VM
 * (cases from `NameForVmInPoolGeneratorTest`) and the gap-filling counter of
 * `CommonVmPoolCommand.generateUniqueVmName`.
 */
import { describe, expect, it } from "vitest";

import { MAX_POOL_NAME_LENGTH, isValidPoolName, nextPoolVmNames, toPoolVmName } from "../../../sandbox/ovirt-engine/names";

describe("§2.3 pool and pool VM names", () => {
  it("§2.3 pool names are at most 255 characters (VM_POOL_NAME_SIZE)", () => {
    expect(MAX_POOL_NAME_LENGTH).toBe(255);
  });

  it.each([
    ["pool-T4534f", "letters, digits and '-'"],
    ["pool-T4534f??", "a mask at the end"],
    ["pool-T4534f?????rt", "a mask inside"],
    ["??rt", "a mask at the start"],
    ["a", "one character"],
    ["a.b_c-d", "'.', '_' and '-'"],
    ["Škoda", "Latin letters with diacritics"],
    ["пул_1", "Cyrillic letters"],
    ["日本語プール", "CJK letters"],
    ["x".repeat(255), "255 characters"],
  ])("§2.3 accepts the pool name %j (%s)", (name) => {
    expect(isValidPoolName(name)).toBe(true);
  });

  it.each([
    ["", "the empty name"],
    ["???", "a mask alone"],
    ["?", "a one-character mask alone"],
    ["pool-T453&4f", "'&'"],
    ["my pool", "a space"],
    ["pool/1", "'/'"],
    ["pool١", "a non-ASCII digit"],
    ["pool-T4534f??r-t??", "two masks"],
    ["pool-T4534f??rt??asda", "two masks inside"],
    ["??rt??asda", "two masks, one at the start"],
    ["a??b??", "two masks, one at the end"],
    ["x".repeat(256), "256 characters"],
  ])("§2.3 refuses the pool name %j (%s)", (name) => {
    expect(isValidPoolName(name)).toBe(false);
  });

  it.each([
    ["mypool", 1, "mypool-1"],
    ["mypool", 17, "mypool-17"],
    ["mypool", 170, "mypool-170"],
    ["???mypool", 17, "017mypool"],
    ["my???pool", 1, "my001pool"],
    ["mypool???", 170, "mypool170"],
    ["pool?", 12, "pool12"],
    ["??rt", 3, "03rt"],
  ])("§2.3 pool %j names its VM number %i %j", (pool, counter, expected) => {
    expect(toPoolVmName(pool, counter)).toBe(expected);
  });

  it.each([
    ["p", 3, [], ["p-1", "p-2", "p-3"]],
    ["p", 2, ["p-1", "p-3"], ["p-2", "p-4"]],
    ["p", 1, ["p-1", "p-2", "other-3"], ["p-3"]],
    ["m??", 2, ["m01"], ["m02", "m03"]],
    ["p", 0, ["p-1"], []],
  ])("§2.3 the counter starts at 1 and skips taken names: pool %j, %i VMs, taken %j", (pool, count, taken, expected) => {
    expect(nextPoolVmNames(pool, count, new Set(taken))).toEqual(expected);
  });
});
