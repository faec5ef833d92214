/**
 * The subset of the engine's search language that clients use here:
 * `field=value` terms joined by `and`, values optionally quoted, `*` as a
 * wildcard, case-insensitive unless `case_sensitive=true`.
 * Examples: `name=mypool`, `pool=mypool`, `name="my pool"`,
 * `usrname=alice@internal-authz`.
 */

/** One `field=value` term. */
export interface SearchTerm {
  field: string;
  value: string;
}

/** Parses a search query; unknown syntax yields no terms (everything matches), as lenient as needed here. */
export function parseSearch(query: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const pattern = /([\w.]+)\s*=\s*("([^"]*)"|[^\s]+)/g;
  for (const part of query.split(/\s+and\s+/i)) {
    pattern.lastIndex = 0;
    const match = pattern.exec(part.trim());
    if (match !== null) {
      terms.push({ field: (match[1] ?? "").toLowerCase(), value: match[3] ?? match[2] ?? "" });
    }
  }
  return terms;
}

/** Whether `actual` matches a search value with `*` wildcards. */
export function matchesValue(actual: string | undefined, wanted: string, caseSensitive: boolean): boolean {
  if (actual === undefined) {
    return false;
  }
  const escaped = wanted.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, caseSensitive ? "" : "i").test(actual);
}

/**
 * Filters items by a query. `fields` maps each searchable field to the
 * item's value; an unknown field matches nothing, as the engine rejects it.
 */
export function applySearch<T>(
  items: readonly T[],
  query: string | null,
  caseSensitive: boolean,
  fields: Record<string, (item: T) => string | undefined>,
): T[] {
  if (query === null || query.trim() === "") {
    return [...items];
  }
  const terms = parseSearch(query);
  return items.filter((item) =>
    terms.every((term) => {
      const read = fields[term.field];
      return read !== undefined && matchesValue(read(item), term.value, caseSensitive);
    }),
  );
}
