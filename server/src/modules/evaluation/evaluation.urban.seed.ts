/**
 * The demo's 社会监督评价 of the 2026 urban-management scheme (信息化城市管理监督评价考核, code `urban`):
 * a first-half-year campaign in which NPC deputies, CPPCC members and special supervisors (the evaluator
 * accounts of the evaluation seed) rate the streets, towns and city-management departments the scheme
 * assesses. It is closed by the real closing code, which writes each unit's mean (百分制) into the
 * scheme's `evaluation` leaf WB3 for 2026-06, and published.
 *
 * What an evaluator answers follows what the assessing body saw on its spot checks of the unit (the
 * unit's average spot-check score), with each evaluator's own spread — the two outside views of a unit
 * agree roughly, as they do in practice, without either being derived from the scheme's result.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { insertMany } from '../../db/bulk.js';
import { rng } from '../../engine/random.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { recordAudit } from '../audit/index.js';
import { DEFAULT_QUALITY, levelScore, ownFlags } from './evaluation.logic.js';
import { closeCampaign } from './evaluation.service.js';
import {
  evaluationCampaigns,
  evaluationInvitations,
  evaluationPanel,
  evaluationQuestionnaires,
  evaluationResponses,
  evaluationScores,
  type Question,
} from './evaluation.table.js';

const TITLE = '2026年上半年城市管理社会监督评价';

export async function seedUrbanEvaluation(database: Database): Promise<void> {
  const q = database.query.bind(database);
  const db = database.db;
  const [scheme] = await q<{ id: number; units_assessed: { categoryIds: number[]; unitIds: number[] } }>(
    `SELECT id, units_assessed FROM assessment_years WHERE year = 2026 AND kind = 'special' AND code = 'urban'`,
  );
  if (!scheme) return;
  const [leaf] = await q<{ id: number }>(
    `SELECT id FROM indicators WHERE year_id = $1 AND code = 'WB3' AND data_source = 'evaluation'`,
    [scheme.id],
  );
  if (!leaf) return;
  const targets = await q<{ id: number; spot: number | null }>(
    `SELECT u.id, (SELECT avg(s.score)::float8 FROM spot_checks s WHERE s.year_id = $1 AND s.unit_id = u.id) AS spot
     FROM units u WHERE u.active AND (u.category_id = ANY($2::int[]) OR u.id = ANY($3::int[])) ORDER BY u.sort, u.id`,
    [scheme.id, scheme.units_assessed.categoryIds, scheme.units_assessed.unitIds],
  );
  // 24 deputies and members, and the 10 special supervisors (deputy31 … deputy40 in the evaluation seed).
  const panel = await q<{ id: number }>(
    `SELECT id FROM users WHERE username ~ '^deputy(0[2-9]|1[0-9]|2[0-5]|3[1-9]|40)$' AND active ORDER BY username`,
  );
  const [office] = await q<{ id: number }>(`SELECT id FROM users WHERE username = 'office'`);
  if (!targets.length || !panel.length) return;

  const questions: Question[] = [
    {
      key: 'rate',
      type: 'matrix',
      title: '请对各单位城市管理工作（市容环境、街面秩序、问题处置）评价',
      required: true,
      rowsAreTargets: true,
      scale: 'satisfaction5',
    },
    { key: 'memo', type: 'text', title: '意见和建议', required: false },
  ];
  const [qn] = await insertMany(
    db,
    evaluationQuestionnaires,
    [
      {
        title: '城市管理社会监督评价表',
        intro: '请人大代表、政协委员、特约监督员根据日常观察和走访，对各单位上半年城市管理工作作出评价。',
        questions,
        createdBy: office?.id ?? null,
      },
    ],
    ['id'],
  );
  await q(`UPDATE evaluation_questionnaires SET family_id = id WHERE id = $1`, [qn.id]);
  const [camp] = await insertMany(
    db,
    evaluationCampaigns,
    [
      {
        year: 2026,
        kind: 'deputies' as const,
        title: TITLE,
        status: 'open' as const,
        questionnaireId: qn.id,
        targetUnitIds: targets.map((t) => t.id).sort((a, b) => a - b),
        periodFrom: '2026-01-01',
        periodTo: '2026-06-30',
        anonymous: false,
        mapping: {
          schemeId: scheme.id,
          indicatorIds: [leaf.id],
          mode: 'mean',
          levelWeights: [1, 1, 1, 0, 0],
          formula: null,
        },
        quality: DEFAULT_QUALITY,
        salt: randomBytes(24).toString('base64url'),
        createdBy: office?.id ?? null,
        openedAt: new Date('2026-06-10T01:00:00Z'),
      },
    ],
    ['id'],
  );
  await insertMany(
    db,
    evaluationPanel,
    panel.map((p) => ({ campaignId: camp.id, userId: p.id })),
  );
  const invs = await insertMany(
    db,
    evaluationInvitations,
    panel.map((p) => ({
      campaignId: camp.id,
      channel: 'app' as const,
      userId: p.id,
      sentAt: new Date('2026-06-10T02:00:00Z'),
    })),
    ['id', 'userId'],
  );
  const g = rng(20260630);
  // A unit's standing with the evaluators: its spot-check average (60 … 100) on a 0 … 4 level scale.
  const level = (spot: number | null, lenient: number) => {
    const base = spot === null ? 1.6 : (100 - spot) / 12;
    return Math.max(0, Math.min(4, Math.round(base + lenient + (g.next() - 0.5) * 1.6)));
  };
  const responses: (typeof evaluationResponses.$inferInsert)[] = [];
  const scores: Omit<typeof evaluationScores.$inferInsert, 'responseId'>[][] = [];
  const answered: { id: number; on: string }[] = [];
  for (const inv of invs) {
    if (g.next() > 0.88) continue; // about one in eight did not answer
    const lenient = (g.next() - 0.5) * 0.8;
    const rate: Record<string, number> = {};
    const mine: Omit<typeof evaluationScores.$inferInsert, 'responseId'>[] = [];
    for (const t of targets) {
      const l = level(t.spot, lenient);
      rate[String(t.id)] = l;
      mine.push({ campaignId: camp.id, unitId: t.id, questionKey: 'rate', score: levelScore(l), level: l });
    }
    const on = `2026-06-${String(12 + Math.floor(g.next() * 17)).padStart(2, '0')}`;
    answered.push({ id: inv.id, on });
    responses.push({
      campaignId: camp.id,
      invitationId: inv.id,
      respondentId: inv.userId,
      unitId: null,
      answers: { rate },
      submittedOn: on,
      durationS: 240 + Math.floor(g.next() * 900),
      ipHash: createHash('sha256').update(`${camp.id}|${inv.id}`).digest('hex').slice(0, 32),
      flags: ownFlags(
        mine.map((m) => ({ unitId: m.unitId, key: m.questionKey, score: m.score, level: m.level ?? null })),
        300,
        DEFAULT_QUALITY,
      ),
    });
    scores.push(mine);
  }
  const ids = await insertMany(db, evaluationResponses, responses, ['id']);
  await insertMany(
    db,
    evaluationScores,
    scores.flatMap((list, i) => list.map((s) => ({ ...s, responseId: ids[i].id }))),
  );
  await q(
    `UPDATE evaluation_invitations i SET responded_on = x.on::date FROM json_to_recordset($1::json) AS x(id bigint, "on" text) WHERE i.id = x.id`,
    [JSON.stringify(answered)],
  );
  const closed = await closeCampaign(db, SYSTEM_ACTOR, camp.id);
  await q(
    `UPDATE evaluation_campaigns SET closed_at = '2026-07-02T02:00:00Z', status = 'published', published_at = '2026-07-03T02:00:00Z' WHERE id = $1`,
    [camp.id],
  );
  await db.transaction(async (tx) =>
    recordAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.evaluation_urban',
      entityType: 'seed',
      entityId: 'evaluation-urban',
      after: { campaignId: camp.id, responses: responses.length, inputs: closed.inputs },
    }),
  );
}
