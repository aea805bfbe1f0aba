/**
 * Data collection: the clock and a year's reporting context (settings, forms, deadline rules, tree order) that every section of reporting.service reads.
 */
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { signedIn } from '../../lib/context.js';
import { AppError } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { type CalendarData } from '../../engine/workdays.js';
import { loadCalendar } from '../calendar/index.js';
import {
  getYear,
  getYearInForce,
  leavesFor,
  listIndicators,
  type TIndicator,
  type TYear,
  type YearCopy,
} from '../performance/index.js';
import { type TUnit } from '../units/index.js';
import { DEFAULT_ANOMALY_CONFIG, type AnomalyConfig } from './reporting.anomaly.js';
import { periodDeadline, periodsOfYear, type DeadlineRule } from './reporting.deadline.js';
import { defaultForm, type TFormDefinition } from './reporting.forms.js';
import { DEFAULT_LIGHT_THRESHOLDS, type LightThresholds } from './reporting.lights.js';
import { type Viewer } from './reporting.policy.js';
import * as repo from './reporting.repo.js';
import type { TDeadlineRule, TReportingSettings } from './reporting.schema.js';

/** The module's clock: tests move it to check deadlines; everything time-dependent reads it. */
export const reportingClock = { now: (): Date => new Date() };

export const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

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

export function presentSettings(year: TYear, row: repo.SettingsRow | null): TReportingSettings {
  return {
    yearId: year.id,
    year: year.year,
    yearName: year.name,
    yearStatus: year.status,
    deadlineDay: year.deadlineDay,
    deadlineMode: row?.deadlineMode ?? 'day',
    deadlineWorkingDays: row?.deadlineWorkingDays ?? 10,
    deadlineRollsOver: row?.deadlineRollsOver ?? true,
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
    await recordAudit(tx, copy.actor, {
      action: 'reporting.year_copy',
      entityType: 'assessment_year',
      entityId: copy.toYearId,
      before: { fromYearId: copy.fromYearId },
      after: copied,
    });
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
    overrides.set(
      d.indicatorId,
      d.mode === 'working_days'
        ? { mode: 'working_days', days: Number(d.workingDays) }
        : { mode: 'day', day: Number(d.day) },
    );
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
    anomaly: {
      jumpPct: settings.jumpThresholdPct,
      peerIqrFactor: settings.peerIqrFactor,
      minPeers: DEFAULT_ANOMALY_CONFIG.minPeers,
    },
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

type RuleSettings = Pick<
  TReportingSettings,
  'deadlineMode' | 'deadlineWorkingDays' | 'deadlineDay' | 'deadlineRollsOver'
>;

/** The year's deadline rule (a leaf may override it). */
function yearRule(settings: RuleSettings): DeadlineRule {
  return settings.deadlineMode === 'working_days'
    ? { mode: 'working_days', days: settings.deadlineWorkingDays }
    : { mode: 'day', day: settings.deadlineDay, rollOver: settings.deadlineRollsOver };
}

/** The deadline rule of a leaf: its own override, else the year's rule. */
export function ruleOf(yc: YearCtx, indicatorId: number): DeadlineRule {
  const rule: DeadlineRule = yc.overrides.get(indicatorId) ?? yearRule(yc.settings);
  return rule.mode === 'day' ? { ...rule, rollOver: yc.settings.deadlineRollsOver } : rule;
}

/**
 * Each month's deadline by the year's rule, for scoring's year-to-date window (the manifest's
 * monthDeadlines listener): the 15th on a holiday counts from the next working day, as reporting does.
 */
export async function monthDeadlines(db: Db, year: TYear): Promise<string[]> {
  const rule = yearRule(presentSettings(year, await repo.findSettings(db, year.id)));
  const calendar = await loadCalendar(db);
  return periodsOfYear(year.year).map((p) => periodDeadline(p, rule, calendar));
}

/** Deadlines already worked out per year context, by leaf and period (the lights ask for each unit × leaf × month). */
const deadlineMemo = new WeakMap<YearCtx, Map<string, string>>();

/** The deadline date of a leaf's period. */
export function deadlineOf(yc: YearCtx, indicatorId: number, period: string): string {
  let memo = deadlineMemo.get(yc);
  if (!memo) deadlineMemo.set(yc, (memo = new Map()));
  const key = `${indicatorId}|${period}`;
  let date = memo.get(key);
  if (date === undefined) memo.set(key, (date = periodDeadline(period, ruleOf(yc, indicatorId), yc.calendar)));
  return date;
}

export function presentRule(r: DeadlineRule): TDeadlineRule {
  return r.mode === 'day'
    ? { mode: 'day', day: r.day, workingDays: null }
    : { mode: 'working_days', day: null, workingDays: r.days };
}

/** The form of a leaf: the designed one, or the default single-value form. */
export function formOf(
  yc: YearCtx,
  ind: TIndicator,
): { definition: TFormDefinition; version: number; designed: boolean } {
  const f = yc.forms.get(ind.id);
  return f
    ? { definition: f.definition, version: f.version, designed: true }
    : { definition: defaultForm(ind.unitOfMeasure), version: 0, designed: false };
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
  return { user: signedIn(ctx), scope: await ctx.scope() };
}

export const actorName = (ctx: Ctx) => ctx.user?.displayName ?? ctx.actor.name;
