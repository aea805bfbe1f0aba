/**
 * Evaluation campaigns: questionnaires (versioned), and campaigns — targets, the mapping onto score leaves,
 * the evaluator panel, create, update, read.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { FormulaError } from '../../engine/formula.js';
import { recordAudit } from '../audit/index.js';
import { getYearByYear, listIndicators, listSchemes, type TYear } from '../performance/index.js';
import { listUnits } from '../units/index.js';
import { checkFormula, DEFAULT_QUALITY } from './evaluation.logic.js';
import * as repo from './evaluation.repo.js';
import type {
  TCampaign,
  TCampaignInput,
  TCampaignQuery,
  TCampaignRow,
  TQuestionnaire,
  TQuestionnaireInput,
} from './evaluation.schema.js';
import {
  evaluationCampaigns,
  evaluationInvitations,
  evaluationQuestionnaires,
  type CampaignKind,
  type Mapping,
  type Question,
} from './evaluation.table.js';
import { isOffice, isSampled, iso, userOf } from './evaluation.tokens.js';

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
export async function mappedScheme(db: Db, year: number, m: Pick<Mapping, 'schemeId'>): Promise<TYear | null> {
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

export async function loadManaged(ctx: Ctx, id: number, forUpdate = false) {
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

/** The columns a campaign's form sets, the same on create and update. */
function campaignValues(input: TCampaignInput, targets: number[], mapping: Mapping) {
  return {
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
        ...campaignValues(input, targets, mapping),
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
        ...campaignValues(input, targets, mapping),
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
