/**
 * Completeness of a unit's score in a window: is its plan approved (when any of its leaves needs a
 * target), and which of its base leaves have no score (missing data or target). An incomplete unit is
 * shown as 数据不完整 with what is missing, never as a plain grade; publishing lists such units and asks
 * for a reason. Pure over a computed year; the plan statuses come from performance.
 */
import { PLAN_STATUS_NAMES, type PlanStatus } from '../../../../common/performance.js';
import type { Lang } from '../../lib/errors.js';
import type { LeafMethod } from '../../engine/index.js';
import type { Scored } from './scoring.present.js';
import type { TCompleteness, TScoreRow } from './scoring.schema.js';

/** Leaves listed by name at most (the count says how many in all). */
const MAX_LISTED = 20;

/** Whether a method scores against a target (the plan's), as the engine's explanation decides. */
function usesTarget(m: LeafMethod): boolean {
  return (
    m.kind === 'ratio' ||
    m.kind === 'increments' ||
    (m.kind === 'bands' && m.p.onCompletion) ||
    (m.kind === 'formula' && m.f.slots.has('target'))
  );
}

/** Completeness of every scored unit in window w, by unit id (`plans`: unitId → plan status). */
export function completenessOf(
  c: Scored,
  w: number,
  plans: ReadonlyMap<number, PlanStatus>,
): Map<number, Omit<TCompleteness, 'text'>> {
  const out = new Map<number, Omit<TCompleteness, 'text'>>();
  for (let u = 0; u < c.model.U; u++) out.set(c.meta.units[u].id, unitCompleteness(c, u, w, plans));
  return out;
}

/** Completeness of the unit at index u in window w (one unit's share of completenessOf). */
export function unitCompleteness(
  c: Scored,
  u: number,
  w: number,
  plans: ReadonlyMap<number, PlanStatus>,
): Omit<TCompleteness, 'text'> {
  const { meta, model, res } = c;
  const W = model.W;
  let needsPlan = false;
  let missingLeaves = 0;
  const missing: TCompleteness['missing'] = [];
  for (let i = 0; i < model.leaf.length; i++) {
    const lr = model.leaf[i];
    if (!lr || (lr.applies && lr.applies[u] !== 1)) continue;
    if (!needsPlan && usesTarget(lr.m)) needsPlan = true;
    if (lr.role !== 'base' || Number.isFinite(res.scores[i][u * W + w])) continue;
    missingLeaves++;
    if (missing.length < MAX_LISTED) {
      const mi = meta.indicators[i];
      missing.push({ indicatorId: mi.id, code: mi.code, name: mi.name });
    }
  }
  const planStatus = plans.get(meta.units[u].id) ?? 'none';
  const planApproved = !needsPlan || planStatus === 'approved';
  return { complete: planApproved && missingLeaves === 0, planStatus, planApproved, missingLeaves, missing };
}

const PLAN_NONE = { zh: '未编制', en: 'none' };

/** What is missing, as one sentence in the caller's language ('' when complete). */
export function completenessText(x: Omit<TCompleteness, 'text'>, lang: Lang): string {
  if (x.complete) return '';
  const parts: string[] = [];
  const status = x.planStatus === 'none' ? PLAN_NONE : PLAN_STATUS_NAMES[x.planStatus];
  if (!x.planApproved) parts.push(lang === 'en' ? `plan not approved (${status.en})` : `计划未批准（${status.zh}）`);
  if (x.missingLeaves > 0) {
    const names = x.missing.map((m) => (lang === 'en' ? m.code : m.name));
    const more = x.missingLeaves > names.length;
    parts.push(
      lang === 'en'
        ? `${x.missingLeaves} indicator(s) without a score: ${names.join(', ')}${more ? ', …' : ''}`
        : `${x.missingLeaves} 项指标无得分：${names.join('、')}${more ? '等' : ''}`,
    );
  }
  return (lang === 'en' ? 'Incomplete data: ' : '数据不完整：') + parts.join(lang === 'en' ? '; ' : '；');
}

/** Rows with their completeness and its text (rows of units not in `map` — e.g. old publications — stay as they are). */
export function withCompleteness<R extends TScoreRow>(
  rows: R[],
  map: ReadonlyMap<number, Omit<TCompleteness, 'text'>> | null,
  lang: Lang,
): R[] {
  return rows.map((r) => {
    const x = map?.get(r.unitId) ?? r.completeness;
    return x ? { ...r, completeness: { ...x, text: completenessText(x, lang) } } : r;
  });
}
