/**
 * Demo 好差评: a year of ratings of the demo's closed cases (invited when each closed, most rated within
 * three days, the rest reminded), with the 差评 rectifications in every state, and the NPC deputy's
 * reviewer profile; the 2026 leaf C3_04 fed by the rates. Bulk: one INSERT … SELECT for the ratings, one insert for the rectifications.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { insertMany } from '../../db/bulk.js';
import { rng } from '../../engine/random.js';
import { beijingDate } from '../../engine/workdays.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import { loadCalendar } from '../calendar/index.js';
import { syncScoreInputs } from './ratings.inputs.js';
import { rectificationDue } from './ratings.rules.js';
import { ratingRectifications, type RectificationStatus } from './ratings.table.js';

const COMMENTS_BAD = [
  '问题反映多次仍未解决',
  '办理人员态度敷衍，没有实地查看',
  '答复内容与实际情况不符',
  '处理太慢，超过承诺时限',
  '只是电话回复，问题依旧',
];
const COMMENTS_GOOD = ['处理及时，非常感谢', '工作人员很负责', '', '', '问题已解决', '回复清楚'];
const CALLBACKS = [
  '已电话回访诉求人，了解到问题仍反复出现，约定再次上门核查',
  '已回访，诉求人反映处理人员未到现场，已致歉并重新安排',
  '已回访诉求人，说明办理情况并听取意见',
];
const RESULTS = [
  '已安排专人上门复查，问题已彻底解决，诉求人表示认可',
  '已对相关人员进行批评教育，建立问题销号台账',
  '已完善办理流程，增加现场核实环节',
];

export async function seedRatings(database: Database): Promise<void> {
  const { db } = database;
  const q = <T>(text: string, params: unknown[] = []) => database.query<T>(text, params);
  const r = rng(20261206);
  // Ratings of the demo's closed cases of the last year (those with a phone and a department).
  await q(
    `WITH c AS (
       SELECT id, number, lead_unit_id, requester_phone, closed_at,
              abs(hashtext('rate' || id)) % 1000 AS h, abs(hashtext('level' || id)) % 100 AS l,
              abs(hashtext('delay' || id)) % 96 AS dh
         FROM cases
        WHERE status = 'closed' AND closed_at IS NOT NULL AND lead_unit_id IS NOT NULL AND requester_phone <> ''
          AND closed_at > now() - interval '365 days'
     ), x AS (
       SELECT c.*, (h < 860 AND closed_at + make_interval(hours => dh) < now()) AS rated,
              CASE WHEN l < 46 THEN 'very_satisfied' WHEN l < 76 THEN 'satisfied' WHEN l < 88 THEN 'basic'
                   WHEN l < 95 THEN 'unsatisfied' ELSE 'very_unsatisfied' END AS lvl
         FROM c
     )
     INSERT INTO service_ratings (subject_kind, subject_id, subject_ref, unit_id, round, phone, token_hash, status,
                                  invited_at, reminded_at, rated_at, level, aspects, comment)
     SELECT 'case', id, number, lead_unit_id, 1, requester_phone, md5('seed-a' || id) || md5('seed-b' || id),
            CASE WHEN rated THEN 'rated' ELSE 'invited' END,
            closed_at,
            CASE WHEN (rated AND dh > 72) OR (NOT rated AND closed_at < now() - interval '3 days')
                 THEN closed_at + interval '3 days' END,
            CASE WHEN rated THEN closed_at + make_interval(hours => dh) END,
            CASE WHEN rated THEN lvl END,
            CASE WHEN rated THEN jsonb_build_object('attitude', lvl, 'efficiency',
                   CASE WHEN h % 3 = 0 AND lvl = 'very_satisfied' THEN 'satisfied' ELSE lvl END, 'result', lvl) ELSE '{}' END,
            CASE WHEN NOT rated THEN ''
                 WHEN lvl IN ('unsatisfied','very_unsatisfied') THEN (ARRAY[${COMMENTS_BAD.map((s) => `'${s}'`).join(',')}])[1 + h % ${COMMENTS_BAD.length}]
                 ELSE (ARRAY[${COMMENTS_GOOD.map((s) => `'${s}'`).join(',')}])[1 + h % ${COMMENTS_GOOD.length}] END
       FROM x ORDER BY closed_at, id`,
  );
  const bad = await q<{ id: number; unit_id: number; rated_at: string | Date }>(
    `SELECT id, unit_id, rated_at FROM service_ratings WHERE level IN ('unsatisfied','very_unsatisfied') ORDER BY rated_at, id`,
  );
  const cal = await loadCalendar(db);
  const now = new Date();
  const today = beijingDate(now);
  const [office] = await q<{ id: number }>(`SELECT id FROM users WHERE username = 'office'`);
  const rows: (typeof ratingRectifications.$inferInsert)[] = [];
  for (const b of bad) {
    const ratedAt = new Date(b.rated_at);
    const due = rectificationDue(cal, beijingDate(ratedAt));
    const ageDays = (now.getTime() - ratedAt.getTime()) / 86_400_000;
    const at = (days: number) => new Date(Math.min(now.getTime() - 3_600_000, ratedAt.getTime() + days * 86_400_000));
    let status: RectificationStatus;
    if (ageDays < 2) status = r.chance(0.6) ? 'open' : 'called_back';
    else if (due >= today)
      status = r.pick(['called_back', 'called_back', 'submitted', 'submitted', 'returned', 'accepted']);
    else {
      const p = r.next();
      status =
        p < 0.78 ? 'accepted' : p < 0.84 ? 'submitted' : p < 0.9 ? 'returned' : p < 0.95 ? 'called_back' : 'open';
    }
    const called = status !== 'open';
    const submitted = status === 'submitted' || status === 'returned' || status === 'accepted';
    const reviewed = status === 'returned' || status === 'accepted';
    rows.push({
      ratingId: b.id,
      unitId: b.unit_id,
      status,
      dueDate: due,
      calledBackAt: called ? at(r.real(0.2, 1.5)) : null,
      callbackNote: called ? r.pick(CALLBACKS) : '',
      result: submitted ? r.pick(RESULTS) : '',
      submittedAt: submitted ? at(r.real(3, 12)) : null,
      reviewedAt: reviewed ? at(r.real(12, 16)) : null,
      reviewedBy: reviewed ? (office?.id ?? null) : null,
      reviewNote:
        status === 'returned' ? '整改措施不具体，请补充整改台账和回访记录' : status === 'accepted' ? '同意' : '',
      returns: status === 'returned' ? 1 : status === 'accepted' && r.chance(0.15) ? 1 : 0,
      createdAt: ratedAt,
    });
  }
  const [count] = await q<{ n: number }>('SELECT count(*)::int AS n FROM service_ratings');
  // The `ratings` leaf of the 2026 tree: C3_04 政务服务好差评满意率, 1 point taken from C3_03.
  const [year] = await q<{ id: number; year: number }>(
    "SELECT id, year FROM assessment_years WHERE year = 2026 AND kind = 'annual'",
  );
  if (year) {
    const [c3] = await q<{ id: number }>("SELECT id FROM indicators WHERE year_id = $1 AND code = 'C3'", [year.id]);
    const [c33] = await q<{ id: number }>("SELECT id FROM indicators WHERE year_id = $1 AND code = 'C3_03'", [year.id]);
    if (c3 && c33) {
      await q('UPDATE indicators SET points = points - 1 WHERE id = $1', [c33.id]);
      await q(
        `INSERT INTO indicators (year_id, parent_id, code, name, level, points, sort, unit_of_measure, description, applies_to,
                                 assessing_unit_id, data_source, direction, method, aggregate)
         VALUES ($1, $2, 'C3_04', '政务服务好差评满意率', 3, 1, 40, '%',
                 '办件办结后群众“好差评”中非常满意、满意、基本满意的比例（年初至当月累计）；以 70% 为基准值、95% 为标杆值线性计分',
                 '{"categoryIds":[],"unitIds":[]}', (SELECT id FROM units WHERE code = 'RXZX'), 'ratings', 'positive', $3, 'last')`,
        [year.id, c3.id, JSON.stringify({ kind: 'benchmark', baseline: 70, benchmark: 95 })],
      );
    }
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 2000) await insertMany(tx, ratingRectifications, rows.slice(i, i + 2000));
    // The NPC deputy gives professional reviews of unsatisfied cases.
    await tx.execute(
      sql`INSERT INTO reviewer_profiles (user_id, kind, title) SELECT id, 'npc_deputy', '区人大代表' FROM users WHERE username = 'evaluator' ON CONFLICT DO NOTHING`,
    );
    const inputs = year ? (await syncScoreInputs(tx, { year: year.year, on: today })).inputs : 0;
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.ratings',
      entityType: 'seed',
      entityId: 'ratings',
      after: { ratings: count?.n ?? 0, rectifications: rows.length, inputs },
    });
  });
}
