import type { Database } from '../../db/client.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import { leavesFor } from '../performance/index.js';
import { deadlineOf, loadYearCtx } from './reporting.service.js';
import { defaultForm, type FormValues, type TFormDefinition } from './reporting.forms.js';
import type { StoredFlag } from './reporting.anomaly.js';
import { bumpScoreVersion } from '../inputs/index.js';

/**
 * Demo data collection: designed forms for several self-reported leaves; for 2025 (closed) twelve
 * accepted months of self-reported data; for 2026 January–October accepted (some late, some
 * returned before acceptance, some revised with history, some flagged and confirmed, a few units
 * missing October), November partly submitted or in draft ("today" is 2026-11-23); third-party
 * data from the assessing bodies; and a score input for every accepted value.
 */

type Leaf = {
  id: number;
  code: string;
  name: string;
  unit: string;
  aggregate: 'sum' | 'last' | 'avg';
  direction: 'positive' | 'negative';
  source: string;
  assessingUnitId: number | null;
  appliesTo: { categoryIds: number[]; unitIds: number[] };
  parentId: number | null;
};
type UnitRow = { id: number; code: string; name: string; kind: string; category_id: number | null };

/** A small deterministic random generator (mulberry32), so the demo is the same on every machine. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const iso = (date: string, hour: number) =>
  `${date}T${String(hour).padStart(2, '0')}:${String((hour * 7) % 60).padStart(2, '0')}:00+08:00`;
const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);
const f = (key: string, label: string, type: string, extra: Record<string, unknown> = {}) => ({
  key,
  label,
  type,
  required: false,
  min: null,
  max: null,
  unit: '',
  help: '',
  cumulative: false,
  options: [],
  ...extra,
});

/** Designed forms (by leaf code); the rest keep the default single-value form. */
const FORMS: Record<string, TFormDefinition> = {
  A1_01: {
    fields: [
      f('tasks', '年度“三定”职责任务数', 'integer', {
        required: true,
        min: 1,
        unit: '项',
        help: '按单位“三定”方案分解的年度任务总数',
      }),
      f('done', '累计完成任务数', 'integer', { required: true, min: 0, unit: '项', cumulative: true }),
      f('note', '未完成任务说明', 'text', { help: '列明滞后任务及原因' }),
    ] as TFormDefinition['fields'],
    rules: [{ expression: 'done <= tasks', message: '累计完成任务数不能大于年度任务数' }],
    scoreField: null,
    scoreFormula: 'round(done / tasks * 100, 1)',
  },
  A1_04: {
    fields: [
      f('done', '本月完成项目数', 'integer', { required: true, min: 0, max: 50, unit: '件' }),
      f('invest', '本月完成投资', 'money', { min: 0, unit: '万元' }),
      f('projects', '完成项目名称', 'text', { help: '多个项目用顿号分隔' }),
    ] as TFormDefinition['fields'],
    rules: [],
    scoreField: 'done',
    scoreFormula: null,
  },
  B2_05: {
    fields: [
      f('submitted', '本月报送篇数', 'integer', { required: true, min: 0, unit: '篇' }),
      f('adopted', '本月被采用篇数', 'integer', { required: true, min: 0, unit: '篇' }),
      f('level', '最高采用层级', 'single_choice', {
        options: [
          { value: 'district', label: '区级' },
          { value: 'city', label: '市级' },
          { value: 'province', label: '省级' },
          { value: 'national', label: '国家级' },
        ],
      }),
    ] as TFormDefinition['fields'],
    rules: [{ expression: 'adopted <= submitted', message: '采用篇数不能大于报送篇数' }],
    scoreField: 'adopted',
    scoreFormula: null,
  },
  C1_02: {
    fields: [
      f('received', '累计受理驻区单位诉求', 'integer', { required: true, min: 0, unit: '件', cumulative: true }),
      f('closed', '累计办结', 'integer', { required: true, min: 0, unit: '件', cumulative: true }),
    ] as TFormDefinition['fields'],
    rules: [{ expression: 'closed <= received', message: '办结件数不能大于受理件数' }],
    scoreField: null,
    scoreFormula: 'if(received > 0, round(closed / received * 100, 1), 100)',
  },
  D1_02: {
    fields: [
      f('count', '本月获市级以上表彰', 'integer', { required: true, min: 0, max: 10, unit: '项' }),
      f('names', '表彰名称及文号', 'text'),
      f('level', '表彰层级', 'multi_choice', {
        options: [
          { value: 'city', label: '市级' },
          { value: 'province', label: '省级' },
          { value: 'national', label: '国家级' },
        ],
      }),
      f('certificate', '表彰文件', 'file', { help: '上传表彰文件扫描件' }),
    ] as TFormDefinition['fields'],
    rules: [],
    scoreField: 'count',
    scoreFormula: null,
  },
};

/** Leaves whose % value grows through the year (progress), as opposed to a steady rate. */
const PROGRESS = new Set(['A1_01', 'A1_03', 'A1_05', 'B2_01']);

type Sub = {
  key: string;
  yearId: number;
  indicatorId: number;
  unitId: number;
  period: string;
  source: 'self_report' | 'third_party';
  status: 'draft' | 'submitted' | 'leader_approved' | 'accepted';
  value: number | null;
  fields: FormValues;
  flags: StoredFlag[];
  formVersion: number;
  enteredBy: number | null;
  enteredByName: string;
  enteredAt: string;
  firstSubmittedAt: string | null;
  deadline: string | null;
  late: boolean;
  submittedBy: number | null;
  submittedAt: string | null;
  leaderApprovedBy: number | null;
  leaderApprovedAt: string | null;
  acceptedBy: number | null;
  acceptedAt: string | null;
  returnReason: string | null;
  returnedStage: 'leader' | 'office' | null;
  returnedBy: number | null;
  returnedAt: string | null;
  /** Events to write (2026 only). */
  events: {
    action: string;
    from: string | null;
    to: string;
    comment: string | null;
    actorId: number | null;
    actorName: string;
    at: string;
  }[];
  /** A correction to add after acceptance. */
  revision?: {
    fields: FormValues;
    value: number;
    reason: string;
    by: { id: number | null; name: string };
    at: string;
    approved: boolean;
    decidedAt: string | null;
    comment: string | null;
  };
};

async function insertRows(
  database: Database,
  table: string,
  columns: string[],
  rows: unknown[][],
  returning = '',
  casts: string[] = [],
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const per = Math.max(1, Math.floor(30000 / columns.length));
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const params: unknown[] = [];
    const values = chunk.map((r) => {
      const base = params.length;
      params.push(...r);
      return `(${r.map((_, k) => `$${base + k + 1}${casts[k] ?? ''}`).join(',')})`;
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

export async function seedReporting(database: Database): Promise<void> {
  const q = database.query.bind(database);
  const years = await q<{ id: number; year: number; status: string }>(
    'SELECT id, year, status FROM assessment_years ORDER BY year',
  );
  const y2026 = years.find((y) => y.year === 2026);
  if (!y2026) return; // nothing to report against without the performance seed
  const units = await q<UnitRow>(
    'SELECT id, code, name, kind, category_id FROM units WHERE active AND category_id IS NOT NULL ORDER BY sort, id',
  );
  const users = await q<{ id: number; username: string; display_name: string; unit_id: number }>(
    'SELECT id, username, display_name, unit_id FROM users',
  );
  const byUsername = new Map(users.map((u) => [u.username, u]));
  const office = byUsername.get('office');
  const officeWho = { id: office?.id ?? null, name: office?.display_name ?? '绩效办' };
  const unitById = new Map(units.map((u) => [u.id, u]));
  const allUnits = await q<{ id: number; code: string; name: string }>('SELECT id, code, name FROM units');
  const anyUnitName = new Map(allUnits.map((u) => [u.id, u.name]));
  const reporterOf = (u: UnitRow) => {
    const x =
      byUsername.get(`${u.code.toLowerCase()}_reporter`) ??
      (u.code === 'ST01' ? byUsername.get('hzj_reporter') : undefined);
    return x ? { id: x.id, name: x.display_name } : { id: null, name: `${u.name}填报员` };
  };
  const leaderOf = (u: UnitRow) => {
    const x =
      byUsername.get(`${u.code.toLowerCase()}_leader`) ??
      (u.code === 'ST01' ? byUsername.get('hzj_leader') : undefined);
    return x ? { id: x.id, name: x.display_name } : { id: null, name: `${u.name}负责人` };
  };
  const assessorWho = (unitId: number | null) => {
    const a = users.find((u) => u.unit_id === unitId && u.username === 'assessor');
    return a ? { id: a.id, name: a.display_name } : { id: null, name: `${anyUnitName.get(unitId ?? 0) ?? '考评主体'}` };
  };

  const subs: Sub[] = [];
  const forms: [number, TFormDefinition][] = [];
  const now2026 = '2026-11-23';

  for (const y of years.filter((x) => x.year === 2025 || x.year === 2026)) {
    const leaves = (
      await q<{
        id: number;
        code: string;
        name: string;
        unit_of_measure: string;
        aggregate: Leaf['aggregate'];
        direction: Leaf['direction'];
        data_source: string;
        assessing_unit_id: number | null;
        applies_to: Leaf['appliesTo'];
        parent_id: number | null;
      }>(
        'SELECT id, code, name, unit_of_measure, aggregate, direction, data_source, assessing_unit_id, applies_to, parent_id FROM indicators WHERE year_id = $1 ORDER BY level, sort, id',
        [y.id],
      )
    ).map((r): Leaf => ({
      id: r.id,
      code: r.code,
      name: r.name,
      unit: r.unit_of_measure,
      aggregate: r.aggregate,
      direction: r.direction,
      source: r.data_source,
      assessingUnitId: r.assessing_unit_id,
      appliesTo: r.applies_to,
      parentId: r.parent_id,
    }));
    const byCode = new Map(leaves.map((l) => [l.code, l]));
    for (const [code, def] of Object.entries(FORMS)) if (byCode.has(code)) forms.push([byCode.get(code)!.id, def]);
    // Write the forms first so the deadline/form context below sees them.
    const yc = await loadYearCtx(database.db, y.id);
    const targets = new Map(
      (
        await q<{ unit_id: number; indicator_id: number; target: string }>(
          `SELECT p.unit_id, t.indicator_id, t.target::text AS target FROM plan_targets t JOIN performance_plans p ON p.id = t.plan_id WHERE p.year_id = $1`,
          [y.id],
        )
      ).map((t) => [`${t.unit_id}|${t.indicator_id}`, Number(t.target)]),
    );
    const is2026 = y.year === 2026;
    const lastMonth = is2026 ? 11 : 12;
    units.forEach((u, ui) => {
      const rand = rng(y.year * 1000 + ui * 7 + 3);
      // Each unit's strength: how far ahead of (or behind) its targets it runs. Varies by unit so rankings differ.
      const strength = 0.8 + ((ui * 37) % 29) / 100 + (y.year === 2025 ? 0.02 : 0);
      const rep = reporterOf(u);
      const lead = leaderOf(u);
      for (const leaf of leavesFor({ id: u.id, categoryId: u.category_id }, leaves)) {
        if (leaf.source !== 'self_report' && leaf.source !== 'third_party') continue;
        if (leaf.source === 'third_party' && !is2026) continue;
        const target = targets.get(`${u.id}|${leaf.id}`) ?? null;
        const def = FORMS[leaf.code] ?? defaultForm(leaf.unit);
        const tasks = 20 + ((ui * 13) % 21);
        const received = 6 + ((ui * 5) % 11);
        let prevProgress = 0;
        for (let m = 1; m <= lastMonth; m++) {
          const period = `${y.year}-${String(m).padStart(2, '0')}`;
          const gen = valueFor(leaf, m, strength, target, rand, { tasks, received, prev: prevProgress });
          prevProgress = gen.progress;
          const deadline = deadlineOf(yc, leaf.id, period);
          const who = leaf.source === 'third_party' ? assessorWho(leaf.assessingUnitId) : rep;
          const base: Sub = {
            key: `${leaf.id}|${u.id}|${period}`,
            yearId: y.id,
            indicatorId: leaf.id,
            unitId: u.id,
            period,
            source: leaf.source === 'third_party' ? 'third_party' : 'self_report',
            status: 'accepted',
            value: gen.value,
            fields: def === FORMS[leaf.code] ? gen.fields : { [def.fields[0].key]: gen.value },
            flags: [],
            formVersion: FORMS[leaf.code] ? 1 : 0,
            enteredBy: who.id,
            enteredByName: who.name,
            enteredAt: '',
            firstSubmittedAt: null,
            deadline: null,
            late: false,
            submittedBy: null,
            submittedAt: null,
            leaderApprovedBy: null,
            leaderApprovedAt: null,
            acceptedBy: null,
            acceptedAt: null,
            returnReason: null,
            returnedStage: null,
            returnedBy: null,
            returnedAt: null,
            events: [],
          };
          const roll = rand();
          // Due day of submission: mostly between the 3rd and the deadline, ~6 % after it.
          const late = roll < 0.06;
          const dueDay = Number(deadline.slice(8, 10));
          const submitDate = late
            ? addDays(deadline, 1 + Math.floor(rand() * 5))
            : `${deadline.slice(0, 8)}${String(Math.max(2, Math.min(dueDay, 3 + Math.floor(rand() * 12)))).padStart(2, '0')}`;
          const enteredDate = addDays(submitDate, -Math.floor(rand() * 2));
          base.enteredAt = iso(enteredDate, 9);
          if (is2026 && m === 11) {
            // November: open, due 12-15 — some submitted, some approved, some drafts, the rest not started.
            const s = rand();
            const entered = `2026-11-${String(16 + Math.floor(rand() * 7)).padStart(2, '0')}`;
            base.enteredAt = iso(entered, 10);
            if (leaf.source === 'third_party') {
              if (s < 0.5) continue;
              subs.push({
                ...submitted(base, who, iso(entered, 11), '2026-12-15'),
                events: [ev('third_party_submit', null, 'submitted', who, iso(entered, 11))],
              });
              continue;
            }
            const keepDraft = u.code === 'CGJ' && (leaf.code === 'A1_04' || leaf.code === 'B2_05');
            if (s < 0.35 && !keepDraft) {
              const sub = submitted(base, rep, iso(entered, 11), '2026-12-15');
              const ap = s < 0.2 && u.code !== 'CGJ';
              subs.push({
                ...sub,
                status: ap ? 'leader_approved' : 'submitted',
                leaderApprovedBy: ap ? lead.id : null,
                leaderApprovedAt: ap ? iso(addDays(entered, 1), 9) : null,
                events: [
                  ev('save', null, 'draft', rep, base.enteredAt),
                  ev('submit', 'draft', 'submitted', rep, iso(entered, 11)),
                  ...(ap
                    ? [ev('leader_approve', 'submitted', 'leader_approved', lead, iso(addDays(entered, 1), 9))]
                    : []),
                ],
              });
            } else if (s < 0.6 || (u.code === 'CGJ' && (s < 0.75 || leaf.code === 'A1_04' || leaf.code === 'B2_05'))) {
              subs.push({ ...base, status: 'draft', events: [ev('save', null, 'draft', rep, base.enteredAt)] });
            }
            continue;
          }
          if (is2026 && m === 10 && leaf.source === 'self_report') {
            // October (due 11-15): a few units have not reported yet; some are still in review.
            if ((ui % 11 === 4 && leaf.code !== 'A1_01') || (u.code === 'CGJ' && leaf.code === 'B2_01')) continue;
            if (ui % 9 === 2) {
              const sub = submitted(base, rep, iso(submitDate, 16), deadline);
              subs.push({
                ...sub,
                status: ui % 2 ? 'leader_approved' : 'submitted',
                leaderApprovedBy: ui % 2 ? lead.id : null,
                leaderApprovedAt: ui % 2 ? iso(addDays(submitDate, 1), 10) : null,
                events: [
                  ev('save', null, 'draft', rep, base.enteredAt),
                  ev('submit', 'draft', 'submitted', rep, iso(submitDate, 16)),
                ],
              });
              continue;
            }
          }
          // Accepted (the rest of 2026 up to October, all of 2025).
          const submittedAt = iso(submitDate, 16);
          const approvedAt = iso(addDays(submitDate, 1), 10);
          const acceptedAt = iso(addDays(submitDate, 2 + Math.floor(rand() * 3)), 15);
          const s: Sub = {
            ...submitted(base, who, submittedAt, deadline),
            status: 'accepted',
            leaderApprovedBy: leaf.source === 'self_report' ? lead.id : null,
            leaderApprovedAt: leaf.source === 'self_report' ? approvedAt : null,
            acceptedBy: officeWho.id,
            acceptedAt,
          };
          if (is2026) {
            s.events =
              leaf.source === 'third_party'
                ? [
                    ev('third_party_submit', null, 'submitted', who, submittedAt),
                    ev('accept', 'submitted', 'accepted', officeWho, acceptedAt),
                  ]
                : [
                    ev('save', null, 'draft', rep, base.enteredAt),
                    ev('submit', 'draft', 'submitted', rep, submittedAt),
                    ev('leader_approve', 'submitted', 'leader_approved', lead, approvedAt),
                    ev('accept', 'leader_approved', 'accepted', officeWho, acceptedAt),
                  ];
            // Now and then the office sent one back first.
            if (leaf.source === 'self_report' && rand() < 0.04) {
              const retAt = iso(addDays(submitDate, 1), 15);
              s.events.splice(
                3,
                0,
                ev(
                  'return',
                  'leader_approved',
                  'draft',
                  officeWho,
                  retAt,
                  '请补充本月台账材料（会议纪要或验收单）后重新提交',
                ),
                ev('submit', 'draft', 'submitted', rep, iso(addDays(submitDate, 2), 9)),
                ev('leader_approve', 'submitted', 'leader_approved', lead, iso(addDays(submitDate, 2), 11)),
              );
            }
            // A jump the reporter explained.
            if (leaf.source === 'self_report' && m > 1 && gen.jump) {
              s.flags = [
                {
                  key: 'jump_prev:score',
                  code: 'jump_prev',
                  field: 'score',
                  zh: `数值较上期变化超过 50% 的提示阈值`,
                  en: 'Changed beyond 50% against the last period',
                  value: gen.value ?? 0,
                  reference: gen.prevValue,
                  comment: '本月集中完成验收，数据已核实',
                  confirmedBy: rep.name,
                  confirmedAt: submittedAt,
                },
              ];
            }
          }
          subs.push(s);
        }
      }
    });
  }

  // Returned, revised and pending-revision examples on the demo units.
  const find = (unitCode: string, leafCode: string, period: string) => {
    const unit = units.find((u) => u.code === unitCode);
    return subs.find(
      (s) =>
        s.unitId === unit?.id && s.period === period && s.yearId === y2026.id && s.indicatorId === subsLeafId(leafCode),
    );
  };
  const leafIds2026 = new Map(
    (await q<{ id: number; code: string }>('SELECT id, code FROM indicators WHERE year_id = $1', [y2026.id])).map(
      (r) => [r.code, r.id],
    ),
  );
  const subsLeafId = (code: string) => leafIds2026.get(code);
  const cgj = units.find((u) => u.code === 'CGJ');
  if (cgj) {
    const rep = reporterOf(cgj);
    const lead = leaderOf(cgj);
    const ret = find('CGJ', 'A1_04', '2026-11') ?? find('CGJ', 'B2_05', '2026-11');
    if (ret) {
      ret.status = 'draft';
      ret.returnReason = '本月完成项目数与区重点项目台账不一致，请核对后重新填报';
      ret.returnedStage = 'leader';
      ret.returnedBy = lead.id;
      ret.returnedAt = iso('2026-11-21', 16);
      ret.firstSubmittedAt = iso('2026-11-20', 10);
      ret.submittedBy = rep.id;
      ret.submittedAt = iso('2026-11-20', 10);
      ret.deadline = '2026-12-15';
      ret.events = [
        ev('save', null, 'draft', rep, iso('2026-11-20', 9)),
        ev('submit', 'draft', 'submitted', rep, iso('2026-11-20', 10)),
        ev('return', 'submitted', 'draft', lead, iso('2026-11-21', 16), ret.returnReason),
      ];
    }
    // A jump in a November draft: the reporter will have to confirm it before submitting.
    const jump = find('CGJ', 'B2_05', '2026-11');
    const oct = find('CGJ', 'B2_05', '2026-10');
    if (jump && oct && oct.value) {
      const adopted = Math.max(6, oct.value * 3 + 2);
      jump.fields = { submitted: adopted + 3, adopted, level: 'province' };
      jump.value = adopted;
      jump.flags = [
        {
          key: 'jump_prev:score',
          code: 'jump_prev',
          field: 'score',
          zh: `本月被采用篇数较上期（2026-10：${oct.value}）增长 ${(((adopted - oct.value) / Math.max(1, oct.value)) * 100).toFixed(1)}%，超过 50% 的提示阈值`,
          en: `Adopted articles changed beyond 50% against 2026-10 (${oct.value})`,
          value: adopted,
          reference: oct.value,
          comment: null,
          confirmedBy: null,
          confirmedAt: null,
        },
      ];
    }
    const pending = find('CGJ', 'B2_05', '2026-09');
    if (pending && pending.status === 'accepted') {
      const fields = {
        ...pending.fields,
        adopted: Number(pending.fields.adopted ?? 0) + 1,
        submitted: Number(pending.fields.submitted ?? 0) + 1,
      };
      pending.revision = {
        fields,
        value: Number(fields.adopted),
        reason: '9 月 28 日报送的《城市管理“721”工作法经验》被市政府办公厅采用，采用通知 10 月到达，申请补录',
        by: rep,
        at: iso('2026-11-19', 10),
        approved: false,
        decidedAt: null,
        comment: null,
      };
    }
  }
  for (const [unitCode, leafCode, period, reason] of [
    ['FGW', 'A1_04', '2026-05', '5 月漏报“老旧小区加装电梯”2 个项目，已取得竣工验收单，申请更正'],
    ['SJJ', 'C1_02', '2026-07', '系统导出口径错误，7 月累计办结数应含 6 月 30 日当天办结的 3 件'],
    ['ST01', 'B2_01', '2026-06', '6 月参加市委党校集中轮训人员漏统计，补录后完成率调整'],
  ] as const) {
    const s = find(unitCode, leafCode, period);
    if (!s || s.status !== 'accepted' || s.value === null) continue;
    const def = FORMS[leafCode];
    let fields: FormValues;
    let value: number;
    if (leafCode === 'A1_04') {
      value = s.value + 2;
      fields = { ...s.fields, done: value };
    } else if (leafCode === 'C1_02') {
      const closed = Math.min(Number(s.fields.received), Number(s.fields.closed) + 3);
      fields = { ...s.fields, closed };
      value = r1((closed / Number(s.fields.received)) * 100);
    } else {
      value = Math.min(100, r1(s.value + 6));
      fields = def ? { ...s.fields } : { value };
    }
    const u = unitById.get(s.unitId)!;
    s.revision = {
      fields,
      value,
      reason,
      by: reporterOf(u),
      at: iso(addDays(s.acceptedAt!.slice(0, 10), 20), 10),
      approved: true,
      decidedAt: iso(addDays(s.acceptedAt!.slice(0, 10), 22), 15),
      comment: '经核实，同意更正',
    };
  }

  // ---------- write ----------
  const t0 = Date.now();
  for (const [indicatorId, def] of forms) {
    await q(
      'INSERT INTO indicator_forms(indicator_id, definition, version, updated_by, updated_at) VALUES ($1, $2, 1, $3, $4) ON CONFLICT DO NOTHING',
      [indicatorId, JSON.stringify(def), officeWho.id, '2026-01-05T02:00:00Z'],
    );
  }
  await q(`INSERT INTO reporting_settings(year_id, updated_by) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
    y2026.id,
    officeWho.id,
  ]);
  const cols = [
    'year_id',
    'indicator_id',
    'unit_id',
    'period',
    'source',
    'status',
    'value',
    'fields',
    'flags',
    'form_version',
    'revision',
    'entered_by',
    'entered_by_name',
    'entered_at',
    'first_submitted_at',
    'deadline',
    'late',
    'submitted_by',
    'submitted_at',
    'leader_approved_by',
    'leader_approved_at',
    'accepted_by',
    'accepted_at',
    'return_reason',
    'returned_stage',
    'returned_by',
    'returned_at',
    'created_at',
    'updated_at',
  ];
  const rows = subs.map((s) => {
    const rev = s.revision?.approved ? s.revision : null;
    return [
      s.yearId,
      s.indicatorId,
      s.unitId,
      s.period,
      s.source,
      s.status,
      rev ? rev.value : s.value,
      JSON.stringify(rev ? rev.fields : s.fields),
      JSON.stringify(s.flags),
      s.formVersion,
      rev ? 1 : 0,
      rev ? rev.by.id : s.enteredBy,
      rev ? rev.by.name : s.enteredByName,
      rev ? rev.at : s.enteredAt,
      s.firstSubmittedAt,
      s.deadline,
      s.late,
      s.submittedBy,
      s.submittedAt,
      s.leaderApprovedBy,
      s.leaderApprovedAt,
      s.acceptedBy,
      s.acceptedAt,
      s.returnReason,
      s.returnedStage,
      s.returnedBy,
      s.returnedAt,
      s.enteredAt,
      s.acceptedAt ?? s.returnedAt ?? s.submittedAt ?? s.enteredAt,
    ];
  });
  const inserted = (await insertRows(database, 'submissions', cols, rows, 'id, indicator_id, unit_id, period', [
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '::jsonb',
    '::jsonb',
  ])) as {
    id: number;
    indicator_id: number;
    unit_id: number;
    period: string;
  }[];
  const idOf = new Map(inserted.map((r) => [`${r.indicator_id}|${r.unit_id}|${r.period}`, r.id]));

  const revRows: unknown[][] = [];
  const inputRows: unknown[][] = [];
  const eventRows: unknown[][] = [];
  for (const s of subs) {
    const id = idOf.get(s.key)!;
    for (const e of s.events) eventRows.push([id, e.action, e.from, e.to, e.comment, e.actorId, e.actorName, e.at]);
    if (s.status !== 'accepted') continue;
    revRows.push([
      id,
      0,
      s.value,
      JSON.stringify(s.fields),
      JSON.stringify(s.flags),
      null,
      'approved',
      s.enteredBy,
      s.enteredByName,
      s.enteredAt,
      s.acceptedBy,
      officeWho.name,
      s.acceptedAt,
      null,
    ]);
    const r = s.revision;
    if (r) {
      revRows.push([
        id,
        1,
        r.value,
        JSON.stringify(r.fields),
        '[]',
        r.reason,
        r.approved ? 'approved' : 'requested',
        r.by.id,
        r.by.name,
        r.at,
        r.approved ? officeWho.id : null,
        r.approved ? officeWho.name : null,
        r.decidedAt,
        r.comment,
      ]);
      eventRows.push([id, 'revision_request', 'accepted', 'accepted', r.reason, r.by.id, r.by.name, r.at]);
      if (r.approved)
        eventRows.push([
          id,
          'revision_approve',
          'accepted',
          'accepted',
          r.comment,
          officeWho.id,
          officeWho.name,
          r.decidedAt,
        ]);
    }
    const cur = r?.approved ? r : null;
    inputRows.push([
      s.yearId,
      s.indicatorId,
      s.unitId,
      s.period,
      cur ? cur.value : s.value,
      JSON.stringify(cur ? cur.fields : s.fields),
      s.source,
      `submission:${id}#r${cur ? 1 : 0}`,
      cur ? cur.by.id : s.enteredBy,
      cur ? cur.by.name : s.enteredByName,
      cur ? cur.at : s.enteredAt,
    ]);
  }
  await insertRows(
    database,
    'submission_revisions',
    [
      'submission_id',
      'revision',
      'value',
      'fields',
      'flags',
      'reason',
      'status',
      'requested_by',
      'requested_by_name',
      'requested_at',
      'decided_by',
      'decided_by_name',
      'decided_at',
      'decision_comment',
    ],
    revRows,
    '',
    ['', '', '', '::jsonb', '::jsonb'],
  );
  await insertRows(
    database,
    'submission_events',
    ['submission_id', 'action', 'from_status', 'to_status', 'comment', 'actor_id', 'actor_name', 'at'],
    eventRows,
  );
  await insertRows(
    database,
    'score_inputs',
    [
      'year_id',
      'indicator_id',
      'unit_id',
      'period',
      'value',
      'fields',
      'source',
      'source_ref',
      'entered_by',
      'entered_by_name',
      'entered_at',
    ],
    inputRows,
    '',
    ['', '', '', '', '', '::jsonb'],
  );
  // A reminder notification for the demo reporter, as the job would have sent.
  const cgjRep = byUsername.get('cgj_reporter');
  if (cgjRep) {
    await q(
      `INSERT INTO notifications(user_id, title, body, link, created_at) VALUES ($1,$2,$3,'/reporting/my',$4), ($1,$5,$6,'/reporting/my',$7)`,
      [
        cgjRep.id,
        '2026-10 数据将于 2026-11-15 截止填报',
        `${cgj?.name ?? ''}还有指标的 2026-10 数据未提交，请在 2026-11-15 前完成填报。`,
        '2026-11-12T01:00:00Z',
        '填报被退回：为民办实事项目完成数（2026-11）',
        '本月完成项目数与区重点项目台账不一致，请核对后重新填报',
        '2026-11-21T08:00:00Z',
      ],
    );
  }
  await database.db.transaction(async (tx) => {
    for (const y of years) if (inputRows.some((r) => r[0] === y.id)) await bumpScoreVersion(tx, y.id);
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.reporting',
      entityType: 'seed',
      entityId: 'reporting',
      after: {
        forms: forms.length,
        submissions: subs.length,
        revisions: revRows.length,
        events: eventRows.length,
        scoreInputs: inputRows.length,
        today: now2026,
        ms: Date.now() - t0,
      },
    });
  });
}

function ev(
  action: string,
  from: string | null,
  to: string,
  who: { id: number | null; name: string },
  at: string,
  comment: string | null = null,
): Sub['events'][number] {
  return { action, from, to, comment, actorId: who.id, actorName: who.name, at };
}

function submitted(base: Sub, who: { id: number | null; name: string }, at: string, deadline: string): Sub {
  const late = Date.parse(at) > Date.parse(`${deadline}T23:59:59.999+08:00`);
  return { ...base, status: 'submitted', firstSubmittedAt: at, submittedAt: at, submittedBy: who.id, deadline, late };
}

/**
 * A month's value (and form fields) consistent with the unit's target and strength:
 * counts spread the annual target over the months, progress rates climb towards the target,
 * steady rates hover around it, third-party occurrences are mostly zero.
 */
function valueFor(
  leaf: Leaf,
  m: number,
  strength: number,
  target: number | null,
  rand: () => number,
  ctx: { tasks: number; received: number; prev: number },
): { value: number; fields: FormValues; progress: number; jump: boolean; prevValue: number | null } {
  const noise = () => (rand() - 0.5) * 0.08;
  const t = target ?? 100;
  const out = (value: number, fields: FormValues, progress = 0, jump = false, prevValue: number | null = null) => ({
    value,
    fields,
    progress,
    jump,
    prevValue,
  });
  if (leaf.source === 'third_party') {
    switch (leaf.code) {
      case 'A1_07':
      case 'A1_08':
        return out(0, { value: 0 });
      case 'B1_01':
      case 'B1_02': {
        const v = strength < 0.86 && rand() < 0.15 ? 1 : 0;
        return out(v, { value: v });
      }
      case 'B2_03': {
        const v = r1(Math.min(100, (t * m * Math.min(1.05, strength + 0.05)) / 12 + noise() * 10));
        return out(v, { value: v });
      }
      default: {
        const v = r1(Math.min(100, 70 + strength * 22 + noise() * 40));
        return out(v, { value: v });
      }
    }
  }
  if (leaf.aggregate === 'sum') {
    const annual = t * strength * (0.95 + rand() * 0.1);
    const cum = (k: number) => Math.floor((annual * k) / 12 + 0.3);
    const v = Math.max(0, cum(m) - cum(m - 1));
    const prev = m > 1 ? Math.max(0, cum(m - 1) - cum(m - 2)) : null;
    const jump = prev !== null && prev > 0 && v >= prev * 2.5;
    if (leaf.code === 'A1_04')
      return out(
        v,
        {
          done: v,
          invest: v ? Math.round(v * (80 + rand() * 300)) : 0,
          projects: v ? '社区养老服务站改造、背街小巷整治' : '',
        },
        0,
        jump,
        prev,
      );
    if (leaf.code === 'B2_05') {
      const submittedN = v + Math.floor(rand() * 4) + 1;
      return out(v, { submitted: submittedN, adopted: v, level: v > 1 ? 'city' : 'district' }, 0, jump, prev);
    }
    if (leaf.code === 'D1_02')
      return out(
        v,
        {
          count: v,
          names: v ? '市级文明单位（汉文明〔2026〕12号）' : '',
          level: v ? ['city'] : null,
          certificate: null,
        },
        0,
        false,
        prev,
      );
    return out(v, { value: v }, 0, jump, prev);
  }
  if (leaf.aggregate === 'avg') {
    const v = r1(Math.min(100, t * (0.93 + (strength - 0.8) * 0.3) + noise() * 20));
    return out(v, { value: v });
  }
  // 'last'
  if (PROGRESS.has(leaf.code)) {
    const p = Math.max(ctx.prev, Math.min(1.1, (m / 12) * strength * (1 + noise())));
    if (leaf.code === 'A1_01') {
      const done = Math.min(ctx.tasks, Math.floor(ctx.tasks * p));
      return out(
        r1((done / ctx.tasks) * 100),
        { tasks: ctx.tasks, done, note: done < ctx.tasks * (m / 12) ? '个别任务受上级政策调整影响推迟' : '' },
        p,
      );
    }
    // Only the core-business rate may run past 100 % (its challenge value is 110 %).
    const v = r1(Math.min(leaf.code === 'A1_03' ? t * 1.1 : t, t * p));
    return out(v, { value: v }, p);
  }
  if (leaf.code === 'C1_02') {
    const received = ctx.received * m + Math.floor(rand() * 3);
    const rate = Math.min(1, (t / 100) * (0.96 + (strength - 0.8) * 0.15) + noise() * 0.3);
    const closed = Math.min(received, Math.round(received * rate));
    return out(r1((closed / received) * 100), { received, closed });
  }
  const v = r1(Math.min(100, t * (0.95 + (strength - 0.8) * 0.2) + noise() * 10));
  return out(v, { value: v });
}
