/**
 * Evaluation campaigns (多元评价): questionnaires, campaigns, sampling and invitations, responses (in the
 * app and through the public one-time link), quality controls, and closing into per-unit results and
 * the score inputs of the mapped leaves. Every office write is audited in its transaction.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { insertMany } from '../../db/bulk.js';
import { coalesce, groupCommit, type Settled } from '../../lib/groupcommit.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { FormulaError } from '../../engine/formula.js';
import { beijingDate } from '../../engine/workdays.js';
import { enqueueSms } from '../../platform/sms/index.js';
import { recordAudit } from '../audit/index.js';
import { closedCaseContacts } from '../cases/index.js';
import { upsertScoreInputs, type ScoreInputWrite } from '../inputs/index.js';
import { getYearByYear, leavesFor, listIndicators, listSchemes, type TYear } from '../performance/index.js';
import { listUnits } from '../units/index.js';
import {
  allocate,
  checkFormula,
  DEFAULT_QUALITY,
  drawSample,
  ownFlags,
  scoreAnswers,
  unitResult,
  type UnitResult,
} from './evaluation.logic.js';
import { consultationBackground } from './evaluation.consultation.js';
import * as repo from './evaluation.repo.js';
import type {
  TAnswerInput,
  TCampaign,
  TCampaignInput,
  TCampaignQuery,
  TCampaignRow,
  TDashboard,
  TForm,
  TQuestionnaire,
  TQuestionnaireInput,
  TResults,
  TSampleInput,
} from './evaluation.schema.js';
import {
  evaluationCampaigns,
  evaluationFrame,
  evaluationInvitations,
  evaluationQuestionnaires,
  evaluationResponses,
  evaluationResults,
  evaluationScores,
  SAMPLED_KINDS,
  type CampaignKind,
  type Mapping,
  type Question,
  type QualityFlag,
} from './evaluation.table.js';

/** The public page a one-time link opens. */
export const PUBLIC_PATH = '/public/survey/';
const INPUT_AUTHOR = '评议活动';

const today = () => beijingDate(new Date());
const iso = (d: Date | string | null) => (d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString());
const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

function userOf(ctx: Ctx) {
  if (!ctx.user) throw new AppError('UNAUTHENTICATED');
  return ctx.user;
}
const isOffice = (ctx: Ctx) => userOf(ctx).permissions.has('evaluation.manage');
const isSampled = (kind: CampaignKind) => SAMPLED_KINDS.includes(kind);

// ---------- tokens ----------

/** The one-time link's token of an invitation: its id in base 36 and an HMAC of it under the campaign's salt. */
export function invitationToken(salt: string, id: number): string {
  return `${id.toString(36)}-${createHmac('sha256', salt).update(String(id)).digest('base64url').slice(0, 16)}`;
}

async function invitationByToken(db: Db, token: string) {
  const [idPart] = token.split('-');
  const id = parseInt(idPart, 36);
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  const inv = await invitationLoader(db)(id);
  if (!inv) throw notFound();
  const camp = await campaignCached(db, inv.campaignId);
  if (!camp) throw notFound();
  const want = Buffer.from(invitationToken(camp.salt, id));
  const got = Buffer.from(token);
  if (want.length !== got.length || !timingSafeEqual(want, got)) throw notFound();
  return { inv, camp };
}

/**
 * The public page's campaign, kept for two seconds (busy surveys read it on every response); its salt,
 * questionnaire and targets never change once it is open, and the write itself checks it is still open.
 */
const invitationLoaders = new WeakMap<Db, (id: number) => Promise<repo.InvitationRow | null>>();
/** The public pages' invitation reads: concurrent ones in one query (each read after it was asked for, never cached). */
function invitationLoader(db: Db) {
  let l = invitationLoaders.get(db);
  if (!l) {
    l = coalesce<number, repo.InvitationRow>(
      async (ids) => new Map((await repo.findInvitations(db, ids)).map((r) => [r.id, r])),
    );
    invitationLoaders.set(db, l);
  }
  return l;
}

const campaignCache = new WeakMap<Db, Map<number, { at: number; row: repo.CampaignRow | null }>>();
async function campaignCached(db: Db, id: number): Promise<repo.CampaignRow | null> {
  let m = campaignCache.get(db);
  if (!m) campaignCache.set(db, (m = new Map()));
  const hit = m.get(id);
  if (hit && Date.now() - hit.at < 2000) return hit.row;
  const row = await repo.findCampaign(db, id);
  if (m.size > 1000) m.clear();
  m.set(id, { at: Date.now(), row });
  return row;
}

// ---------- questionnaires ----------

function presentQuestionnaire(q: repo.QuestionnaireRow, latest: boolean, usedBy: number): TQuestionnaire {
  return {
    id: q.id,
    familyId: q.familyId ?? q.id,
    version: q.version,
    latest,
    title: q.title,
    intro: q.intro,
    questions: q.questions as TQuestionnaire['questions'],
    createdAt: iso(q.createdAt)!,
    usedBy,
  };
}

export async function listQuestionnaires(ctx: Ctx): Promise<TQuestionnaire[]> {
  return (await repo.questionnaires(ctx.db)).map((q) => presentQuestionnaire(q, q.latest, q.used_by));
}

export async function getQuestionnaire(ctx: Ctx, id: number): Promise<TQuestionnaire> {
  const all = await listQuestionnaires(ctx);
  const q = all.find((x) => x.id === id);
  if (!q) throw notFound();
  return q;
}

/** A new questionnaire (version 1), or with `fromId` the next version of that questionnaire's family. */
export async function saveQuestionnaire(
  ctx: Ctx,
  input: TQuestionnaireInput,
  fromId?: number,
): Promise<TQuestionnaire> {
  const user = userOf(ctx);
  const id = await ctx.db.transaction(async (tx) => {
    let familyId: number | null = null;
    let version = 1;
    if (fromId !== undefined) {
      const from = await repo.findQuestionnaire(tx, fromId);
      if (!from) throw notFound();
      familyId = from.familyId ?? from.id;
      version = await repo.nextVersion(tx, familyId);
    }
    const [row] = await tx
      .insert(evaluationQuestionnaires)
      .values({
        familyId,
        version,
        title: input.title,
        intro: input.intro,
        questions: input.questions as Question[],
        createdBy: user.id,
      })
      .returning({ id: evaluationQuestionnaires.id });
    if (familyId === null)
      await tx
        .update(evaluationQuestionnaires)
        .set({ familyId: row.id })
        .where(eq(evaluationQuestionnaires.id, row.id));
    await recordAudit(tx, ctx.actor, {
      action: fromId === undefined ? 'evaluation.questionnaire.create' : 'evaluation.questionnaire.version',
      entityType: 'evaluation_questionnaire',
      entityId: row.id,
      after: { title: input.title, version, familyId: familyId ?? row.id, questions: input.questions.length },
    });
    return row.id;
  });
  return getQuestionnaire(ctx, id);
}

// ---------- campaigns ----------

async function resolveTargets(db: Db, input: TCampaignInput): Promise<number[]> {
  const units = await listUnits(db);
  const byId = new Map(units.map((u) => [u.id, u]));
  for (const [i, id] of input.targetUnitIds.entries())
    if (!byId.has(id)) throw invalid(`targetUnitIds.${i}`, '单位不存在', 'No such unit');
  const cats = new Set(input.targetCategoryIds);
  const fromCats = units.filter((u) => u.active && u.categoryId !== null && cats.has(u.categoryId)).map((u) => u.id);
  const out = [...new Set([...input.targetUnitIds, ...fromCats])].sort((a, b) => a - b);
  if (!out.length)
    throw invalid(
      'targetUnitIds',
      '请选择被评价单位（名单或类别）',
      'Choose the units to evaluate (a list or categories)',
    );
  return out;
}

/**
 * The scheme whose leaves a campaign feeds: the one named in the mapping (the annual one or a special
 * scheme of the campaign's year), else the year's annual scheme; null when there is none.
 */
async function mappedScheme(db: Db, year: number, m: Pick<Mapping, 'schemeId'>): Promise<TYear | null> {
  if (m.schemeId === undefined || m.schemeId === null) return getYearByYear(db, year);
  const all = await listSchemes(db, { year });
  return all.find((s) => s.id === m.schemeId) ?? null;
}

async function checkMapping(db: Db, year: number, m: TCampaignInput['mapping']): Promise<Mapping> {
  if (m.mode === 'formula') {
    if (!m.formula) throw invalid('mapping.formula', '请填写计算公式', 'Enter the formula');
    try {
      checkFormula(m.formula);
    } catch (e) {
      if (e instanceof FormulaError) throw invalid('mapping.formula', e.zh, e.en);
      throw e;
    }
  }
  const scheme = await mappedScheme(db, year, m);
  if (m.schemeId !== null && !scheme)
    throw invalid('mapping.schemeId', `不是 ${year} 年度的考核方案`, `Not a scheme of ${year}`);
  if (m.indicatorIds.length) {
    if (!scheme) throw invalid('mapping.indicatorIds', '该年度没有考核指标', 'The year has no indicators');
    const all = await listIndicators(db, scheme.id);
    const parents = new Set(all.map((i) => i.parentId));
    for (const [i, id] of m.indicatorIds.entries()) {
      const ind = all.find((x) => x.id === id);
      if (!ind || parents.has(id))
        throw invalid(
          `mapping.indicatorIds.${i}`,
          `不是「${scheme.name}」的末级指标`,
          `Not a leaf indicator of ${scheme.name}`,
        );
      if (ind.dataSource !== 'evaluation' && ind.dataSource !== 'third_party')
        throw invalid(
          `mapping.indicatorIds.${i}`,
          '只能对应数据来源为「评议评价」或「第三方」的指标',
          'Only leaves whose data source is evaluation or third party',
        );
    }
  }
  return {
    schemeId: m.schemeId,
    indicatorIds: m.indicatorIds,
    mode: m.mode,
    levelWeights: m.levelWeights,
    formula: m.formula,
  };
}

async function checkPanel(db: Db, kind: CampaignKind, userIds: readonly number[], targets: readonly number[]) {
  const found = new Map((await repo.usersWithRoles(db, userIds)).map((u) => [u.id, u]));
  const allowed = kind === 'mutual' ? ['unit_leader'] : ['evaluator', 'district_leader', 'main_leader'];
  for (const [i, id] of userIds.entries()) {
    const u = found.get(id);
    if (!u || !u.active) throw invalid(`panelUserIds.${i}`, '用户不存在或已停用', 'No such active user');
    if (!u.roles.some((r) => allowed.includes(r)))
      throw invalid(
        `panelUserIds.${i}`,
        kind === 'mutual' ? '互评的评价人须为被评单位的单位领导' : '评价人须具有评议人或区领导角色',
        kind === 'mutual'
          ? 'Mutual evaluation is answered by unit leaders of the target units'
          : 'Evaluators must hold the evaluator or district leader role',
      );
    if (kind === 'mutual' && !targets.includes(u.unit_id))
      throw invalid(`panelUserIds.${i}`, '互评的评价人须来自被评单位', 'Mutual evaluators come from the target units');
  }
}

async function validateCampaign(db: Db, input: TCampaignInput) {
  if (input.periodFrom > input.periodTo)
    throw invalid('periodTo', '结束日期不能早于开始日期', 'The end date is before the start date');
  if (!(await repo.findQuestionnaire(db, input.questionnaireId)))
    throw invalid('questionnaireId', '问卷不存在', 'No such questionnaire');
  const targets = await resolveTargets(db, input);
  const mapping = await checkMapping(db, input.year, input.mapping);
  if (isSampled(input.kind) && input.panelUserIds.length)
    throw invalid('panelUserIds', '抽样调查不设评价人名单', 'A sampled survey has no named panel');
  await checkPanel(db, input.kind, input.panelUserIds, targets);
  return { targets, mapping };
}

function presentRow(c: repo.CampaignListRow): TCampaignRow {
  return {
    id: c.id,
    year: c.year,
    kind: c.kind,
    title: c.title,
    status: c.status,
    anonymous: c.anonymous,
    periodFrom: String(c.periodFrom),
    periodTo: String(c.periodTo),
    targets: (c.targetUnitIds ?? []).length,
    invited: c.invited,
    responded: c.responded,
    createdAt: iso(c.createdAt)!,
  };
}

/** Campaigns: the office sees all; a unit's users the published campaigns about their units. */
export async function listCampaigns(ctx: Ctx, q: TCampaignQuery): Promise<TCampaignRow[]> {
  const scope = await ctx.scope();
  const office = isOffice(ctx);
  const unitIds = office || scope.all ? null : [...scope.unitIds];
  const rows = await repo.campaigns(ctx.db, { ...q, unitIds, publishedOnly: !office });
  return rows.map(presentRow);
}

async function loadManaged(ctx: Ctx, id: number, forUpdate = false) {
  if (!isOffice(ctx)) throw notFound();
  const c = await repo.findCampaign(ctx.db, id, forUpdate);
  if (!c) throw notFound();
  return c;
}

export async function getCampaign(ctx: Ctx, id: number): Promise<TCampaign> {
  const c = await loadManaged(ctx, id);
  const [q, panel, names, frameSize, sent, invitations] = await Promise.all([
    repo.findQuestionnaire(ctx.db, c.questionnaireId),
    repo.panel(ctx.db, id),
    repo.unitNames(ctx.db, c.targetUnitIds),
    repo.frameCount(ctx.db, id),
    repo.sentCount(ctx.db, id),
    repo.invitationTallies(ctx.db, id),
  ]);
  let indicators: TCampaign['indicators'] = [];
  const scheme = await mappedScheme(ctx.db, c.year, c.mapping);
  if (c.mapping.indicatorIds?.length && scheme)
    indicators = (await listIndicators(ctx.db, scheme.id))
      .filter((i) => c.mapping.indicatorIds.includes(i.id))
      .map((i) => ({ id: i.id, code: i.code, name: i.name }));
  const stratumNames = c.sampling
    ? await repo.unitNames(
        ctx.db,
        c.sampling.strata.map((s) => s.unitId),
      )
    : new Map();
  return {
    id: c.id,
    year: c.year,
    kind: c.kind,
    title: c.title,
    status: c.status,
    anonymous: c.anonymous,
    periodFrom: c.periodFrom,
    periodTo: c.periodTo,
    targets: c.targetUnitIds.length,
    invited: invitations.reduce((a, r) => a + r.invited, 0),
    responded: invitations.reduce((a, r) => a + r.responded, 0),
    createdAt: iso(c.createdAt)!,
    questionnaireId: c.questionnaireId,
    questionnaireTitle: q?.title ?? '',
    questionnaireVersion: q?.version ?? 1,
    questions: (q?.questions ?? []) as TCampaign['questions'],
    targetUnits: c.targetUnitIds.map((u) => ({ id: u, name: names.get(u) ?? String(u) })),
    panel: panel.map((p) => ({ id: p.id, name: p.name, unitName: p.unit_name })),
    mapping: {
      schemeId: c.mapping.schemeId ?? null,
      indicatorIds: c.mapping.indicatorIds ?? [],
      mode: c.mapping.mode ?? 'mean',
      levelWeights: c.mapping.levelWeights ?? [1, 1, 1, 0, 0],
      formula: c.mapping.formula ?? null,
    },
    indicators,
    scheme: scheme ? { id: scheme.id, name: scheme.name, kind: scheme.kind } : null,
    quality: { ...DEFAULT_QUALITY, ...c.quality },
    sampling: c.sampling
      ? {
          ...c.sampling,
          strata: c.sampling.strata.map((s) => ({ ...s, unitName: stratumNames.get(s.unitId) ?? String(s.unitId) })),
        }
      : null,
    frameSize,
    sent,
    openedAt: iso(c.openedAt),
    closedAt: iso(c.closedAt),
    publishedAt: iso(c.publishedAt),
  };
}

export async function createCampaign(ctx: Ctx, input: TCampaignInput): Promise<TCampaign> {
  const user = userOf(ctx);
  if (!isOffice(ctx)) throw forbidden();
  const { targets, mapping } = await validateCampaign(ctx.db, input);
  const id = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(evaluationCampaigns)
      .values({
        year: input.year,
        kind: input.kind,
        title: input.title,
        questionnaireId: input.questionnaireId,
        targetUnitIds: targets,
        periodFrom: input.periodFrom,
        periodTo: input.periodTo,
        anonymous: input.anonymous,
        mapping,
        quality: input.quality,
        salt: randomBytes(24).toString('base64url'),
        createdBy: user.id,
      })
      .returning({ id: evaluationCampaigns.id });
    await repo.setPanel(tx, row.id, input.panelUserIds);
    await recordAudit(tx, ctx.actor, {
      action: 'evaluation.campaign.create',
      entityType: 'evaluation_campaign',
      entityId: row.id,
      after: { ...input, targetUnitIds: targets },
    });
    return row.id;
  });
  return getCampaign(ctx, id);
}

export async function updateCampaign(ctx: Ctx, id: number, input: TCampaignInput): Promise<TCampaign> {
  const c = await loadManaged(ctx, id);
  if (c.status !== 'draft')
    throw new AppError('INVALID_STATE', {
      zh: '评议活动已开始，不能修改',
      en: 'The campaign has started and can no longer be changed',
    });
  const { targets, mapping } = await validateCampaign(ctx.db, input);
  await ctx.db.transaction(async (tx) => {
    const locked = await repo.findCampaign(tx, id, true);
    if (locked?.status !== 'draft') throw new AppError('INVALID_STATE');
    const sampleStale =
      input.kind !== c.kind ||
      JSON.stringify(targets) !== JSON.stringify(c.targetUnitIds) ||
      input.periodFrom !== c.periodFrom ||
      input.periodTo !== c.periodTo;
    await tx
      .update(evaluationCampaigns)
      .set({
        year: input.year,
        kind: input.kind,
        title: input.title,
        questionnaireId: input.questionnaireId,
        targetUnitIds: targets,
        periodFrom: input.periodFrom,
        periodTo: input.periodTo,
        anonymous: input.anonymous,
        mapping,
        quality: input.quality,
        ...(sampleStale ? { sampling: null } : {}),
      })
      .where(eq(evaluationCampaigns.id, id));
    if (sampleStale) await tx.delete(evaluationInvitations).where(eq(evaluationInvitations.campaignId, id));
    await repo.setPanel(tx, id, input.panelUserIds);
    await recordAudit(tx, ctx.actor, {
      action: 'evaluation.campaign.update',
      entityType: 'evaluation_campaign',
      entityId: id,
      before: { title: c.title, targetUnitIds: c.targetUnitIds, mapping: c.mapping },
      after: { ...input, targetUnitIds: targets },
    });
  });
  return getCampaign(ctx, id);
}

/** Candidates for a campaign's panel. */
export async function listEvaluators(ctx: Ctx, kind: CampaignKind) {
  if (!isOffice(ctx)) throw forbidden();
  const roles = kind === 'mutual' ? ['unit_leader'] : ['evaluator', 'district_leader', 'main_leader'];
  return (await repo.evaluators(ctx.db, roles)).map((u) => ({
    id: u.id,
    name: u.name,
    unitId: u.unit_id,
    unitName: u.unit_name,
    roles: u.roles,
  }));
}

// ---------- frame and sample ----------

const PHONE = /^1\d{10}$|^0\d{2,3}-?\d{7,8}$/;
export const FRAME_COLUMNS = [
  { key: 'unit', header: '单位', required: true, note: '被评价单位的名称或编码（须为本活动的被评价单位）' },
  { key: 'name', header: '姓名/企业', note: '受访对象名称，可空' },
  { key: 'phone', header: '手机号', required: true, note: '11 位手机号或带区号的固定电话' },
] as const;

/** Replaces the imported part of the sampling frame (all-or-nothing; problems per row and column). */
export async function importFrame(
  ctx: Ctx,
  id: number,
  parsed: { row: number; values: Record<'unit' | 'name' | 'phone', string> }[],
): Promise<{ imported: number; errors: { row: number; column: string; message: string }[] }> {
  const c = await loadManaged(ctx, id);
  if (c.status !== 'draft')
    throw new AppError('INVALID_STATE', { zh: '评议活动已开始，不能更换抽样框', en: 'The campaign has started' });
  const units = (await listUnits(ctx.db)).filter((u) => c.targetUnitIds.includes(u.id));
  const errors: { row: number; column: string; message: string }[] = [];
  const rows: (typeof evaluationFrame.$inferInsert)[] = [];
  for (const r of parsed) {
    const u = units.find((x) => x.name === r.values.unit || x.code === r.values.unit);
    if (!u) errors.push({ row: r.row, column: 'A', message: `「${r.values.unit}」不是本活动的被评价单位` });
    const phone = r.values.phone.replace(/\s/g, '');
    if (!PHONE.test(phone)) errors.push({ row: r.row, column: 'C', message: '手机号格式不正确' });
    if (u && PHONE.test(phone))
      rows.push({ campaignId: id, unitId: u.id, name: r.values.name.slice(0, 100), phone, source: 'import' });
  }
  if (errors.length) return { imported: 0, errors };
  await ctx.db.transaction(async (tx) => {
    await tx
      .delete(evaluationFrame)
      .where(and(eq(evaluationFrame.campaignId, id), eq(evaluationFrame.source, 'import')));
    await insertMany(tx, evaluationFrame, rows);
    await recordAudit(tx, ctx.actor, {
      action: 'evaluation.frame.import',
      entityType: 'evaluation_campaign',
      entityId: id,
      after: { rows: rows.length },
    });
  });
  return { imported: rows.length, errors: [] };
}

/**
 * Draws the sample: the frame (closed cases of the period by the target units, copied into the frame,
 * or the imported list), stratified by unit, sizes per stratum given or in proportion to the frame,
 * with a recorded seed (given, or drawn now). Replaces any earlier sample of this draft.
 */
export async function drawCampaignSample(ctx: Ctx, id: number, input: TSampleInput) {
  const c = await loadManaged(ctx, id);
  if (!isSampled(c.kind))
    throw new AppError('INVALID_STATE', {
      zh: '该类评议由评价人名单作答，无需抽样',
      en: 'This kind is answered by a named panel; no sample',
    });
  if (c.status !== 'draft')
    throw new AppError('INVALID_STATE', {
      zh: '评议活动已开始，不能重新抽样',
      en: 'The campaign has started; the sample is fixed',
    });
  for (const [i, s] of input.sizes.entries())
    if (!c.targetUnitIds.includes(s.unitId))
      throw invalid(`sizes.${i}.unitId`, '不是本活动的被评价单位', 'Not a target unit of the campaign');
  if (input.total === undefined && !input.sizes.length)
    throw invalid('total', '请填写样本量（总量或各层样本量）', 'Give the sample size (a total or per stratum)');
  const seed = input.seed ?? randomInt(1, 2147483647);
  return ctx.db.transaction(async (tx) => {
    if (input.source === 'cases') {
      const contacts = await closedCaseContacts(tx, c.periodFrom, c.periodTo, c.targetUnitIds);
      await tx
        .delete(evaluationFrame)
        .where(and(eq(evaluationFrame.campaignId, id), eq(evaluationFrame.source, 'cases')));
      await insertMany(
        tx,
        evaluationFrame,
        contacts.map((x) => ({
          campaignId: id,
          unitId: x.unitId,
          name: x.name,
          phone: x.phone,
          caseId: x.caseId,
          source: 'cases' as const,
        })),
      );
    }
    const frame = await repo.frame(tx, id, input.source);
    if (!frame.length)
      throw invalid(
        'source',
        input.source === 'cases' ? '统计期内被评价单位没有可抽样的已办结诉求' : '请先导入抽样名单',
        input.source === 'cases' ? 'No closed cases of the target units in the period' : 'Import the frame first',
      );
    const counts = new Map<number, number>();
    for (const r of frame) counts.set(r.unitId, (counts.get(r.unitId) ?? 0) + 1);
    const given = new Map(input.sizes.map((s) => [s.unitId, s.size]));
    const rest = new Map([...counts].filter(([u]) => !given.has(u)));
    const sizes =
      input.total !== undefined
        ? allocate(rest, Math.max(0, input.total - [...given.values()].reduce((a, b) => a + b, 0)))
        : new Map<number, number>();
    for (const [u, s] of given) sizes.set(u, Math.min(s, counts.get(u) ?? 0));
    const drawn = drawSample(frame, sizes, seed);
    await tx.delete(evaluationInvitations).where(eq(evaluationInvitations.campaignId, id));
    await insertMany(
      tx,
      evaluationInvitations,
      drawn.map((r) => ({
        campaignId: id,
        channel: 'sms' as const,
        unitId: r.unitId,
        phone: r.phone,
        name: r.name,
        caseId: r.caseId,
      })),
    );
    const sampling = {
      source: input.source,
      seed,
      at: new Date().toISOString(),
      strata: [...counts]
        .sort((a, b) => a[0] - b[0])
        .map(([unitId, n]) => ({ unitId, frame: n, size: sizes.get(unitId) ?? 0 })),
    };
    await tx.update(evaluationCampaigns).set({ sampling }).where(eq(evaluationCampaigns.id, id));
    await recordAudit(tx, ctx.actor, {
      action: 'evaluation.sample',
      entityType: 'evaluation_campaign',
      entityId: id,
      after: { ...sampling, invitations: drawn.length },
    });
    return { invitations: drawn.length, frame: frame.length, seed };
  });
}

const maskPhone = (p: string | null) => (p ? p.replace(/^(\d{3})\d+(\d{4})$/, '$1****$2') : null);

export async function samplePage(
  ctx: Ctx,
  id: number,
  q: { unitId?: number; responded?: '1' | '0'; page: number; pageSize: number },
) {
  const c = await loadManaged(ctx, id);
  const r = await repo.samplePage(ctx.db, id, { ...q, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  return {
    total: r.total,
    rows: r.rows.map((x) => ({
      id: Number(x.id),
      channel: x.channel,
      unitName: x.unit_name,
      name: x.user_name ?? x.name,
      phone: maskPhone(x.phone),
      caseId: x.case_id,
      sentAt: iso(x.sent_at),
      reminders: x.reminders,
      // An anonymous campaign shows who answered only as a count per stratum, not per person.
      respondedOn: c.anonymous && x.channel !== 'app' ? (x.responded_on ? '已答' : null) : x.responded_on,
    })),
  };
}

// ---------- opening, sending, reminders ----------

function link(origin: string, salt: string, id: number) {
  return `${origin}${PUBLIC_PATH}${invitationToken(salt, id)}`;
}

/**
 * Opens the campaign (a draft: panel invitations are made for the named evaluators) and sends the SMS
 * invitations not sent yet through the outbox.
 */
export async function sendInvitations(ctx: Ctx, id: number, origin: string): Promise<{ sent: number }> {
  await loadManaged(ctx, id);
  return ctx.db.transaction(async (tx) => {
    const c = (await repo.findCampaign(tx, id, true))!;
    if (c.status !== 'draft' && c.status !== 'open')
      throw new AppError('INVALID_STATE', { zh: '评议活动已结束', en: 'The campaign has ended' });
    if (c.status === 'draft') {
      const panel = await repo.panel(tx, id);
      if (isSampled(c.kind)) {
        if (!c.sampling) throw invalid('sample', '请先抽取样本', 'Draw the sample first');
      } else {
        // A consultation may be answered by the public alone (the QR / open link).
        if (!panel.length && c.kind !== 'consultation')
          throw invalid('panelUserIds', '请先确定评价人名单', 'Name the evaluators first');
        await insertMany(
          tx,
          evaluationInvitations,
          panel.map((p) => ({
            campaignId: id,
            channel: 'app' as const,
            userId: p.id,
            name: p.name,
            sentAt: new Date(),
          })),
        );
      }
      await tx
        .update(evaluationCampaigns)
        .set({ status: 'open', openedAt: new Date() })
        .where(eq(evaluationCampaigns.id, id));
    }
    const due = await tx
      .select({ id: evaluationInvitations.id, phone: evaluationInvitations.phone })
      .from(evaluationInvitations)
      .where(
        and(
          eq(evaluationInvitations.campaignId, id),
          eq(evaluationInvitations.channel, 'sms'),
          isNull(evaluationInvitations.sentAt),
        ),
      );
    const withPhone = due.filter((d) => d.phone);
    await enqueueSms(
      tx,
      withPhone.map((d) => ({
        caseId: null,
        phone: d.phone!,
        template: 'evaluation_invitation' as const,
        params: { title: c.title, link: link(origin, c.salt, d.id) },
      })),
    );
    if (due.length)
      await tx
        .update(evaluationInvitations)
        .set({ sentAt: new Date() })
        .where(
          and(
            eq(evaluationInvitations.campaignId, id),
            eq(evaluationInvitations.channel, 'sms'),
            isNull(evaluationInvitations.sentAt),
          ),
        );
    await recordAudit(tx, ctx.actor, {
      action: c.status === 'draft' ? 'evaluation.open' : 'evaluation.send',
      entityType: 'evaluation_campaign',
      entityId: id,
      after: { sms: withPhone.length },
    });
    return { sent: withPhone.length };
  });
}

/** Reminds the sampled respondents who have not answered (SMS with the same link). */
export async function remind(ctx: Ctx, id: number, origin: string): Promise<{ sent: number }> {
  await loadManaged(ctx, id);
  return ctx.db.transaction(async (tx) => {
    const c = (await repo.findCampaign(tx, id, true))!;
    if (c.status !== 'open')
      throw new AppError('INVALID_STATE', { zh: '评议活动未在进行中', en: 'The campaign is not open' });
    const due = await tx
      .update(evaluationInvitations)
      .set({ remindedAt: new Date(), reminders: sql`${evaluationInvitations.reminders} + 1` })
      .where(
        and(
          eq(evaluationInvitations.campaignId, id),
          eq(evaluationInvitations.channel, 'sms'),
          isNull(evaluationInvitations.respondedOn),
          sql`${evaluationInvitations.sentAt} IS NOT NULL AND ${evaluationInvitations.phone} IS NOT NULL`,
        ),
      )
      .returning({ id: evaluationInvitations.id, phone: evaluationInvitations.phone });
    await enqueueSms(
      tx,
      due.map((d) => ({
        caseId: null,
        phone: d.phone!,
        template: 'evaluation_reminder' as const,
        params: { title: c.title, link: link(origin, c.salt, d.id) },
      })),
    );
    await recordAudit(tx, ctx.actor, {
      action: 'evaluation.remind',
      entityType: 'evaluation_campaign',
      entityId: id,
      after: { sms: due.length },
    });
    return { sent: due.length };
  });
}

// ---------- dashboard, responses, quality ----------

export async function dashboard(ctx: Ctx, id: number): Promise<TDashboard> {
  const c = await loadManaged(ctx, id);
  const d = await repo.dashboard(ctx.db, id);
  const names = await repo.unitNames(
    ctx.db,
    d.strata.flatMap((s) => (s.unit_id === null ? [] : [s.unit_id])),
  );
  const invited = d.strata.reduce((a, s) => a + s.invited, 0);
  const responded = d.strata.reduce((a, s) => a + s.responded, 0);
  const rate = (n: number, of: number) => (of ? Math.round((1000 * n) / of) / 10 : null);
  return {
    status: c.status,
    invited,
    sent: d.strata.reduce((a, s) => a + s.sent, 0),
    responded,
    responseRate: rate(responded, invited),
    flagged: d.totals.flagged,
    excluded: d.totals.excluded,
    strata: d.strata
      .map((s) => ({
        unitId: s.unit_id,
        unitName: s.unit_id === null ? '评价人' : (names.get(s.unit_id) ?? String(s.unit_id)),
        invited: s.invited,
        responded: s.responded,
        responseRate: rate(s.responded, s.invited),
      }))
      .sort((a, b) => (a.responseRate ?? 0) - (b.responseRate ?? 0) || a.unitName.localeCompare(b.unitName)),
    byDay: d.byDay.map((x) => ({ day: x.day, responses: x.n })),
  };
}

export async function responsesPage(
  ctx: Ctx,
  id: number,
  q: { flagged?: '1' | '0'; excluded?: '1' | '0'; unitId?: number; page: number; pageSize: number },
) {
  await loadManaged(ctx, id);
  const r = await repo.responsesPage(ctx.db, id, { ...q, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  return {
    total: r.total,
    rows: r.rows.map((x) => ({
      id: Number(x.id),
      unitName: x.unit_name,
      submittedOn: x.submitted_on,
      durationS: x.duration_s,
      flags: x.flags as QualityFlag[],
      excluded: x.excluded,
      excludeReason: x.exclude_reason,
      answers: x.answers,
    })),
  };
}

/** Excludes a response from the results (or takes it back), with a reason; not once the results are published. */
export async function setExcluded(ctx: Ctx, responseId: number, v: { excluded: boolean; reason: string }) {
  if (!isOffice(ctx)) throw notFound();
  const r = await repo.findResponse(ctx.db, responseId);
  if (!r) throw notFound();
  await ctx.db.transaction(async (tx) => {
    const c = (await repo.findCampaign(tx, r.campaignId, true))!;
    if (c.status === 'published')
      throw new AppError('IMMUTABLE', { zh: '结果已发布，答卷不能再调整', en: 'The results are published and frozen' });
    await tx
      .update(evaluationResponses)
      .set({ excluded: v.excluded, excludeReason: v.reason, excludedBy: userOf(ctx).id, excludedAt: new Date() })
      .where(eq(evaluationResponses.id, responseId));
    await recordAudit(tx, ctx.actor, {
      action: v.excluded ? 'evaluation.response.exclude' : 'evaluation.response.include',
      entityType: 'evaluation_response',
      entityId: responseId,
      unitId: r.unitId,
      before: { excluded: r.excluded, reason: r.excludeReason },
      after: { excluded: v.excluded, reason: v.reason, flags: r.flags },
    });
  });
  return { ok: true as const };
}

// ---------- responding ----------

type Submit = { ip: string; device?: string; userId: number | null; ownUnitId: number | null };

/** One checked response waiting to be written (group commit: concurrent responses share one transaction). */
type Pending = {
  campaignId: number;
  invitationId: number;
  anonymous: boolean;
  userId: number | null;
  unitId: number | null;
  clean: Record<string, unknown>;
  scores: { unitId: number; key: string; score: number; level: number | null }[];
  flags: QualityFlag[];
  maxPerIp: number;
  maxPerDevice: number;
  durationS: number | null;
  ipHash: string;
  deviceHash: string | null;
  on: string;
};
type Written = { ok: true; flags: QualityFlag[] };

/**
 * Writes a batch of responses in one transaction: marks the invitations used (only those still unused
 * of open campaigns — the one-response rule, also within the batch), counts earlier responses from the
 * same address and device, inserts the responses and their scored answers. Lock order: invitation rows,
 * then the inserts; no audit entry (a response is not an office act; an anonymous one must name nobody).
 */
async function writeResponses(db: Db, items: Pending[]): Promise<Settled<Written>[]> {
  return db.transaction(async (tx) => {
    const ids = [...new Set(items.map((i) => i.invitationId))];
    const used = new Set(
      (
        await repo.rows<{ id: number }>(
          tx,
          sql`UPDATE evaluation_invitations i SET responded_on = ${items[0].on}::date
                FROM evaluation_campaigns c
               WHERE c.id = i.campaign_id AND c.status = 'open' AND i.responded_on IS NULL
                 AND i.id IN (${sql.join(
                   ids.map((x) => sql`${x}`),
                   sql`, `,
                 )})
           RETURNING i.id`,
        )
      ).map((r) => Number(r.id)),
    );
    const taken = new Set<number>();
    const accepted: Pending[] = [];
    const out: Settled<Written>[] = items.map((it) => {
      if (!used.has(it.invitationId) || taken.has(it.invitationId)) return { ok: false, error: null };
      taken.add(it.invitationId);
      accepted.push(it);
      return { ok: true, value: { ok: true, flags: it.flags } };
    });
    if (accepted.length) {
      const counts = await repo.sourceCounts(tx, accepted);
      for (const it of accepted) {
        const ipKey = `${it.campaignId}|${it.ipHash}`;
        const ip = counts.ip.get(ipKey) ?? 0;
        counts.ip.set(ipKey, ip + 1);
        if (ip >= it.maxPerIp) it.flags.push('same_ip');
        if (it.deviceHash) {
          const devKey = `${it.campaignId}|${it.deviceHash}`;
          const dev = counts.device.get(devKey) ?? 0;
          counts.device.set(devKey, dev + 1);
          if (dev >= it.maxPerDevice) it.flags.push('same_device');
        }
      }
      const rows = await insertMany(
        tx,
        evaluationResponses,
        accepted.map((it) => ({
          campaignId: it.campaignId,
          // Anonymous: the response keeps neither the invitation nor the person, and only the day.
          invitationId: it.anonymous ? null : it.invitationId,
          respondentId: it.anonymous ? null : it.userId,
          unitId: it.unitId,
          answers: it.clean,
          submittedOn: it.on,
          durationS: it.durationS,
          ipHash: it.ipHash,
          deviceHash: it.deviceHash,
          flags: it.flags,
        })),
        ['id'],
      );
      const scores = accepted.flatMap((it, k) =>
        it.scores.map((x) => ({
          responseId: rows[k].id,
          campaignId: it.campaignId,
          unitId: x.unitId,
          questionKey: x.key,
          score: x.score,
          level: x.level,
        })),
      );
      if (scores.length) await insertMany(tx, evaluationScores, scores);
    }
    return out;
  });
}

const writers = new WeakMap<Db, (p: Pending) => Promise<Written>>();
function writerOf(db: Db) {
  let w = writers.get(db);
  if (!w) {
    w = groupCommit<Pending, Written>((items) => writeResponses(db, items), { maxBatch: 200 });
    writers.set(db, w);
  }
  return w;
}

async function submit(db: Db, camp: repo.CampaignRow, inv: repo.InvitationRow, input: TAnswerInput, who: Submit) {
  if (camp.status !== 'open')
    throw new AppError('INVALID_STATE', { zh: '本次评议已结束或尚未开始', en: 'The survey is not open' });
  if (inv.respondedOn) throw alreadyAnswered();
  const questions = await questionsOf(db, camp.questionnaireId);
  // A panel answer is about its single target when the campaign has one; else only matrix rows name units.
  const unitId = inv.unitId ?? (camp.targetUnitIds.length === 1 ? camp.targetUnitIds[0] : null);
  const scored = scoreAnswers(questions, input.answers, {
    unitId,
    targetUnitIds: camp.targetUnitIds,
    ownUnitId: camp.kind === 'mutual' ? who.ownUnitId : null,
  });
  if ('problem' in scored) throw invalid(scored.problem.field, scored.problem.zh, scored.problem.en);
  const rules = { ...DEFAULT_QUALITY, ...camp.quality };
  const durationS = inv.openedAt ? Math.round((Date.now() - new Date(inv.openedAt).getTime()) / 1000) : null;
  try {
    return await writerOf(db)({
      campaignId: camp.id,
      invitationId: inv.id,
      anonymous: camp.anonymous,
      userId: who.userId,
      unitId,
      clean: scored.clean,
      scores: scored.scores,
      flags: ownFlags(scored.scores, durationS, rules),
      maxPerIp: rules.maxPerIp,
      maxPerDevice: rules.maxPerDevice,
      durationS,
      ipHash: sha(`${camp.salt}|ip|${who.ip}`),
      deviceHash: who.device ? sha(`${camp.salt}|dev|${who.device}`) : null,
      on: today(),
    });
  } catch (e) {
    if (e !== null) throw e;
    // Refused in the batch: already used, or the campaign closed meanwhile.
    const now = await repo.findInvitation(db, inv.id);
    if (now?.respondedOn) throw alreadyAnswered();
    throw new AppError('INVALID_STATE', { zh: '本次评议已结束或尚未开始', en: 'The survey is not open' });
  }
}

/** A questionnaire's questions, kept for a few seconds (a campaign's version never changes once it is open). */
const questionCache = new WeakMap<Db, Map<number, { at: number; questions: Question[] }>>();
async function questionsOf(db: Db, id: number): Promise<Question[]> {
  let m = questionCache.get(db);
  if (!m) questionCache.set(db, (m = new Map()));
  const hit = m.get(id);
  if (hit && Date.now() - hit.at < 10_000) return hit.questions;
  const q = await repo.findQuestionnaire(db, id);
  const questions = (q?.questions ?? []) as Question[];
  if (m.size > 1000) m.clear();
  m.set(id, { at: Date.now(), questions });
  return questions;
}

const alreadyAnswered = () =>
  new AppError('CONFLICT', {
    field: 'token',
    zh: '该问卷已提交过，每个邀请只能作答一次，感谢您的参与',
    en: 'This invitation has already been answered; each invitation allows one response',
  });

async function formOf(
  db: Db,
  camp: repo.CampaignRow,
  inv: repo.InvitationRow,
  ownUnitId: number | null,
): Promise<TForm> {
  const q = await repo.findQuestionnaire(db, camp.questionnaireId);
  const targetIds = camp.targetUnitIds.filter((u) => !(camp.kind === 'mutual' && u === ownUnitId));
  const names = await repo.unitNames(db, [...targetIds, ...(inv.unitId ? [inv.unitId] : [])]);
  return {
    campaignId: camp.id,
    title: camp.title,
    kind: camp.kind,
    intro: q?.intro ?? '',
    unitName: inv.unitId ? (names.get(inv.unitId) ?? null) : null,
    questions: (q?.questions ?? []) as TForm['questions'],
    targets: targetIds.map((id) => ({ id, name: names.get(id) ?? String(id) })),
    anonymous: camp.anonymous,
    answered: inv.respondedOn !== null,
    open: camp.status === 'open',
    ...(camp.kind === 'consultation' ? { background: await consultationBackground(db, camp.id) } : {}),
  };
}

/** The public page of a one-time link: the questionnaire (first opening noted, for the too-fast check). */
export async function publicForm(db: Db, token: string): Promise<TForm> {
  const { inv, camp } = await invitationByToken(db, token);
  if (!inv.openedAt && !inv.respondedOn)
    await db
      .update(evaluationInvitations)
      .set({ openedAt: new Date() })
      .where(and(eq(evaluationInvitations.id, inv.id), isNull(evaluationInvitations.openedAt)));
  return formOf(db, camp, inv, null);
}

export async function publicRespond(db: Db, token: string, input: TAnswerInput, ip: string) {
  const { inv, camp } = await invitationByToken(db, token);
  if (inv.channel === 'app') throw notFound();
  return submit(db, camp, inv, input, { ip, device: input.device, userId: null, ownUnitId: null });
}

// ---------- evaluator inbox ----------

export async function inbox(ctx: Ctx) {
  const user = userOf(ctx);
  return (await repo.inbox(ctx.db, user.id)).map((r) => ({
    campaignId: r.campaign_id,
    title: r.title,
    kind: r.kind as CampaignKind,
    periodTo: r.period_to,
    status: r.status as TCampaignRow['status'],
    respondedOn: r.responded_on,
    targets: r.targets,
  }));
}

async function myInvitation(ctx: Ctx, campaignId: number) {
  const user = userOf(ctx);
  const inv = await repo.invitationOf(ctx.db, campaignId, user.id);
  if (!inv) throw notFound();
  const camp = await repo.findCampaign(ctx.db, campaignId);
  if (!camp) throw notFound();
  return { inv, camp, user };
}

export async function inboxForm(ctx: Ctx, campaignId: number): Promise<TForm> {
  const { inv, camp, user } = await myInvitation(ctx, campaignId);
  if (!inv.openedAt)
    await ctx.db
      .update(evaluationInvitations)
      .set({ openedAt: new Date() })
      .where(eq(evaluationInvitations.id, inv.id));
  return formOf(ctx.db, camp, inv, user.unitId);
}

export async function inboxRespond(ctx: Ctx, campaignId: number, input: TAnswerInput) {
  const { inv, camp, user } = await myInvitation(ctx, campaignId);
  return submit(ctx.db, camp, inv, input, {
    ip: ctx.actor.ip ?? '',
    device: input.device,
    userId: user.id,
    ownUnitId: user.unitId,
  });
}

// ---------- closing, results ----------

const KIND_LABEL: Record<CampaignKind, string> = {
  public_survey: '公众满意度',
  enterprise_survey: '企业满意度',
  deputies: '代表委员评议',
  special_supervisors: '特约监察员评议',
  leaders: '领导评价',
  mutual: '部门互评',
  service_recipients: '服务对象满意度',
  expert_review: '专家评审',
  consultation: '协商征求意见',
};

/** The per-unit results of a campaign from its responses now (valid ones in the sums). */
export async function computeResults(db: Db, c: repo.CampaignRow): Promise<UnitResult[]> {
  const [scores, invites] = await Promise.all([repo.scoreTallies(db, c.id), repo.invitationTallies(db, c.id)]);
  const byUnit = new Map(scores.map((s) => [s.unit_id, s]));
  const invitedBy = new Map(invites.map((i) => [i.unit_id, i]));
  let panelSize = 0;
  let ownPanel = new Map<number, number>();
  if (!isSampled(c.kind)) {
    panelSize = invites.reduce((a, i) => a + (i.unit_id === null ? i.invited : 0), 0);
    if (c.kind === 'mutual') ownPanel = new Map((await repo.panelUnits(db, c.id)).map((p) => [p.unit_id, p.n]));
  }
  return c.targetUnitIds.map((unitId) => {
    const s = byUnit.get(unitId);
    const inv = invitedBy.get(unitId);
    const sampled = isSampled(c.kind);
    return unitResult(
      {
        unitId,
        invited: sampled ? (inv?.invited ?? 0) : panelSize - (ownPanel.get(unitId) ?? 0),
        responses: sampled ? (inv?.responded ?? 0) : (s?.responses ?? 0),
        valid: s?.valid ?? 0,
        scoreSum: s?.score_sum ?? 0,
        scoreCount: s?.score_count ?? 0,
        levels: [s?.l0 ?? 0, s?.l1 ?? 0, s?.l2 ?? 0, s?.l3 ?? 0, s?.l4 ?? 0],
      },
      { ...c.mapping, levelWeights: c.mapping.levelWeights ?? [1, 1, 1, 0, 0] },
      c.title || KIND_LABEL[c.kind],
    );
  });
}

/**
 * Closes the campaign (or recomputes a closed one): per-unit results, and the score inputs of the mapped
 * leaves for the month the period ends, with the explanation. Not once published (frozen).
 */
export async function closeCampaign(
  db: Db,
  actor: Ctx['actor'],
  id: number,
): Promise<{ units: number; inputs: number; status: 'closed' }> {
  return db.transaction(async (tx) => {
    const c = await repo.findCampaign(tx, id, true);
    if (!c) throw notFound();
    if (c.status === 'published')
      throw new AppError('IMMUTABLE', { zh: '结果已发布，不能重新计算', en: 'The results are published and frozen' });
    if (c.status === 'draft')
      throw new AppError('INVALID_STATE', { zh: '评议活动尚未开始', en: 'The campaign has not started' });
    const results = await computeResults(tx, c);
    await tx.delete(evaluationResults).where(eq(evaluationResults.campaignId, id));
    await insertMany(
      tx,
      evaluationResults,
      results.map((r) => ({ campaignId: id, ...r })),
    );
    const inputs: ScoreInputWrite[] = [];
    if (c.mapping.indicatorIds?.length) {
      const year = await mappedScheme(tx, c.year, c.mapping);
      if (year) {
        const indicators = await listIndicators(tx, year.id);
        const units = new Map((await listUnits(tx)).map((u) => [u.id, u]));
        const now = new Date();
        for (const r of results) {
          const unit = units.get(r.unitId);
          if (!unit || r.mapped === null) continue;
          for (const leaf of leavesFor(unit, indicators)) {
            if (!c.mapping.indicatorIds.includes(leaf.id)) continue;
            inputs.push({
              yearId: year.id,
              indicatorId: leaf.id,
              unitId: r.unitId,
              period: c.periodTo.slice(0, 7),
              value: r.mapped,
              fields: {
                explanation: r.explanation,
                campaignId: id,
                n: r.valid,
                invited: r.invited,
                mean: r.mean,
                satisfactionRate: r.satisfactionRate,
                responseRate: r.responseRate,
                distribution: r.distribution,
              },
              source: 'evaluation',
              sourceRef: `evaluation:${id}:${r.unitId}`,
              enteredBy: null,
              enteredByName: `${INPUT_AUTHOR}「${c.title}」`,
              enteredAt: now,
            });
          }
        }
      }
    }
    await upsertScoreInputs(tx, inputs);
    await tx
      .update(evaluationCampaigns)
      .set({ status: 'closed', closedAt: new Date() })
      .where(eq(evaluationCampaigns.id, id));
    await recordAudit(tx, actor, {
      action: c.status === 'closed' ? 'evaluation.recompute' : 'evaluation.close',
      entityType: 'evaluation_campaign',
      entityId: id,
      before: { status: c.status },
      after: { status: 'closed', units: results.length, inputs: inputs.length },
    });
    return { units: results.length, inputs: inputs.length, status: 'closed' as const };
  });
}

export async function close(ctx: Ctx, id: number) {
  await loadManaged(ctx, id);
  return closeCampaign(ctx.db, ctx.actor, id);
}

export async function publish(ctx: Ctx, id: number) {
  await loadManaged(ctx, id);
  await ctx.db.transaction(async (tx) => {
    const c = (await repo.findCampaign(tx, id, true))!;
    // A consultation is published with its summary (evaluation.consultation.ts).
    if (c.kind === 'consultation')
      throw new AppError('INVALID_STATE', {
        zh: '协商议题请在「意见汇总」中发布',
        en: 'Publish a consultation with its summary',
      });
    if (c.status !== 'closed')
      throw new AppError('INVALID_STATE', {
        zh: '请先结束评议并核对结果',
        en: 'Close the campaign and check its results first',
      });
    await tx
      .update(evaluationCampaigns)
      .set({ status: 'published', publishedAt: new Date() })
      .where(eq(evaluationCampaigns.id, id));
    await recordAudit(tx, ctx.actor, {
      action: 'evaluation.publish',
      entityType: 'evaluation_campaign',
      entityId: id,
      before: { status: 'closed' },
      after: { status: 'published' },
    });
  });
  return getCampaign(ctx, id);
}

/** Results: the office sees every unit (live figures until closed); a unit's users their own units of a published campaign, with anonymised comments. */
export async function results(ctx: Ctx, id: number): Promise<TResults> {
  const c = await repo.findCampaign(ctx.db, id);
  if (!c) throw notFound();
  let unitIds: number[] | null = null;
  if (!isOffice(ctx)) {
    const scope = await ctx.scope();
    if (c.status !== 'published') throw notFound();
    unitIds = scope.all ? null : c.targetUnitIds.filter((u) => scope.unitIds.has(u));
    if (unitIds && !unitIds.length) throw notFound();
  }
  const stored = c.status === 'closed' || c.status === 'published';
  const rows = stored
    ? (await repo.results(ctx.db, id, unitIds)).map((r) => ({ ...r, distribution: r.distribution ?? [] }))
    : (await computeResults(ctx.db, c)).filter((r) => !unitIds || unitIds.includes(r.unitId));
  const names = await repo.unitNames(
    ctx.db,
    rows.map((r) => r.unitId),
  );
  const q = await repo.findQuestionnaire(ctx.db, c.questionnaireId);
  const textQs = ((q?.questions ?? []) as Question[]).filter((x) => x.type === 'text');
  const comments = await repo.comments(
    ctx.db,
    id,
    textQs.map((x) => x.key),
    unitIds,
  );
  const unitNamesAll = await repo.unitNames(
    ctx.db,
    comments.flatMap((x) => (x.unit_id ? [x.unit_id] : [])),
  );
  return {
    campaignId: id,
    title: c.title,
    status: c.status,
    frozen: c.status === 'published',
    rows: rows
      .map((r) => ({
        unitId: r.unitId,
        unitName: names.get(r.unitId) ?? String(r.unitId),
        invited: r.invited,
        responses: r.responses,
        valid: r.valid,
        responseRate: r.responseRate,
        mean: r.mean,
        satisfactionRate: r.satisfactionRate,
        distribution: r.distribution,
        mapped: r.mapped,
        explanation: r.explanation,
      }))
      .sort((a, b) => (b.mapped ?? -1) - (a.mapped ?? -1) || a.unitName.localeCompare(b.unitName)),
    comments: comments.map((x) => ({
      unitName: x.unit_id ? (unitNamesAll.get(x.unit_id) ?? null) : null,
      question: textQs.find((t) => t.key === x.key)?.title ?? x.key,
      text: x.text,
    })),
  };
}
