// Demo field checks and reconciliation rounds, run at the end of the supervision seed (it needs the ledger).
import type { Database } from '../../db/client.js';
import { rng } from '../../engine/random.js';
import { beijingDate } from '../../engine/workdays.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import { roundRecord, roundTitle, stageOf } from './supervision.fieldwork.logic.js';

const LIVE = ['assigned', 'signed', 'plan_submitted', 'in_progress', 'completion_applied'];

type Point = { requirement: string; due: string | null; steps: ('answer' | 'return' | 'accept')[]; answers: string[] };
type Check = {
  on: string;
  people: string;
  methods: string[];
  mode: 'open' | 'covert';
  findings: string;
  points: Point[];
};

/**
 * A hard task checked twice (反复督查: its points answered, one returned and answered again, one still open),
 * two more checked once (one answer awaiting the office), and two rounds: 2026 Q1 对账 closed with two
 * differences resolved, and 年中查账 open with most units confirmed and one difference awaiting the office.
 */
export async function seedFieldwork(database: Database): Promise<void> {
  const q = database.query.bind(database);
  const today = beijingDate(new Date());
  const [office] = await q<{ id: number; display_name: string }>(
    `SELECT id, display_name FROM users WHERE username = 'supervisor'`,
  );
  if (!office) return;
  const tasks = await q<{ id: number; title: string; lead_unit_id: number; status: string; start_date: string }>(
    // 城管局's tasks first, so its demo users (cgj_reporter) find points to answer; the hard (red) ones first.
    `SELECT t.id, t.title, t.lead_unit_id, t.status, t.start_date::text AS start_date
     FROM supervision_tasks t JOIN units u ON u.id = t.lead_unit_id
     WHERE t.year = 2026 AND t.status IN ('in_progress','completion_applied') AND t.start_date <= '2026-03-01'
     ORDER BY (u.code = 'CGJ') DESC, (t.light = 'red') DESC, t.id`,
  );
  if (tasks.length < 3) return;
  const gen = rng(20260630);
  let checks = 0;
  let points = 0;

  const addCheck = async (task: (typeof tasks)[number], seq: number, c: Check) => {
    if (c.on > today) return;
    const [k] = await q<{ id: number }>(
      `INSERT INTO supervision_checks(task_id, seq, checked_on, people, methods, mode, findings, created_by, created_by_name, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`,
      [
        task.id,
        seq,
        c.on,
        c.people,
        JSON.stringify(c.methods),
        c.mode,
        c.findings,
        office.id,
        office.display_name,
        `${c.on}T08:00:00Z`,
      ],
    );
    checks++;
    const how = `${c.mode === 'open' ? '明察' : '暗访'}；${c.methods.map((m) => ({ listen: '听', ask: '问', look: '看', inspect: '查', visit: '访' })[m]).join('、')}`;
    await q(
      `INSERT INTO supervision_events(task_id, kind, actor_id, actor_name, unit_id, note, at) VALUES ($1,'fieldCheck',$2,$3,$4,$5,$6)`,
      [
        task.id,
        office.id,
        office.display_name,
        task.lead_unit_id,
        `第${seq}次督查（${c.on}，${how}）：${c.findings}${c.points.length ? `\n整改要求 ${c.points.length} 项` : ''}`,
        `${c.on}T08:00:00Z`,
      ],
    );
    for (const [i, p] of c.points.entries()) {
      let status = 'open';
      let answer = '';
      let answeredAt: string | null = null;
      let reason = '';
      let decidedAt: string | null = null;
      const [row] = await q<{ id: number }>(
        `INSERT INTO supervision_check_points(check_id, task_id, seq, requirement, due_on) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
        [k.id, task.id, i + 1, p.requirement, p.due],
      );
      points++;
      let day = c.on;
      let n = 0;
      for (const step of p.steps) {
        day = new Date(Date.parse(`${day}T00:00:00Z`) + (3 + Math.floor(gen.next() * 5)) * 86_400_000)
          .toISOString()
          .slice(0, 10);
        if (day > today) break;
        const at = `${day}T06:00:00Z`;
        const note =
          step === 'answer'
            ? (p.answers[n++] ?? '已按要求整改到位。')
            : step === 'return'
              ? '整改不到位，请补充整改措施和佐证'
              : '复核通过';
        const unit = step === 'answer';
        await q(
          `INSERT INTO supervision_point_events(point_id, kind, note, actor_id, actor_name, unit_id, at) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
          [
            row.id,
            step,
            note,
            unit ? null : office.id,
            unit ? '单位联络员' : office.display_name,
            unit ? task.lead_unit_id : null,
            at,
          ],
        );
        await q(
          `INSERT INTO supervision_events(task_id, kind, actor_id, actor_name, unit_id, note, at) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
          [
            task.id,
            step === 'answer' ? 'checkAnswer' : step === 'accept' ? 'checkAccept' : 'checkReturn',
            unit ? null : office.id,
            unit ? '单位联络员' : office.display_name,
            unit ? task.lead_unit_id : null,
            `第${seq}次督查 整改要求 ${i + 1}「${p.requirement}」：${note}`,
            at,
          ],
        );
        if (step === 'answer') {
          status = 'answered';
          answer = note;
          answeredAt = at;
        } else {
          status = step === 'accept' ? 'accepted' : 'returned';
          decidedAt = at;
          if (step === 'return') reason = note;
        }
      }
      await q(
        `UPDATE supervision_check_points SET status = $2, answer = $3, answered_at = $4, return_reason = $5, decided_at = $6 WHERE id = $1`,
        [row.id, status, answer, answeredAt, reason, decidedAt],
      );
    }
  };

  const [hard, second, third] = tasks;
  await addCheck(hard, 1, {
    on: '2026-05-12',
    people: '区政府督查室 王建国、李敏',
    methods: ['listen', 'look', 'inspect'],
    mode: 'open',
    findings: '听取单位汇报并实地查看：工作专班已成立，但进度较计划滞后约两周，部分点位现场管理不规范，台账资料不全。',
    points: [
      {
        requirement: '制定倒排工期计划，明确每个点位的完成时间和责任人',
        due: '2026-05-29',
        steps: ['answer', 'accept'],
        answers: ['已制定倒排工期表，逐点位明确责任人和完成时限，报区政府备案。'],
      },
      {
        requirement: '规范现场围挡和安全警示，补齐工作台账',
        due: '2026-05-29',
        steps: ['answer', 'return', 'answer', 'accept'],
        answers: ['已更换围挡并设置警示标识。', '已补齐全部点位的施工日志和验收记录，附整改前后对比照片。'],
      },
    ],
  });
  await addCheck(hard, 2, {
    on: '2026-09-16',
    people: '区政府督查室 王建国、区城管执法局 张强',
    methods: ['look', 'visit'],
    mode: 'covert',
    findings: '暗访发现：已完成点位总体较好，个别路段夜间仍有占道经营回潮，群众反映问题未建立长效机制。',
    points: [
      {
        requirement: '对占道经营回潮路段开展专项整治',
        due: '2026-09-30',
        steps: ['answer', 'accept'],
        answers: ['联合街道开展夜间专项整治 6 次，回潮路段已全部清理。'],
      },
      { requirement: '建立“路长制”长效管理机制并报送制度文件', due: '2026-12-31', steps: [], answers: [] },
    ],
  });
  await addCheck(second, 1, {
    on: '2026-07-08',
    people: '区政府督查室 刘洋',
    methods: ['ask', 'inspect'],
    mode: 'open',
    findings: '查阅资料发现部分进展报告缺少佐证材料。',
    points: [
      {
        requirement: '补充上半年进展的佐证材料',
        due: '2026-07-31',
        steps: ['answer'],
        answers: ['已补充上半年 6 份月报的现场照片和验收单。'],
      },
    ],
  });
  await addCheck(third, 1, {
    on: '2026-08-20',
    people: '区政府督查室 刘洋、陈静',
    methods: ['listen', 'look'],
    mode: 'open',
    findings: '工作推进有序，节点按期完成，未发现问题。',
    points: [],
  });

  // ---- rounds ----
  const rounds: number[] = [];
  const unitsSeen = new Set<number>();
  const openRound = async (v: {
    kind: 'quarterly' | 'midyear';
    asOf: string;
    openedOn: string;
    closeOn: string | null;
    confirmShare: number;
    differences: { resolution: 'accepted' | 'kept' | null; reason: string }[];
  }) => {
    if (v.openedOn > today) return;
    // The state of each task as of the date: its last status change and its last reported progress by then.
    const snap = await q<{
      id: number;
      lead_unit_id: number;
      title: string;
      status: string;
      progress: number;
      deadline: string;
    }>(
      `SELECT t.id, t.lead_unit_id, t.title, t.deadline::text AS deadline,
         coalesce((SELECT e.to_status FROM supervision_events e WHERE e.task_id = t.id AND e.to_status IS NOT NULL AND e.at < ($1::date + 1) ORDER BY e.at DESC, e.id DESC LIMIT 1), 'assigned') AS status,
         coalesce((SELECT e.progress FROM supervision_events e WHERE e.task_id = t.id AND e.progress IS NOT NULL AND e.at < ($1::date + 1) ORDER BY e.at DESC, e.id DESC LIMIT 1), 0) AS progress
       FROM supervision_tasks t
       WHERE t.year = 2026 AND t.lead_unit_id IS NOT NULL AND t.start_date <= $1 AND t.status NOT IN ('proposed','declined','merged')
       ORDER BY t.lead_unit_id, t.id`,
      [v.asOf],
    );
    const live = snap.filter((s) => LIVE.includes(s.status));
    if (!live.length) return;
    const [round] = await q<{ id: number }>(
      `INSERT INTO supervision_rounds(year, kind, title, as_of, opened_by, opened_by_name, opened_at) VALUES (2026,$1,$2,$3,$4,$5,$6) RETURNING id`,
      [v.kind, roundTitle(v.kind, v.asOf), v.asOf, office.id, office.display_name, `${v.openedOn}T02:00:00Z`],
    );
    rounds.push(round.id);
    const unitIds = [...new Set(live.map((s) => s.lead_unit_id))];
    const confirming = new Set(unitIds.filter(() => gen.next() < v.confirmShare));
    const diffs = [...v.differences];
    const rows = live.map((s) => {
      unitsSeen.add(s.lead_unit_id);
      const confirmed = confirming.has(s.lead_unit_id);
      const at = `${v.openedOn.slice(0, 8)}${String(Number(v.openedOn.slice(8)) + 3).padStart(2, '0')}T03:00:00Z`;
      const base = {
        round_id: round.id,
        task_id: s.id,
        unit_id: s.lead_unit_id,
        title: s.title,
        snap_status: s.status,
        snap_progress: s.progress,
        snap_light: null,
        snap_deadline: s.deadline,
        state: confirmed ? 'confirmed' : 'pending',
        claimed_status: null as string | null,
        claimed_progress: null as number | null,
        note: '',
        confirmed_by_name: confirmed ? '单位联络员' : null,
        confirmed_at: confirmed ? at : null,
        resolution: null as string | null,
        resolution_reason: '',
        resolved_by: null as number | null,
        resolved_by_name: null as string | null,
        resolved_at: null as string | null,
      };
      // A unit that confirms states a difference on some of its in-progress tasks.
      if (confirmed && diffs.length && stageOf(s.status) === 'in_progress' && s.progress < 90) {
        const d = diffs.shift()!;
        Object.assign(base, {
          state: 'differs',
          claimed_status: 'in_progress',
          claimed_progress: Math.min(100, s.progress + 15),
          note: '本季度末已完成的工作量未及时报送，台账进度偏低',
          resolution: d.resolution,
          resolution_reason: d.reason,
          resolved_by: d.resolution ? office.id : null,
          resolved_by_name: d.resolution ? office.display_name : null,
          resolved_at: d.resolution ? `${v.closeOn ?? v.openedOn}T01:00:00Z` : null,
        });
      }
      return base;
    });
    await q(
      `INSERT INTO supervision_round_rows(round_id, task_id, unit_id, title, snap_status, snap_progress, snap_light, snap_deadline, state, claimed_status, claimed_progress, note, confirmed_by_name, confirmed_at, resolution, resolution_reason, resolved_by, resolved_by_name, resolved_at)
       SELECT round_id, task_id, unit_id, title, snap_status, snap_progress, snap_light, snap_deadline, state, claimed_status, claimed_progress, note, confirmed_by_name, confirmed_at, resolution, resolution_reason, resolved_by, resolved_by_name, resolved_at
       FROM json_populate_recordset(null::supervision_round_rows, $1)`,
      [JSON.stringify(rows)],
    );
    if (v.closeOn && v.closeOn <= today) {
      const record = roundRecord(
        rows.map((r) => ({
          unitId: r.unit_id,
          state: r.state as 'pending',
          resolution: r.resolution as 'accepted' | null,
          progressApplied: false,
        })),
      );
      await q(
        `UPDATE supervision_rounds SET status = 'closed', closed_by = $2, closed_by_name = $3, closed_at = $4, close_note = $5, record = $6 WHERE id = $1`,
        [
          round.id,
          office.id,
          office.display_name,
          `${v.closeOn}T08:00:00Z`,
          '各单位已全部确认，差异已逐项核实处理。',
          JSON.stringify(record),
        ],
      );
    }
  };
  await openRound({
    kind: 'quarterly',
    asOf: '2026-03-31',
    openedOn: '2026-04-03',
    closeOn: '2026-04-20',
    confirmShare: 1,
    differences: [
      { resolution: 'accepted', reason: '经核实单位所报进度属实，以单位所报为准' },
      { resolution: 'kept', reason: '单位所报进度缺少佐证材料，维持台账记录' },
    ],
  });
  await openRound({
    kind: 'midyear',
    asOf: '2026-06-30',
    openedOn: '2026-07-02',
    closeOn: null,
    confirmShare: 0.6,
    differences: [
      { resolution: 'kept', reason: '节点材料未报送，维持台账' },
      { resolution: null, reason: '' },
    ],
  });
  await database.db.transaction(async (tx) => {
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.supervision.fieldwork',
      entityType: 'seed',
      entityId: 'supervision.fieldwork',
      after: { checks, points, rounds: rounds.length, units: unitsSeen.size },
    });
  });
}
