/** Routing (pure): which department a case should go to, from its category and the keyword/place rules. */
import { normalizeAddress } from './cases.duplicates.js';
import type { RoutingKind } from './cases.table.js';

export type CategoryNode = { id: number; parentId: number | null; defaultUnitId: number | null; active: boolean };
export type RuleNode = {
  id: number;
  kind: RoutingKind;
  pattern: string;
  categoryId: number | null;
  unitId: number;
  priority: number;
  active: boolean;
};
export type RoutingProbe = { categoryId: number; description: string; address: string };
export type RoutingHit = { unitId: number; source: 'rule' | 'category'; ruleId: number | null; matched: string };

/** The category and its ancestors, nearest first (stops on a cycle). */
export function categoryChain<T extends { id: number; parentId: number | null }>(
  categories: readonly T[],
  id: number,
): T[] {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const out: T[] = [];
  const seen = new Set<number>();
  for (let c = byId.get(id); c && !seen.has(c.id); c = c.parentId === null ? undefined : byId.get(c.parentId)) {
    seen.add(c.id);
    out.push(c);
  }
  return out;
}

/** The default department of a category: its own, else the nearest ancestor's. */
export function defaultUnitOf(categories: readonly CategoryNode[], id: number): number | null {
  for (const c of categoryChain(categories, id)) if (c.defaultUnitId !== null) return c.defaultUnitId;
  return null;
}

/** The keywords of a rule pattern: alternatives separated by | or a comma. */
export function patternTerms(pattern: string): string[] {
  return pattern
    .split(/[|,，、]/)
    .map((t) => t.trim())
    .filter(Boolean);
}

/** The term of the rule found in the probe, or null. Keyword rules look at the description, place rules at the address. */
export function ruleMatch(rule: RuleNode, probe: RoutingProbe, chainIds: ReadonlySet<number>): string | null {
  if (!rule.active) return null;
  if (rule.categoryId !== null && !chainIds.has(rule.categoryId)) return null;
  const hay =
    rule.kind === 'keyword' ? probe.description.normalize('NFKC').toLowerCase() : normalizeAddress(probe.address);
  if (!hay) return null;
  for (const term of patternTerms(rule.pattern)) {
    const needle = rule.kind === 'keyword' ? term.normalize('NFKC').toLowerCase() : normalizeAddress(term);
    if (needle && hay.includes(needle)) return term;
  }
  return null;
}

/**
 * Ranked suggestions: matching rules by priority (then the more specific category rule, then the older
 * rule), then the category's default department. Each department appears once.
 */
export function suggestUnits(
  probe: RoutingProbe,
  categories: readonly CategoryNode[],
  rules: readonly RuleNode[],
): RoutingHit[] {
  const chain = categoryChain(categories, probe.categoryId);
  const chainIds = new Set(chain.map((c) => c.id));
  const depth = (categoryId: number | null) =>
    categoryId === null ? chain.length : chain.findIndex((c) => c.id === categoryId);
  const hits = rules
    .map((r) => ({ r, term: ruleMatch(r, probe, chainIds) }))
    .filter((x): x is { r: RuleNode; term: string } => x.term !== null)
    .sort((a, b) => b.r.priority - a.r.priority || depth(a.r.categoryId) - depth(b.r.categoryId) || a.r.id - b.r.id)
    .map(({ r, term }): RoutingHit => ({ unitId: r.unitId, source: 'rule', ruleId: r.id, matched: term }));
  const fallback = defaultUnitOf(categories, probe.categoryId);
  if (fallback !== null) hits.push({ unitId: fallback, source: 'category', ruleId: null, matched: '' });
  const seen = new Set<number>();
  return hits.filter((h) => (seen.has(h.unitId) ? false : (seen.add(h.unitId), true)));
}
