import { describe, expect, it } from "vitest";

import { findMatchingPattern, matchesPattern } from "../../../policies/lib/patterns";

describe("matchesPattern", () => {
  it.each([
    // '*' is any run, letter case is ignored.
    { value: "Win2022-desktop", pattern: "win*", matches: true },
    { value: "exam-??", pattern: "exam-*", matches: true },
    { value: "cad-High-Performance", pattern: "*high-performance*", matches: true },
    // '?' and regex characters are literal.
    { value: "exam-??", pattern: "exam-??", matches: true },
    { value: "exam-01", pattern: "exam-??", matches: false },
    { value: "a.b", pattern: "a.b", matches: true },
    { value: "axb", pattern: "a.b", matches: false },
    // The whole value must match.
    { value: "rhel9-windows-tools", pattern: "win*", matches: false },
  ])("$value against $pattern: $matches", ({ value, pattern, matches }) => {
    expect(matchesPattern(value, pattern)).toBe(matches);
  });

  it("finds the first matching pattern", () => {
    expect(findMatchingPattern("win11", ["*windows*", "win*", "w*"])).toBe("win*");
    expect(findMatchingPattern("rhel9", ["win*"])).toBeUndefined();
  });
});
