/**
 * Lone UTF-16 surrogates: PostgreSQL cannot store them, and a bound text parameter carries them as
 * U+FFFD (node-postgres encodes them so). Values that travel as JSON text, where they would be escapes
 * PostgreSQL refuses, are made well-formed the same way first.
 */

/** The string with every lone surrogate replaced by U+FFFD. */
export function wellFormed(s: string): string {
  return (s as string & { toWellFormed(): string }).toWellFormed();
}

/** A JSON value with every string, keys included, made well-formed. */
export function wellFormedDeep(v: unknown): unknown {
  if (typeof v === 'string') return wellFormed(v);
  if (Array.isArray(v)) return v.map(wellFormedDeep);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [wellFormed(k), wellFormedDeep(x)]));
  return v;
}

/**
 * Whether JSON text (from JSON.stringify, which escapes exactly the lone surrogates) may hold one;
 * false means it certainly holds none. A cheap test before the rare rewrite.
 */
export function mayHoldLoneSurrogate(json: string): boolean {
  return /\\u[dD][89a-fA-F]/.test(json);
}
