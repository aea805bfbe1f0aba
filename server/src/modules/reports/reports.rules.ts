/**
 * Improvement suggestions derived by explicit rules from a unit's weakest leaves (pure, no I/O).
 *
 * A leaf is weak when its score rate (score ÷ points) is below the category's average rate. Rules, in order:
 * - `missing`   no score at all for an applicable leaf → the data are missing: report them.
 * - `severe`    ≥ 20 percentage points below the category average → list it as a supervision task.
 * - `behind`    ≥ 10 points below → a rectification plan with a deadline.
 * - `slightly`  ≥ 5 points below → keep watching, compare with the best units.
 * - below 5 points: no suggestion (noise).
 * The advice names what to do by the kind of leaf (by its name: 办结/满意/签收/督办/项目/报送…). Findings and
 * advice are written in the report's language; the leaf's name stays as configured.
 */
import type { Lang } from '../../lib/errors.js';
import type { TSuggestion, TWeakLeaf } from './reports.schema.js';

/** Points below the category average (percentage points of the leaf's full score) at which a rule fires. */
export const THRESHOLDS = { severe: 20, behind: 10, slightly: 5 } as const;

type Advice = { zh: string; en: string };

// Matched on the leaf's configured name (Chinese, or English where a year's tree is written in English).
const KIND_ADVICE: { match: RegExp; advice: Advice }[] = [
  {
    match: /办结|结案|办理|clos|handl/i,
    advice: {
      zh: '建立诉求办理台账，逐件明确办理时限和责任人，对临期件每日提醒、超期件专人跟办',
      en: 'keep a ledger of the requests with a time limit and a person responsible for each, remind daily of those near their deadline and have someone follow every overdue one',
    },
  },
  {
    match: /满意|评价|好差评|satisf|rating/i,
    advice: {
      zh: '对不满意件逐件回访，分析不满意原因并限期整改，整改结果向群众反馈',
      en: 'call back every dissatisfied requester, find the causes and correct them within a time limit, and report the result back to the public',
    },
  },
  {
    match: /签收|响应|sign|respon/i,
    advice: {
      zh: '安排专人值守工单系统，收到工单后按规定时限签收，节假日落实值班',
      en: 'have someone watch the work-order system, sign for every order within the set time, and arrange duty cover on holidays',
    },
  },
  {
    match: /督办|督查|批示|supervis|instruction/i,
    advice: {
      zh: '对照督办事项逐项倒排工期，按节点报送进展，确保按期办结',
      en: 'plan each supervised task backwards from its deadline, report progress at every milestone and complete it on time',
    },
  },
  {
    match: /项目|投资|建设|project|invest|construct/i,
    advice: {
      zh: '梳理滞后项目清单，协调解决要素保障问题，按月调度推进',
      en: 'list the projects that lag behind, resolve what holds them up, and review their progress every month',
    },
  },
  {
    match: /报送|填报|数据|信息|report|data/i,
    advice: {
      zh: '明确数据报送责任人，在截止日前完成填报并审核，杜绝迟报漏报',
      en: 'name a person responsible for the data, complete and check the submissions before the deadline, and leave no report late or missing',
    },
  },
  {
    match: /安全|事故|隐患|safety|accident|hazard/i,
    advice: {
      zh: '开展隐患排查整治，建立问题清单和整改责任清单，实行闭环管理',
      en: 'inspect for hazards and remove them, keep a list of the problems and of who fixes each, and follow every one until it is closed',
    },
  },
];
const DEFAULT_ADVICE: Advice = {
  zh: '对照指标要求和先进单位做法查找差距，制定整改措施，明确责任人和完成时限',
  en: 'compare with the indicator’s requirements and the practice of the best units to find the gaps, and set measures with a person responsible and a deadline',
};

const f1 = (x: number) => (Math.round(x * 10) / 10).toFixed(1);

/** The advice for a leaf by its name (the first matching kind, or the general advice), in the report's language. */
export function adviceFor(leafName: string, lang: Lang = 'zh'): string {
  return (KIND_ADVICE.find((k) => k.match.test(leafName))?.advice ?? DEFAULT_ADVICE)[lang];
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
export function suggest(unitName: string, leaf: TWeakLeaf, lang: Lang = 'zh'): TSuggestion | null {
  const rule = ruleOf(leaf);
  if (!rule) return null;
  const en = lang === 'en';
  const base = { rule, unitName, code: leaf.code, indicator: leaf.name };
  if (rule === 'missing')
    return en
      ? {
          ...base,
          finding: `“${leaf.name}” has no score for this period`,
          advice:
            'Submit the period’s data without delay and explain why they were missing; name a person responsible for reporting so that it does not happen again',
        }
      : {
          ...base,
          finding: `“${leaf.name}”本期没有得分数据`,
          advice: '尽快补报本期数据并说明原因；明确报送责任人，防止再次缺报',
        };
  const rate = leaf.points > 0 ? ((leaf.score ?? 0) / leaf.points) * 100 : 0;
  const finding = en
    ? `“${leaf.name}” scored ${f1(rate)}% of its points, ${f1(leaf.gap!)} percentage points below the average of similar units`
    : `“${leaf.name}”得分率 ${f1(rate)}%，低于同类单位均值 ${f1(leaf.gap!)} 个百分点`;
  const kind = adviceFor(leaf.name, lang);
  switch (rule) {
    case 'severe':
      return {
        ...base,
        finding,
        advice: en
          ? `List it as a supervision task led by the leader in charge: ${kind}`
          : `建议列入督办事项，由分管领导牵头：${kind}`,
      };
    case 'behind':
      return {
        ...base,
        finding,
        advice: en
          ? `Draw up a rectification plan with a deadline: ${kind}`
          : `建议制定整改方案并明确完成时限：${kind}`,
      };
    case 'slightly':
      return {
        ...base,
        finding,
        advice: en
          ? `Keep following it and compare with the best units of the category: ${kind}`
          : `建议持续跟踪，对标同类先进单位：${kind}`,
      };
  }
}

/** Suggestions for a unit's weak leaves, worst first, at most `limit`. */
export function suggestionsFor(
  unitName: string,
  leaves: readonly TWeakLeaf[],
  limit = 3,
  lang: Lang = 'zh',
): TSuggestion[] {
  const order = { missing: 0, severe: 1, behind: 2, slightly: 3 } as const;
  return leaves
    .map((l) => suggest(unitName, l, lang))
    .filter((s): s is TSuggestion => s !== null)
    .sort((a, b) => order[a.rule as keyof typeof order] - order[b.rule as keyof typeof order])
    .slice(0, limit);
}
