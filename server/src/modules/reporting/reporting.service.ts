/**
 * Data collection (数据采集): forms, reporting settings and deadlines, and the submission workflow
 * draft → submitted (reporter) → leader_approved (unit leader) → accepted (office), or returned with
 * a reason at either step. Accepted data are protected history: a correction is a revision request
 * the office approves; every accepted value flows into score_inputs in the same transaction.
 *
 * Functions other modules may use: lateCounts (reporting.views: late and missing submissions per
 * unit and month, for scoring), loadYearCtx/deadlineOf (a leaf's deadline for a month), notifyUsers
 * (in-app notifications, inside the caller's transaction). Everything else serves this module's routes.
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound, type Lang } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { type CalendarData } from '../../engine/workdays.js';
import { loadCalendar } from '../calendar/index.js';
import { getYear, getYearByYear, getYearInForce, leavesFor, listIndicators, listYears, type TIndicator, type TYear, type YearCopy } from '../performance/index.js';
import { upsertScoreInputs } from '../inputs/index.js';
import { getUnit, listUnits, type TUnit } from '../units/index.js';
import { listUsers } from '../users/index.js';
import { DEFAULT_ANOMALY_CONFIG, detectAnomalies, mergeConfirmations, unconfirmed, type AnomalyConfig, type StoredFlag } from './reporting.anomaly.js';
import { isPeriod, isPeriodOpen, isLate, periodDeadline, samePeriodLastYear, splitPeriod, type DeadlineRule } from './reporting.deadline.js';
import {
  checkDefinition,
  defaultForm,
  numericVars,
  sameValues,
  scoreFieldOf,
  validateValues,
  type FormError,
  type FormValues,
  type TFormDefinition,
} from './reporting.forms.js';
import { DEFAULT_LIGHT_THRESHOLDS, type LightThresholds } from './reporting.lights.js';
import { awaitingLeader, awaitingOffice, canAccept, canFill, canLeaderApprove, canRead, type Viewer } from './reporting.policy.js';
import * as repo from './reporting.repo.js';
import { checkExpression, evaluateExpression } from './reporting.rules.js';
import type {
  TAbilities,
  TBulkResult,
  TDeadlineOverride,
  TDeadlineRule,
  TEvent,
  TEvidence,
  TFlag,
  TForm,
  TFormSummary,
  TReportingSettings,
  TReportingSettingsUpdate,
  TRevision,
  TRevisionItem,
  TRevisionRequest,
  TRuleTestResult,
  TSaveDraft,
  TSubmission,
  TSubmissionDetail,
  TSubmissionQuery,
  TSubmitBody,
  TThirdPartySave,
  TUpdateDraft,
} from './reporting.schema.js';
import type { SubmissionStatus } from './reporting.table.js';

/** The module's clock: tests move it to check deadlines; everything time-dependent reads it. */
export const reportingClock = { now: (): Date => new Date() };

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

// ---------- year context ----------

/** Everything about a year that data collection needs, loaded once per request. */
export type YearCtx = {
  year: TYear;
  indicators: TIndicator[];
  byId: Map<number, TIndicator>;
  leafIds: Set<number>;
  settings: TReportingSettings;
  calendar: CalendarData;
  overrides: Map<number, DeadlineRule>;
  forms: Map<number, repo.FormRow>;
  anomaly: AnomalyConfig;
  lights: LightThresholds;
};

function presentSettings(year: TYear, row: repo.SettingsRow | null): TReportingSettings {
  return {
    yearId: year.id,
    year: year.year,
    yearName: year.name,
    yearStatus: year.status,
    deadlineDay: year.deadlineDay,
    deadlineMode: row?.deadlineMode ?? 'day',
    deadlineWorkingDays: row?.deadlineWorkingDays ?? 10,
    reminderDaysBefore: row?.reminderDaysBefore ?? 3,
    jumpThresholdPct: Number(row?.jumpThresholdPct ?? DEFAULT_ANOMALY_CONFIG.jumpPct),
    peerIqrFactor: Number(row?.peerIqrFactor ?? DEFAULT_ANOMALY_CONFIG.peerIqrFactor),
    lightGreenMargin: Number(row?.lightGreenMargin ?? DEFAULT_LIGHT_THRESHOLDS.greenMargin),
    lightYellowMargin: Number(row?.lightYellowMargin ?? DEFAULT_LIGHT_THRESHOLDS.yellowMargin),
  };
}

/** A year copied forward (performance copyYear) keeps its data collection: forms, deadlines, settings. The manifest's onYearCopy listener. */
export async function copyYearReporting(tx: Db, copy: YearCopy): Promise<void> {
  const copied = await repo.copyYearConfig(tx, copy);
  if (copied.forms || copied.deadlines || copied.settings) {
    await recordAudit(tx, copy.actor, { action: 'reporting.year_copy', entityType: 'assessment_year', entityId: copy.toYearId, before: { fromYearId: copy.fromYearId }, after: copied });
  }
}

/** Loads a year's indicators, settings, deadlines, forms and the working-day calendar. */
export async function loadYearCtx(db: Db, yearId: number): Promise<YearCtx> {
  const year = await getYear(db, yearId);
  const indicators = treeOrder(await listIndicators(db, yearId));
  const parents = new Set(indicators.map((i) => i.parentId).filter((p): p is number => p !== null));
  const leafIds = new Set(indicators.filter((i) => !parents.has(i.id)).map((i) => i.id));
  const settingsRow = await repo.findSettings(db, yearId);
  const settings = presentSettings(year, settingsRow);
  const calendar = await loadCalendar(db);
  const overrides = new Map<number, DeadlineRule>();
  for (const d of await repo.deadlinesOf(db, [...leafIds])) {
    overrides.set(d.indicatorId, d.mode === 'working_days' ? { mode: 'working_days', days: Number(d.workingDays) } : { mode: 'day', day: Number(d.day) });
  }
  const forms = new Map((await repo.formsOf(db, [...leafIds])).map((f) => [f.indicatorId, f]));
  return {
    year,
    indicators,
    byId: new Map(indicators.map((i) => [i.id, i])),
    leafIds,
    settings,
    calendar,
    overrides,
    forms,
    anomaly: { jumpPct: settings.jumpThresholdPct, peerIqrFactor: settings.peerIqrFactor, minPeers: DEFAULT_ANOMALY_CONFIG.minPeers },
    lights: { greenMargin: settings.lightGreenMargin, yellowMargin: settings.lightYellowMargin },
  };
}

/** The indicators depth-first in tree order (children by sort, then id), so lists read like the tree. */
export function treeOrder(list: readonly TIndicator[]): TIndicator[] {
  const kids = new Map<number | null, TIndicator[]>();
  const ids = new Set(list.map((i) => i.id));
  for (const i of list) {
    const p = i.parentId !== null && ids.has(i.parentId) ? i.parentId : null;
    kids.set(p, [...(kids.get(p) ?? []), i]);
  }
  for (const k of kids.values()) k.sort((a, b) => a.sort - b.sort || a.id - b.id);
  const out: TIndicator[] = [];
  const seen = new Set<number>();
  const walk = (p: number | null) => {
    for (const c of kids.get(p) ?? []) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      out.push(c);
      walk(c.id);
    }
  };
  walk(null);
  return out.length === list.length ? out : [...out, ...list.filter((i) => !seen.has(i.id))];
}

/** The year asked for, or the year in force; 404 when there is none. */
export async function resolveYearId(db: Db, yearId?: number): Promise<number> {
  if (yearId) return (await getYear(db, yearId)).id;
  const y = await getYearInForce(db);
  if (!y) throw new AppError('NOT_FOUND', { zh: '当前没有生效的考核年度', en: 'No assessment year is in force' });
  return y.id;
}

/** The deadline rule of a leaf: its own override, else the year's rule. */
export function ruleOf(yc: YearCtx, indicatorId: number): DeadlineRule {
  return (
    yc.overrides.get(indicatorId) ??
    (yc.settings.deadlineMode === 'working_days' ? { mode: 'working_days', days: yc.settings.deadlineWorkingDays } : { mode: 'day', day: yc.settings.deadlineDay })
  );
}

/** The deadline date of a leaf's period. */
export function deadlineOf(yc: YearCtx, indicatorId: number, period: string): string {
  return periodDeadline(period, ruleOf(yc, indicatorId), yc.calendar);
}

function presentRule(r: DeadlineRule): TDeadlineRule {
  return r.mode === 'day' ? { mode: 'day', day: r.day, workingDays: null } : { mode: 'working_days', day: null, workingDays: r.days };
}

/** The form of a leaf: the designed one, or the default single-value form. */
export function formOf(yc: YearCtx, ind: TIndicator): { definition: TFormDefinition; version: number; designed: boolean } {
  const f = yc.forms.get(ind.id);
  return f ? { definition: f.definition, version: f.version, designed: true } : { definition: defaultForm(ind.unitOfMeasure), version: 0, designed: false };
}

/** The names of a leaf's ancestors, top first. */
export function pathOf(yc: YearCtx, ind: TIndicator): string[] {
  const out: string[] = [];
  const seen = new Set<number>();
  let cur = ind.parentId === null ? undefined : yc.byId.get(ind.parentId);
  while (cur && !seen.has(cur.id)) {
    out.unshift(cur.name);
    seen.add(cur.id);
    cur = cur.parentId === null ? undefined : yc.byId.get(cur.parentId);
  }
  return out;
}

/** Data-collection leaves (self-reported or third-party) that apply to a unit, in tree order. */
export function collectedLeavesFor(yc: YearCtx, unit: Pick<TUnit, 'id' | 'categoryId'>): TIndicator[] {
  return leavesFor(unit, yc.indicators).filter((l) => l.dataSource === 'self_report' || l.dataSource === 'third_party');
}

export async function viewerOf(ctx: Ctx): Promise<Viewer> {
  if (!ctx.user) throw new AppError('UNAUTHENTICATED');
  return { user: ctx.user, scope: await ctx.scope() };
}

const actorName = (ctx: Ctx) => ctx.user?.displayName ?? ctx.actor.name;

// ---------- settings ----------

export async function getSettings(db: Db, yearId?: number): Promise<TReportingSettings> {
  const id = await resolveYearId(db, yearId);
  const year = await getYear(db, id);
  return presentSettings(year, await repo.findSettings(db, id));
}

/** Office: changes the year's deadline rule, reminder lead time, anomaly and light thresholds. */
export async function updateSettings(ctx: Ctx, yearId: number, patch: TReportingSettingsUpdate): Promise<TReportingSettings> {
  const year = await getYear(ctx.db, yearId);
  if (year.status === 'closed') throw new AppError('IMMUTABLE', { zh: `${year.name}已结束，设置不能修改`, en: `${year.name} is closed` });
  const beforeRow = await repo.findSettings(ctx.db, yearId);
  const before = presentSettings(year, beforeRow);
  const merged = { ...before, ...patch };
  if (merged.lightYellowMargin < merged.lightGreenMargin) {
    throw invalid('lightYellowMargin', '黄灯阈值不能小于绿灯阈值', 'The yellow margin must not be below the green margin');
  }
  return ctx.db.transaction(async (tx) => {
    await repo.upsertSettings(tx, yearId, {
      deadlineMode: merged.deadlineMode,
      deadlineWorkingDays: merged.deadlineWorkingDays,
      reminderDaysBefore: merged.reminderDaysBefore,
      jumpThresholdPct: merged.jumpThresholdPct,
      peerIqrFactor: merged.peerIqrFactor,
      lightGreenMargin: merged.lightGreenMargin,
      lightYellowMargin: merged.lightYellowMargin,
      updatedBy: ctx.user?.id ?? null,
    });
    const after = presentSettings(year, await repo.findSettings(tx, yearId));
    await recordAudit(tx, ctx.actor, { action: 'reporting.settings', entityType: 'reporting_settings', entityId: yearId, before, after });
    return after;
  });
}

// ---------- forms and deadlines ----------

async function leafOrThrow(db: Db, indicatorId: number): Promise<{ yc: YearCtx; ind: TIndicator }> {
  const yc = await yearCtxOfIndicator(db, indicatorId);
  const ind = yc.byId.get(indicatorId)!;
  return { yc, ind };
}

/** The year context of an indicator (404 when the indicator does not exist). */
async function yearCtxOfIndicator(db: Db, indicatorId: number): Promise<YearCtx> {
  const yearId = await yearIdOfIndicator(db, indicatorId);
  if (yearId === null) throw notFound();
  return loadYearCtx(db, yearId);
}

async function yearIdOfIndicator(db: Db, indicatorId: number): Promise<number | null> {
  // Only the performance service knows indicators; ask it through the years it lists.
  const inForce = await getYearInForce(db);
  if (inForce && (await listIndicators(db, inForce.id)).some((i) => i.id === indicatorId)) return inForce.id;
  for (const y of await listYears(db)) {
    if (y.id === inForce?.id) continue;
    if ((await listIndicators(db, y.id)).some((i) => i.id === indicatorId)) return y.id;
  }
  return null;
}

function assertCollected(ind: TIndicator, field = 'indicatorId') {
  if (ind.dataSource !== 'self_report' && ind.dataSource !== 'third_party') {
    throw invalid(field, `指标「${ind.code} ${ind.name}」的数据由系统自动采集，无需填报`, `Indicator ${ind.code} is collected automatically; it has no form`);
  }
}

function assertLeaf(yc: YearCtx, ind: TIndicator, field = 'indicatorId') {
  if (!yc.leafIds.has(ind.id)) throw invalid(field, `「${ind.code} ${ind.name}」不是末级指标，没有填报表单`, `${ind.code} is not a leaf indicator`);
}

function presentForm(yc: YearCtx, ind: TIndicator): TForm {
  const f = formOf(yc, ind);
  return {
    indicatorId: ind.id,
    yearId: yc.year.id,
    code: ind.code,
    name: ind.name,
    unitOfMeasure: ind.unitOfMeasure,
    dataSource: ind.dataSource,
    direction: ind.direction,
    aggregate: ind.aggregate,
    designed: f.designed,
    version: f.version,
    definition: f.definition,
    deadline: presentRule(ruleOf(yc, ind.id)),
    deadlineOverridden: yc.overrides.has(ind.id),
  };
}

/** The data-collection leaves of a year with their form and deadline status (form designer list). */
export async function listForms(db: Db, yearId?: number): Promise<TFormSummary[]> {
  const yc = await loadYearCtx(db, await resolveYearId(db, yearId));
  return yc.indicators
    .filter((i) => yc.leafIds.has(i.id) && (i.dataSource === 'self_report' || i.dataSource === 'third_party'))
    .map((i) => {
      const f = formOf(yc, i);
      return {
        indicatorId: i.id,
        code: i.code,
        name: i.name,
        path: pathOf(yc, i),
        dataSource: i.dataSource,
        unitOfMeasure: i.unitOfMeasure,
        designed: f.designed,
        version: f.version,
        fieldCount: f.definition.fields.length,
        deadline: presentRule(ruleOf(yc, i.id)),
        deadlineOverridden: yc.overrides.has(i.id),
      };
    });
}

export async function getForm(db: Db, indicatorId: number): Promise<TForm> {
  const { yc, ind } = await leafOrThrow(db, indicatorId);
  return presentForm(yc, ind);
}

function assertYearEditable(yc: YearCtx) {
  if (yc.year.status === 'closed') throw new AppError('IMMUTABLE', { zh: `${yc.year.name}已结束，不能修改`, en: `${yc.year.name} is closed` });
}

/** Office: saves a leaf's form (a new version; values already entered keep the version they were entered with). */
export async function saveForm(ctx: Ctx, indicatorId: number, def: TFormDefinition): Promise<TForm> {
  const { yc, ind } = await leafOrThrow(ctx.db, indicatorId);
  assertLeaf(yc, ind);
  assertCollected(ind);
  assertYearEditable(yc);
  const problems = checkDefinition(def, checkExpression);
  if (problems.length) throw invalid(problems[0].field, problems[0].zh, problems[0].en);
  const before = formOf(yc, ind);
  return ctx.db.transaction(async (tx) => {
    const row = await repo.saveForm(tx, indicatorId, def, ctx.user?.id ?? null);
    yc.forms.set(indicatorId, row);
    await recordAudit(tx, ctx.actor, {
      action: 'reporting.form_save',
      entityType: 'indicator_form',
      entityId: indicatorId,
      before: before.designed ? { version: before.version, definition: before.definition } : null,
      after: { version: row.version, definition: def },
    });
    return presentForm(yc, ind);
  });
}

/** Office: drops a designed form, so the leaf falls back to the default single-value form. */
export async function resetForm(ctx: Ctx, indicatorId: number): Promise<TForm> {
  const { yc, ind } = await leafOrThrow(ctx.db, indicatorId);
  assertYearEditable(yc);
  const before = formOf(yc, ind);
  if (!before.designed) return presentForm(yc, ind);
  return ctx.db.transaction(async (tx) => {
    await repo.deleteForm(tx, indicatorId);
    yc.forms.delete(indicatorId);
    await recordAudit(tx, ctx.actor, { action: 'reporting.form_reset', entityType: 'indicator_form', entityId: indicatorId, before: { version: before.version, definition: before.definition } });
    return presentForm(yc, ind);
  });
}

/** Evaluates an expression against sample values (the designer's test button); never throws for formula errors. */
export function testRule(def: TFormDefinition, expression: string, values: Record<string, unknown>, lang: Lang): TRuleTestResult {
  const numericKeys = def.fields.filter((f) => ['integer', 'decimal', 'percent', 'money'].includes(f.type)).map((f) => f.key);
  const check = checkExpression(expression, numericKeys);
  if (!check.ok) return { ok: false, value: null, passed: null, message: lang === 'en' ? check.en : check.zh };
  const normalized: FormValues = {};
  for (const f of def.fields) {
    const v = values[f.key];
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : null;
    normalized[f.key] = n !== null && Number.isFinite(n) ? n : null;
  }
  const r = evaluateExpression(expression, numericVars(def, normalized));
  if (!r.ok) return { ok: false, value: null, passed: null, message: lang === 'en' ? r.en : r.zh };
  const value = typeof r.value === 'number' ? r.value : Number(r.value);
  return {
    ok: true,
    value,
    passed: value !== 0,
    message: lang === 'en' ? `Result: ${value} (${value !== 0 ? 'true' : 'false'})` : `计算结果：${value}（${value !== 0 ? '成立' : '不成立'}）`,
  };
}

/** Office: a leaf's own deadline (a day of the following month, or N working days after month end). */
export async function setDeadline(ctx: Ctx, indicatorId: number, o: TDeadlineOverride): Promise<TForm> {
  const { yc, ind } = await leafOrThrow(ctx.db, indicatorId);
  assertLeaf(yc, ind);
  assertCollected(ind);
  assertYearEditable(yc);
  const before = yc.overrides.has(indicatorId) ? presentRule(yc.overrides.get(indicatorId)!) : null;
  const row = o.mode === 'day' ? { indicatorId, mode: 'day' as const, day: o.day, workingDays: null } : { indicatorId, mode: 'working_days' as const, day: null, workingDays: o.workingDays };
  return ctx.db.transaction(async (tx) => {
    await repo.saveDeadline(tx, row);
    yc.overrides.set(indicatorId, o.mode === 'day' ? { mode: 'day', day: o.day } : { mode: 'working_days', days: o.workingDays });
    await recordAudit(tx, ctx.actor, { action: 'reporting.deadline', entityType: 'indicator_deadline', entityId: indicatorId, before, after: presentRule(yc.overrides.get(indicatorId)!) });
    return presentForm(yc, ind);
  });
}

export async function clearDeadline(ctx: Ctx, indicatorId: number): Promise<TForm> {
  const { yc, ind } = await leafOrThrow(ctx.db, indicatorId);
  assertYearEditable(yc);
  const before = yc.overrides.get(indicatorId);
  if (!before) return presentForm(yc, ind);
  return ctx.db.transaction(async (tx) => {
    await repo.deleteDeadline(tx, indicatorId);
    yc.overrides.delete(indicatorId);
    await recordAudit(tx, ctx.actor, { action: 'reporting.deadline_clear', entityType: 'indicator_deadline', entityId: indicatorId, before: presentRule(before) });
    return presentForm(yc, ind);
  });
}

// ---------- presenting ----------

export function presentFlags(flags: readonly StoredFlag[] | null | undefined, lang: Lang): TFlag[] {
  return (flags ?? []).map((f) => ({
    key: f.key,
    code: f.code,
    field: f.field,
    message: lang === 'en' ? f.en : f.zh,
    value: f.value,
    reference: f.reference,
    comment: f.comment,
    confirmedBy: f.confirmedBy,
    confirmedAt: f.confirmedAt,
  }));
}

export function presentSubmission(yc: YearCtx, row: repo.SubmissionRow, unit: Pick<TUnit, 'code' | 'name'>, lang: Lang, pendingRevision: boolean): TSubmission {
  const ind = yc.byId.get(row.indicatorId);
  return {
    id: row.id,
    yearId: row.yearId,
    indicatorId: row.indicatorId,
    indicatorCode: ind?.code ?? '',
    indicatorName: ind?.name ?? '',
    unitOfMeasure: ind?.unitOfMeasure ?? '',
    unitId: row.unitId,
    unitCode: unit.code,
    unitName: unit.name,
    period: row.period,
    source: row.source,
    status: row.status,
    returned: row.status === 'draft' && row.returnReason !== null,
    returnReason: row.returnReason,
    returnedStage: row.returnedStage,
    value: row.value === null ? null : Number(row.value),
    values: row.fields ?? {},
    flags: presentFlags(row.flags, lang),
    revision: row.revision,
    enteredByName: row.enteredByName,
    enteredAt: iso(row.enteredAt)!,
    firstSubmittedAt: iso(row.firstSubmittedAt),
    submittedAt: iso(row.submittedAt),
    leaderApprovedAt: iso(row.leaderApprovedAt),
    acceptedAt: iso(row.acceptedAt),
    deadline: row.deadline ?? deadlineOf(yc, row.indicatorId, row.period),
    late: row.late,
    pendingRevision,
  };
}

function presentRevision(r: repo.RevisionRow, lang: Lang): TRevision {
  return {
    id: r.id,
    submissionId: r.submissionId,
    revision: r.revision,
    value: r.value === null ? null : Number(r.value),
    values: r.fields ?? {},
    flags: presentFlags(r.flags, lang),
    reason: r.reason,
    status: r.status,
    requestedByName: r.requestedByName,
    requestedAt: iso(r.requestedAt)!,
    decidedByName: r.decidedByName,
    decidedAt: iso(r.decidedAt),
    decisionComment: r.decisionComment,
  };
}

export function presentEvidence(e: repo.EvidenceRow): TEvidence {
  return {
    id: e.id,
    submissionId: e.submissionId,
    name: e.originalName,
    size: Number(e.size),
    mime: e.mime,
    sha256: e.sha256,
    uploadedByName: e.uploadedByName,
    uploadedAt: iso(e.uploadedAt)!,
  };
}

function presentEvent(e: repo.EventRow): TEvent {
  return { id: Number(e.id), action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, comment: e.comment, actorName: e.actorName, at: iso(e.at)! };
}

function abilitiesOf(v: Viewer, yc: YearCtx, row: repo.SubmissionRow, ind: TIndicator, pendingRevision: boolean): TAbilities {
  const fill = canFill(v, row.unitId, ind) && yc.year.status === 'in_force';
  const draft = row.status === 'draft';
  const leader = awaitingLeader(row) && canLeaderApprove(v, row);
  const office = awaitingOffice(row) && canAccept(v, row);
  return {
    edit: fill && (draft || (row.source === 'third_party' && row.status === 'submitted')),
    submit: fill && draft,
    delete: fill && draft && row.firstSubmittedAt === null,
    approve: leader,
    accept: office,
    return: leader || office,
    requestRevision: fill && row.status === 'accepted' && !pendingRevision,
    uploadEvidence: fill && (draft || row.status === 'accepted'),
    deleteEvidence: fill && draft,
  };
}

// ---------- loading with authorization ----------

type Loaded = { v: Viewer; yc: YearCtx; row: repo.SubmissionRow; ind: TIndicator; unit: TUnit };

/** Loads a submission the user may read; 404 otherwise (outsiders cannot tell it exists). */
export async function loadReadable(ctx: Ctx, id: number): Promise<Loaded> {
  const v = await viewerOf(ctx);
  const row = await repo.findSubmission(ctx.db, id);
  if (!row) throw notFound();
  const yc = await loadYearCtx(ctx.db, row.yearId);
  const ind = yc.byId.get(row.indicatorId);
  if (!ind || !canRead(v, row, ind)) throw notFound();
  const unit = await getUnit(ctx.db, row.unitId);
  return { v, yc, row, ind, unit };
}

export async function getSubmission(ctx: Ctx, id: number): Promise<TSubmissionDetail> {
  return detailOf(ctx, await loadReadable(ctx, id));
}

async function detailOf(ctx: Ctx, l: Loaded): Promise<TSubmissionDetail> {
  const [evidence, events, revisions] = [await repo.listEvidence(ctx.db, l.row.id), await repo.listEvents(ctx.db, l.row.id), await repo.listRevisions(ctx.db, l.row.id)];
  const pending = revisions.some((r) => r.status === 'requested');
  const form = formOf(l.yc, l.ind);
  return {
    ...presentSubmission(l.yc, l.row, l.unit, ctx.lang, pending),
    form: form.definition,
    formVersion: l.row.formVersion,
    evidence: evidence.map(presentEvidence),
    events: events.map(presentEvent),
    revisions: revisions.map((r) => presentRevision(r, ctx.lang)),
    abilities: abilitiesOf(l.v, l.yc, l.row, l.ind, pending),
  };
}

/** Submissions the user may see, filtered (the leader's and office's queues are shortcuts). */
export async function listSubmissions(ctx: Ctx, q: TSubmissionQuery): Promise<TSubmission[]> {
  const v = await viewerOf(ctx);
  const yearId = await resolveYearId(ctx.db, q.yearId);
  const yc = await loadYearCtx(ctx.db, yearId);
  const units = await listUnits(ctx.db);
  const unitById = new Map(units.map((u) => [u.id, u]));
  let statuses: SubmissionStatus[] | undefined = q.status ? [q.status] : undefined;
  let source: 'self_report' | 'third_party' | undefined;
  if (q.queue === 'leader') {
    statuses = ['submitted'];
    source = 'self_report';
  }
  if (q.queue === 'office') statuses = ['submitted', 'leader_approved'];
  // Narrow in SQL where the scope allows; canRead below is the authority.
  const unitIds = q.unitId ? [q.unitId] : v.scope.all || v.user.permissions.has('submissions.thirdParty') ? undefined : [...v.scope.unitIds];
  const rows = await repo.listSubmissions(ctx.db, {
    yearId,
    unitIds,
    indicatorIds: q.indicatorId ? [q.indicatorId] : undefined,
    period: q.period,
    statuses,
    source,
    limit: q.limit,
  });
  const visible = rows.filter((r) => {
    const ind = yc.byId.get(r.indicatorId);
    if (!ind || !canRead(v, r, ind)) return false;
    if (q.queue === 'leader') return canLeaderApprove(v, r);
    if (q.queue === 'office') return awaitingOffice(r) && canAccept(v, r);
    return true;
  });
  const pending = await repo.openRevisionFor(
    ctx.db,
    visible.map((r) => r.id),
  );
  return visible.map((r) => presentSubmission(yc, r, unitById.get(r.unitId) ?? { code: '', name: '' }, ctx.lang, pending.has(r.id)));
}

// ---------- entering values ----------

type Prepared = { values: FormValues; scoreValue: number | null; flags: StoredFlag[]; version: number };

function firstError(errors: { field: string; zh: string; en: string }[], prefix = ''): never {
  const e = errors[0];
  throw invalid(`${prefix}${e.field}`, e.zh, e.en);
}

export function assertYearInForce(yc: YearCtx) {
  if (yc.year.status !== 'in_force') {
    throw new AppError('INVALID_STATE', {
      zh: `${yc.year.name}${yc.year.status === 'closed' ? '已结束' : '尚未生效'}，不能填报`,
      en: `${yc.year.name} is ${yc.year.status === 'closed' ? 'closed' : 'not in force'}; no data entry`,
    });
  }
}

export function assertPeriod(yc: YearCtx, period: string, now: Date, field = 'period') {
  if (!isPeriod(period) || splitPeriod(period).year !== yc.year.year) {
    throw invalid(field, `填报期须在 ${yc.year.year} 年内`, `The period must lie in ${yc.year.year}`);
  }
  if (!isPeriodOpen(period, now)) throw invalid(field, `${period} 尚未开始，不能填报`, `${period} has not begun yet`);
}

/** Validates one entry against its leaf's form: normalised values, the score value and hard errors. */
export function checkEntry(yc: YearCtx, ind: TIndicator, raw: Record<string, unknown>): { values: FormValues; scoreValue: number | null; version: number; errors: FormError[] } {
  const form = formOf(yc, ind);
  const r = validateValues(form.definition, raw, evaluateExpression);
  return { values: r.values, scoreValue: r.scoreValue, version: form.version, errors: r.errors };
}

/**
 * The soft flags of entries of one unit and period, in one batch: cumulative values going down,
 * jumps against last period and the same period last year, outliers among the category's units;
 * confirmations given now or before (for the same flag) are carried.
 */
export async function flagEntries(
  db: Db,
  yc: YearCtx,
  unit: TUnit,
  period: string,
  list: readonly { ind: TIndicator; values: FormValues; scoreValue: number | null; existing: repo.SubmissionRow | null; confirmations: readonly { key: string; comment: string }[] }[],
  who: { name: string; at: Date },
): Promise<StoredFlag[][]> {
  if (!list.length) return [];
  const ids = list.map((x) => x.ind.id);
  const prev = new Map((await repo.previousValues(db, unit.id, ids, period)).map((p) => [p.indicatorId, p]));
  const lastYearVals = new Map<number, number | null>();
  const lastYear = await getYearByYear(db, yc.year.year - 1);
  if (lastYear) {
    const lyByCode = new Map((await listIndicators(db, lastYear.id)).map((i) => [i.code, i.id]));
    const pairs = list.map((x) => [x.ind.id, lyByCode.get(x.ind.code)] as const).filter((p): p is readonly [number, number] => p[1] !== undefined);
    if (pairs.length) {
      const vals = new Map((await repo.valuesAt(db, unit.id, pairs.map((p) => p[1]), samePeriodLastYear(period))).map((x) => [x.indicatorId, x.value]));
      for (const [cur, ly] of pairs) if (vals.has(ly)) lastYearVals.set(cur, vals.get(ly) ?? null);
    }
  }
  const peersByInd = new Map<number, number[]>();
  if (unit.categoryId !== null) {
    const peerUnits = (await listUnits(db)).filter((u) => u.categoryId === unit.categoryId && u.id !== unit.id).map((u) => u.id);
    for (const p of await repo.peerValues(db, ids, period, peerUnits)) {
      const l = peersByInd.get(p.indicatorId) ?? [];
      l.push(Number(p.value));
      peersByInd.set(p.indicatorId, l);
    }
  }
  return list.map((x) => {
    const def = formOf(yc, x.ind).definition;
    const p = prev.get(x.ind.id);
    const key = scoreFieldOf(def);
    const scoreLabel = def.scoreFormula ? '计分值' : (def.fields.find((f) => f.key === key)?.label ?? '数值');
    const fresh = detectAnomalies(
      {
        fields: def.fields,
        values: x.values,
        scoreValue: x.scoreValue,
        scoreLabel,
        previous: p ? { period: p.period, values: p.fields ?? {}, scoreValue: p.value === null ? null : Number(p.value) } : null,
        lastYear: lastYearVals.has(x.ind.id) ? { period: samePeriodLastYear(period), scoreValue: lastYearVals.get(x.ind.id) ?? null } : null,
        peers: peersByInd.get(x.ind.id) ?? [],
      },
      yc.anomaly,
    );
    return mergeConfirmations(fresh, x.existing?.flags ?? [], x.confirmations, who);
  });
}

/** Checks entries (hard errors → 400 naming the field, evidence references) and computes their soft flags. */
async function prepareEntries(
  db: Db,
  yc: YearCtx,
  unit: TUnit,
  period: string,
  entries: { ind: TIndicator; raw: Record<string, unknown>; existing: repo.SubmissionRow | null; confirmations: { key: string; comment: string }[]; errorPrefix: string }[],
  who: { name: string; at: Date },
  allowedEvidence: (submissionId: number | null) => Promise<Set<number>>,
): Promise<Prepared[]> {
  const checked = [];
  for (const e of entries) {
    const c = checkEntry(yc, e.ind, e.raw);
    if (c.errors.length) firstError(c.errors, e.errorPrefix);
    for (const f of formOf(yc, e.ind).definition.fields.filter((x) => x.type === 'file')) {
      const allowed = await allowedEvidence(e.existing?.id ?? null);
      for (const id of (c.values[f.key] as number[] | null) ?? []) {
        if (!allowed.has(id)) throw invalid(`${e.errorPrefix}values.${f.key}`, `${f.label}：附件 ${id} 不属于本条填报，请先上传`, `${f.label}: evidence ${id} does not belong to this submission`);
      }
    }
    checked.push({ e, c });
  }
  const flags = await flagEntries(
    db,
    yc,
    unit,
    period,
    checked.map(({ e, c }) => ({ ind: e.ind, values: c.values, scoreValue: c.scoreValue, existing: e.existing, confirmations: e.confirmations })),
    who,
  );
  return checked.map(({ c }, i) => ({ values: c.values, scoreValue: c.scoreValue, flags: flags[i], version: c.version }));
}

async function evidenceIdsOf(db: Db, submissionId: number | null): Promise<Set<number>> {
  if (submissionId === null) return new Set();
  return new Set((await repo.listEvidence(db, submissionId)).map((e) => e.id));
}

/** The unit and leaf of a new entry, checked: the user may fill it, it applies to the unit, the period is open. */
export async function entryTarget(ctx: Ctx, v: Viewer, yc: YearCtx, indicatorId: number, unitId: number, period: string, prefix = '') {
  const ind = yc.byId.get(indicatorId);
  if (!ind) throw invalid(`${prefix}indicatorId`, '指标不存在', 'Indicator does not exist');
  assertLeaf(yc, ind, `${prefix}indicatorId`);
  assertCollected(ind, `${prefix}indicatorId`);
  if (!canFill(v, unitId, ind)) {
    // Another unit's data: the same answer as a missing record. Own unit, wrong kind of leaf: forbidden.
    if (ind.dataSource === 'third_party' && !v.scope.all && v.scope.unitIds.has(unitId) && v.user.permissions.has('submissions.fill')) {
      throw new AppError('FORBIDDEN', { zh: `「${ind.code} ${ind.name}」的数据由考评主体填报`, en: `${ind.code} is entered by its assessing body` });
    }
    throw notFound();
  }
  const unit = await getUnit(ctx.db, unitId);
  if (!collectedLeavesFor(yc, unit).some((l) => l.id === ind.id)) {
    throw invalid(`${prefix}indicatorId`, `指标「${ind.code} ${ind.name}」不适用于${unit.name}`, `Indicator ${ind.code} does not apply to ${unit.code}`);
  }
  assertYearInForce(yc);
  assertPeriod(yc, period, reportingClock.now(), `${prefix}period`);
  return { ind, unit };
}

function assertDraftEditable(row: repo.SubmissionRow) {
  if (row.status === 'accepted') {
    throw new AppError('IMMUTABLE', { zh: '该期数据已审核归档，受保护不能修改或删除；如需更正请提出修订申请', en: 'Accepted data are protected; request a revision instead' });
  }
  if (row.status !== 'draft' && !(row.source === 'third_party' && row.status === 'submitted')) {
    throw new AppError('INVALID_STATE', { zh: '该期数据已提交审核，不能修改；如需修改请由审核人退回', en: 'The data are under review; ask the reviewer to return them first' });
  }
}

/** Saves a draft for a leaf, unit and period (creating it, or updating the existing draft). */
export async function saveDraft(ctx: Ctx, input: TSaveDraft): Promise<TSubmissionDetail> {
  const v = await viewerOf(ctx);
  const yearId = await yearIdOfIndicator(ctx.db, input.indicatorId);
  if (yearId === null) throw invalid('indicatorId', '指标不存在', 'Indicator does not exist');
  const yc = await loadYearCtx(ctx.db, yearId);
  const { ind, unit } = await entryTarget(ctx, v, yc, input.indicatorId, input.unitId, input.period);
  const existing = await repo.findByKey(ctx.db, ind.id, unit.id, input.period);
  if (existing) assertDraftEditable(existing);
  const row = await writeDraft(ctx, v, yc, ind, unit, input.period, existing, input.values, input.confirmations);
  return detailOf(ctx, { v, yc, row, ind, unit });
}

/** Updates the values of an existing draft. */
export async function updateDraft(ctx: Ctx, id: number, input: TUpdateDraft): Promise<TSubmissionDetail> {
  const l = await loadReadable(ctx, id);
  if (!canFill(l.v, l.row.unitId, l.ind)) throw forbidden();
  assertDraftEditable(l.row);
  assertYearInForce(l.yc);
  const row = await writeDraft(ctx, l.v, l.yc, l.ind, l.unit, l.row.period, l.row, input.values, input.confirmations);
  return detailOf(ctx, { ...l, row });
}

async function writeDraft(
  ctx: Ctx,
  v: Viewer,
  yc: YearCtx,
  ind: TIndicator,
  unit: TUnit,
  period: string,
  existing: repo.SubmissionRow | null,
  raw: Record<string, unknown>,
  confirmations: { key: string; comment: string }[],
): Promise<repo.SubmissionRow> {
  const now = reportingClock.now();
  const who = { name: actorName(ctx), at: now };
  const [p] = await prepareEntries(ctx.db, yc, unit, period, [{ ind, raw, existing, confirmations, errorPrefix: '' }], who, (sid) => evidenceIdsOf(ctx.db, sid));
  return ctx.db.transaction(async (tx) => {
    let row: repo.SubmissionRow | null;
    const fields = {
      value: p.scoreValue,
      fields: p.values,
      flags: p.flags,
      formVersion: p.version,
      enteredBy: v.user.id,
      enteredByName: who.name,
      enteredAt: now,
    };
    if (existing) {
      row = await repo.updateIfStatus(tx, existing.id, existing.status === 'draft' ? ['draft'] : [existing.status], fields);
      if (!row) throw new AppError('INVALID_STATE');
    } else {
      row = await repo.insertSubmission(tx, {
        yearId: yc.year.id,
        indicatorId: ind.id,
        unitId: unit.id,
        period,
        source: ind.dataSource === 'third_party' ? 'third_party' : 'self_report',
        status: 'draft',
        ...fields,
      });
    }
    await repo.insertEvents(tx, [{ submissionId: row.id, action: 'save', fromStatus: existing?.status ?? null, toStatus: row.status, comment: null, actorId: v.user.id, actorName: who.name }]);
    await recordAudit(tx, ctx.actor, {
      action: 'submission.save',
      entityType: 'submission',
      entityId: row.id,
      unitId: unit.id,
      before: existing ? { value: existing.value, values: existing.fields } : null,
      after: { indicatorId: ind.id, period, value: row.value, values: row.fields, flags: row.flags.map((f) => f.key) },
    });
    return row;
  });
}

/** Deletes a draft that was never submitted (with its evidence records). */
export async function deleteDraft(ctx: Ctx, id: number): Promise<void> {
  const l = await loadReadable(ctx, id);
  if (!canFill(l.v, l.row.unitId, l.ind)) throw forbidden();
  if (l.row.status === 'accepted') throw new AppError('IMMUTABLE');
  if (l.row.status !== 'draft' || l.row.firstSubmittedAt !== null) {
    throw new AppError('INVALID_STATE', { zh: '已提交过的填报不能删除', en: 'A submission that was submitted once cannot be deleted' });
  }
  await ctx.db.transaction(async (tx) => {
    await repo.deleteEvidenceOf(tx, id);
    if (!(await repo.deleteDraft(tx, id))) throw new AppError('INVALID_STATE');
    await recordAudit(tx, ctx.actor, { action: 'submission.delete', entityType: 'submission', entityId: id, unitId: l.row.unitId, before: { indicatorId: l.row.indicatorId, period: l.row.period, value: l.row.value, values: l.row.fields } });
  });
}

function pendingFlagsError(flags: readonly StoredFlag[], prefix = ''): never {
  const f = flags[0];
  throw new AppError('VALIDATION', {
    field: `${prefix}confirmations.${f.key}`,
    zh: `请确认异常提示并填写说明：${f.zh}`,
    en: `Confirm the flagged value with a comment: ${f.en}`,
  });
}

/** Reporter (or assessing body): submits a draft; soft flags must be confirmed with a comment first. */
export async function submit(ctx: Ctx, id: number, input: TSubmitBody): Promise<TSubmissionDetail> {
  const l = await loadReadable(ctx, id);
  if (!canFill(l.v, l.row.unitId, l.ind)) throw forbidden();
  if (l.row.status === 'accepted') throw new AppError('IMMUTABLE');
  if (l.row.status !== 'draft') throw new AppError('INVALID_STATE', { zh: '该期数据已提交', en: 'Already submitted' });
  assertYearInForce(l.yc);
  const now = reportingClock.now();
  const who = { name: actorName(ctx), at: now };
  // Re-check against the current form and peers: what is submitted is what was validated.
  const [p] = await prepareEntries(
    ctx.db,
    l.yc,
    l.unit,
    l.row.period,
    [{ ind: l.ind, raw: l.row.fields ?? {}, existing: l.row, confirmations: input.confirmations, errorPrefix: '' }],
    who,
    (sid) => evidenceIdsOf(ctx.db, sid),
  );
  const pending = unconfirmed(p.flags);
  if (pending.length) pendingFlagsError(pending);
  const deadline = deadlineOf(l.yc, l.ind.id, l.row.period);
  const first = l.row.firstSubmittedAt ?? now;
  const row = await ctx.db.transaction(async (tx) => {
    const r = await repo.updateIfStatus(tx, id, ['draft'], {
      status: 'submitted',
      value: p.scoreValue,
      fields: p.values,
      flags: p.flags,
      submittedBy: l.v.user.id,
      submittedAt: now,
      firstSubmittedAt: first,
      deadline,
      late: isLate(first, deadline),
      returnReason: null,
      returnedStage: null,
    });
    if (!r) throw new AppError('INVALID_STATE');
    await repo.insertEvents(tx, [{ submissionId: id, action: 'submit', fromStatus: 'draft', toStatus: 'submitted', comment: null, actorId: l.v.user.id, actorName: who.name }]);
    await recordAudit(tx, ctx.actor, {
      action: 'submission.submit',
      entityType: 'submission',
      entityId: id,
      unitId: l.row.unitId,
      before: { status: 'draft' },
      after: { status: 'submitted', value: r.value, late: r.late, deadline, confirmations: p.flags.map((f) => ({ key: f.key, comment: f.comment })) },
    });
    return r;
  });
  return detailOf(ctx, { ...l, row });
}

type Transition = {
  action: 'leader_approve' | 'accept' | 'return';
  check: (l: Loaded) => void;
  patch: (l: Loaded, now: Date) => Partial<repo.SubmissionRow>;
  to: SubmissionStatus;
  comment?: string | null;
  /** In-app notifications to write with the change. */
  notes?: Note[];
};

type Note = { userId: number; title: string; body: string; link: string };

/** Writes in-app notifications inside the caller's transaction (other modules may use it too). */
export async function notifyUsers(tx: Db, notes: readonly Note[]): Promise<void> {
  await repo.insertNotifications(tx, notes);
}

/** The users told about a returned submission: the unit's reporters, or the assessing body's users for third-party data. */
async function notifyTargets(db: Db, row: repo.SubmissionRow, ind: TIndicator): Promise<number[]> {
  const users =
    row.source === 'third_party' && ind.assessingUnitId !== null
      ? await listUsers(db, { unitId: ind.assessingUnitId, role: 'assessor' })
      : await listUsers(db, { unitId: row.unitId, role: 'reporter' });
  return users.filter((u) => u.active).map((u) => u.id);
}

async function applyTransitions(ctx: Ctx, items: Loaded[], t: Transition): Promise<repo.SubmissionRow[]> {
  const now = reportingClock.now();
  const name = actorName(ctx);
  return ctx.db.transaction(async (tx) => {
    const out: repo.SubmissionRow[] = [];
    for (const l of items) {
      const r = await repo.updateIfStatus(tx, l.row.id, [l.row.status], t.patch(l, now));
      if (!r) throw new AppError('INVALID_STATE');
      if (t.action === 'accept') {
        // r0: the value as first accepted, with who entered it; then the score input.
        await repo.insertRevisions(tx, [
          {
            submissionId: r.id,
            revision: 0,
            value: r.value,
            fields: r.fields,
            flags: r.flags,
            reason: null,
            status: 'approved',
            requestedBy: r.enteredBy,
            requestedByName: r.enteredByName,
            requestedAt: r.enteredAt,
            decidedBy: ctx.user?.id ?? null,
            decidedByName: name,
            decidedAt: now,
            decisionComment: null,
          },
        ]);
        await upsertScoreInputs(tx, [
          {
            yearId: r.yearId,
            indicatorId: r.indicatorId,
            unitId: r.unitId,
            period: r.period,
            value: r.value === null ? null : Number(r.value),
            fields: r.fields,
            source: r.source,
            sourceRef: `submission:${r.id}#r${r.revision}`,
            enteredBy: r.enteredBy,
            enteredByName: r.enteredByName,
            enteredAt: r.enteredAt,
          },
        ]);
      }
      await repo.insertEvents(tx, [{ submissionId: r.id, action: t.action, fromStatus: l.row.status, toStatus: r.status, comment: t.comment ?? null, actorId: ctx.user?.id ?? null, actorName: name }]);
      await recordAudit(tx, ctx.actor, {
        action: `submission.${t.action}`,
        entityType: 'submission',
        entityId: r.id,
        unitId: r.unitId,
        before: { status: l.row.status },
        after: { status: r.status, value: r.value, ...(t.comment ? { reason: t.comment } : {}) },
      });
      out.push(r);
    }
    if (t.notes?.length) await notifyUsers(tx, t.notes);
    return out;
  });
}

const leaderApproveT: Transition = {
  action: 'leader_approve',
  to: 'leader_approved',
  check: (l) => {
    if (!canLeaderApprove(l.v, l.row)) throw forbidden();
    if (!awaitingLeader(l.row)) throw stateError(l.row);
  },
  patch: (l, now) => ({ status: 'leader_approved', leaderApprovedBy: l.v.user.id, leaderApprovedAt: now }),
};

const acceptT: Transition = {
  action: 'accept',
  to: 'accepted',
  check: (l) => {
    if (!canAccept(l.v, l.row)) throw forbidden();
    if (!awaitingOffice(l.row)) throw stateError(l.row);
  },
  patch: (l, now) => ({ status: 'accepted', acceptedBy: l.v.user.id, acceptedAt: now }),
};

function stateError(row: repo.SubmissionRow): AppError {
  if (row.status === 'accepted') return new AppError('IMMUTABLE', { zh: '该期数据已审核归档', en: 'Already accepted' });
  const zh: Record<SubmissionStatus, string> = { draft: '尚未提交', submitted: '待单位领导审核', leader_approved: '待绩效办审核', accepted: '已归档' };
  return new AppError('INVALID_STATE', { zh: `当前状态（${zh[row.status]}）不允许此操作`, en: `Not allowed while ${row.status}` });
}

/** Unit leader: approves a submitted self-report. */
export async function leaderApprove(ctx: Ctx, id: number): Promise<TSubmissionDetail> {
  const l = await loadReadable(ctx, id);
  leaderApproveT.check(l);
  const [row] = await applyTransitions(ctx, [l], leaderApproveT);
  return detailOf(ctx, { ...l, row });
}

/** Office: accepts; the value becomes protected history and a score input. */
export async function accept(ctx: Ctx, id: number): Promise<TSubmissionDetail> {
  const l = await loadReadable(ctx, id);
  assertYearInForce(l.yc);
  acceptT.check(l);
  const [row] = await applyTransitions(ctx, [l], acceptT);
  return detailOf(ctx, { ...l, row });
}

/** Leader (at the leader step) or office (at the office step): returns to draft with a reason. */
export async function returnSubmission(ctx: Ctx, id: number, reason: string): Promise<TSubmissionDetail> {
  const l = await loadReadable(ctx, id);
  const atLeader = awaitingLeader(l.row) && canLeaderApprove(l.v, l.row);
  const atOffice = awaitingOffice(l.row) && canAccept(l.v, l.row);
  if (!atLeader && !atOffice) {
    if (l.row.status === 'accepted' || l.row.status === 'draft') throw stateError(l.row);
    if (!canLeaderApprove(l.v, l.row) && !canAccept(l.v, l.row)) throw forbidden();
    throw stateError(l.row);
  }
  const stage: 'leader' | 'office' = atOffice ? 'office' : 'leader';
  const title = `填报被退回：${l.ind.name}（${l.row.period}）`;
  const notes = (await notifyTargets(ctx.db, l.row, l.ind)).map((userId) => ({ userId, title, body: reason, link: `/reporting/submissions/${id}` }));
  const [row] = await applyTransitions(ctx, [l], {
    action: 'return',
    to: 'draft',
    comment: reason,
    notes,
    check: () => undefined,
    patch: (x, now) => ({ status: 'draft', returnReason: reason, returnedStage: stage, returnedBy: x.v.user.id, returnedAt: now, leaderApprovedBy: null, leaderApprovedAt: null }),
  });
  return detailOf(ctx, { ...l, row });
}

async function bulk(ctx: Ctx, ids: number[], t: Transition): Promise<TBulkResult> {
  const ok: Loaded[] = [];
  const failed: TBulkResult['failed'] = [];
  for (const id of [...new Set(ids)]) {
    try {
      const l = await loadReadable(ctx, id);
      if (t.action === 'accept') assertYearInForce(l.yc);
      t.check(l);
      ok.push(l);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      failed.push({ id, message: e.message_(ctx.lang) });
    }
  }
  const rows = ok.length ? await applyTransitions(ctx, ok, t) : [];
  return { done: rows.map((r) => r.id), failed };
}

/** Unit leader: approves many submitted self-reports at once (the ones that cannot be are listed with why). */
export function bulkLeaderApprove(ctx: Ctx, ids: number[]): Promise<TBulkResult> {
  return bulk(ctx, ids, leaderApproveT);
}

/** Office: accepts many at once. */
export function bulkAccept(ctx: Ctx, ids: number[]): Promise<TBulkResult> {
  return bulk(ctx, ids, acceptT);
}

// ---------- revisions ----------

/** Requests a correction of accepted data with a reason and the new values; the office decides. */
export async function requestRevision(ctx: Ctx, id: number, input: TRevisionRequest): Promise<TSubmissionDetail> {
  const l = await loadReadable(ctx, id);
  if (!canFill(l.v, l.row.unitId, l.ind)) throw forbidden();
  if (l.row.status !== 'accepted') {
    throw new AppError('INVALID_STATE', { zh: '只有已审核归档的数据需要修订申请；未归档的数据请直接修改或退回', en: 'Only accepted data are revised' });
  }
  assertYearInForce(l.yc);
  const open = await repo.openRevisionFor(ctx.db, [id]);
  if (open.size) throw new AppError('INVALID_STATE', { zh: '已有待审批的修订申请', en: 'A revision request is already pending' });
  const now = reportingClock.now();
  const who = { name: actorName(ctx), at: now };
  const [p] = await prepareEntries(
    ctx.db,
    l.yc,
    l.unit,
    l.row.period,
    [{ ind: l.ind, raw: input.values, existing: null, confirmations: input.confirmations, errorPrefix: '' }],
    who,
    (sid) => evidenceIdsOf(ctx.db, sid ?? id),
  );
  if (sameValues(p.values, l.row.fields ?? {})) throw invalid('values', '修订值与当前值相同', 'The new values equal the current ones');
  const pending = unconfirmed(p.flags);
  if (pending.length) pendingFlagsError(pending);
  const next = (await repo.maxRevision(ctx.db, id)) + 1;
  await ctx.db.transaction(async (tx) => {
    const [rev] = await repo.insertRevisions(tx, [
      {
        submissionId: id,
        revision: next,
        value: p.scoreValue,
        fields: p.values,
        flags: p.flags,
        reason: input.reason,
        status: 'requested',
        requestedBy: l.v.user.id,
        requestedByName: who.name,
        requestedAt: now,
      },
    ]);
    await repo.insertEvents(tx, [{ submissionId: id, action: 'revision_request', fromStatus: 'accepted', toStatus: 'accepted', comment: input.reason, actorId: l.v.user.id, actorName: who.name }]);
    await recordAudit(tx, ctx.actor, {
      action: 'submission.revision_request',
      entityType: 'submission_revision',
      entityId: rev.id,
      unitId: l.row.unitId,
      before: { value: l.row.value, values: l.row.fields },
      after: { submissionId: id, revision: next, value: p.scoreValue, values: p.values, reason: input.reason },
    });
  });
  return getSubmission(ctx, id);
}

async function loadRevision(ctx: Ctx, revisionId: number) {
  const rev = await repo.findRevision(ctx.db, revisionId);
  if (!rev) throw notFound();
  const l = await loadReadable(ctx, rev.submissionId);
  return { rev, l };
}

/** Office: approves a revision: its values become current (the old ones stay in the history) and flow into the scores. */
export async function approveRevision(ctx: Ctx, revisionId: number, comment: string | null): Promise<TSubmissionDetail> {
  const { rev, l } = await loadRevision(ctx, revisionId);
  if (!canAccept(l.v, l.row)) throw forbidden();
  if (rev.status !== 'requested') throw new AppError('INVALID_STATE', { zh: '该修订申请已处理', en: 'The request was already decided' });
  assertYearInForce(l.yc);
  const name = actorName(ctx);
  await ctx.db.transaction(async (tx) => {
    const decided = await repo.decideRevision(tx, revisionId, { status: 'approved', decidedBy: ctx.user?.id ?? null, decidedByName: name, decisionComment: comment });
    if (!decided) throw new AppError('INVALID_STATE');
    const r = await repo.updateIfStatus(tx, l.row.id, ['accepted'], {
      value: rev.value,
      fields: rev.fields,
      flags: rev.flags,
      revision: rev.revision,
      enteredBy: rev.requestedBy,
      enteredByName: rev.requestedByName,
      enteredAt: rev.requestedAt,
    });
    if (!r) throw new AppError('INVALID_STATE');
    await upsertScoreInputs(tx, [
      {
        yearId: r.yearId,
        indicatorId: r.indicatorId,
        unitId: r.unitId,
        period: r.period,
        value: r.value === null ? null : Number(r.value),
        fields: r.fields,
        source: r.source,
        sourceRef: `submission:${r.id}#r${rev.revision}`,
        enteredBy: rev.requestedBy,
        enteredByName: rev.requestedByName,
        enteredAt: rev.requestedAt,
      },
    ]);
    await repo.insertEvents(tx, [{ submissionId: r.id, action: 'revision_approve', fromStatus: 'accepted', toStatus: 'accepted', comment, actorId: ctx.user?.id ?? null, actorName: name }]);
    if (rev.requestedBy) {
      await repo.insertNotifications(tx, [{ userId: rev.requestedBy, title: `修订申请已批准：${l.ind.name}（${l.row.period}）`, body: comment ?? '', link: `/reporting/submissions/${r.id}` }]);
    }
    await recordAudit(tx, ctx.actor, {
      action: 'submission.revision_approve',
      entityType: 'submission_revision',
      entityId: revisionId,
      unitId: r.unitId,
      before: { revision: l.row.revision, value: l.row.value, values: l.row.fields },
      after: { revision: rev.revision, value: r.value, values: r.fields, comment },
    });
  });
  return getSubmission(ctx, l.row.id);
}

/** Office: rejects a revision request (with a reason); the current value stays. */
export async function rejectRevision(ctx: Ctx, revisionId: number, comment: string): Promise<TSubmissionDetail> {
  const { rev, l } = await loadRevision(ctx, revisionId);
  if (!canAccept(l.v, l.row)) throw forbidden();
  if (rev.status !== 'requested') throw new AppError('INVALID_STATE', { zh: '该修订申请已处理', en: 'The request was already decided' });
  const name = actorName(ctx);
  await ctx.db.transaction(async (tx) => {
    const decided = await repo.decideRevision(tx, revisionId, { status: 'rejected', decidedBy: ctx.user?.id ?? null, decidedByName: name, decisionComment: comment });
    if (!decided) throw new AppError('INVALID_STATE');
    await repo.insertEvents(tx, [{ submissionId: l.row.id, action: 'revision_reject', fromStatus: 'accepted', toStatus: 'accepted', comment, actorId: ctx.user?.id ?? null, actorName: name }]);
    if (rev.requestedBy) {
      await repo.insertNotifications(tx, [{ userId: rev.requestedBy, title: `修订申请未获批准：${l.ind.name}（${l.row.period}）`, body: comment, link: `/reporting/submissions/${l.row.id}` }]);
    }
    await recordAudit(tx, ctx.actor, { action: 'submission.revision_reject', entityType: 'submission_revision', entityId: revisionId, unitId: l.row.unitId, after: { comment } });
  });
  return getSubmission(ctx, l.row.id);
}

/** Revision requests (default: pending) the user may see, with the current values for comparison. */
export async function listRevisionRequests(ctx: Ctx, status: 'requested' | 'approved' | 'rejected'): Promise<TRevisionItem[]> {
  const v = await viewerOf(ctx);
  const revs = await repo.revisionsByStatus(ctx.db, status);
  const subs = new Map((await repo.findSubmissions(ctx.db, [...new Set(revs.map((r) => r.submissionId))])).map((s) => [s.id, s]));
  const units = new Map((await listUnits(ctx.db)).map((u) => [u.id, u]));
  const ycs = new Map<number, YearCtx>();
  const out: TRevisionItem[] = [];
  for (const r of revs) {
    const s = subs.get(r.submissionId);
    if (!s) continue;
    let yc = ycs.get(s.yearId);
    if (!yc) ycs.set(s.yearId, (yc = await loadYearCtx(ctx.db, s.yearId)));
    const ind = yc.byId.get(s.indicatorId);
    if (!ind || !canRead(v, s, ind)) continue;
    out.push({
      ...presentRevision(r, ctx.lang),
      unitId: s.unitId,
      unitName: units.get(s.unitId)?.name ?? '',
      indicatorId: s.indicatorId,
      indicatorCode: ind.code,
      indicatorName: ind.name,
      period: s.period,
      currentValue: s.value === null ? null : Number(s.value),
      currentValues: s.fields ?? {},
    });
  }
  return out;
}

// ---------- third-party entry ----------

/**
 * Assessing body: enters and submits third-party values for the units it assesses in one go
 * (all-or-nothing). Third-party data skip the unit leader — the assessed unit does not approve data
 * about itself — and go straight to the office for acceptance. While not yet accepted, the assessing
 * body may correct them; accepted values change only through a revision.
 */
export async function saveThirdParty(ctx: Ctx, input: TThirdPartySave): Promise<{ saved: number; unchanged: number; submissionIds: number[] }> {
  const v = await viewerOf(ctx);
  const yearId = await resolveYearId(ctx.db);
  const yc = await loadYearCtx(ctx.db, yearId);
  if (splitPeriod(input.period).year !== yc.year.year) throw invalid('period', `填报期须在 ${yc.year.year} 年内`, `The period must lie in ${yc.year.year}`);
  const now = reportingClock.now();
  const who = { name: actorName(ctx), at: now };
  type Item = { i: number; ind: TIndicator; unit: TUnit; existing: repo.SubmissionRow | null; p: Prepared };
  const items: Item[] = [];
  const byUnit = new Map<number, { unit: TUnit; list: { i: number; ind: TIndicator; existing: repo.SubmissionRow | null; raw: Record<string, unknown>; conf: { key: string; comment: string }[] }[] }>();
  const seen = new Set<string>();
  for (const [i, e] of input.entries.entries()) {
    const key = `${e.indicatorId}:${e.unitId}`;
    if (seen.has(key)) throw invalid(`entries.${i}.unitId`, '同一指标和单位重复出现', 'Duplicate indicator and unit');
    seen.add(key);
    const { ind, unit } = await entryTarget(ctx, v, yc, e.indicatorId, e.unitId, input.period, `entries.${i}.`);
    if (ind.dataSource !== 'third_party') throw invalid(`entries.${i}.indicatorId`, '该指标不是第三方数据', 'Not a third-party indicator');
    const existing = await repo.findByKey(ctx.db, ind.id, unit.id, input.period);
    if (existing && existing.status === 'accepted') {
      throw new AppError('IMMUTABLE', { field: `entries.${i}`, zh: `${unit.name}「${ind.code}」的数据已归档，受保护不能修改；请提出修订申请`, en: `Accepted data of ${unit.code} ${ind.code} are protected` });
    }
    const g = byUnit.get(unit.id) ?? { unit, list: [] };
    g.list.push({ i, ind, existing, raw: e.values, conf: e.confirmations });
    byUnit.set(unit.id, g);
  }
  for (const g of byUnit.values()) {
    const prepared = await prepareEntries(
      ctx.db,
      yc,
      g.unit,
      input.period,
      g.list.map((x) => ({ ind: x.ind, raw: x.raw, existing: x.existing, confirmations: x.conf, errorPrefix: `entries.${x.i}.` })),
      who,
      (sid) => evidenceIdsOf(ctx.db, sid),
    );
    g.list.forEach((x, k) => {
      const pending = unconfirmed(prepared[k].flags);
      if (pending.length) pendingFlagsError(pending, `entries.${x.i}.`);
      items.push({ i: x.i, ind: x.ind, unit: g.unit, existing: x.existing, p: prepared[k] });
    });
  }
  const changed = items.filter((it) => !(it.existing && it.existing.status === 'submitted' && sameValues(it.existing.fields ?? {}, it.p.values)));
  const ids = await ctx.db.transaction(async (tx) => {
    const out: number[] = [];
    for (const it of changed) {
      const deadline = deadlineOf(yc, it.ind.id, input.period);
      const first = it.existing?.firstSubmittedAt ?? now;
      const patch = {
        status: 'submitted' as const,
        value: it.p.scoreValue,
        fields: it.p.values,
        flags: it.p.flags,
        formVersion: it.p.version,
        enteredBy: v.user.id,
        enteredByName: who.name,
        enteredAt: now,
        submittedBy: v.user.id,
        submittedAt: now,
        firstSubmittedAt: first,
        deadline,
        late: isLate(first, deadline),
        returnReason: null,
        returnedStage: null,
      };
      const row = it.existing
        ? await repo.updateIfStatus(tx, it.existing.id, [it.existing.status], patch)
        : await repo.insertSubmission(tx, { yearId: yc.year.id, indicatorId: it.ind.id, unitId: it.unit.id, period: input.period, source: 'third_party', ...patch });
      if (!row) throw new AppError('INVALID_STATE');
      out.push(row.id);
      await repo.insertEvents(tx, [{ submissionId: row.id, action: 'third_party_submit', fromStatus: it.existing?.status ?? null, toStatus: 'submitted', comment: null, actorId: v.user.id, actorName: who.name }]);
    }
    if (out.length) {
      await recordAudit(tx, ctx.actor, {
        action: 'submission.third_party',
        entityType: 'submission',
        entityId: null,
        after: { period: input.period, entries: changed.map((it) => ({ indicatorId: it.ind.id, unitId: it.unit.id, value: it.p.scoreValue, values: it.p.values })) },
      });
    }
    return out;
  });
  return { saved: ids.length, unchanged: items.length - changed.length, submissionIds: ids };
}
