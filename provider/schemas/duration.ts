/**
 * Durations as Pulumi's `customTimeouts` writes them (Go's syntax): one or
 * more `<number><unit>` with units `ms`, `s`, `m`, `h`. Example: `1h30m` ->
 * 5400000 ms; `90s` -> 90000 ms.
 */

/** A duration string: `10m`, `1h30m`, `2.5s`, `500ms`. */
export const DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration string; throws on anything else. */
export function parseDuration(text: string): number {
  if (!DURATION.test(text)) {
    throw new Error(`'${text}' is not a duration such as '10m', '1h30m' or '90s'`);
  }
  let total = 0;
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * (UNIT_MS[unit ?? "ms"] ?? 1);
  }
  return Math.round(total);
}
