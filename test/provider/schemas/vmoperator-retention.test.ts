import { describe, expect, it } from "vitest";

import { explainVmoperatorRetention, VMOPERATOR_RETENTION_PATTERN } from "../../../provider/schemas/vmoperator-retention";

/**
 * Each row's verdict was checked on Java (OpenJDK 17 and Temurin 25) with
 * `Duration.parse` / `Instant.parse`, as VM-Operator's `VmPool.retainUntil`
 * reads the retention.
 */
describe("explainVmoperatorRetention", () => {
  it.each(["PT1h", "PT4H", "PT4h", "P1D", "P1DT12H", "PT1h30m", "PT1m", "PT0.123456789S", "P0D", "PT0S", "2026-12-01T10:00:00Z", "2026-12-01T10:00:00.5Z", "2026-12-01T10:00:00+01:00", "2026-12-01T10:00:00-00:00", "2026-12-01T10:00:00+18:00", "2024-02-29T00:00:00Z", "0000-01-01T00:00:00Z", "P365000000D"])(
    "accepts %s (the CRD's pattern and Java both do)",
    (text) => {
      expect(VMOPERATOR_RETENTION_PATTERN.test(text)).toBe(true);
      expect(explainVmoperatorRetention(text)).toBeUndefined();
    },
  );

  const EXAMPLES = "a duration such as 'PT4H', 'PT30M' or 'P1DT12H', or an instant such as '2026-12-24T18:00:00Z' or '2026-12-24T18:00:00+01:00'";
  it.each([
    // Refused by the API server's own pattern.
    { text: "4 hours", message: `must be ${EXAMPLES} (the VmPool CRD's ISO 8601 pattern)` },
    { text: "p1d", message: `must be ${EXAMPLES} (the VmPool CRD's ISO 8601 pattern)` },
    { text: "PT1,5S", message: `must be ${EXAMPLES} (the VmPool CRD's ISO 8601 pattern)` },
    { text: "P-1D", message: `must be ${EXAMPLES} (the VmPool CRD's ISO 8601 pattern)` },
    { text: "2026-12-01T10:00:00z", message: `must be ${EXAMPLES} (the VmPool CRD's ISO 8601 pattern)` },
    { text: "2026-12-01T24:00:00Z", message: `must be ${EXAMPLES} (the VmPool CRD's ISO 8601 pattern)` },
    // Accepted by the API server, refused by Java's Duration.parse.
    ...["P1W", "P1M", "P1Y", "P1Y2M3W4DT5H"].map((text) => ({
      text,
      message: "may use only days, hours, minutes and seconds (PnDTnHnMnS, e.g. 'P7D' for a week): the API server would accept years, months and weeks, but VM-Operator reads the retention with Java's Duration.parse, which refuses them, and no VM could then be assigned from the pool",
    })),
    ...["P", "PT"].map((text) => ({ text, message: "must give at least one number, e.g. 'PT1H': the API server would accept a bare 'P' or 'PT', but VM-Operator's Java Duration.parse refuses it" })),
    { text: "P1DT", message: "must not end in 'T' without hours, minutes or seconds (write 'P1D'): VM-Operator's Java Duration.parse refuses it" },
    {
      text: "P106751991167301D",
      message: "is too long: VM-Operator adds it to a VM's last use as a Java Instant, which ends in the year 1000000000 (at most 31556636462102400 seconds); use an instant for 'never expires before'",
    },
    // Accepted by the API server, refused by Java's Instant.parse.
    { text: "2026-02-30T10:00:00Z", message: "names a day that does not exist (2026-02-30): VM-Operator's Java Instant.parse refuses it, although the API server's pattern lets it through" },
    { text: "2023-02-29T00:00:00Z", message: "names a day that does not exist (2023-02-29): VM-Operator's Java Instant.parse refuses it, although the API server's pattern lets it through" },
    { text: "2026-04-31T00:00:00Z", message: "names a day that does not exist (2026-04-31): VM-Operator's Java Instant.parse refuses it, although the API server's pattern lets it through" },
    {
      text: "2026-12-01T10:00:00+01",
      message: "must write its UTC offset as ±hh:mm (e.g. '2026-12-01T10:00:00+01:00') or use 'Z': VM-Operator's Java Instant.parse refuses '+01', although the API server's pattern accepts it",
    },
    {
      text: "2026-12-01T10:00:00+0100",
      message: "must write its UTC offset as ±hh:mm (e.g. '2026-12-01T10:00:00+01:00') or use 'Z': VM-Operator's Java Instant.parse refuses '+0100', although the API server's pattern accepts it",
    },
    { text: "2026-12-01T10:00:00+19:00", message: "has a UTC offset beyond ±18:00 ('+19:00'), which VM-Operator's Java Instant.parse refuses" },
    { text: "2026-12-01T10:00:00+18:01", message: "has a UTC offset beyond ±18:00 ('+18:01'), which VM-Operator's Java Instant.parse refuses" },
  ])("refuses $text", ({ text, message }) => {
    expect(explainVmoperatorRetention(text)).toBe(message);
  });
});
