/**
 * VM-Operator's `VmPool.spec.retention`: how long a VM stays assigned to a
 * user. Two parties read it, and a value must satisfy both:
 * - the API server, through the CRD's pattern (an ISO 8601 date-time, or an
 *   ISO 8601 duration `P[nY][nM][nW][nD][T[nH][nM][n[.n]S]]`, the time
 *   designators in either case);
 * - the manager, which reads it with Java's `Duration.parse` when it starts
 *   with `P` and `Instant.parse` otherwise (`VmPool.retainUntil` in
 *   VM-Operator's `org.jdrupes.vmoperator.common`), then adds the duration
 *   to the VM's last use. A value the CRD accepts but Java refuses is stored
 *   fine and then breaks every assignment from the pool, so it is refused
 *   here, saying why.
 * Behaviour of Java's parsers checked on OpenJDK 17 and Temurin 25 (the
 * manager's image runs 21).
 */

/** The CRD's pattern for `spec.retention` (this project's own expression of it; see test/fixtures/crds). */
export const VMOPERATOR_RETENTION_PATTERN =
  /^([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)|P([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T([0-9]+[Hh])?([0-9]+[Mm])?([0-9]+(\.[0-9]{1,9})?[Ss])?)?)$/;

/** The retention VM-Operator's CRD defaults to: one hour. */
export const DEFAULT_VMOPERATOR_RETENTION = "PT1h";

/**
 * The longest duration, in seconds, that the manager can add to any last-use
 * time up to the year 9999: `Instant.plus` fails beyond `Instant.MAX`
 * (epoch second 31556889864403199), and `Duration.parse` overflows a
 * `long` of seconds long before. 31556889864403199 - 253402300799.
 */
export const MAX_VMOPERATOR_RETENTION_SECONDS = 31_556_636_462_102_400n;

const DURATION_PARTS = /^P(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)W)?(?:([0-9]+)D)?(?:(T)(?:([0-9]+)[Hh])?(?:([0-9]+)[Mm])?(?:([0-9]+)(?:\.[0-9]{1,9})?[Ss])?)?$/;
const INSTANT_PARTS = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T[0-9:]{8}(?:\.[0-9]{1,9})?(Z|[+-]([0-9]{2})(:?)([0-9]{2})?)$/;

const EXAMPLES = "a duration such as 'PT4H', 'PT30M' or 'P1DT12H', or an instant such as '2026-12-24T18:00:00Z' or '2026-12-24T18:00:00+01:00'";

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function explainDuration(text: string): string | undefined {
  const m = DURATION_PARTS.exec(text);
  if (m === null) {
    return `must be ${EXAMPLES}`;
  }
  const [, years, months, weeks, days, t, hours, minutes, seconds] = m;
  if (years !== undefined || months !== undefined || weeks !== undefined) {
    return "may use only days, hours, minutes and seconds (PnDTnHnMnS, e.g. 'P7D' for a week): the API server would accept years, months and weeks, but VM-Operator reads the retention with Java's Duration.parse, which refuses them, and no VM could then be assigned from the pool";
  }
  if (days === undefined && hours === undefined && minutes === undefined && seconds === undefined) {
    return "must give at least one number, e.g. 'PT1H': the API server would accept a bare 'P' or 'PT', but VM-Operator's Java Duration.parse refuses it";
  }
  if (t !== undefined && hours === undefined && minutes === undefined && seconds === undefined) {
    return `must not end in 'T' without hours, minutes or seconds (write '${text.slice(0, -1)}'): VM-Operator's Java Duration.parse refuses it`;
  }
  const total = BigInt(days ?? 0) * 86_400n + BigInt(hours ?? 0) * 3_600n + BigInt(minutes ?? 0) * 60n + BigInt(seconds ?? 0);
  if (total > MAX_VMOPERATOR_RETENTION_SECONDS) {
    return `is too long: VM-Operator adds it to a VM's last use as a Java Instant, which ends in the year 1000000000 (at most ${MAX_VMOPERATOR_RETENTION_SECONDS} seconds); use an instant for 'never expires before'`;
  }
  return undefined;
}

function explainInstant(text: string): string | undefined {
  const m = INSTANT_PARTS.exec(text);
  if (m === null) {
    return `must be ${EXAMPLES}`;
  }
  const [, year, month, day, zone = "Z", offsetHours, colon, offsetMinutes] = m;
  if (Number(day) > daysInMonth(Number(year), Number(month))) {
    return `names a day that does not exist (${year}-${month}-${day}): VM-Operator's Java Instant.parse refuses it, although the API server's pattern lets it through`;
  }
  if (zone !== "Z" && (offsetMinutes === undefined || colon !== ":")) {
    return `must write its UTC offset as ±hh:mm (e.g. '${text.slice(0, -zone.length)}${zone.slice(0, 3)}:${offsetMinutes ?? "00"}') or use 'Z': VM-Operator's Java Instant.parse refuses '${zone}', although the API server's pattern accepts it`;
  }
  if (zone !== "Z" && Number(offsetHours) * 60 + Number(offsetMinutes) > 18 * 60) {
    return `has a UTC offset beyond ±18:00 ('${zone}'), which VM-Operator's Java Instant.parse refuses`;
  }
  return undefined;
}

/**
 * Why a retention is refused, or undefined when both the API server and
 * VM-Operator accept it. Examples: `PT4h` -> undefined; `4 hours` -> "must
 * be a duration such as ..."; `P1W` -> "may use only days, hours, minutes
 * and seconds ...".
 */
export function explainVmoperatorRetention(text: string): string | undefined {
  if (!VMOPERATOR_RETENTION_PATTERN.test(text)) {
    return `must be ${EXAMPLES} (the VmPool CRD's ISO 8601 pattern)`;
  }
  return text.startsWith("P") ? explainDuration(text) : explainInstant(text);
}
