import type { Database } from '../../db/client.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import { DEFAULT_GRADE_RULE } from './performance.schema.js';
import { leavesFor, methodNeedsTarget } from './performance.tree.js';
import type { DataSource, TScoringMethod } from '../../engine/methods.schema.js';

/**
 * The demo indicator tree, after Beijing's 三效一创 (履职效率 / 管理效能 / 服务效果 / 创新创优, eight
 * level-2 indicators adding up to 100), with level-3 leaves using every scoring method and data source.
 */
type SeedNode = {
  code: string;
  name: string;
  points: number;
  children?: SeedNode[];
  unit?: string;
  description?: string;
  /** Category codes (ENT, PUB, GOV, SEP, STR, TWN) the node is restricted to. */
  categories?: string[];
  /** Unit code of the assessing body (考评主体). */
  assessor?: string;
  source?: DataSource;
  direction?: 'positive' | 'negative';
  aggregate?: 'sum' | 'last' | 'avg';
  caseMetric?: string;
  method?: TScoringMethod;
  /** Target (and challenge) for a unit: index i among units, street/town or department. */
  target?: (i: number, local: boolean) => [target: number, challenge: number | null];
};

const QUALITATIVE: TScoringMethod = {
  kind: 'qualitative',
  grades: [
    { label: '优秀', share: 1 },
    { label: '良好', share: 0.85 },
    { label: '一般', share: 0.7 },
    { label: '较差', share: 0.5 },
  ],
};
const DEPARTMENTS = ['ENT', 'PUB', 'GOV', 'SEP'];
const LOCAL = ['STR', 'TWN'];
/** A rate target between base and base + spread − 1 (max 100 %), with a challenge 2 points higher when there is room. */
const pct =
  (base: number, spread: number) =>
  (i: number): [number, number | null] => {
    const t = Math.min(100, base + (i % spread));
    return [t, t < 100 ? Math.min(100, t + 2) : null];
  };

export const DEMO_TREE: SeedNode[] = [
  {
    code: 'A',
    name: '履职效率',
    points: 40,
    description: '绩效责任单位履行“三定”主要职责和承担区政府重点工作任务完成情况',
    children: [
      {
        code: 'A1',
        name: '职责任务',
        points: 40,
        children: [
          {
            code: 'A1_01',
            name: '“三定”主要职责任务完成率',
            points: 10,
            unit: '%',
            aggregate: 'last',
            method: { kind: 'ratio', cap: 1, floor: 0 },
            target: () => [100, null],
          },
          {
            code: 'A1_02',
            name: '区政府重点工作任务督办完成率',
            points: 10,
            unit: '%',
            source: 'supervision',
            assessor: 'DCS',
            aggregate: 'last',
            description: '区政府督查室督办台账任务按节点完成的比例',
            method: { kind: 'ratio', cap: 1, floor: 0 },
            target: () => [100, null],
          },
          {
            code: 'A1_03',
            name: '年度核心业务指标完成率',
            points: 8,
            unit: '%',
            aggregate: 'last',
            description: '单位年度绩效计划确定的核心业务指标完成情况，超额完成最多计 120%',
            method: { kind: 'ratio', cap: 1.2, floor: 0.3 },
            target: () => [100, 110],
          },
          {
            code: 'A1_04',
            name: '为民办实事项目完成数',
            points: 6,
            unit: '件',
            aggregate: 'sum',
            method: {
              kind: 'increments',
              base: 5,
              stepPercent: 10,
              stepPoints: 0.5,
              stepPointsUnder: 1,
              min: 0,
              max: 6,
              deviation: 'relative',
            },
            target: (i, local) => (local ? [4 + (i % 4), 6 + (i % 4)] : [2 + (i % 3), 3 + (i % 3)]),
          },
          {
            code: 'A1_05',
            name: '部门专项工作推进率',
            points: 3,
            unit: '%',
            categories: DEPARTMENTS,
            aggregate: 'last',
            method: {
              kind: 'bands',
              on: 'completion',
              bands: [
                { min: 1, max: null, points: 3 },
                { min: 0.9, max: 1, points: 2.4 },
                { min: 0.8, max: 0.9, points: 1.8 },
                { min: 0.6, max: 0.8, points: 1 },
                { min: null, max: 0.6, points: 0 },
              ],
            },
            target: () => [100, null],
          },
          {
            code: 'A1_06',
            name: '网格事件按期处置率',
            points: 3,
            unit: '%',
            categories: LOCAL,
            aggregate: 'avg',
            description: '街道、乡镇网格化管理平台事件按期处置的比例',
            method: {
              kind: 'bands',
              on: 'value',
              bands: [
                { min: 98, max: null, points: 3 },
                { min: 95, max: 98, points: 2.5 },
                { min: 90, max: 95, points: 2 },
                { min: 80, max: 90, points: 1 },
                { min: null, max: 80, points: 0 },
              ],
            },
            target: () => [98, null],
          },
          {
            code: 'A1_07',
            name: '安全生产一票否决',
            points: 0,
            unit: '起',
            source: 'third_party',
            assessor: 'YJJ',
            direction: 'negative',
            description: '发生较大及以上生产安全责任事故的，年度考核等次最高为“达标”',
            method: { kind: 'veto', effect: 'cap_grade', capGrade: '达标' },
          },
          {
            code: 'A1_08',
            name: '森林防火和防汛安全一票否决',
            points: 0,
            unit: '起',
            source: 'third_party',
            assessor: 'YJJ',
            direction: 'negative',
            categories: ['TWN'],
            description: '乡镇发生重大森林火灾或防汛责任事故的，年度绩效得分记为 0',
            method: { kind: 'veto', effect: 'zero_score' },
          },
        ],
      },
    ],
  },
  {
    code: 'B',
    name: '管理效能',
    points: 15,
    description: '依法行政、行政审批、行政效能监察及公务员队伍建设情况',
    children: [
      {
        code: 'B1',
        name: '依法行政',
        points: 8,
        children: [
          {
            code: 'B1_01',
            name: '行政执法过错',
            points: 4,
            unit: '起',
            source: 'third_party',
            assessor: 'SFJ',
            direction: 'negative',
            description: '经确认的行政执法过错，每起扣 1 分，扣完为止',
            method: { kind: 'deduction', perOccurrence: 1, maxTotal: 4 },
            target: () => [0, null],
          },
          {
            code: 'B1_02',
            name: '行政复议和行政诉讼纠错',
            points: 2,
            unit: '件',
            source: 'third_party',
            assessor: 'SFJ',
            direction: 'negative',
            method: { kind: 'deduction', perOccurrence: 0.5, maxTotal: 2 },
            target: () => [0, null],
          },
          {
            code: 'B1_03',
            name: '规范性文件合法性审核率',
            points: 2,
            unit: '%',
            aggregate: 'last',
            method: { kind: 'ratio', cap: 1, floor: 0 },
            target: () => [100, null],
          },
        ],
      },
      {
        code: 'B2',
        name: '能力建设',
        points: 7,
        children: [
          {
            code: 'B2_01',
            name: '干部教育培训完成率',
            points: 1.5,
            unit: '%',
            aggregate: 'last',
            method: { kind: 'ratio', cap: 1, floor: 0 },
            target: () => [100, null],
          },
          {
            code: 'B2_02',
            name: '政务公开工作评估',
            points: 2,
            unit: '分',
            source: 'third_party',
            assessor: 'ZFB',
            aggregate: 'last',
            description: '按类别内评估得分排名计分，第一名得满分，每后移一位减 0.1 分',
            method: { kind: 'rank', stepPoints: 0.1, minPoints: 1 },
          },
          {
            code: 'B2_03',
            name: '预算执行率',
            points: 1.5,
            unit: '%',
            source: 'third_party',
            assessor: 'CZJ',
            aggregate: 'last',
            description: '以 60% 为基准值、98% 为标杆值线性计分',
            method: { kind: 'benchmark', baseline: 60, benchmark: 98 },
            target: () => [95, 98],
          },
          {
            code: 'B2_04',
            name: '审计发现问题整改率',
            points: 1,
            unit: '%',
            source: 'third_party',
            assessor: 'SJJU',
            aggregate: 'last',
            method: { kind: 'ratio', cap: 1, floor: 0 },
            target: () => [100, null],
          },
          {
            code: 'B2_05',
            name: '政务信息报送采用数',
            points: 1,
            unit: '篇',
            aggregate: 'sum',
            method: {
              kind: 'increments',
              base: 0.8,
              stepPercent: 20,
              stepPoints: 0.1,
              stepPointsUnder: 0.2,
              min: 0,
              max: 1,
              deviation: 'relative',
            },
            target: (i, local) => (local ? [10 + (i % 5), 15 + (i % 5)] : [8 + (i % 6), 12 + (i % 6)]),
          },
        ],
      },
    ],
  },
  {
    code: 'C',
    name: '服务效果',
    points: 40,
    description: '工作效果和服务对象满意度',
    children: [
      {
        code: 'C1',
        name: '服务中央',
        points: 5,
        children: [
          {
            code: 'C1_01',
            name: '驻区中央和市属单位满意度评价',
            points: 3,
            source: 'evaluation',
            assessor: 'ZFB',
            aggregate: 'last',
            method: QUALITATIVE,
          },
          {
            code: 'C1_02',
            name: '驻区单位诉求办结率',
            points: 2,
            unit: '%',
            aggregate: 'last',
            method: { kind: 'ratio', cap: 1, floor: 0 },
            target: pct(96, 4),
          },
        ],
      },
      {
        code: 'C2',
        name: '协调配合',
        points: 5,
        children: [
          {
            code: 'C2_01',
            name: '协办事项按时反馈率',
            points: 3,
            unit: '%',
            aggregate: 'avg',
            description: '达到目标值得满分；每低于目标 1 个百分点扣 0.2 分，扣完为止',
            method: {
              kind: 'formula',
              expression: 'if(value >= target, points, max(0, points - (target - value) * 0.2))',
            },
            target: () => [95, null],
          },
          {
            code: 'C2_02',
            name: '部门间协调配合评价',
            points: 2,
            source: 'evaluation',
            assessor: 'ZFB',
            aggregate: 'last',
            method: QUALITATIVE,
          },
        ],
      },
      {
        code: 'C3',
        name: '公众评价',
        points: 20,
        children: [
          {
            code: 'C3_01',
            name: '第三方群众满意度调查',
            points: 10,
            unit: '分',
            source: 'third_party',
            assessor: 'TJJ',
            aggregate: 'last',
            description: '第三方调查机构随机抽样，通过入户、电话和网络调查评价；类别内排名计分',
            method: { kind: 'rank', stepPoints: 0.4, minPoints: 6 },
          },
          {
            code: 'C3_02',
            name: '12345热线诉求按时办结率',
            points: 5,
            unit: '%',
            source: 'case_platform',
            caseMetric: 'onTimeRate',
            assessor: 'RXZX',
            aggregate: 'avg',
            method: {
              kind: 'bands',
              on: 'value',
              bands: [
                { min: 98, max: null, points: 5 },
                { min: 95, max: 98, points: 4.5 },
                { min: 90, max: 95, points: 4 },
                { min: 85, max: 90, points: 3 },
                { min: null, max: 85, points: 2 },
              ],
            },
            target: () => [98, null],
          },
          {
            code: 'C3_03',
            name: '12345热线诉求满意率',
            points: 5,
            unit: '%',
            source: 'case_platform',
            caseMetric: 'satisfactionRate',
            assessor: 'RXZX',
            aggregate: 'avg',
            description: '以 70% 为基准值、95% 为标杆值线性计分',
            method: { kind: 'benchmark', baseline: 70, benchmark: 95 },
            target: pct(88, 6),
          },
        ],
      },
      {
        code: 'C4',
        name: '领导评价',
        points: 10,
        children: [
          {
            code: 'C4_01',
            name: '区主要领导评价',
            points: 6,
            source: 'evaluation',
            assessor: 'ZFB',
            aggregate: 'last',
            method: QUALITATIVE,
          },
          {
            code: 'C4_02',
            name: '区分管领导评价',
            points: 4,
            source: 'evaluation',
            assessor: 'ZFB',
            aggregate: 'last',
            method: QUALITATIVE,
          },
        ],
      },
    ],
  },
  {
    code: 'D',
    name: '创新创优',
    points: 5,
    description: '重大工作创新成果、重要表彰奖励等情况',
    children: [
      {
        code: 'D1',
        name: '创新创优',
        points: 5,
        children: [
          {
            code: 'D1_01',
            name: '工作创新成果评审',
            points: 3,
            unit: '分',
            source: 'evaluation',
            assessor: 'JXB',
            aggregate: 'last',
            description: '区绩效办组织专家对单位申报的创新项目评审打分，按得分区间计分',
            method: {
              kind: 'bands',
              on: 'value',
              bands: [
                { min: 90, max: null, points: 3 },
                { min: 80, max: 90, points: 2.5 },
                { min: 70, max: 80, points: 2 },
                { min: 60, max: 70, points: 1 },
                { min: null, max: 60, points: 0 },
              ],
            },
          },
          {
            code: 'D1_02',
            name: '市级以上表彰奖励',
            points: 2,
            unit: '项',
            assessor: 'JXB',
            aggregate: 'sum',
            description: '获市级以上综合性表彰奖励的，每项加 0.5 分，最多加 2 分（基础分之外加分）',
            method: { kind: 'bonus', perOccurrence: 0.5, maxTotal: 2 },
            target: () => [1, 2],
          },
        ],
      },
    ],
  },
];

type Flat = SeedNode & { parentCode: string | null; level: number; sort: number };

function flatten(nodes: SeedNode[], parentCode: string | null = null, level = 1, out: Flat[] = []): Flat[] {
  nodes.forEach((n, i) => {
    out.push({ ...n, parentCode, level, sort: (i + 1) * 10 });
    if (n.children) flatten(n.children, n.code, level + 1, out);
  });
  return out;
}

/** Units and plans that stay out of "approved", so the office's review screen has work. */
const PLAN_EXCEPTIONS: Record<string, { status: 'draft' | 'submitted' | 'returned'; comment?: string }> = {
  KXW: { status: 'submitted' },
  SWJ: { status: 'submitted' },
  TZC: { status: 'submitted' },
  WLJ: { status: 'returned', comment: '“为民办实事项目完成数”目标值低于上年实绩，请结合年度重点工作上调后重新提交。' },
  ST20: { status: 'draft' },
  TW07: { status: 'draft' },
};

type UnitRow = { id: number; code: string; kind: string; category_id: number | null; category_code: string | null };

/** Inserts a year and its tree; returns code → new indicator id. */
async function insertYear(
  database: Database,
  v: { year: number; status: string; createdAt: string },
  catIds: Map<string, number>,
  unitIds: Map<string, number>,
) {
  const [{ id: yearId }] = await database.query<{ id: number }>(
    'INSERT INTO assessment_years(year, name, status, grade_rule, deadline_day, created_at) VALUES ($1,$2,$3,$4,15,$5) RETURNING id',
    [v.year, `${v.year}年度绩效考核`, v.status, JSON.stringify(DEFAULT_GRADE_RULE), v.createdAt],
  );
  const flat = flatten(DEMO_TREE);
  const ids = new Map<string, number>();
  for (const level of [...new Set(flat.map((n) => n.level))].sort()) {
    const rows = flat.filter((n) => n.level === level);
    const params: unknown[] = [];
    const values = rows.map((n) => {
      const applies = { categoryIds: (n.categories ?? []).map((c) => catIds.get(c)!), unitIds: [] as number[] };
      const row = [
        yearId,
        n.parentCode ? ids.get(n.parentCode)! : null,
        n.code,
        n.name,
        level,
        n.points,
        n.sort,
        n.unit ?? '',
        n.description ?? '',
        JSON.stringify(applies),
        n.assessor ? unitIds.get(n.assessor)! : null,
        n.source ?? 'self_report',
        n.direction ?? 'positive',
        n.children ? null : JSON.stringify(n.method),
        n.aggregate ?? 'sum',
        n.caseMetric ?? null,
      ];
      const base = params.length;
      params.push(...row);
      return `(${row.map((_, k) => `$${base + k + 1}`).join(',')})`;
    });
    const inserted = await database.query<{ id: number; code: string }>(
      `INSERT INTO indicators(year_id, parent_id, code, name, level, points, sort, unit_of_measure, description, applies_to,
         assessing_unit_id, data_source, direction, method, aggregate, case_metric) VALUES ${values.join(',')} RETURNING id, code`,
      params,
    );
    for (const r of inserted) ids.set(r.code, r.id);
  }
  return { yearId, ids, flat };
}

/** Bulk insert in chunks with positional parameters. */
async function insertRows(
  database: Database,
  table: string,
  columns: string[],
  rows: unknown[][],
  returning = '',
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += 400) {
    const chunk = rows.slice(i, i + 400);
    const params: unknown[] = [];
    const values = chunk.map((r) => {
      const base = params.length;
      params.push(...r);
      return `(${r.map((_, k) => `$${base + k + 1}`).join(',')})`;
    });
    out.push(
      ...(await database.query(
        `INSERT INTO ${table}(${columns.join(',')}) VALUES ${values.join(',')}${returning ? ` RETURNING ${returning}` : ''}`,
        params,
      )),
    );
  }
  return out;
}

/**
 * Demo performance configuration: 2026 in force (三效一创 tree, 27 leaves, plans for every unit with a
 * category — most approved, a few submitted / returned / draft, adjustment history), and 2025 closed
 * with the same tree and approved plans, for year-on-year comparison.
 */
export async function seedPerformance(database: Database): Promise<void> {
  const q = database.query.bind(database);
  const cats = await q<{ id: number; code: string }>('SELECT id, code FROM unit_categories');
  const catIds = new Map(cats.map((c) => [c.code, c.id]));
  const units = await q<UnitRow>(
    `SELECT u.id, u.code, u.kind, u.category_id, c.code AS category_code FROM units u LEFT JOIN unit_categories c ON c.id = u.category_id WHERE u.active ORDER BY u.sort, u.id`,
  );
  const unitIds = new Map(units.map((u) => [u.code, u.id]));
  const userIds = new Map(
    (await q<{ id: number; username: string }>('SELECT id, username FROM users')).map((u) => [u.username, u.id]),
  );
  const officeId = userIds.get('office') ?? null;

  let plans = 0;
  let targets = 0;
  for (const spec of [
    {
      year: 2025,
      status: 'closed',
      createdAt: '2024-12-10T02:00:00Z',
      submitted: '2025-01-15T02:00:00Z',
      approved: '2025-01-24T07:00:00Z',
      drift: -2,
    },
    {
      year: 2026,
      status: 'in_force',
      createdAt: '2025-12-08T02:00:00Z',
      submitted: '2026-01-14T02:00:00Z',
      approved: '2026-01-23T07:00:00Z',
      drift: 0,
    },
  ]) {
    const { yearId, ids, flat } = await insertYear(database, spec, catIds, unitIds);
    const nodes = flat.map((n) => ({
      id: ids.get(n.code)!,
      parentId: n.parentCode ? ids.get(n.parentCode)! : null,
      appliesTo: { categoryIds: (n.categories ?? []).map((c) => catIds.get(c)!), unitIds: [] },
      seed: n,
    }));
    const assessed = units.filter((u) => u.category_id !== null);
    const planRows = assessed.map((u) => {
      const ex = spec.year === 2026 ? PLAN_EXCEPTIONS[u.code] : undefined;
      const status = ex?.status ?? 'approved';
      const submitted = status === 'draft' ? null : spec.submitted;
      const reviewed = status === 'approved' || status === 'returned' ? spec.approved : null;
      const submittedBy = submitted ? (userIds.get(`${u.code.toLowerCase()}_leader`) ?? null) : null;
      return [
        yearId,
        u.id,
        status,
        submittedBy,
        submitted,
        reviewed ? officeId : null,
        reviewed,
        ex?.comment ?? (status === 'approved' ? '同意' : null),
      ];
    });
    const inserted = (await insertRows(
      database,
      'performance_plans',
      ['year_id', 'unit_id', 'status', 'submitted_by', 'submitted_at', 'reviewed_by', 'reviewed_at', 'review_comment'],
      planRows,
      'id, unit_id',
    )) as { id: number; unit_id: number }[];
    const planByUnit = new Map(inserted.map((r) => [r.unit_id, r.id]));
    plans += inserted.length;

    const targetRows: unknown[][] = [];
    assessed.forEach((u, i) => {
      const local = u.kind === 'street' || u.kind === 'town';
      const draft = spec.year === 2026 && PLAN_EXCEPTIONS[u.code]?.status === 'draft';
      for (const [k, leaf] of leavesFor({ id: u.id, categoryId: u.category_id }, nodes).entries()) {
        const gen = leaf.seed.target;
        if (!gen) continue;
        // Draft plans of 2026 are only half filled in.
        if (draft && methodNeedsTarget(leaf.seed.method ?? null) && k % 2 === 1) continue;
        let [target, challenge] = gen(i, local);
        if (spec.drift && leaf.seed.unit !== '%' && target > 2) target += spec.drift;
        if (spec.drift && challenge !== null && leaf.seed.unit !== '%' && challenge > 2) challenge += spec.drift;
        targetRows.push([planByUnit.get(u.id), leaf.id, target, challenge, '']);
      }
    });
    await insertRows(database, 'plan_targets', ['plan_id', 'indicator_id', 'target', 'challenge', 'note'], targetRows);
    targets += targetRows.length;

    if (spec.year === 2026) {
      // Adjustment history: one approved (the target already changed), one waiting for the office.
      const fgwPlan = planByUnit.get(unitIds.get('FGW')!);
      const cgjPlan = planByUnit.get(unitIds.get('CGJ')!);
      const a104 = ids.get('A1_04')!;
      if (fgwPlan) {
        const [cur] = await q<{ target: string; challenge: string | null }>(
          'SELECT target::text, challenge::text FROM plan_targets WHERE plan_id = $1 AND indicator_id = $2',
          [fgwPlan, a104],
        );
        if (cur) {
          const newTarget = Number(cur.target) + 1;
          await q('UPDATE plan_targets SET target = $3 WHERE plan_id = $1 AND indicator_id = $2', [
            fgwPlan,
            a104,
            newTarget,
          ]);
          await q(
            `INSERT INTO plan_adjustments(plan_id, indicator_id, old_target, new_target, old_challenge, new_challenge, reason, status, requested_by, requested_at, decided_by, decided_at, decision_comment)
             VALUES ($1,$2,$3,$4,$5,$5,$6,'approved',$7,'2026-04-08T02:00:00Z',$8,'2026-04-12T07:00:00Z',$9)`,
            [
              fgwPlan,
              a104,
              cur.target,
              newTarget,
              cur.challenge,
              '区政府常务会议新增“老旧小区加装电梯”民生实事项目，由我委牵头推进。',
              userIds.get('fgw_leader') ?? null,
              officeId,
              '同意，按新增任务调整。',
            ],
          );
        }
      }
      if (cgjPlan) {
        const a103 = ids.get('A1_03')!;
        await q(
          `INSERT INTO plan_adjustments(plan_id, indicator_id, old_target, new_target, old_challenge, new_challenge, reason, status, requested_by, requested_at)
           VALUES ($1,$2,100,95,110,105,$3,'requested',$4,'2026-06-18T03:00:00Z')`,
          [
            cgjPlan,
            a103,
            '受汛期影响，城区道路综合整治工程工期顺延，申请将核心业务指标目标值调整为 95%。',
            userIds.get('cgj_leader') ?? null,
          ],
        );
      }
    }
  }

  await database.db.transaction(async (tx) => {
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.performance',
      entityType: 'seed',
      entityId: 'performance',
      after: { years: [2025, 2026], indicatorsPerYear: flatten(DEMO_TREE).length, plans, targets },
    });
  });
}
