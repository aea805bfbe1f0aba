/**
 * The demo's 2026 urban-management assessment (信息化城市管理监督评价考核), after Haidian's 2008 scheme:
 * the 区监察委员会 (assessing body) and the 城市管理监督指挥中心 assess the 20 streets, 7 towns and the
 * city-management departments every half-year and year, 百分制 with 效能等级 A/B/C/D.
 * - 内部评价 from the cases: 及时率, 及时签收, 结案率, 申请延期 (case statistics), 误签, 误结, 群众对回复的
 *   投诉, 主动发现 (counted from the cases: grid cases get the unit that found them, the supervision
 *   centre's marks on a sample of handled cases);
 * - 外部评价: 自查 (self-check reports through a data-collection form), 不定期抽查 (spot checks by the
 *   assessing body), 社会监督评价 (an `evaluation` leaf: the evaluation module's seed `evaluation-urban`
 *   runs the deputies', members' and special supervisors' campaign and closes it into the leaf).
 * `seedUrbanPublication` (after that campaign) publishes the first half-year, and the annual scheme's
 * 网格事件 leaf (A1_06) takes the result in.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { rng } from '../../engine/random.js';
import { SYSTEM_ACTOR, type Ctx } from '../../lib/context.js';
import { hashPassword } from '../../lib/passwords.js';
import { recordAudit } from '../audit/index.js';
import { rebuildCaseStats, syncCaseScoreInputs } from '../casestats/index.js';
import { bumpScoreVersion, upsertScoreInputs, type ScoreInputWrite } from '../inputs/index.js';
import { checkYear, getYearByYear } from '../performance/index.js';
import { publishScores } from '../scoring/index.js';
import { DEMO_PASSWORD } from '../users/index.js';
import { syncUrbanInputs } from './schemes.service.js';

const CITY_DEPARTMENTS = ['CGJ', 'ZJJ', 'JTJ', 'SWUJ', 'STHJ', 'FGJ'];

/** 部件 / 事件 of the demo's case categories, with the standard's class codes. */
const URBAN_CLASSES: [code: string, cls: 'component' | 'event', urbanCode: string][] = [
  ['SRHW01', 'event', '0501'], // 街面秩序：占道经营
  ['SRHW02', 'event', '0301'], // 施工管理：违法建设
  ['SRHW03', 'event', '0101'], // 市容环境：暴露垃圾
  ['SRHW04', 'event', '0106'], // 市容环境：餐饮油烟
  ['SRHW05', 'event', '0201'], // 宣传广告：户外广告
  ['DLJT02', 'event', '0505'], // 街面秩序：违章停车
  ['ZYRM01', 'event', '0305'], // 施工管理：施工扰民
  ['DLJT01', 'component', '0201'], // 道路交通：路面
  ['DLJT04', 'component', '0203'], // 道路交通：交通信号灯
  ['GSGD03', 'component', '0101'], // 公用设施：雨水箅子、检查井
];

type Node = {
  code: string;
  name: string;
  points: number;
  source?: string;
  caseMetric?: string;
  aggregate?: string;
  direction?: string;
  method?: Record<string, unknown>;
  description?: string;
  children?: Node[];
};

const rate = (baseline: number) => ({ kind: 'benchmark', baseline, benchmark: 100 });
const TREE: Node[] = [
  {
    code: 'NB',
    name: '内部评价',
    points: 60,
    children: [
      {
        code: 'NB1',
        name: '工作效率',
        points: 25,
        children: [
          {
            code: 'NB1_01',
            name: '及时率',
            points: 10,
            source: 'case_platform',
            caseMetric: 'onTimeRate',
            aggregate: 'avg',
            method: rate(60),
          },
          {
            code: 'NB1_02',
            name: '及时签收、转发',
            points: 10,
            source: 'case_platform',
            caseMetric: 'signOnTimeRate',
            aggregate: 'avg',
            method: rate(60),
          },
          {
            code: 'NB1_03',
            name: '主动发现问题（城管监督分中心）',
            points: 5,
            source: 'case_platform',
            caseMetric: 'gridFoundCount',
            aggregate: 'sum',
            method: { kind: 'benchmark', baseline: 0, benchmark: 6 },
          },
        ],
      },
      {
        code: 'NB2',
        name: '工作质量',
        points: 35,
        children: [
          {
            code: 'NB2_01',
            name: '结案率',
            points: 15,
            source: 'case_platform',
            caseMetric: 'closureRate',
            aggregate: 'avg',
            method: rate(60),
          },
          {
            code: 'NB2_02',
            name: '申请延期办理',
            points: 5,
            source: 'case_platform',
            caseMetric: 'extensionCount',
            aggregate: 'sum',
            direction: 'negative',
            method: { kind: 'deduction', perOccurrence: 0.5, maxTotal: 5 },
          },
          {
            code: 'NB2_03',
            name: '误签案件',
            points: 5,
            source: 'case_platform',
            caseMetric: 'misSignCount',
            aggregate: 'sum',
            direction: 'negative',
            method: { kind: 'deduction', perOccurrence: 1, maxTotal: 5 },
          },
          {
            code: 'NB2_04',
            name: '误结案件',
            points: 5,
            source: 'case_platform',
            caseMetric: 'misCloseCount',
            aggregate: 'sum',
            direction: 'negative',
            method: { kind: 'deduction', perOccurrence: 1, maxTotal: 5 },
          },
          {
            code: 'NB2_05',
            name: '群众对回复的投诉',
            points: 5,
            source: 'case_platform',
            caseMetric: 'replyComplaintCount',
            aggregate: 'sum',
            direction: 'negative',
            method: { kind: 'deduction', perOccurrence: 1, maxTotal: 5 },
          },
        ],
      },
    ],
  },
  {
    code: 'WB',
    name: '外部评价',
    points: 40,
    children: [
      {
        code: 'WB1',
        name: '自查（领导重视及软硬件配备）',
        points: 10,
        source: 'self_report',
        aggregate: 'last',
        method: rate(0),
        description: '被考核单位报送半年自查报告，附台账材料',
      },
      {
        code: 'WB2',
        name: '不定期抽查',
        points: 15,
        source: 'third_party',
        aggregate: 'avg',
        method: rate(0),
        description: '考核检查组不定期实地抽查，记录问题并打分',
      },
      {
        code: 'WB3',
        name: '社会监督评价',
        points: 15,
        source: 'evaluation',
        aggregate: 'last',
        method: rate(0),
        description: '人大代表、政协委员、特约监督员评议（评议活动结果，百分制平均分）',
      },
    ],
  },
];

const FINDINGS = [
  '主次干道两侧无暴露垃圾，果皮箱清洁',
  '发现 2 处占道经营未及时劝离',
  '井盖缺失 1 处已设置警示，未按时修复',
  '背街小巷有乱堆乱放现象',
  '户外广告设置规范，无违规张贴',
  '施工工地围挡破损，扬尘防控不到位',
  '公厕保洁到位，设施完好',
  '非机动车乱停放较多',
];

export type SeedUnit = { id: number; code: string; kind: string; category_id: number | null };

/**
 * The 12345 demo dispatches work to ten streets and some departments only; the other streets, the towns
 * and a department assessed here had no case work, so their 及时率 / 签收率 / 结案率 had no data. Their
 * grid workers' and the supervision centre's problems of 2026 (主动发现, 部件/事件) are seeded as cases
 * of their own: each takes a third of the 2026 cases of a street (or department) of the same kind —
 * whole timelines (dispatch, sign-for, report, verification, feedback; late ones stay late) with the
 * unit put in that street's place — and the case statistics are rebuilt from the timeline.
 */
export async function seedGridCases(database: Database, assessed: readonly SeedUnit[]): Promise<void> {
  const q = database.query.bind(database);
  const withWork = new Set(
    (
      await q<{ unit_id: number }>(
        `SELECT DISTINCT lead_unit_id AS unit_id FROM cases WHERE lead_unit_id = ANY($1::int[]) AND created_at >= '2026-01-01'`,
        [assessed.map((u) => u.id)],
      )
    ).map((r) => r.unit_id),
  );
  const local = (u: SeedUnit) => u.kind === 'street' || u.kind === 'town';
  const twins = (u: SeedUnit) => assessed.filter((x) => withWork.has(x.id) && local(x) === local(u));
  const pairs = assessed
    .filter((u) => !withWork.has(u.id) && twins(u).length)
    .map((u, i) => ({ unit: u.id, src: twins(u)[i % twins(u).length].id }));
  if (!pairs.length) return;
  await q(`DROP TABLE IF EXISTS xn_seed_clone, xn_seed_clone_d`);
  await q(
    `CREATE TEMP TABLE xn_seed_clone AS
     SELECT c.id AS src_id, m.unit AS unit_id, c.lead_unit_id AS src_unit,
            nextval(pg_get_serial_sequence('cases', 'id'))::int AS new_id, row_number() OVER (ORDER BY m.unit, c.id)::int AS seq
     FROM json_to_recordset($1::json) AS m(unit int, src int)
     JOIN cases c ON c.lead_unit_id = m.src AND c.created_at >= '2026-01-01' AND c.main_case_id IS NULL AND c.id % 3 = m.unit % 3`,
    [JSON.stringify(pairs)],
  );
  await q(
    `CREATE TEMP TABLE xn_seed_clone_d AS
     SELECT d.id AS src_id, k.new_id AS case_id, nextval(pg_get_serial_sequence('case_dispatches', 'id'))::int AS new_id
     FROM xn_seed_clone k JOIN case_dispatches d ON d.case_id = k.src_id`,
  );
  await q(
    `INSERT INTO cases
     SELECT (jsonb_populate_record(NULL::cases, to_jsonb(c) || jsonb_build_object(
       'id', k.new_id,
       'number', 'HJ' || substr(c.number, 3, 8) || lpad((90000 + k.seq)::text, 5, '0'),
       'lead_unit_id', k.unit_id,
       'found_by_unit_id', NULL,
       'address', u.name || '辖区（网格巡查发现）',
       'address_norm', u.name || '辖区',
       'lat', NULL, 'lng', NULL, 'external_ref', NULL))).*
     FROM xn_seed_clone k JOIN cases c ON c.id = k.src_id JOIN units u ON u.id = k.unit_id`,
  );
  await q(
    `INSERT INTO case_dispatches
     SELECT (jsonb_populate_record(NULL::case_dispatches, to_jsonb(d) || jsonb_build_object(
       'id', m.new_id, 'case_id', m.case_id,
       'unit_id', CASE WHEN d.unit_id = k.src_unit THEN k.unit_id ELSE d.unit_id END,
       'dispatched_by', NULL,
       'signed_by', CASE WHEN d.unit_id = k.src_unit THEN NULL ELSE d.signed_by END,
       'reported_by', CASE WHEN d.unit_id = k.src_unit THEN NULL ELSE d.reported_by END))).*
     FROM xn_seed_clone_d m JOIN case_dispatches d ON d.id = m.src_id JOIN xn_seed_clone k ON k.new_id = m.case_id`,
  );
  await q(
    `INSERT INTO case_events
     SELECT (jsonb_populate_record(NULL::case_events, to_jsonb(e) || jsonb_build_object(
       'id', nextval(pg_get_serial_sequence('case_events', 'id')),
       'case_id', k.new_id,
       'unit_id', CASE WHEN e.unit_id = k.src_unit THEN k.unit_id ELSE e.unit_id END,
       'dispatch_id', m.new_id,
       'actor_id', CASE WHEN e.unit_id = k.src_unit THEN NULL ELSE e.actor_id END,
       'actor_name', CASE WHEN e.unit_id = k.src_unit THEN u.name || '承办员' ELSE e.actor_name END,
       'payload', CASE WHEN (e.payload->>'leadUnitId') = k.src_unit::text
                       THEN e.payload || jsonb_build_object('leadUnitId', k.unit_id) ELSE e.payload END))).*
     FROM xn_seed_clone k JOIN case_events e ON e.case_id = k.src_id JOIN units u ON u.id = k.unit_id
     LEFT JOIN xn_seed_clone_d m ON m.src_id = e.dispatch_id
     ORDER BY e.id`,
  );
  await q(`DROP TABLE xn_seed_clone, xn_seed_clone_d`);
  await rebuildCaseStats(database.db, SYSTEM_ACTOR);
}

export async function seedSchemes(database: Database): Promise<void> {
  const db = database.db;
  const q = database.query.bind(database);
  const annual = await getYearByYear(db, 2026);
  if (!annual || (await getYearByYear(db, 2026, 'urban'))) return;
  const units = await q<SeedUnit>('SELECT id, code, kind, category_id FROM units WHERE active');
  const byCode = new Map(units.map((u) => [u.code, u]));
  const cats = await q<{ id: number; code: string }>('SELECT id, code FROM unit_categories');
  const catId = (c: string) => cats.find((x) => x.code === c)?.id;
  const jcy = byCode.get('JCY');
  const [office] = await q<{ id: number; display_name: string; unit_id: number }>(
    `SELECT id, display_name, unit_id FROM users WHERE username = 'office'`,
  );
  if (!jcy || !office || !catId('STR')) return;
  const assessed = units.filter((u) => u.kind === 'street' || u.kind === 'town' || CITY_DEPARTMENTS.includes(u.code));
  const gen = rng(20260627);
  const rand = () => gen.next();

  // ---------- the scheme and its tree ----------
  const [scheme] = await q<{ id: number }>(
    `INSERT INTO assessment_years(year, name, status, grade_rule, deadline_day, kind, code, assessing_unit_id, periods, units_assessed, methods, created_at)
     VALUES (2026, '2026年信息化城市管理监督评价考核', 'draft', $1, 15, 'special', 'urban', $2, 'half', $3, $4, '2026-01-08T02:00:00Z') RETURNING id`,
    [
      JSON.stringify({
        by: 'threshold',
        grades: [
          { label: 'A', threshold: 90 },
          { label: 'B', threshold: 80 },
          { label: 'C', threshold: 70 },
          { label: 'D', threshold: 0 },
        ],
      }),
      jcy.id,
      JSON.stringify({
        categoryIds: [catId('STR'), catId('TWN')].filter(Boolean),
        unitIds: CITY_DEPARTMENTS.map((c) => byCode.get(c)?.id).filter(Boolean),
      }),
      '自查、抽查考核、会议考核；内部评价依托信息化城市管理系统，外部评价由区监察委员会组织',
    ],
  );
  const leafIds = new Map<string, number>();
  const insertNode = async (n: Node, parentId: number | null, level: number, sort: number) => {
    const [row] = await q<{ id: number }>(
      `INSERT INTO indicators(year_id, parent_id, code, name, level, points, sort, description, applies_to, assessing_unit_id, data_source, direction, method, aggregate, case_metric)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'{"categoryIds":[],"unitIds":[]}'::jsonb,$9,$10,$11,$12,$13,$14) RETURNING id`,
      [
        scheme.id,
        parentId,
        n.code,
        n.name,
        level,
        n.points,
        sort,
        n.description ?? '',
        n.source === 'third_party' || n.source === 'evaluation' ? jcy.id : null,
        n.source ?? 'self_report',
        n.direction ?? 'positive',
        n.method ? JSON.stringify(n.method) : null,
        n.aggregate ?? 'sum',
        n.caseMetric ?? null,
      ],
    );
    if (!n.children) leafIds.set(n.code, row.id);
    for (const [i, c] of (n.children ?? []).entries()) await insertNode(c, row.id, level + 1, (i + 1) * 10);
  };
  for (const [i, n] of TREE.entries()) await insertNode(n, null, 1, (i + 1) * 10);
  const problems = await checkYear(db, scheme.id);
  if (problems.length) throw new Error(`urban scheme: ${problems[0].code} ${problems[0].message}`);
  await q(`UPDATE assessment_years SET status = 'in_force' WHERE id = $1`, [scheme.id]);
  // The self-check report form (自查), reported per half-year like the scheme (periods 2026-06, 2026-12):
  // a score and a summary with evidence.
  await q(
    'INSERT INTO indicator_forms(indicator_id, definition, version, updated_by, updated_at) VALUES ($1, $2, 1, $3, $4)',
    [
      leafIds.get('WB1'),
      JSON.stringify({
        fields: [
          {
            key: 'score',
            label: '自评得分',
            type: 'number',
            required: true,
            min: 0,
            max: 100,
            unit: '分',
            help: '',
            cumulative: false,
            options: [],
          },
          {
            key: 'summary',
            label: '自查总结',
            type: 'text',
            required: true,
            min: null,
            max: null,
            unit: '',
            help: '本半年领导重视、软硬件配备、问题整改情况（半年报送：上半年报 6 月，下半年报 12 月）',
            cumulative: false,
            options: [],
          },
        ],
        rules: [],
        scoreField: 'score',
        scoreFormula: null,
      }),
      office.id,
      '2026-01-08T02:00:00Z',
    ],
  );

  // ---------- case platform: 部件/事件, grid finders, the supervision centre's marks ----------
  for (const [code, cls, urbanCode] of URBAN_CLASSES)
    await q('UPDATE case_categories SET urban_class = $1, urban_code = $2 WHERE code = $3', [cls, urbanCode, code]);
  await seedGridCases(database, assessed);
  const streets = assessed.filter((u) => u.kind === 'street' || u.kind === 'town').map((u) => u.id);
  await q(
    // A street's or town's grid cases were found by its own grid workers; of a department's, those its own
    // supervision sub-centre (城管监督分中心) found (every other one) and the rest the streets' grid workers.
    `UPDATE cases c SET found_by_unit_id = CASE WHEN u.kind IN ('street','town') OR c.id % 2 = 0 THEN c.lead_unit_id
        ELSE ($1::int[])[1 + (c.id % array_length($1::int[], 1))] END
     FROM units u WHERE c.channel = 'grid' AND u.id = c.lead_unit_id`,
    [streets],
  );
  const handled = await q<{ id: number; unit_id: number; at: string; closed: boolean; unsatisfied: boolean }>(
    `SELECT c.id, c.lead_unit_id AS unit_id, coalesce(c.closed_at, c.signed_at, c.dispatched_at)::text AS at,
            c.closed_at IS NOT NULL AS closed, c.feedback_rating = 'unsatisfied' AS unsatisfied
     FROM cases c WHERE c.lead_unit_id = ANY($1::int[]) AND c.dispatched_at IS NOT NULL
       AND c.dispatched_at >= '2026-01-01' ORDER BY c.id`,
    [assessed.map((u) => u.id)],
  );
  const marks: [number, number, string, string, string][] = [];
  for (const c of handled) {
    const r = rand();
    // The supervision centre marks about 1 % of handled cases as 误签 and 1 % as 误结 (a busy street with
    // 170 cases in a half-year gets two or three; 3 % and 2 % had every busy unit at the deduction cap).
    if (r < 0.012) marks.push([c.id, c.unit_id, 'mis_sign', '非本单位职责范围，签收后未及时退回', c.at]);
    else if (r < 0.022 && c.closed) marks.push([c.id, c.unit_id, 'mis_close', '核查发现问题未实际解决即结案', c.at]);
    else if (r < 0.042 && c.unsatisfied)
      marks.push([c.id, c.unit_id, 'reply_complaint', '群众对答复内容不满意，再次投诉', c.at]);
  }
  if (marks.length) {
    await q(
      `INSERT INTO case_marks(case_id, unit_id, kind, note, recorded_by, recorded_by_name, recorded_at)
       SELECT (m->>0)::int, (m->>1)::int, m->>2, m->>3, NULL, '城市管理监督指挥中心', (m->>4)::timestamptz + interval '1 day'
       FROM json_array_elements($1::json) m`,
      [JSON.stringify(marks)],
    );
  }

  // ---------- the assessing body's account, spot checks, self-checks, social supervision ----------
  const hash = await hashPassword(DEMO_PASSWORD);
  const [assessor] = await q<{ id: number }>(
    `INSERT INTO users(username, display_name, password_hash, unit_id, phone) VALUES ('jcw_assessor', '赵监察（区监察委员会）', $1, $2, '13800009901')
     ON CONFLICT (username) DO UPDATE SET unit_id = excluded.unit_id RETURNING id`,
    [hash, jcy.id],
  );
  await q(`INSERT INTO user_roles(user_id, role) VALUES ($1, 'assessor') ON CONFLICT DO NOTHING`, [assessor.id]);

  // How well a unit keeps its area: what the inspectors find on the spot follows, loosely, how the unit
  // handles its cases (the share of its first-half cases reported within the time limit, ranked among
  // the units assessed): the best-run about 0.98, the weakest about 0.76, with each unit's own noise.
  const onTime = await q<{ unit_id: number; share: number }>(
    `SELECT lead_unit_id AS unit_id, avg(CASE WHEN reported_at <= deadline THEN 1 ELSE 0 END)::float8 AS share
     FROM cases WHERE lead_unit_id = ANY($1::int[]) AND dispatched_at >= '2026-01-01' AND dispatched_at < '2026-07-01'
     GROUP BY lead_unit_id`,
    [assessed.map((u) => u.id)],
  );
  const ranked = [...onTime].sort((a, b) => a.share - b.share).map((r) => r.unit_id);
  const standing = (unitId: number) =>
    ranked.length > 1 && ranked.includes(unitId) ? ranked.indexOf(unitId) / (ranked.length - 1) : 0.5;
  const inputs: ScoreInputWrite[] = [];
  const checks: unknown[][] = [];
  for (const u of assessed) {
    const quality = Math.min(1, 0.76 + 0.22 * standing(u.id) + (rand() - 0.5) * 0.1);
    const byMonth = new Map<string, number[]>();
    const n = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < n; k++) {
      const month = 3 + Math.floor(rand() * 4); // March–June
      const day = 3 + Math.floor(rand() * 24);
      const score = Math.round(Math.min(100, quality * 100 + (rand() - 0.5) * 20));
      const on = `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      checks.push([
        scheme.id,
        leafIds.get('WB2'),
        u.id,
        on,
        '辖区主次干道及背街小巷',
        FINDINGS[Math.floor(rand() * FINDINGS.length)],
        score,
        assessor.id,
        '赵监察（区监察委员会）',
      ]);
      const key = on.slice(0, 7);
      byMonth.set(key, [...(byMonth.get(key) ?? []), score]);
    }
    for (const [month, scores] of byMonth)
      inputs.push({
        yearId: scheme.id,
        indicatorId: leafIds.get('WB2')!,
        unitId: u.id,
        period: month,
        value: Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100,
        source: 'third_party',
        sourceRef: 'spot_check:seed',
        enteredBy: assessor.id,
        enteredByName: '赵监察（区监察委员会）',
        enteredAt: new Date(`${month}-28T08:00:00Z`),
      });
  }
  const spotRows = await q<{ id: number; unit_id: number; checked_on: string }>(
    `INSERT INTO spot_checks(year_id, indicator_id, unit_id, checked_on, location, findings, score, checked_by, checked_by_name, created_at)
     SELECT (r->>0)::int, (r->>1)::int, (r->>2)::int, (r->>3)::date, r->>4, r->>5, (r->>6)::numeric, (r->>7)::int, r->>8, (r->>3)::timestamptz + interval '10 hours'
     FROM json_array_elements($1::json) r RETURNING id, unit_id, to_char(checked_on, 'YYYY-MM') AS checked_on`,
    [JSON.stringify(checks)],
  );
  for (const inp of inputs) {
    if (inp.sourceRef !== 'spot_check:seed') continue;
    inp.sourceRef = `spot_check:${spotRows
      .filter((r) => r.unit_id === inp.unitId && r.checked_on === inp.period)
      .map((r) => r.id)
      .join(',')}`;
  }
  // First-half-year self-check reports (自查, period 2026-06), accepted through data collection.
  const selfRows = assessed.map((u) => {
    // Self-assessments run high, a little higher where the unit is in better order.
    const score = Math.round(84 + 8 * standing(u.id) + rand() * 6);
    return [
      scheme.id,
      leafIds.get('WB1'),
      u.id,
      score,
      JSON.stringify({ score, summary: '成立城市管理工作领导小组，配备专职监督员，网格全覆盖；上半年问题均已整改' }),
    ];
  });
  const subs = await q<{ id: number; unit_id: number; value: number }>(
    `INSERT INTO submissions(year_id, indicator_id, unit_id, period, source, status, value, fields, form_version, entered_by_name, entered_at, first_submitted_at, submitted_at, accepted_by, accepted_at, created_at, updated_at)
     SELECT (r->>0)::int, (r->>1)::int, (r->>2)::int, '2026-06', 'self_report', 'accepted', (r->>3)::numeric, (r->>4)::jsonb, 1, '单位填报员',
            '2026-07-03T02:00:00Z', '2026-07-03T02:00:00Z', '2026-07-03T02:00:00Z', $2, '2026-07-06T02:00:00Z', '2026-07-03T02:00:00Z', '2026-07-06T02:00:00Z'
     FROM json_array_elements($1::json) r RETURNING id, unit_id, value::float8 AS value`,
    [JSON.stringify(selfRows), office.id],
  );
  await q(
    `INSERT INTO submission_revisions(submission_id, revision, value, fields, status, requested_by_name, requested_at, decided_by, decided_by_name, decided_at)
     SELECT s.id, 0, s.value, s.fields, 'approved', '单位填报员', '2026-07-03T02:00:00Z', $2, $3, '2026-07-06T02:00:00Z'
     FROM submissions s WHERE s.id = ANY($1::int[])`,
    [subs.map((s) => s.id), office.id, office.display_name],
  );
  for (const s of subs)
    inputs.push({
      yearId: scheme.id,
      indicatorId: leafIds.get('WB1')!,
      unitId: s.unit_id,
      period: '2026-06',
      value: Number(s.value),
      source: 'self_report',
      sourceRef: `submission:${s.id}#r0`,
      enteredBy: null,
      enteredByName: '单位填报员',
      enteredAt: new Date('2026-07-06T02:00:00Z'),
    });

  // ---------- 纳入年度考核: the annual scheme's 网格事件 leaf takes the urban result in ----------
  const [a106] = await q<{ id: number }>(`SELECT id FROM indicators WHERE year_id = $1 AND code = 'A1_06'`, [
    annual.id,
  ]);
  await db.transaction(async (tx) => {
    await upsertScoreInputs(tx, inputs);
    if (a106) {
      await tx.execute(sql`DELETE FROM score_inputs WHERE indicator_id = ${a106.id}`);
      await tx.execute(
        sql`UPDATE indicators SET name = '城市管理监督评价考核结果', data_source = 'special_assessment', special_scheme_id = ${scheme.id},
           description = '纳入区信息化城市管理监督评价考核（专项考核）的半年和年度结果，按总分折算', aggregate = 'last',
           method = '{"kind":"benchmark","baseline":0,"benchmark":100}'::jsonb
         WHERE id = ${a106.id}`,
      );
      await bumpScoreVersion(tx, annual.id);
    }
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.schemes',
      entityType: 'seed',
      entityId: 'schemes',
      after: {
        schemeId: scheme.id,
        units: assessed.length,
        spotChecks: checks.length,
        marks: marks.length,
        selfChecks: subs.length,
      },
    });
  });

  // Case figures → inputs (the first half-year is published once the social-supervision campaign is in).
  await syncCaseScoreInputs(db);
  await syncUrbanInputs(db, SYSTEM_ACTOR, { schemeId: scheme.id });
}

/** The office publishes the urban scheme's first half-year (taken into the annual scheme); once. */
export async function seedUrbanPublication(database: Database): Promise<void> {
  const db = database.db;
  const q = database.query.bind(database);
  const scheme = await getYearByYear(db, 2026, 'urban');
  const [office] = await q<{ id: number; display_name: string; unit_id: number }>(
    `SELECT id, display_name, unit_id FROM users WHERE username = 'office'`,
  );
  if (!scheme || !office) return;
  const [done] = await q(`SELECT 1 FROM score_publications WHERE year_id = $1 AND period = '2026-H1'`, [scheme.id]);
  if (done) return;
  const ctx: Ctx = {
    db,
    user: {
      id: office.id,
      username: 'office',
      displayName: office.display_name,
      unitId: office.unit_id,
      roles: ['office'],
      permissions: new Set(),
    },
    actor: { id: office.id, name: 'office', ip: null },
    lang: 'zh',
    scope: async () => ({ all: true }),
  };
  await publishScores(ctx, {
    yearId: scheme.id,
    period: '2026-H1',
    note: '2026年上半年信息化城市管理监督评价考核结果',
  });
}
