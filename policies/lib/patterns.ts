/**
 * Name patterns in policy configuration: `*` stands for any run of
 * characters, everything else is literal and letter case is ignored, so
 * `exam-*` matches `Exam-??` and `win*` matches `Win2022-desktop`. A `?` is
 * literal: in oVirt pool names it is the VM number mask, not a wildcard.
 */

/** Whether `value` matches `pattern` (see the module comment). */
export function matchesPattern(value: string, pattern: string): boolean {
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`, "iu").test(value);
}

/** The first pattern `value` matches, or undefined. */
export function findMatchingPattern(value: string, patterns: readonly string[]): string | undefined {
  return patterns.find((pattern) => matchesPattern(value, pattern));
}
