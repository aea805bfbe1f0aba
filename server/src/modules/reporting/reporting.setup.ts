/**
 * Data collection: reporting settings, data-entry forms and deadline overrides (office set-up).
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, invalid, notFound, type Lang } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { bumpScoreVersion } from '../inputs/index.js';
import { getYear, getYearInForce, listIndicators, listYears, type TIndicator } from '../performance/index.js';
import { checkDefinition, numericVars, type FormValues, type TFormDefinition } from './reporting.forms.js';
import * as repo from './reporting.repo.js';
import { checkExpression, evaluateExpression } from './reporting.rules.js';
import type {
  TDeadlineOverride,
  TForm,
  TFormSummary,
  TReportingSettings,
  TReportingSettingsUpdate,
  TRuleTestResult,
} from './reporting.schema.js';
import {
  type YearCtx,
  formOf,
  loadYearCtx,
  pathOf,
  presentRule,
  presentSettings,
  resolveYearId,
  ruleOf,
} from './reporting.year.js';

// ---------- settings ----------

export async function getSettings(db: Db, yearId?: number): Promise<TReportingSettings> {
  const id = await resolveYearId(db, yearId);
  const year = await getYear(db, id);
  return presentSettings(year, await repo.findSettings(db, id));
}

/** Office: changes the year's deadline rule, reminder lead time, anomaly and light thresholds. */
export async function updateSettings(
  ctx: Ctx,
  yearId: number,
  patch: TReportingSettingsUpdate,
): Promise<TReportingSettings> {
  const year = await getYear(ctx.db, yearId);
  if (year.status === 'closed')
    throw new AppError('IMMUTABLE', { zh: `${year.name}已结束，设置不能修改`, en: `${year.name} is closed` });
  const beforeRow = await repo.findSettings(ctx.db, yearId);
  const before = presentSettings(year, beforeRow);
  const merged = { ...before, ...patch };
  if (merged.lightYellowMargin < merged.lightGreenMargin) {
    throw invalid(
      'lightYellowMargin',
      '黄灯阈值不能小于绿灯阈值',
      'The yellow margin must not be below the green margin',
    );
  }
  return ctx.db.transaction(async (tx) => {
    await repo.upsertSettings(tx, yearId, {
      deadlineMode: merged.deadlineMode,
      deadlineWorkingDays: merged.deadlineWorkingDays,
      deadlineRollsOver: merged.deadlineRollsOver,
      reminderDaysBefore: merged.reminderDaysBefore,
      jumpThresholdPct: merged.jumpThresholdPct,
      peerIqrFactor: merged.peerIqrFactor,
      lightGreenMargin: merged.lightGreenMargin,
      lightYellowMargin: merged.lightYellowMargin,
      updatedBy: ctx.user?.id ?? null,
    });
    const after = presentSettings(year, await repo.findSettings(tx, yearId));
    // The year-to-date score counts the months whose deadline has come (monthDeadlines): a new rule rebuilds it.
    const rule = (x: TReportingSettings) => [x.deadlineMode, x.deadlineWorkingDays, x.deadlineRollsOver].join('|');
    if (rule(before) !== rule(after)) await bumpScoreVersion(tx, yearId);
    await recordAudit(tx, ctx.actor, {
      action: 'reporting.settings',
      entityType: 'reporting_settings',
      entityId: yearId,
      before,
      after,
    });
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

export async function yearIdOfIndicator(db: Db, indicatorId: number): Promise<number | null> {
  // Only the performance service knows indicators; ask it through the years it lists.
  const inForce = await getYearInForce(db);
  if (inForce && (await listIndicators(db, inForce.id)).some((i) => i.id === indicatorId)) return inForce.id;
  for (const y of await listYears(db)) {
    if (y.id === inForce?.id) continue;
    if ((await listIndicators(db, y.id)).some((i) => i.id === indicatorId)) return y.id;
  }
  return null;
}

export function assertCollected(ind: TIndicator, field = 'indicatorId') {
  if (ind.dataSource !== 'self_report' && ind.dataSource !== 'third_party') {
    throw invalid(
      field,
      `指标「${ind.code} ${ind.name}」的数据由系统自动采集，无需填报`,
      `Indicator ${ind.code} is collected automatically; it has no form`,
    );
  }
}

export function assertLeaf(yc: YearCtx, ind: TIndicator, field = 'indicatorId') {
  if (!yc.leafIds.has(ind.id))
    throw invalid(
      field,
      `「${ind.code} ${ind.name}」不是末级指标，没有填报表单`,
      `${ind.code} is not a leaf indicator`,
    );
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
  if (yc.year.status === 'closed')
    throw new AppError('IMMUTABLE', { zh: `${yc.year.name}已结束，不能修改`, en: `${yc.year.name} is closed` });
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
    await recordAudit(tx, ctx.actor, {
      action: 'reporting.form_reset',
      entityType: 'indicator_form',
      entityId: indicatorId,
      before: { version: before.version, definition: before.definition },
    });
    return presentForm(yc, ind);
  });
}

/** Evaluates an expression against sample values (the designer's test button); never throws for formula errors. */
export function testRule(
  def: TFormDefinition,
  expression: string,
  values: Record<string, unknown>,
  lang: Lang,
): TRuleTestResult {
  const numericKeys = def.fields
    .filter((f) => ['integer', 'decimal', 'percent', 'money'].includes(f.type))
    .map((f) => f.key);
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
    message:
      lang === 'en'
        ? `Result: ${value} (${value !== 0 ? 'true' : 'false'})`
        : `计算结果：${value}（${value !== 0 ? '成立' : '不成立'}）`,
  };
}

/** Office: a leaf's own deadline (a day of the following month, or N working days after month end). */
export async function setDeadline(ctx: Ctx, indicatorId: number, o: TDeadlineOverride): Promise<TForm> {
  const { yc, ind } = await leafOrThrow(ctx.db, indicatorId);
  assertLeaf(yc, ind);
  assertCollected(ind);
  assertYearEditable(yc);
  const before = yc.overrides.has(indicatorId) ? presentRule(yc.overrides.get(indicatorId)!) : null;
  const row =
    o.mode === 'day'
      ? { indicatorId, mode: 'day' as const, day: o.day, workingDays: null }
      : { indicatorId, mode: 'working_days' as const, day: null, workingDays: o.workingDays };
  return ctx.db.transaction(async (tx) => {
    await repo.saveDeadline(tx, row);
    yc.overrides.set(
      indicatorId,
      o.mode === 'day' ? { mode: 'day', day: o.day } : { mode: 'working_days', days: o.workingDays },
    );
    await recordAudit(tx, ctx.actor, {
      action: 'reporting.deadline',
      entityType: 'indicator_deadline',
      entityId: indicatorId,
      before,
      after: presentRule(yc.overrides.get(indicatorId)!),
    });
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
    await recordAudit(tx, ctx.actor, {
      action: 'reporting.deadline_clear',
      entityType: 'indicator_deadline',
      entityId: indicatorId,
      before: presentRule(before),
    });
    return presentForm(yc, ind);
  });
}
