/**
 * The case queue's search box at scale (issue 19). A query takes one of three paths:
 *
 * - a case number (2 letters + 13 digits): the unique index, exact;
 * - a phone number (7–15 digits with + - ( ) and spaces, for viewers who may see phones): the
 *   normalised phone index (`xn_phone_norm`, migration 0018), so "138-0013-8000", "+86 13800138000"
 *   and "13800138000" find the same cases — over all time ("has this caller called before");
 * - anything else: a substring of the number, description or address, case-insensitive, as before
 *   (ILIKE), found through the bigram index (`xn_case_search_text`): the query's character bigrams
 *   must all be in the row's, and the ILIKE then checks the candidates, so the rows are exactly those
 *   of the substring search. Text searches look at the last DEFAULT_SEARCH_DAYS days unless the user
 *   widens the window (a `from` date, or "all time").
 *
 * A frequent word (噪音 in a fifth of all cases) is better found by walking the newest cases and
 * checking the ILIKE on each (the page fills after a few rows) than through the index (hundreds of
 * thousands of postings to read first): `forDatabase` probes the newest cases (the planner's estimate
 * for a word outside its most-common list was 15× too low) and drops the index condition for a
 * frequent word. The rows are the same either way (the ILIKE decides). Text searches count up to
 * SEARCH_COUNT_CAP ("1,000+").
 *
 * `bigrams` and `normalisePhone` mirror the SQL functions of migration 0018 (tested against them).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/** Text searches without a `from` date look this many days back. */
export const DEFAULT_SEARCH_DAYS = 90;

export type SearchPlan =
  | { kind: 'number'; number: string }
  | { kind: 'phone'; phone: string }
  | { kind: 'text'; like: string; bigrams: string[] };

/** Prefix (HJ, cases.intake's CASE_NUMBER_PREFIX) + Beijing date + 5-digit sequence. */
const NUMBER_RE = /^[A-Z]{2}\d{13}$/i;
const PHONE_CHARS_RE = /^[+＋\d０-９\s\-－()（）]+$/;

/** Digits only: full-width digits folded, separators dropped, +86 / 0086 removed (as xn_phone_norm). */
export function normalisePhone(p: string): string {
  const d = p.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48)).replace(/[^0-9]/g, '');
  if (d.startsWith('0086')) return d.slice(4);
  if (d.length === 13 && d.startsWith('86')) return d.slice(2);
  return d;
}

/** The distinct character bigrams of the text, lower-cased, none containing whitespace (as xn_bigrams). */
export function bigrams(text: string): string[] {
  const chars = [...text.toLowerCase().replace(/\s+/g, ' ')];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    if (chars[i] !== ' ' && chars[i + 1] !== ' ') out.add(chars[i] + chars[i + 1]);
  }
  return [...out];
}

/** Which path a search query takes; `phones` says whether the viewer may search by phone. */
export function planSearch(q: string, phones: boolean): SearchPlan {
  const t = q.trim();
  if (NUMBER_RE.test(t)) return { kind: 'number', number: t.toUpperCase() };
  if (phones && PHONE_CHARS_RE.test(t)) {
    const phone = normalisePhone(t);
    if (phone.length >= 7 && phone.length <= 15) return { kind: 'phone', phone };
  }
  return { kind: 'text', like: `%${t.replace(/[\\%_]/g, (m) => `\\${m}`)}%`, bigrams: bigrams(t) };
}

/** A tsquery lexeme, quoted (a quote doubled, a backslash escaped). */
function lexeme(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The tsquery text of all the bigrams (AND), or null when there are none (a 1-character query). */
export function bigramQuery(bs: readonly string[]): string | null {
  return bs.length ? bs.map(lexeme).join(' & ') : null;
}

/** The WHERE condition of a search plan on `cases` (aliased or not, through the column references given). */
export function searchCondition(plan: SearchPlan): SQL {
  switch (plan.kind) {
    case 'number':
      return sql`cases.number = ${plan.number}`;
    case 'phone':
      // The matches are read through the phone index first (an InitPlan), so the planner cannot choose
      // to walk the list's order calling xn_phone_norm on every row (its estimate for the expression
      // was 10,000 rows for a phone of 5 cases: a 35 s plan).
      return sql`cases.id = ANY(ARRAY(SELECT p.id FROM cases p WHERE p.requester_phone <> '' AND xn_phone_norm(p.requester_phone) = ${plan.phone}))`;
    case 'text': {
      const like = sql`(cases.number ILIKE ${plan.like} OR cases.description ILIKE ${plan.like} OR cases.address ILIKE ${plan.like})`;
      const tsq = bigramQuery(plan.bigrams);
      return tsq
        ? sql`(xn_case_search_text(cases.number, cases.description, cases.address) @@ ${tsq}::tsquery AND ${like})`
        : like;
    }
  }
}

/** A text search probes the newest PROBE_ROWS cases; from FREQUENT_IN_PROBE matches on, the word is frequent. */
export const PROBE_ROWS = 2000;
export const FREQUENT_IN_PROBE = 100;
/** Text searches count at most this many rows ("1,000+"): a search list is read, not counted. */
export const SEARCH_COUNT_CAP = 1000;

/**
 * A text plan as the database is best asked it: without the index condition for a frequent word (at
 * least 5 % of the newest cases match: a page fills within a few hundred rows, and 1,001 matches within
 * ~20,000), with it for rarer words (the index reads at most ~5 % of the table's postings).
 */
export async function forDatabase(db: Db, plan: SearchPlan | undefined): Promise<SearchPlan | undefined> {
  if (plan?.kind !== 'text' || !plan.bigrams.length) return plan;
  const res = (await db.execute(sql`SELECT count(*)::int AS n FROM (
      SELECT number, description, address FROM cases ORDER BY created_at DESC, id DESC LIMIT ${PROBE_ROWS}) r
    WHERE r.number ILIKE ${plan.like} OR r.description ILIKE ${plan.like} OR r.address ILIKE ${plan.like}`)) as unknown as {
    rows: { n: number | string }[];
  };
  return Number(res.rows[0]?.n ?? 0) >= FREQUENT_IN_PROBE ? { ...plan, bigrams: [] } : plan;
}
