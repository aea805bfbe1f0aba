/**
 * Reporting reminders: an idempotent job that, for the year in force, finds the units whose
 * self-reported data for a period are not submitted yet and whose deadline is near (within the
 * year's reminder lead time) or today, and notifies their reporters in the app and through the
 * SMS outbox. Each (unit, leaf, period, kind) is reminded once, however often the job runs and on
 * however many app instances.
 */
import type { Db } from '../../db/client.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import type { JobDefinition } from '../../platform/jobs/types.js';
import { enqueueSms, type SmsRequest } from '../../platform/sms/index.js';
import { recordAudit } from '../audit/index.js';
import { getYearInForce } from '../performance/index.js';
import { listUnits } from '../units/index.js';
import { listUsers } from '../users/index.js';
import { calendarDaysLeft, collectionPeriods, isPeriodOpen } from './reporting.deadline.js';
import * as repo from './reporting.repo.js';
import { collectedLeavesFor, deadlineOf, loadYearCtx, reportingClock } from './reporting.service.js';

export const REMINDER_INTERVAL_MS = 15 * 60_000;

type Key = { unitId: number; indicatorId: number; period: string; kind: 'before' | 'due' };

/** Runs the reminder pass once; returns how many new reminders and notifications were made. */
export async function runReminders(
  db: Db,
  now: Date = reportingClock.now(),
): Promise<{ reminders: number; notifications: number; outbox: number }> {
  const year = await getYearInForce(db);
  if (!year) return { reminders: 0, notifications: 0, outbox: 0 };
  const yc = await loadYearCtx(db, year.id);
  const lead = yc.settings.reminderDaysBefore;
  const units = (await listUnits(db)).filter((u) => u.active);
  const keys = await repo.submittedKeys(db, year.id);
  const submitted = new Set(keys.filter((k) => k.submittedOnce).map((k) => `${k.unitId}|${k.indicatorId}|${k.period}`));
  const wanted: (Key & { deadline: string })[] = [];
  for (const p of collectionPeriods(yc.year.year, yc.year.periods).filter((x) => isPeriodOpen(x, now))) {
    for (const u of units) {
      for (const leaf of collectedLeavesFor(yc, u).filter((l) => l.dataSource === 'self_report')) {
        const deadline = deadlineOf(yc, leaf.id, p);
        const left = calendarDaysLeft(now, deadline);
        if (left < 0 || left > lead) continue;
        if (submitted.has(`${u.id}|${leaf.id}|${p}`)) continue;
        wanted.push({ unitId: u.id, indicatorId: leaf.id, period: p, kind: left === 0 ? 'due' : 'before', deadline });
      }
    }
  }
  if (!wanted.length) return { reminders: 0, notifications: 0, outbox: 0 };
  const deadlineOfKey = new Map(wanted.map((w) => [`${w.unitId}|${w.indicatorId}|${w.period}|${w.kind}`, w.deadline]));
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const reporters = new Map<number, { id: number; phone: string | null }[]>();
  for (const u of await listUsers(db, { role: 'reporter' })) {
    if (!u.active) continue;
    const list = reporters.get(u.unitId) ?? [];
    list.push({ id: u.id, phone: u.phone });
    reporters.set(u.unitId, list);
  }
  return db.transaction(async (tx) => {
    const fresh = await repo.recordReminders(
      tx,
      wanted.map(({ unitId, indicatorId, period, kind }) => ({ unitId, indicatorId, period, kind })),
    );
    // One message per unit, period and kind, naming how many leaves are waiting.
    const groups = new Map<string, Key[]>();
    for (const k of fresh) {
      const g = `${k.unitId}|${k.period}|${k.kind}`;
      groups.set(g, [...(groups.get(g) ?? []), k]);
    }
    const notes: { userId: number; title: string; body: string; link: string }[] = [];
    const sms: SmsRequest[] = [];
    for (const list of groups.values()) {
      const k = list[0];
      const deadline = deadlineOfKey.get(`${k.unitId}|${k.indicatorId}|${k.period}|${k.kind}`)!;
      const title =
        k.kind === 'due' ? `今天是 ${k.period} 数据填报截止日` : `${k.period} 数据将于 ${deadline} 截止填报`;
      const body = `${unitName.get(k.unitId) ?? ''}还有 ${list.length} 项指标的 ${k.period} 数据未提交，请在 ${deadline} 前完成填报。`;
      for (const r of reporters.get(k.unitId) ?? []) {
        notes.push({ userId: r.id, title, body, link: '/reporting/my' });
        if (r.phone) sms.push({ caseId: null, phone: r.phone, template: 'reporting_reminder', params: { text: body } });
      }
    }
    await repo.insertNotifications(tx, notes);
    await enqueueSms(tx, sms); // the district's SMS outbox and its sender (platform/sms)
    if (fresh.length) {
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: 'reporting.reminders',
        entityType: 'reporting_reminders',
        entityId: null,
        after: { at: now.toISOString(), reminders: fresh.length, notifications: notes.length, sms: sms.length },
      });
    }
    return { reminders: fresh.length, notifications: notes.length, outbox: sms.length };
  });
}

/** The reminder pass every 15 minutes, for the job runner. */
export const reportingJobs: JobDefinition[] = [
  {
    name: 'reporting.reminders',
    title: { zh: '填报截止提醒', en: 'Reporting deadline reminders' },
    everyMs: REMINDER_INTERVAL_MS,
    async run(ctx) {
      const r = await runReminders(ctx.database.db);
      if (r.reminders) ctx.log.info(r, 'reporting reminders sent');
      return r;
    },
  },
];
