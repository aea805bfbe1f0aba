/**
 * Improvement suggestions derived by explicit rules from a unit's weakest leaves (pure, no I/O).
 *
 * A leaf is weak when its score rate (score ÷ points) is below the category's average rate. Rules, in order:
 * - `missing`   no score at all for an applicable leaf → the data are missing: report them.
 * - `severe`    ≥ 20 percentage points below the category average → list it as a supervision task.
 * - `behind`    ≥ 10 points below → a rectification plan with a deadline.
 * - `slightly`  ≥ 5 points below → keep watching, compare with the best units.
 * - below 5 points: no suggestion (noise).
 * The advice names what to do by the kind of leaf (by its name: 办结/满意/签收/督办/项目/报送…).
 */
import type { TSuggestion, TWeakLeaf } from './reports.schema.js';

/** Points below the category average (percentage points of the leaf's full score) at which a rule fires. */
export const THRESHOLDS = { severe: 20, behind: 10, slightly: 5 } as const;

const KIND_ADVICE: { match: RegExp; advice: string }[] = [
  { match: /办结|结案|办理/, advice: '建立诉求办理台账，逐件明确办理时限和责任人，对临期件每日提醒、超期件专人跟办' },
  { match: /满意|评价|好差评/, advice: '对不满意件逐件回访，分析不满意原因并限期整改，整改结果向群众反馈' },
  { match: /签收|响应/, advice: '安排专人值守工单系统，收到工单后按规定时限签收，节假日落实值班' },
  { match: /督办|督查|批示/, advice: '对照督办事项逐项倒排工期，按节点报送进展，确保按期办结' },
  { match: /项目|投资|建设/, advice: '梳理滞后项目清单，协调解决要素保障问题，按月调度推进' },
  { match: /报送|填报|数据|信息/, advice: '明确数据报送责任人，在截止日前完成填报并审核，杜绝迟报漏报' },
  { match: /安全|事故|隐患/, advice: '开展隐患排查整治，建立问题清单和整改责任清单，实行闭环管理' },
];
const DEFAULT_ADVICE = '对照指标要求和先进单位做法查找差距，制定整改措施，明确责任人和完成时限';

const f1 = (x: number) => (Math.round(x * 10) / 10).toFixed(1);

/** The advice for a leaf by its name (the first matching kind, or the general advice). */
export function adviceFor(leafName: string): string {
  return KIND_ADVICE.find((k) => k.match.test(leafName))?.advice ?? DEFAULT_ADVICE;
}

/** The rule a weak leaf falls under, or null when it is within 5 points of the category average. */
export function ruleOf(leaf: TWeakLeaf): 'missing' | 'severe' | 'behind' | 'slightly' | null {
  if (leaf.score === null) return 'missing';
  if (leaf.gap === null) return null;
  if (leaf.gap >= THRESHOLDS.severe) return 'severe';
  if (leaf.gap >= THRESHOLDS.behind) return 'behind';
  if (leaf.gap >= THRESHOLDS.slightly) return 'slightly';
  return null;
}

/** One suggestion for a unit's weak leaf, or null when no rule fires. */
export function suggest(unitName: string, leaf: TWeakLeaf): TSuggestion | null {
  const rule = ruleOf(leaf);
  if (!rule) return null;
  const base = { rule, unitName, code: leaf.code, indicator: leaf.name };
  if (rule === 'missing')
    return {
      ...base,
      finding: `“${leaf.name}”本期没有得分数据`,
      advice: '尽快补报本期数据并说明原因；明确报送责任人，防止再次缺报',
    };
  const rate = leaf.points > 0 ? ((leaf.score ?? 0) / leaf.points) * 100 : 0;
  const finding = `“${leaf.name}”得分率 ${f1(rate)}%，低于同类单位均值 ${f1(leaf.gap!)} 个百分点`;
  const kind = adviceFor(leaf.name);
  switch (rule) {
    case 'severe':
      return { ...base, finding, advice: `建议列入督办事项，由分管领导牵头：${kind}` };
    case 'behind':
      return { ...base, finding, advice: `建议制定整改方案并明确完成时限：${kind}` };
    case 'slightly':
      return { ...base, finding, advice: `建议持续跟踪，对标同类先进单位：${kind}` };
  }
}

/** Suggestions for a unit's weak leaves, worst first, at most `limit`. */
export function suggestionsFor(unitName: string, leaves: readonly TWeakLeaf[], limit = 3): TSuggestion[] {
  const order = { missing: 0, severe: 1, behind: 2, slightly: 3 } as const;
  return leaves
    .map((l) => suggest(unitName, l))
    .filter((s): s is TSuggestion => s !== null)
    .sort((a, b) => order[a.rule as keyof typeof order] - order[b.rule as keyof typeof order])
    .slice(0, limit);
}
