/**
 * Government services, the applicant's side (no login): tracking by number and query password (with limits
 * on guessing), the tracking view, 好差评 and online 补正.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import type { Actor } from '../../lib/context.js';
import { AppError, invalid } from '../../lib/errors.js';
import { beijingDate } from '../../engine/workdays.js';
import { recordAudit } from '../audit/index.js';
import { loadCalendar } from '../calendar/index.js';
import { rateSubject, ratingOf, type TRate } from '../ratings/index.js';
import { passwordPepper, verifyQueryPassword } from '../cases/index.js';
import * as m from './services.machine.js';
import * as repo from './services.repo.js';
import type { TTrack, TTrackView } from './services.schema.js';
import {
  serviceApplications,
  serviceCorrections,
  serviceEvents,
  serviceFiles,
  serviceItems,
} from './services.table.js';
import {
  type AppRecord,
  type StepRecord,
  TRACK_LIMITS,
  getServiceSettings,
  iso,
  staffNumber,
  stateError,
  today,
} from './services.catalogue.js';
import { type IncomingFile, storeFiles } from './services.filing.js';
import { loadForUpdate, persist } from './services.rows.js';

// ---------- public: tracking, supplement, complaints ----------

const NO_SUCH_HASH = 'hmac-sha256$none';

/** Number + password under brute-force limits (429 after too many failures from this address); 400 on a wrong pair. */
export async function authenticate(db: Db, input: TTrack, ip: string): Promise<AppRecord> {
  const since = new Date(Date.now() - TRACK_LIMITS.windowMinutes * 60_000);
  const [c] = await repo.rows<{ by_ip: number; by_pair: number }>(
    db,
    sql`SELECT count(*)::int AS by_ip, count(*) FILTER (WHERE number = ${input.number})::int AS by_pair
          FROM service_track_failures WHERE ip = ${ip} AND at > ${since.toISOString()}`,
  );
  if (c.by_ip >= TRACK_LIMITS.perIp || c.by_pair >= TRACK_LIMITS.perPair) throw new AppError('TOO_MANY_REQUESTS');
  const [[a], pepper] = await Promise.all([
    db.select().from(serviceApplications).where(eq(serviceApplications.number, input.number)),
    passwordPepper(db),
  ]);
  const ok = await verifyQueryPassword(
    pepper,
    a ? a.number : input.number,
    a ? a.passwordHash : NO_SUCH_HASH,
    input.password,
  );
  if (a && ok) return a;
  await db.transaction(async (tx) => {
    await tx.execute(sql`INSERT INTO service_track_failures (number, ip) VALUES (${input.number}, ${ip})`);
    await tx.execute(sql`DELETE FROM service_track_failures WHERE at < now() - interval '1 day'`);
    await recordAudit(
      tx,
      { id: null, name: 'applicant', ip },
      {
        action: 'services.track_failed',
        entityType: 'service_application',
        entityId: a?.id ?? null,
        after: { number: input.number },
      },
    );
  });
  throw invalid('password', '办件编号或查询密码不正确', 'Wrong application number or query password');
}

/** The applicant's view: every step with the official (name or staff number), start and end, working days used vs the limit. */
export async function trackView(db: Db, a: AppRecord): Promise<TTrackView> {
  const [steps, item, settings, cal, open, rating] = await Promise.all([
    repo.rows<{
      seq: number;
      name: string;
      department_name: string;
      official_id: number | null;
      official_name: string | null;
      status: StepRecord['status'];
      decision: 'approve' | 'refuse' | null;
      started_at: string | Date | null;
      ended_at: string | Date | null;
      started_on: string | null;
      paused_since: string | null;
      paused_days: number;
      days: number;
    }>(
      db,
      sql`SELECT s.seq, s.name, u.name AS department_name, s.official_id, s.official_name, s.status, s.decision,
                 s.started_at, s.ended_at, s.started_on::text AS started_on, s.paused_since::text AS paused_since, s.paused_days, s.days
            FROM service_steps s JOIN units u ON u.id = s.department_id
           WHERE s.application_id = ${a.id} ORDER BY s.seq, s.id`,
    ),
    db.select({ name: serviceItems.name }).from(serviceItems).where(eq(serviceItems.id, a.itemId)),
    getServiceSettings(db),
    loadCalendar(db),
    db
      .select({ materials: serviceCorrections.materials })
      .from(serviceCorrections)
      .where(and(eq(serviceCorrections.applicationId, a.id), sql`${serviceCorrections.resolvedAt} IS NULL`)),
    a.status === 'completed' ? ratingOf(db, 'application', a.id) : null,
  ]);
  const on = today();
  return {
    number: a.number,
    itemName: item[0]?.name ?? '',
    status: a.status,
    result: a.status === 'completed' || a.status === 'not_accepted' || a.status === 'delivering' ? a.result : null,
    reason: a.status === 'completed' || a.status === 'not_accepted' || a.status === 'delivering' ? a.reason : null,
    filedAt: iso(a.filedAt)!,
    acceptedOn: a.acceptedOn,
    committedDays: a.committedDays,
    dueOn: a.dueOn,
    daysUsed: a.daysUsed ?? (a.acceptedOn ? m.daysUsed(cal, a.acceptedOn, a.pausedSince ?? on, a.pausedDays) : null),
    paused: a.pausedSince !== null,
    openCorrection: open.length ? open.map((c) => c.materials).join('；') : null,
    rating: rating && { status: rating.status, level: rating.level },
    steps: steps.map((s) => {
      const end = s.ended_at ? beijingDate(new Date(s.ended_at)) : on;
      const paused = s.paused_days + (s.paused_since ? m.daysUsed(cal, s.paused_since, on, 0) : 0);
      return {
        seq: s.seq,
        name: s.name,
        departmentName: s.department_name,
        official:
          s.official_id === null
            ? null
            : settings.trackOfficial === 'staff_no'
              ? staffNumber(s.official_id)
              : s.official_name,
        status: s.status,
        decision: s.decision,
        startedAt: iso(s.started_at),
        endedAt: iso(s.ended_at),
        days: s.days,
        daysUsed: s.started_on ? m.daysUsed(cal, s.started_on, end, paused) : null,
      };
    }),
  };
}

export async function track(db: Db, input: TTrack, ip: string): Promise<TTrackView> {
  return trackView(db, await authenticate(db, input, ip));
}

/** 好差评 from the tracking page: the applicant, identified by number + password, rates the completed application. */
export async function ratePublic(db: Db, input: TTrack & TRate, ip: string): Promise<TTrackView> {
  const a = await authenticate(db, input, ip);
  await rateSubject(
    db,
    'application',
    a.id,
    { level: input.level, aspects: input.aspects, comment: input.comment },
    { id: null, name: 'applicant', ip },
  );
  return trackView(db, a);
}

/** The applicant sends the missing materials online: the files are stored and the open corrections close (the clock runs again). */
export async function supplementPublic(
  db: Db,
  input: TTrack & { note: string },
  files: IncomingFile[],
  ip: string,
  blobs: BlobStore,
): Promise<TTrackView> {
  const a = await authenticate(db, input, ip);
  if (!files.length) throw invalid('file', '请上传补正材料', 'Upload the missing materials');
  if (files.length > 10) throw invalid('file', '一次最多上传 10 个材料文件', 'At most 10 files at once');
  if (!a.pausedSince)
    throw new AppError('CONFLICT', { zh: '该办件没有待补正的材料', en: 'Nothing is waiting for materials' });
  const stored = await storeFiles(files, blobs);
  const cal = await loadCalendar(db);
  const on = today();
  const actor: Actor = { id: null, name: 'applicant', ip };
  await db.transaction(async (tx) => {
    const l = await loadForUpdate(tx, a.id);
    let r: { pausedDays: number } = { pausedDays: 0 };
    try {
      r = m.supplement(cal, l.app, l.msteps, on);
    } catch (e) {
      stateError(e);
    }
    const open = await tx
      .select({ id: serviceCorrections.id })
      .from(serviceCorrections)
      .where(and(eq(serviceCorrections.applicationId, a.id), sql`${serviceCorrections.resolvedAt} IS NULL`));
    await tx
      .update(serviceCorrections)
      .set({ resolvedAt: new Date(), pausedDays: r.pausedDays })
      .where(inArray(serviceCorrections.id, open.length ? open.map((o) => o.id) : [0]));
    await tx.insert(serviceFiles).values(
      stored.map((f) => ({
        applicationId: a.id,
        correctionId: open[0]?.id ?? null,
        sha256: f.sha,
        name: f.name,
        mime: f.mime,
        size: f.size,
      })),
    );
    await persist(tx, l, on, { id: null, name: '申请人' });
    await tx.insert(serviceEvents).values({
      applicationId: a.id,
      kind: 'supplement',
      actorName: '申请人（网上补正）',
      note: input.note || `补正材料 ${stored.length} 个`,
    });
    await recordAudit(tx, actor, {
      action: 'services.supplement',
      entityType: 'service_application',
      entityId: a.id,
      unitId: a.departmentId,
      after: { files: stored.length, pausedDays: r.pausedDays },
    });
  });
  const [fresh] = await db.select().from(serviceApplications).where(eq(serviceApplications.id, a.id));
  return trackView(db, fresh);
}
