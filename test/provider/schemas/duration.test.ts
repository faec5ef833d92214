import { describe, expect, it } from "vitest";

import { parseDuration } from "../../../provider/schemas/duration";
import { calculateTimeoutMs } from "../../../provider/schemas/vm-pool";

describe("parseDuration", () => {
  it.each([
    { text: "500ms", ms: 500 },
    { text: "90s", ms: 90_000 },
    { text: "10m", ms: 600_000 },
    { text: "1h30m", ms: 5_400_000 },
    { text: "2.5s", ms: 2_500 },
  ])("reads $text as $ms ms", ({ text, ms }) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "10", "10 m", "1d", "m10", "-5s"])("refuses %j", (text) => {
    expect(() => parseDuration(text)).toThrow(`'${text}' is not a duration such as '10m', '1h30m' or '90s'`);
  });
});

describe("calculateTimeoutMs", () => {
  it.each([
    { timeouts: undefined, operation: "create" as const, ms: 1_200_000 },
    { timeouts: { delete: "1m" }, operation: "delete" as const, ms: 60_000 },
    { timeouts: { delete: "1m" }, operation: "update" as const, ms: 1_200_000 },
    { timeouts: {}, operation: "delete" as const, ms: 600_000 },
  ])("gives $operation $ms ms for $timeouts", ({ timeouts, operation, ms }) => {
    expect(calculateTimeoutMs({ timeouts }, operation)).toBe(ms);
  });
});
