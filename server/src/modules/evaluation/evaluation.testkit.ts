/** Test helpers of the evaluation module: a campaign with stored per-unit results, written straight into the tables. */
import type { Database } from '../../db/client.js';

export type StoredResult = {
  unitId: number;
  valid: number;
  mean: number | null;
  satisfactionRate: number | null;
  /** Answers per level, 非常满意 first. */
  distribution: number[];
};

/** A campaign of `year` in `status` whose results per unit are `results` (its targets are their units); returns its id. */
export async function campaignWithResults(
  database: Database,
  c: {
    year: number;
    title: string;
    status: 'draft' | 'open' | 'closed' | 'published';
    periodFrom: string;
    periodTo: string;
    kind?: string;
    results: StoredResult[];
  },
): Promise<number> {
  const q = database.query.bind(database);
  const [qn] = (await q<{ id: number }>(
    `INSERT INTO evaluation_questionnaires(title, questions) VALUES ('测试问卷', '[]') RETURNING id`,
  )) as { id: number }[];
  const [camp] = (await q<{ id: number }>(
    `INSERT INTO evaluation_campaigns(year, kind, title, status, questionnaire_id, target_unit_ids, period_from, period_to, salt)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'salt') RETURNING id`,
    [
      c.year,
      c.kind ?? 'public_survey',
      c.title,
      c.status,
      qn.id,
      JSON.stringify(c.results.map((r) => r.unitId)),
      c.periodFrom,
      c.periodTo,
    ],
  )) as { id: number }[];
  for (const r of c.results)
    await q(
      `INSERT INTO evaluation_results(campaign_id, unit_id, invited, responses, valid, mean, satisfaction_rate, distribution)
       VALUES ($1, $2, $3, $3, $4, $5, $6, $7)`,
      [camp.id, r.unitId, r.valid + 2, r.valid, r.mean, r.satisfactionRate, JSON.stringify(r.distribution)],
    );
  return camp.id;
}
