/**
 * Figures per department and month (kept in service_stats by the writes), the quarterly 电子监察
 * evaluation, the `approvals` score inputs, and the job's pass: lights of every open application and
 * step, warnings (预警/黄牌/红牌) with SMS to the responsible official and the unit leader.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { SYSTEM_ACTOR, type Ctx } from '../../lib/context.js';
import { enqueueSms } from '../../platform/sms/index.js';
import { recordAudit } from '../audit/index.js';
import { upsertScoreInputs, type ScoreInputWrite } from '../inputs/index.js';
import { getYearByYear, leavesFor, listIndicators } from '../performance/index.js';
import { listUnits } from '../units/index.js';
import * as repo from './services.repo.js';
import type { TFigure } from './services.schema.js';
import { today } from './services.service.js';

/** Who writes the approvals score inputs (shown with each input). */
export const INPUT_AUTHOR = '区效能监察中心（电子监察系统）';

const pct = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);
const avg = (n: number, d: number) => (d ? Math.round((n / d) * 10) / 10 : null);

export function presentFigure(r: repo.StatsRow): TFigure {
  return {
    departmentId: r.department_id,
    departmentName: r.department_name,
    applications: r.applications,
    completed: r.completed,
    early: r.early,
    onTime: r.on_time,
    overdue: r.overdue,
    refused: r.refused,
    earlyRate: pct(r.early, r.completed),
    onTimeRate: pct(r.on_time, r.completed),
    avgDaysUsed: avg(r.days_used, r.completed),
    avgDaysCommitted: avg(r.days_committed, r.completed),
    corrections: r.corrections,
    complaints: r.complaints,
    rated: r.rated,
    satisfaction: pct(r.rated - r.rated_bad, r.rated),
  };
}

const monthKey = (y: number, mth: number) => `${y}-${String(mth).padStart(2, '0')}`;

/** A month's figures (or the year's so far) per department the user sees. */
export async function figures(ctx: Ctx, year: number, month?: number): Promise<TFigure[]> {
  const months = month ? [monthKey(year, month)] : Array.from({ length: 12 }, (_, i) => monthKey(year, i + 1));
  const scope = await ctx.scope();
  return (await repo.statsFor(ctx.db, months, scope.all ? null : [...scope.unitIds])).map(presentFigure);
}

export type Grade = 'excellent' | 'good' | 'pass' | 'fail';

/**
 * The quarterly 电子监察 score of a department (pure): on-time rate 60 %, early-completion rate 25 %,
 * less 2 points per 1 % of applications complained about and 1 point per 1 % overdue beyond the on-time
 * share, kept within 0–100; 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, else 不合格. A department with nothing
 * completed is not ranked.
 */
export function evaluationScore(
  f: Pick<TFigure, 'completed' | 'early' | 'onTime' | 'overdue' | 'applications' | 'complaints'>,
): {
  score: number;
  grade: Grade;
} | null {
  if (!f.completed) return null;
  const onTime = (f.onTime / f.completed) * 100;
  const early = (f.early / f.completed) * 100;
  const complaints = f.applications ? (f.complaints / f.applications) * 100 : 0;
  const raw = 40 + onTime * 0.45 + early * 0.15 - complaints * 2;
  const score = Math.round(Math.max(0, Math.min(100, raw)) * 10) / 10;
  const grade: Grade = score >= 90 ? 'excellent' : score >= 80 ? 'good' : score >= 60 ? 'pass' : 'fail';
  return { score, grade };
}

export async function evaluation(ctx: Ctx, year: number, quarter: number) {
  const months = [0, 1, 2].map((i) => monthKey(year, (quarter - 1) * 3 + i + 1));
  const rows = (await repo.statsFor(ctx.db, months, null)).map(presentFigure);
  const ranked = rows
    .map((f) => ({ f, e: evaluationScore(f) }))
    .filter((x): x is { f: TFigure; e: { score: number; grade: Grade } } => x.e !== null)
    .sort((a, b) => b.e.score - a.e.score || a.f.departmentId - b.f.departmentId);
  return ranked.map((x, i) => ({ ...x.f, score: x.e.score, grade: x.e.grade, rank: i + 1 }));
}

/**
 * Writes the `approvals` score inputs of the year's months (value: the on-time rate of completed
 * applications, %; the other figures ride along in `fields`), for every leaf with that data source
 * that applies to the department. Like syncSupervisionScoreInputs, in the caller's transaction.
 */
export async function syncApprovalsScoreInputs(
  db: Db,
  v: { year: number; months?: readonly string[]; on?: string },
): Promise<{ inputs: number }> {
  const year = await getYearByYear(db, v.year);
  if (!year) return { inputs: 0 };
  const allIndicators = await listIndicators(db, year.id);
  if (!allIndicators.some((i) => i.dataSource === 'approvals')) return { inputs: 0 };
  const on = v.on ?? today();
  const months =
    v.months ?? Array.from({ length: 12 }, (_, i) => monthKey(v.year, i + 1)).filter((mk) => mk <= on.slice(0, 7));
  const units = new Map((await listUnits(db)).map((u) => [u.id, u]));
  const rows: ScoreInputWrite[] = [];
  const now = new Date();
  for (const period of months) {
    for (const r of await repo.statsFor(db, [period], null)) {
      const f = presentFigure(r);
      const unit = units.get(f.departmentId);
      if (!unit || f.onTimeRate === null) continue;
      for (const leaf of leavesFor(unit, allIndicators)) {
        if (leaf.dataSource !== 'approvals') continue;
        rows.push({
          yearId: year.id,
          indicatorId: leaf.id,
          unitId: f.departmentId,
          period,
          value: f.onTimeRate,
          fields: { ...f },
          source: 'approvals',
          sourceRef: `approvals:${f.departmentId}:${period}`,
          enteredBy: null,
          enteredByName: INPUT_AUTHOR,
          enteredAt: now,
        });
      }
    }
  }
  await upsertScoreInputs(db, rows);
  return { inputs: rows.length };
}

/** The job's statistics pass: this month's and last month's inputs. */
export async function statisticsPass(db: Db): Promise<{ inputs: number }> {
  const on = today();
  const [y, mth] = [Number(on.slice(0, 4)), Number(on.slice(5, 7))];
  const months = [monthKey(y, mth), ...(mth > 1 ? [monthKey(y, mth - 1)] : [])];
  return db.transaction(async (tx) => {
    const r = await syncApprovalsScoreInputs(tx, { year: y, months, on });
    if (r.inputs)
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: 'services.stats',
        entityType: 'score_inputs',
        entityId: `approvals:${y}-${mth}`,
        after: r,
      });
    return r;
  });
}

/** The light of a running clock as SQL, the same rule as clockLight (services.machine.ts). */
const lightSql = (t: string, on: string) =>
  sql.raw(`CASE WHEN ${t}.due_on IS NULL THEN NULL
    WHEN COALESCE(LEAST(${t}.paused_since, '${on}'::date), '${on}'::date) > ${t}.due_on THEN 'red'
    WHEN ${t}.yellow_on IS NOT NULL AND COALESCE(LEAST(${t}.paused_since, '${on}'::date), '${on}'::date) >= ${t}.yellow_on THEN 'yellow'
    ELSE 'green' END`);

/**
 * Flags 'out_of_order' on applications (open, or completed in the last two days) where a step of a later
 * stage started before a step of an earlier stage had ended: the state machine never does this, so it
 * catches what reached the tables another way (records synced from a department's own approval system,
 * hand edits). Returns the numbers newly flagged.
 */
export async function detectOutOfOrder(db: Db): Promise<string[]> {
  const flagged = await repo.rows<{ number: string }>(
    db,
    sql`UPDATE service_applications a SET anomalies = a.anomalies || '["out_of_order"]'::jsonb
         WHERE NOT a.anomalies ? 'out_of_order'
           AND (a.status IN ('in_progress', 'delivering') OR a.completed_at > now() - interval '2 days')
           AND EXISTS (
             SELECT 1 FROM service_steps later
               JOIN service_steps earlier ON earlier.application_id = later.application_id AND earlier.seq < later.seq
              WHERE later.application_id = a.id AND later.started_at IS NOT NULL AND earlier.status <> 'cancelled'
                AND (earlier.ended_at IS NULL OR later.started_at < earlier.ended_at))
        RETURNING a.number`,
  );
  return flagged.map((r) => r.number);
}

/**
 * Refreshes the lights of open steps and applications as of a date (statements over the open rows
 * only), records a warning for every application whose light rose to yellow or red since its last
 * warning, and queues an SMS to the officials of its open steps and the leaders of its department;
 * flags steps run out of order (detectOutOfOrder).
 */
export async function lightsAndWarnings(
  db: Db,
  on = today(),
): Promise<{ yellow: number; red: number; sms: number; outOfOrder: number }> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(on)) throw new Error('bad date');
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`UPDATE service_steps s SET light = ${lightSql('s', on)}
           WHERE s.status IN ('pending','signed','correction') AND s.light IS DISTINCT FROM (${lightSql('s', on)})`,
    );
    await tx.execute(sql`
      UPDATE service_applications a SET light = x.light, light_reasons = x.reasons
        FROM (
          SELECT a.id,
                 CASE WHEN GREATEST(CASE own WHEN 'red' THEN 2 WHEN 'yellow' THEN 1 ELSE 0 END, COALESCE(steps, 0)) = 2 THEN 'red'
                      WHEN GREATEST(CASE own WHEN 'red' THEN 2 WHEN 'yellow' THEN 1 ELSE 0 END, COALESCE(steps, 0)) = 1 THEN 'yellow'
                      ELSE 'green' END AS light,
                 (SELECT COALESCE(jsonb_agg(r), '[]'::jsonb) FROM unnest(ARRAY[
                    CASE own WHEN 'red' THEN 'overdue' WHEN 'yellow' THEN 'near_due' END,
                    CASE WHEN steps_red THEN 'step_overdue' END,
                    CASE WHEN steps_yellow THEN 'step_near_due' END]) r WHERE r IS NOT NULL) AS reasons
            FROM (
              SELECT a.id, ${lightSql('a', on)} AS own,
                     (SELECT max(CASE s.light WHEN 'red' THEN 2 WHEN 'yellow' THEN 1 ELSE 0 END) FROM service_steps s
                       WHERE s.application_id = a.id AND s.status IN ('pending','signed','correction')) AS steps,
                     EXISTS (SELECT 1 FROM service_steps s WHERE s.application_id = a.id AND s.status IN ('pending','signed','correction') AND s.light = 'red') AS steps_red,
                     EXISTS (SELECT 1 FROM service_steps s WHERE s.application_id = a.id AND s.status IN ('pending','signed','correction') AND s.light = 'yellow') AS steps_yellow
                FROM service_applications a WHERE a.status IN ('in_progress','delivering')
            ) a
        ) x
       WHERE a.id = x.id AND (a.light IS DISTINCT FROM x.light OR a.light_reasons <> x.reasons)`);
    const rising = await repo.rows<{
      id: number;
      number: string;
      department_id: number;
      light: 'yellow' | 'red';
      item_name: string;
    }>(
      tx,
      sql`SELECT a.id::int AS id, a.number, a.department_id, a.light, i.name AS item_name
            FROM service_applications a JOIN service_items i ON i.id = a.item_id
           WHERE a.status IN ('in_progress','delivering') AND a.light IN ('yellow','red')
             AND (a.warned IS NULL OR (a.warned = 'yellow' AND a.light = 'red'))
           ORDER BY a.id LIMIT 5000`,
    );
    let sms = 0;
    for (const a of rising) {
      const phones = await repo.rows<{ phone: string }>(
        tx,
        sql`SELECT DISTINCT u.phone FROM users u
             WHERE u.active AND u.phone IS NOT NULL AND u.phone <> '' AND (
               u.id IN (SELECT s.official_id FROM service_steps s WHERE s.application_id = ${a.id} AND s.status IN ('pending','signed','correction'))
               OR (u.unit_id = ${a.department_id} AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'unit_leader')))`,
      );
      const level = a.light === 'red' ? '红牌（已超时）' : '黄牌（已用承诺时限 90%）';
      const text = `办件${a.number}「${a.item_name.slice(0, 30)}」${level}，请及时办理。——电子监察`;
      await enqueueSms(
        tx,
        phones.map((p) => ({ caseId: null, phone: p.phone, template: 'services_warning' as const, params: { text } })),
      );
      await tx.execute(
        sql`INSERT INTO service_warnings (application_id, level, department_id, notified) VALUES (${a.id}, ${a.light}, ${a.department_id}, ${phones.length})`,
      );
      await tx.execute(sql`UPDATE service_applications SET warned = ${a.light} WHERE id = ${a.id}`);
      sms += phones.length;
    }
    const yellow = rising.filter((a) => a.light === 'yellow').length;
    const red = rising.length - yellow;
    const outOfOrder = await detectOutOfOrder(tx);
    if (rising.length || outOfOrder.length)
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: 'services.warn',
        entityType: 'service_application',
        entityId: null,
        after: { yellow, red, sms, outOfOrder },
      });
    return { yellow, red, sms, outOfOrder: outOfOrder.length };
  });
}
