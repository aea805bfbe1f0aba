/** Vocabulary of assessment years, indicators, plans and scores, shared by the server and the web app. */
import type { Names } from './names.js';

export const YEAR_STATUSES = ['draft', 'in_force', 'closed'] as const;
export type YearStatus = (typeof YEAR_STATUSES)[number];

export const YEAR_STATUS_NAMES = {
  draft: { zh: '草稿', en: 'Draft' },
  in_force: { zh: '已生效', en: 'In force' },
  closed: { zh: '已结束', en: 'Closed' },
} as const satisfies Record<YearStatus, Names>;

/**
 * Schemes (考核方案): one assessment tree of a year. Each year has its annual comprehensive scheme
 * (kind 'annual', code 'annual') and any number of special ones (专项考核) beside it.
 */
export const SCHEME_KINDS = ['annual', 'special'] as const;
export type SchemeKind = (typeof SCHEME_KINDS)[number];

export const SCHEME_KIND_NAMES = {
  annual: { zh: '年度综合考核', en: 'Annual comprehensive' },
  special: { zh: '专项考核', en: 'Special assessment' },
} as const satisfies Record<SchemeKind, Names>;

/** The periods a scheme publishes: months (the annual scheme), quarters, or half-years (and the year). */
export const SCHEME_PERIODS = ['month', 'quarter', 'half'] as const;
export type SchemePeriods = (typeof SCHEME_PERIODS)[number];

export const SCHEME_PERIOD_NAMES = {
  month: { zh: '按月（季度、半年、年度）', en: 'Monthly (quarter, half, year)' },
  quarter: { zh: '按季度和年度', en: 'Quarters and the year' },
  half: { zh: '按半年和年度', en: 'Half-years and the year' },
} as const satisfies Record<SchemePeriods, Names>;

export const PLAN_STATUSES = ['draft', 'submitted', 'returned', 'approved'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const PLAN_STATUS_NAMES = {
  draft: { zh: '编制中', en: 'Draft' },
  submitted: { zh: '待审核', en: 'Submitted' },
  returned: { zh: '已退回', en: 'Returned' },
  approved: { zh: '已批准', en: 'Approved' },
} as const satisfies Record<PlanStatus, Names>;

export const ADJUSTMENT_STATUSES = ['requested', 'approved', 'rejected'] as const;
export type AdjustmentStatus = (typeof ADJUSTMENT_STATUSES)[number];

export const ADJUSTMENT_STATUS_NAMES = {
  requested: { zh: '待审核', en: 'Requested' },
  approved: { zh: '已同意', en: 'Approved' },
  rejected: { zh: '未同意', en: 'Rejected' },
} as const satisfies Record<AdjustmentStatus, Names>;

/** How a leaf's monthly values make the year: flow values add up, cumulative ones take the last month, rates average. */
export const AGGREGATES = ['sum', 'last', 'avg'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export const AGGREGATE_NAMES = {
  sum: { zh: '逐月累加（流量）', en: 'Sum of months (flow)' },
  last: { zh: '取最新值（累计值）', en: 'Latest value (cumulative)' },
  avg: { zh: '月度平均（比率）', en: 'Average of months (rate)' },
} as const satisfies Record<Aggregate, Names>;

/** Where a leaf's input values come from. */
export const DATA_SOURCES = [
  'self_report',
  'third_party',
  'case_platform',
  'supervision',
  'evaluation',
  'special_assessment',
  'approvals',
  'mediation',
  'assistance',
  'ratings',
  'notices',
] as const;
export type DataSource = (typeof DATA_SOURCES)[number];

export const DATA_SOURCE_NAMES = {
  self_report: { zh: '单位自报', en: 'Unit self-report' },
  third_party: { zh: '第三方', en: 'Third party' },
  case_platform: { zh: '12345平台统计', en: 'Case platform' },
  supervision: { zh: '督查督办', en: 'Supervision' },
  evaluation: { zh: '评议评价', en: 'Evaluation survey' },
  special_assessment: { zh: '专项考核结果', en: 'Special assessment result' },
  approvals: { zh: '政务服务电子监察', en: 'Service approvals' },
  mediation: { zh: '调解中心', en: 'Mediation desk' },
  assistance: { zh: '求助中心', en: 'Assistance desk' },
  ratings: { zh: '政务服务好差评', en: 'Service ratings (好差评)' },
  notices: { zh: '整改/监察文书', en: 'Accountability notices' },
} as const satisfies Record<DataSource, Names>;

/** Where a stored score input came from: the data sources plus the office's manual entry. */
export const INPUT_SOURCES = [...DATA_SOURCES, 'manual'] as const;
export type InputSource = (typeof INPUT_SOURCES)[number];

export const INPUT_SOURCE_NAMES = {
  self_report: { zh: '单位填报', en: 'Unit report' },
  third_party: { zh: '第三方', en: 'Third party' },
  case_platform: { zh: '12345平台统计', en: 'Case platform' },
  supervision: { zh: '督查督办', en: 'Supervision' },
  evaluation: { zh: '评议评价', en: 'Evaluation' },
  special_assessment: { zh: '专项考核结果', en: 'Special assessment' },
  approvals: { zh: '电子监察', en: 'Service approvals' },
  mediation: { zh: '调解中心', en: 'Mediation desk' },
  assistance: { zh: '求助中心', en: 'Assistance desk' },
  ratings: { zh: '好差评', en: 'Service ratings' },
  notices: { zh: '整改/监察文书', en: 'Accountability notices' },
  manual: { zh: '绩效办录入', en: 'Office entry' },
} as const satisfies Record<InputSource, Names>;

/** Case-platform statistics a leaf can take its value from (data_source 'case_platform'), by department and period. */
export const CASE_METRICS = {
  onTimeRate: { zh: '按时办结率', en: 'On-time completion rate' },
  satisfactionRate: { zh: '满意率', en: 'Satisfaction rate' },
  resolutionRate: { zh: '解决率', en: 'Resolution rate' },
  signOnTimeRate: { zh: '按时签收率', en: 'On-time sign-for rate' },
  redoRate: { zh: '重办率', en: 'Redo rate' },
  closureRate: { zh: '结案率', en: 'Closure rate' },
  extensionCount: { zh: '申请延期次数', en: 'Extensions' },
  // Digital urban management (migration 0027), counted from the raw cases by the schemes module:
  misSignCount: { zh: '误签案件数', en: 'Wrong sign-fors' },
  misCloseCount: { zh: '误结案件数', en: 'Wrong closures' },
  replyComplaintCount: { zh: '群众对回复的投诉', en: 'Complaints about replies' },
  gridFoundCount: { zh: '主动发现问题数', en: 'Problems found proactively' },
} as const satisfies Record<string, Names>;

/** Case metrics the case statistics do not keep: the schemes module counts them from the cases (urban figures). */
export const URBAN_CASE_METRICS = ['misSignCount', 'misCloseCount', 'replyComplaintCount', 'gridFoundCount'] as const;
export type UrbanCaseMetric = (typeof URBAN_CASE_METRICS)[number];
export type CaseMetric = keyof typeof CASE_METRICS;

/** The scoring methods a leaf can use (their configuration shapes are the server's zod schemas). */
export const METHOD_KINDS = [
  'ratio',
  'bands',
  'increments',
  'rank',
  'benchmark',
  'qualitative',
  'deduction',
  'bonus',
  'veto',
  'formula',
] as const;
export type MethodKindName = (typeof METHOD_KINDS)[number];

export const METHOD_NAMES = {
  ratio: { zh: '完成比例计分', en: 'Completion ratio' },
  bands: { zh: '区间计分', en: 'Interval bands' },
  increments: { zh: '基准加减分', en: 'Baseline plus increments' },
  rank: { zh: '排名计分', en: 'Rank within category' },
  benchmark: { zh: '标杆值计分', en: 'Benchmark' },
  qualitative: { zh: '定性评价', en: 'Qualitative grade' },
  deduction: { zh: '扣分', en: 'Per-occurrence deduction' },
  bonus: { zh: '加分', en: 'Per-occurrence bonus' },
  veto: { zh: '一票否决', en: 'Veto' },
  formula: { zh: '自定义公式', en: 'Custom formula' },
} as const satisfies Record<MethodKindName, Names>;

/** The grade names (等次) a new year starts with, best first. */
export const GRADE_NAMES = ['优秀', '良好', '达标', '基本达标', '不达标'] as const;

/** How a year turns totals into grades (the server's ZGradeRule checks it). */
export type GradeRule = { by: 'threshold' | 'share'; grades: { label: string; threshold: number }[] };

/** The grade rule a new year starts with: 优秀 ≥ 90, 良好 ≥ 80, 达标 ≥ 70, 基本达标 ≥ 60, else 不达标. */
export const DEFAULT_GRADE_RULE: GradeRule = {
  by: 'threshold',
  grades: [90, 80, 70, 60, 0].map((threshold, i) => ({ label: GRADE_NAMES[i], threshold })),
};
