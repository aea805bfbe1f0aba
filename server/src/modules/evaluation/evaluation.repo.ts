import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  evaluationCampaigns,
  evaluationFrame,
  evaluationInvitations,
  evaluationPanel,
  evaluationQuestionnaires,
  evaluationResponses,
  evaluationResults,
} from './evaluation.table.js';
import { idList, rows } from '../../db/rows.js';
export { rows };

export type CampaignRow = typeof evaluationCampaigns.$inferSelect;
export type QuestionnaireRow = typeof evaluationQuestionnaires.$inferSelect;
export type InvitationRow = typeof evaluationInvitations.$inferSelect;

// ---------- questionnaires ----------

export async function questionnaires(db: Db) {
  return rows<QuestionnaireRow & { used_by: number; latest: boolean }>(
    db,
    sql`SELECT q.id, q.family_id AS "familyId", q.version, q.title, q.intro, q.questions, q.created_by AS "createdBy",
               q.created_at AS "createdAt",
               (SELECT count(*)::int FROM evaluation_campaigns c WHERE c.questionnaire_id = q.id) AS used_by,
               q.version = (SELECT max(version) FROM evaluation_questionnaires x WHERE x.family_id = q.family_id) AS latest
          FROM evaluation_questionnaires q ORDER BY q.family_id DESC, q.version DESC`,
  );
}

export async function findQuestionnaire(db: Db, id: number): Promise<QuestionnaireRow | null> {
  const [r] = await db.select().from(evaluationQuestionnaires).where(eq(evaluationQuestionnaires.id, id));
  return r ?? null;
}

export async function nextVersion(db: Db, familyId: number): Promise<number> {
  const [r] = await rows<{ v: number }>(
    db,
    sql`SELECT coalesce(max(version), 0)::int + 1 AS v FROM evaluation_questionnaires WHERE family_id = ${familyId}`,
  );
  return r.v;
}

// ---------- campaigns ----------

export async function findCampaign(db: Db, id: number, forUpdate = false): Promise<CampaignRow | null> {
  const q = db.select().from(evaluationCampaigns).where(eq(evaluationCampaigns.id, id));
  const [r] = forUpdate ? await q.for('update') : await q;
  return r ?? null;
}

export type CampaignListRow = CampaignRow & { invited: number; responded: number };
export async function campaigns(
  db: Db,
  f: { year?: number; kind?: string; status?: string; q?: string; unitIds?: number[] | null; publishedOnly?: boolean },
): Promise<CampaignListRow[]> {
  const where: SQL[] = [sql`true`];
  if (f.year) where.push(sql`c.year = ${f.year}`);
  if (f.kind) where.push(sql`c.kind = ${f.kind}`);
  if (f.status) where.push(sql`c.status = ${f.status}`);
  if (f.q) where.push(sql`c.title ILIKE ${'%' + f.q.replace(/[\\%_]/g, (m) => '\\' + m) + '%'}`);
  if (f.unitIds)
    where.push(
      sql`EXISTS (SELECT 1 FROM jsonb_array_elements_text(c.target_unit_ids) t WHERE t::int IN (${idList(f.unitIds)}))`,
    );
  if (f.publishedOnly) where.push(sql`c.status = 'published'`);
  return rows<CampaignListRow>(
    db,
    sql`SELECT c.id, c.year, c.kind, c.title, c.status, c.anonymous, c.period_from AS "periodFrom", c.period_to AS "periodTo",
               c.target_unit_ids AS "targetUnitIds", c.created_at AS "createdAt",
               (SELECT count(*)::int FROM evaluation_invitations i WHERE i.campaign_id = c.id) AS invited,
               (SELECT count(*)::int FROM evaluation_invitations i WHERE i.campaign_id = c.id AND i.responded_on IS NOT NULL) AS responded
          FROM evaluation_campaigns c WHERE ${sql.join(where, sql` AND `)}
         ORDER BY c.year DESC, c.id DESC LIMIT 500`,
  );
}

export async function panel(db: Db, campaignId: number) {
  return rows<{ id: number; name: string; unit_id: number; unit_name: string | null; roles: string[] }>(
    db,
    sql`SELECT u.id, u.display_name AS name, u.unit_id, un.name AS unit_name,
               coalesce((SELECT array_agg(r.role) FROM user_roles r WHERE r.user_id = u.id), '{}') AS roles
          FROM evaluation_panel p JOIN users u ON u.id = p.user_id LEFT JOIN units un ON un.id = u.unit_id
         WHERE p.campaign_id = ${campaignId} ORDER BY u.id`,
  );
}

export async function usersWithRoles(db: Db, ids: readonly number[]) {
  return rows<{ id: number; unit_id: number; active: boolean; roles: string[] }>(
    db,
    sql`SELECT u.id, u.unit_id, u.active, coalesce((SELECT array_agg(r.role) FROM user_roles r WHERE r.user_id = u.id), '{}') AS roles
          FROM users u WHERE u.id IN (${idList(ids)})`,
  );
}

export async function setPanel(tx: Db, campaignId: number, userIds: readonly number[]) {
  await tx.delete(evaluationPanel).where(eq(evaluationPanel.campaignId, campaignId));
  if (userIds.length) await tx.insert(evaluationPanel).values(userIds.map((userId) => ({ campaignId, userId })));
}

export async function frameCount(db: Db, campaignId: number): Promise<number> {
  const [r] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM evaluation_frame WHERE campaign_id = ${campaignId}`,
  );
  return r.n;
}

export async function frame(db: Db, campaignId: number, source: 'cases' | 'import') {
  return db
    .select()
    .from(evaluationFrame)
    .where(and(eq(evaluationFrame.campaignId, campaignId), eq(evaluationFrame.source, source)))
    .orderBy(asc(evaluationFrame.id));
}

export async function sentCount(db: Db, campaignId: number): Promise<number> {
  const [r] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM evaluation_invitations WHERE campaign_id = ${campaignId} AND sent_at IS NOT NULL`,
  );
  return r.n;
}

export async function samplePage(
  db: Db,
  campaignId: number,
  f: { unitId?: number; responded?: '1' | '0'; limit: number; offset: number },
) {
  const where: SQL[] = [sql`i.campaign_id = ${campaignId}`];
  if (f.unitId) where.push(sql`i.unit_id = ${f.unitId}`);
  if (f.responded === '1') where.push(sql`i.responded_on IS NOT NULL`);
  if (f.responded === '0') where.push(sql`i.responded_on IS NULL`);
  const w = sql.join(where, sql` AND `);
  const [t] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM evaluation_invitations i WHERE ${w}`);
  const page = await rows<{
    id: number;
    channel: 'sms' | 'app' | 'qr';
    unit_name: string | null;
    name: string;
    phone: string | null;
    case_id: number | null;
    sent_at: Date | null;
    reminders: number;
    responded_on: string | null;
    user_name: string | null;
  }>(
    db,
    sql`SELECT i.id, i.channel, un.name AS unit_name, i.name, i.phone, i.case_id, i.sent_at, i.reminders, i.responded_on::text AS responded_on,
               us.display_name AS user_name
          FROM evaluation_invitations i LEFT JOIN units un ON un.id = i.unit_id LEFT JOIN users us ON us.id = i.user_id
         WHERE ${w} ORDER BY i.unit_id NULLS FIRST, i.id LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
  return { total: t.n, rows: page };
}

/** The live dashboard: invitations and responses per stratum (unit; null for a panel), and responses per day. */
export async function dashboard(db: Db, campaignId: number) {
  const [strata, totals, byDay] = await Promise.all([
    rows<{ unit_id: number | null; invited: number; responded: number; sent: number }>(
      db,
      sql`SELECT unit_id, count(*)::int AS invited, count(responded_on)::int AS responded, count(sent_at)::int AS sent
            FROM evaluation_invitations WHERE campaign_id = ${campaignId} GROUP BY unit_id`,
    ),
    rows<{ flagged: number; excluded: number }>(
      db,
      sql`SELECT count(*) FILTER (WHERE cardinality(flags) > 0)::int AS flagged, count(*) FILTER (WHERE excluded)::int AS excluded
            FROM evaluation_responses WHERE campaign_id = ${campaignId}`,
    ),
    rows<{ day: string; n: number }>(
      db,
      sql`SELECT submitted_on::text AS day, count(*)::int AS n FROM evaluation_responses WHERE campaign_id = ${campaignId}
           GROUP BY submitted_on ORDER BY submitted_on`,
    ),
  ]);
  return { strata, totals: totals[0], byDay };
}

export async function responsesPage(
  db: Db,
  campaignId: number,
  f: { flagged?: '1' | '0'; excluded?: '1' | '0'; unitId?: number; limit: number; offset: number },
) {
  const where: SQL[] = [sql`r.campaign_id = ${campaignId}`];
  if (f.flagged === '1') where.push(sql`cardinality(r.flags) > 0`);
  if (f.flagged === '0') where.push(sql`cardinality(r.flags) = 0`);
  if (f.excluded === '1') where.push(sql`r.excluded`);
  if (f.excluded === '0') where.push(sql`NOT r.excluded`);
  if (f.unitId) where.push(sql`r.unit_id = ${f.unitId}`);
  const w = sql.join(where, sql` AND `);
  const [t] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM evaluation_responses r WHERE ${w}`);
  const page = await rows<{
    id: number;
    unit_name: string | null;
    submitted_on: string;
    duration_s: number | null;
    flags: string[];
    excluded: boolean;
    exclude_reason: string | null;
    answers: Record<string, unknown>;
  }>(
    db,
    sql`SELECT r.id, un.name AS unit_name, r.submitted_on::text AS submitted_on, r.duration_s, r.flags, r.excluded, r.exclude_reason, r.answers
          FROM evaluation_responses r LEFT JOIN units un ON un.id = r.unit_id
         WHERE ${w} ORDER BY r.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
  return { total: t.n, rows: page };
}

export async function findResponse(db: Db, id: number) {
  const [r] = await db.select().from(evaluationResponses).where(eq(evaluationResponses.id, id));
  return r ?? null;
}

/** Per-unit counts for closing: scored answers of valid responses, and all responses that scored each unit. */
export async function scoreTallies(db: Db, campaignId: number) {
  return rows<{
    unit_id: number;
    responses: number;
    valid: number;
    score_sum: number;
    score_count: number;
    l0: number;
    l1: number;
    l2: number;
    l3: number;
    l4: number;
  }>(
    db,
    sql`SELECT s.unit_id, count(DISTINCT s.response_id)::int AS responses,
               count(DISTINCT s.response_id) FILTER (WHERE NOT r.excluded)::int AS valid,
               coalesce(sum(s.score) FILTER (WHERE NOT r.excluded), 0)::float8 AS score_sum,
               count(*) FILTER (WHERE NOT r.excluded)::int AS score_count,
               count(*) FILTER (WHERE NOT r.excluded AND s.level = 0)::int AS l0,
               count(*) FILTER (WHERE NOT r.excluded AND s.level = 1)::int AS l1,
               count(*) FILTER (WHERE NOT r.excluded AND s.level = 2)::int AS l2,
               count(*) FILTER (WHERE NOT r.excluded AND s.level = 3)::int AS l3,
               count(*) FILTER (WHERE NOT r.excluded AND s.level = 4)::int AS l4
          FROM evaluation_scores s JOIN evaluation_responses r ON r.id = s.response_id
         WHERE s.campaign_id = ${campaignId} GROUP BY s.unit_id`,
  );
}

export async function invitationTallies(db: Db, campaignId: number) {
  return rows<{ unit_id: number | null; invited: number; responded: number }>(
    db,
    sql`SELECT unit_id, count(*)::int AS invited, count(responded_on)::int AS responded
          FROM evaluation_invitations WHERE campaign_id = ${campaignId} GROUP BY unit_id`,
  );
}

/** Panel invitations per evaluator unit (mutual evaluation: a unit's own evaluators are not invited to rate it). */
export async function panelUnits(db: Db, campaignId: number) {
  return rows<{ unit_id: number; n: number }>(
    db,
    sql`SELECT u.unit_id, count(*)::int AS n FROM evaluation_invitations i JOIN users u ON u.id = i.user_id
         WHERE i.campaign_id = ${campaignId} AND i.channel = 'app' GROUP BY u.unit_id`,
  );
}

export async function results(db: Db, campaignId: number, unitIds: number[] | null) {
  return db
    .select()
    .from(evaluationResults)
    .where(
      and(
        eq(evaluationResults.campaignId, campaignId),
        unitIds ? inArray(evaluationResults.unitId, unitIds.length ? unitIds : [0]) : undefined,
      ),
    )
    .orderBy(desc(evaluationResults.mapped), asc(evaluationResults.unitId));
}

/** Free-text answers of valid responses (only the text and the unit asked about), in text order so nothing follows submission order. */
export async function comments(db: Db, campaignId: number, keys: string[], unitIds: number[] | null) {
  if (!keys.length) return [];
  return rows<{ unit_id: number | null; key: string; text: string }>(
    db,
    sql`SELECT r.unit_id, k.key, r.answers ->> k.key AS text
          FROM evaluation_responses r CROSS JOIN unnest(${sql.raw(`ARRAY[${keys.map((k) => `'${k}'`).join(',')}]`)}::text[]) AS k(key)
         WHERE r.campaign_id = ${campaignId} AND NOT r.excluded AND coalesce(r.answers ->> k.key, '') <> ''
           ${unitIds ? sql`AND r.unit_id IN (${idList(unitIds)})` : sql``}
         ORDER BY 3 LIMIT 2000`,
  );
}

export async function inbox(db: Db, userId: number) {
  return rows<{
    campaign_id: number;
    title: string;
    kind: string;
    period_to: string;
    status: string;
    responded_on: string | null;
    targets: number;
  }>(
    db,
    sql`SELECT c.id AS campaign_id, c.title, c.kind, c.period_to::text AS period_to, c.status, i.responded_on::text AS responded_on,
               jsonb_array_length(c.target_unit_ids)::int AS targets
          FROM evaluation_invitations i JOIN evaluation_campaigns c ON c.id = i.campaign_id
         WHERE i.user_id = ${userId} AND i.channel = 'app' AND c.status <> 'draft'
         ORDER BY (i.responded_on IS NULL AND c.status = 'open') DESC, c.id DESC`,
  );
}

export async function invitationOf(db: Db, campaignId: number, userId: number): Promise<InvitationRow | null> {
  const [r] = await db
    .select()
    .from(evaluationInvitations)
    .where(
      and(
        eq(evaluationInvitations.campaignId, campaignId),
        eq(evaluationInvitations.userId, userId),
        eq(evaluationInvitations.channel, 'app'),
      ),
    );
  return r ?? null;
}

export async function findInvitation(db: Db, id: number): Promise<InvitationRow | null> {
  const [r] = await db.select().from(evaluationInvitations).where(eq(evaluationInvitations.id, id));
  return r ?? null;
}

export async function findInvitations(db: Db, ids: readonly number[]): Promise<InvitationRow[]> {
  if (!ids.length) return [];
  return db
    .select()
    .from(evaluationInvitations)
    .where(inArray(evaluationInvitations.id, [...ids]));
}

export async function unitNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const r = await rows<{ id: number; name: string }>(db, sql`SELECT id, name FROM units WHERE id IN (${idList(ids)})`);
  return new Map(r.map((x) => [x.id, x.name]));
}

/** Users who may sit on a panel: evaluators and district leaders (or unit leaders, for mutual evaluation). */
export async function evaluators(db: Db, roles: readonly string[]) {
  return rows<{ id: number; name: string; unit_id: number; unit_name: string | null; roles: string[] }>(
    db,
    sql`SELECT u.id, u.display_name AS name, u.unit_id, un.name AS unit_name, array_agg(r.role) AS roles
          FROM users u JOIN user_roles r ON r.user_id = u.id LEFT JOIN units un ON un.id = u.unit_id
         WHERE u.active AND r.role IN (${sql.join(
           roles.map((r) => sql`${r}`),
           sql`, `,
         )})
         GROUP BY u.id, un.name ORDER BY u.id LIMIT 2000`,
  );
}

/** Earlier responses per (campaign, address) and (campaign, device) of a batch's responses (quality flags). */
export async function sourceCounts(
  db: Db,
  items: readonly { campaignId: number; ipHash: string; deviceHash: string | null }[],
): Promise<{ ip: Map<string, number>; device: Map<string, number> }> {
  const pairs = (key: 'ip_hash' | 'device_hash', list: [number, string][]) =>
    list.length
      ? rows<{ campaign_id: number; h: string; n: number }>(
          db,
          sql`SELECT r.campaign_id, r.${sql.raw(key)} AS h, count(*)::int AS n
                FROM evaluation_responses r
                JOIN (SELECT * FROM json_to_recordset(${JSON.stringify(list.map(([c, h]) => ({ c, h })))}::json) AS x(c int, h text)) x
                  ON r.campaign_id = x.c AND r.${sql.raw(key)} = x.h
               GROUP BY 1, 2`,
        )
      : Promise.resolve([]);
  const uniq = (xs: [number, string][]) => [...new Map(xs.map((x) => [`${x[0]}|${x[1]}`, x])).values()];
  const [ip, dev] = await Promise.all([
    pairs('ip_hash', uniq(items.map((i) => [i.campaignId, i.ipHash]))),
    pairs(
      'device_hash',
      uniq(items.flatMap((i) => (i.deviceHash ? [[i.campaignId, i.deviceHash] as [number, string]] : []))),
    ),
  ]);
  return {
    ip: new Map(ip.map((r) => [`${r.campaign_id}|${r.h}`, r.n])),
    device: new Map(dev.map((r) => [`${r.campaign_id}|${r.h}`, r.n])),
  };
}
