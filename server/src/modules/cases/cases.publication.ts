/**
 * Publication rules (pure): what the public interface (Open311 GET requests and updates) may show of a
 * case. A category has a rule, the strictest along its chain applies; a case type has a rule
 * (platform settings); 举报 (report) and cases an agent marked confidential are never public.
 */
import { categoryChain } from './cases.routing.js';
import { CASE_TYPES, type CaseType, type Publication } from './cases.table.js';

const RANK: Record<Publication, number> = { public: 0, limited: 1, private: 2 };

/** The strictest of the rules. */
export function strictest(...rules: Publication[]): Publication {
  return rules.reduce<Publication>((a, b) => (RANK[b] > RANK[a] ? b : a), 'public');
}

/** Publication rule of each case type; 举报 is always private. */
export type TypePublication = Record<Exclude<CaseType, 'report'>, Publication> & { report: 'private' };

/** The defaults: whistle-blowing never public, mediation (named parties) without its text. */
export const DEFAULT_TYPE_PUBLICATION: TypePublication = {
  complaint: 'public',
  help: 'public',
  consultation: 'public',
  suggestion: 'public',
  report: 'private',
  mediation: 'limited',
};

/** The type rules as stored, with defaults for what is missing and 举报 forced to private. */
export function typeRules(stored: Partial<Record<string, Publication>> | undefined): TypePublication {
  const out: TypePublication = { ...DEFAULT_TYPE_PUBLICATION };
  for (const t of CASE_TYPES) {
    const v = stored?.[t];
    if (t !== 'report' && (v === 'public' || v === 'limited' || v === 'private')) out[t] = v;
  }
  return out;
}

/** The category's effective rule: the strictest along its chain to the root. */
export function categoryPublication(
  categories: readonly { id: number; parentId: number | null; publication: Publication }[],
  id: number,
): Publication {
  return strictest(...categoryChain(categories, id).map((c) => c.publication));
}

/** What the public may see of one case. */
export function casePublication(
  c: { type: CaseType; confidential: boolean },
  categoryRule: Publication,
  types: TypePublication,
): Publication {
  if (c.confidential || c.type === 'report') return 'private';
  return strictest(categoryRule, types[c.type]);
}

/** A coordinate rounded to 3 decimals (~110 m north–south, ~95 m east–west here), for 'limited' cases. */
export function roundCoordinate(v: number | null): number | null {
  return v === null ? null : Math.round(v * 1000) / 1000;
}
