/**
 * Government services: the catalogue, filing (window and online), acceptance, the departments' steps,
 * 补正, decision and delivery, the applicant's tracking, the electronic-supervision monitor, complaints
 * and the figures. Every write runs in one transaction with its audit entry and its figures.
 */
import { createHash, randomInt } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import type { Actor, Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { addWorkingDays, beijingDate, beijingMonth, type CalendarData } from '../../engine/workdays.js';
import { recordAudit, recordAuditEntries } from '../audit/index.js';
import { insertSql, togetherSql } from '../../db/bulk.js';
import { sendInTransaction } from '../../db/client.js';
import { coalesce, groupCommit, type Settled } from '../../lib/groupcommit.js';
import { loadCalendar } from '../calendar/index.js';
import { issueNotice } from '../notices/index.js';
import { inviteRating, rateSubject, ratingOf, type TRate } from '../ratings/index.js';
import { hashQueryPassword, passwordPepper, verifyQueryPassword } from '../cases/index.js';
import { checkEvidenceFile, cleanFileName, evidenceKey } from '../reporting/index.js';
import { getSetting, setSetting } from '../settings/index.js';
import { assertUnitsExist, inScope } from '../units/index.js';
import * as m from './services.machine.js';
import * as repo from './services.repo.js';
import type {
  TAppDetail,
  TAppList,
  TAppRow,
  TApplicationInput,
  TFiled,
  TItem,
  TItemInput,
  TListQuery,
  TSettings,
  TTrack,
  TTrackView,
} from './services.schema.js';
import { ZSettings } from './services.schema.js';
import {
  serviceApplications,
  serviceComplaints,
  serviceCorrections,
  serviceEvents,
  serviceFiles,
  serviceItems,
  serviceSteps,
  type ItemStep,
  type Light,
} from './services.table.js';

export const today = () => beijingDate(new Date());
const iso = (d: Date | string | null) =>
  d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString();

type AppRecord = typeof serviceApplications.$inferSelect;
type StepRecord = typeof serviceSteps.$inferSelect;

function userOf(ctx: Ctx) {
  if (!ctx.user) throw new AppError('UNAUTHENTICATED');
  return ctx.user;
}

function stateError(e: unknown): never {
  if (e instanceof m.StateError) throw new AppError('CONFLICT', { zh: e.zh, en: e.en });
  throw e;
}

/** Applications per hour one address may file online. */
export const PUBLIC_FILINGS_PER_HOUR = 20;
/** Tracking failures allowed per address in 15 minutes (and per number and address). */
export const TRACK_LIMITS = { perPair: 5, perIp: 30, windowMinutes: 15 } as const;

// ---------- settings ----------

const SETTINGS_KEY = 'services.settings';
export async function getServiceSettings(db: Db): Promise<TSettings> {
  return (await getSetting(db, SETTINGS_KEY, ZSettings)) ?? { trackOfficial: 'name' };
}
export async function putServiceSettings(ctx: Ctx, v: TSettings): Promise<TSettings> {
  await ctx.db.transaction(async (tx) => {
    const before = await getServiceSettings(tx);
    await setSetting(tx, SETTINGS_KEY, v);
    await recordAudit(tx, ctx.actor, {
      action: 'services.settings',
      entityType: 'app_setting',
      entityId: SETTINGS_KEY,
      before,
      after: v,
    });
  });
  return v;
}
/** The staff number shown instead of a name when the setting says so. */
export const staffNumber = (userId: number) => `工号 ${String(userId).padStart(5, '0')}`;

// ---------- catalogue ----------

async function unitNames(db: Db): Promise<Map<number, string>> {
  const r = await repo.rows<{ id: number; name: string }>(db, sql`SELECT id, name FROM units`);
  return new Map(r.map((u) => [u.id, u.name]));
}

function presentItem(i: typeof serviceItems.$inferSelect, names: Map<number, string>): TItem {
  return {
    id: i.id,
    code: i.code,
    name: i.name,
    kind: i.kind,
    departmentId: i.departmentId,
    departmentName: names.get(i.departmentId) ?? '',
    legalDays: i.legalDays,
    committedDays: i.committedDays,
    materials: i.materials,
    fees: i.fees,
    channel: i.channel,
    guide: i.guide,
    steps: [...i.steps]
      .sort((a, b) => a.seq - b.seq)
      .map((s) => ({ ...s, departmentName: names.get(s.departmentId) ?? '' })),
    parallel: i.parallel,
    active: i.active,
  };
}

export async function listItems(
  db: Db,
  q: { q?: string; kind?: string; departmentId?: number },
  activeOnly: boolean,
): Promise<TItem[]> {
  const w = [];
  if (activeOnly) w.push(eq(serviceItems.active, true));
  if (q.kind) w.push(eq(serviceItems.kind, q.kind as TItem['kind']));
  if (q.departmentId) w.push(eq(serviceItems.departmentId, q.departmentId));
  if (q.q)
    w.push(
      sql`(${serviceItems.name} LIKE ${'%' + q.q.replace(/[\\%_]/g, '\\$&') + '%'} OR ${serviceItems.code} = ${q.q})`,
    );
  const [list, names] = await Promise.all([
    db
      .select()
      .from(serviceItems)
      .where(w.length ? and(...w) : undefined)
      .orderBy(asc(serviceItems.code)),
    unitNames(db),
  ]);
  return list.map((i) => presentItem(i, names));
}

export async function getItem(db: Db, id: number, activeOnly: boolean): Promise<TItem> {
  const [i] = await db.select().from(serviceItems).where(eq(serviceItems.id, id));
  if (!i || (activeOnly && !i.active)) throw notFound();
  return presentItem(i, await unitNames(db));
}

const isParallel = (steps: readonly ItemStep[]) => steps.some((s) => steps.filter((x) => x.seq === s.seq).length > 1);

async function checkItem(db: Db, v: TItemInput): Promise<void> {
  await assertUnitsExist(db, [v.departmentId], 'departmentId');
  await assertUnitsExist(
    db,
    v.steps.map((s) => s.departmentId),
    'steps',
  );
}

/** Creates or updates (by id) a catalogue item; the code is unique. */
export async function saveItem(ctx: Ctx, id: number | null, v: TItemInput): Promise<TItem> {
  await checkItem(ctx.db, v);
  const saved = await ctx.db.transaction(async (tx) => {
    const [dup] = await tx.select({ id: serviceItems.id }).from(serviceItems).where(eq(serviceItems.code, v.code));
    if (dup && dup.id !== id) throw invalid('code', '事项编码已存在', 'The item code is taken');
    const values = { ...v, parallel: isParallel(v.steps), updatedAt: new Date() };
    let before: unknown = null;
    let row;
    if (id === null) {
      [row] = await tx.insert(serviceItems).values(values).returning();
    } else {
      [before] = await tx.select().from(serviceItems).where(eq(serviceItems.id, id)).for('update');
      if (!before) throw notFound();
      [row] = await tx.update(serviceItems).set(values).where(eq(serviceItems.id, id)).returning();
    }
    await recordAudit(tx, ctx.actor, {
      action: id === null ? 'services.item_create' : 'services.item_update',
      entityType: 'service_item',
      entityId: row.id,
      unitId: row.departmentId,
      before,
      after: v,
    });
    return row;
  });
  return presentItem(saved, await unitNames(ctx.db));
}

// ---------- numbers and passwords ----------

/** Reserves ids and their numbers: SP + the Beijing date + the id (7 digits at least). */
export async function newNumbers(db: Db, n: number): Promise<{ id: number; number: string }[]> {
  const r = await repo.rows<{ v: string | number }>(
    db,
    sql`SELECT nextval('service_applications_id_seq') AS v FROM generate_series(1, ${n})`,
  );
  const day = today().replace(/-/g, '');
  return r.map((x) => ({ id: Number(x.v), number: `SP${day}${String(x.v).padStart(7, '0')}` }));
}

const newPassword = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

// ---------- filing ----------

type IncomingFile = { filename: string; data: Buffer };

async function storeFiles(files: readonly IncomingFile[], blobs: BlobStore) {
  const out = [];
  for (const f of files) {
    const name = cleanFileName(f.filename);
    const mime = checkEvidenceFile(name, f.data);
    const sha = createHash('sha256').update(f.data).digest('hex');
    out.push({ name, mime, sha, size: f.data.length, data: f.data });
  }
  for (const f of out) {
    try {
      await blobs.put(evidenceKey(f.sha), f.data, f.mime);
    } catch {
      throw new AppError('STORAGE_UNAVAILABLE');
    }
  }
  return out;
}

type Filing = {
  actor: Actor;
  input: TApplicationInput;
  item: typeof serviceItems.$inferSelect;
  channel: 'online' | 'window';
  clerkId: number | null;
  ip: string | null;
  files: Awaited<ReturnType<typeof storeFiles>>;
  password: string;
  pepper: Buffer;
};

/**
 * Writes a batch of filings in one transaction (group commit, as case intake does): the ids and numbers
 * reserved together, the applications, their steps, files and events in one statement, the month's
 * figures summed per department, then the audit entries (the chain's lock last).
 */
async function writeFilings(db: Db, batch: Filing[]): Promise<Settled<TFiled>[]> {
  return db.transaction(async (tx) => {
    const reserved = await newNumbers(tx, batch.length);
    const now = new Date();
    const month = beijingMonth(now);
    const apps = batch.map((f, i) => ({
      id: reserved[i].id,
      number: reserved[i].number,
      passwordHash: hashQueryPassword(f.pepper, reserved[i].number, f.password),
      itemId: f.item.id,
      departmentId: f.item.departmentId,
      channel: f.channel,
      filedBy: f.clerkId,
      acceptedBy: null,
      sourceIp: f.channel === 'online' ? f.ip : null,
      applicantName: f.input.applicantName,
      applicantPhone: f.input.applicantPhone,
      applicantOrg: f.input.applicantOrg,
      note: f.input.note,
      status: 'submitted' as const,
      committedDays: f.item.committedDays,
      filedAt: now,
    }));
    const steps = batch.flatMap((f, i) =>
      f.item.steps.map((st) => ({
        applicationId: reserved[i].id,
        seq: st.seq,
        phase: st.phase,
        name: st.name,
        departmentId: st.departmentId,
        days: st.days,
        status: (st.seq === 1 ? 'pending' : 'waiting') as 'pending' | 'waiting',
        startedAt: st.seq === 1 ? now : null,
        pausedDays: 0,
      })),
    );
    const files = batch.flatMap((f, i) =>
      f.files.map((x) => ({
        applicationId: reserved[i].id,
        sha256: x.sha,
        name: x.name,
        mime: x.mime,
        size: x.size,
        uploadedAt: now,
      })),
    );
    const events = batch.map((f, i) => ({
      applicationId: reserved[i].id,
      kind: 'file',
      actorId: f.actor.id,
      actorName: f.channel === 'online' ? '申请人（网上申报）' : f.actor.name,
      note: `${f.item.name}：${f.files.length} 个材料文件`,
      at: now,
    }));
    const perDept = new Map<number, number>();
    for (const f of batch) perDept.set(f.item.departmentId, (perDept.get(f.item.departmentId) ?? 0) + 1);
    const stats = [...perDept].sort((a, b) => a[0] - b[0]);
    const write = togetherSql([
      insertSql(serviceApplications, apps),
      insertSql(serviceSteps, steps),
      insertSql(serviceFiles, files),
      insertSql(serviceEvents, events),
      sql`INSERT INTO service_stats (department_id, month, applications)
          SELECT d, ${month}, n FROM unnest(${`{${stats.map((x) => x[0]).join(',')}}`}::int[], ${`{${stats.map((x) => x[1]).join(',')}}`}::int[]) AS t(d, n)
          ON CONFLICT (department_id, month) DO UPDATE SET applications = service_stats.applications + EXCLUDED.applications`,
    ]);
    if (write) await sendInTransaction(tx, write);
    await recordAuditEntries(
      tx,
      batch.map((f, i) => ({
        actor: f.actor,
        event: {
          action: 'services.file',
          entityType: 'service_application',
          entityId: reserved[i].id,
          unitId: f.item.departmentId,
          after: { number: reserved[i].number, itemId: f.item.id, channel: f.channel, files: f.files.length },
        },
      })),
    );
    return batch.map((f, i) => ({
      ok: true as const,
      value: {
        id: reserved[i].id,
        number: reserved[i].number,
        password: f.password,
        committedDays: f.item.committedDays,
      },
    }));
  });
}

/** Item look-ups of concurrent filings share one query (lib/groupcommit), read fresh each time: nothing is cached. */
const itemLoaders = new WeakMap<object, (id: number) => Promise<typeof serviceItems.$inferSelect | null>>();

function loadItem(db: Db, id: number) {
  let load = itemLoaders.get(db);
  if (!load) {
    load = coalesce(
      async (ids: number[]) =>
        new Map((await db.select().from(serviceItems).where(inArray(serviceItems.id, ids))).map((r) => [r.id, r])),
    );
    itemLoaders.set(db, load);
  }
  return load(id);
}

/** One group-commit queue per database handle (tests and benchmarks open several). */
const filingQueues = new WeakMap<object, (f: Filing) => Promise<TFiled>>();

/**
 * Files an application (window clerk or online applicant): the item's steps are copied, the first one
 * (受理) waits for the window. Returns the number and the query password (shown once). Concurrent
 * filings are written together (group commit).
 */
export async function fileApplication(
  db: Db,
  actor: Actor,
  input: TApplicationInput,
  opts: {
    channel: 'online' | 'window';
    clerkId: number | null;
    ip: string | null;
    files: IncomingFile[];
    blobs: BlobStore;
  },
): Promise<TFiled> {
  if (opts.files.length > 10) throw invalid('file', '一次最多上传 10 个材料文件', 'At most 10 files at once');
  if (opts.channel === 'online' && opts.ip) {
    const [r] = await repo.rows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM service_applications WHERE source_ip = ${opts.ip} AND filed_at > now() - interval '1 hour'`,
    );
    if (r.n >= PUBLIC_FILINGS_PER_HOUR) throw new AppError('TOO_MANY_REQUESTS');
  }
  const item = await loadItem(db, input.itemId);
  if (!item || !item.active) throw invalid('itemId', '事项不存在或已停用', 'No such service item');
  if (opts.channel === 'online' && item.channel === 'window')
    throw invalid('itemId', '该事项需到窗口办理', 'This item is handled at the window only');
  const files = await storeFiles(opts.files, opts.blobs);
  const pepper = await passwordPepper(db);
  let submit = filingQueues.get(db);
  if (!submit) {
    submit = groupCommit((batch: Filing[]) => writeFilings(db, batch));
    filingQueues.set(db, submit);
  }
  return submit({
    actor,
    input,
    item,
    channel: opts.channel,
    clerkId: opts.clerkId,
    ip: opts.ip,
    files,
    password: newPassword(),
    pepper,
  });
}

// ---------- visibility ----------

async function visibility(ctx: Ctx): Promise<repo.Visibility> {
  const user = userOf(ctx);
  const scope = await ctx.scope();
  if (user.permissions.has('services.monitor') || (scope.all && user.permissions.has('services.stats')))
    return { all: true };
  const dept = user.permissions.has('services.handle') || user.permissions.has('services.stats');
  return {
    all: false,
    unitIds: dept ? (scope.all ? [] : [...scope.unitIds]) : [],
    clerkId: user.permissions.has('services.window') ? user.id : null,
  };
}

async function loadVisible(ctx: Ctx, id: number): Promise<AppRecord> {
  const v = await visibility(ctx);
  const [ok] = await repo.rows<{ id: number }>(
    ctx.db,
    sql`SELECT a.id::int AS id FROM service_applications a WHERE a.id = ${id} AND ${repo.visibleSql(v)}`,
  );
  if (!ok) throw notFound();
  const [a] = await ctx.db.select().from(serviceApplications).where(eq(serviceApplications.id, id));
  if (!a) throw notFound();
  return a;
}

// ---------- the machine on stored rows ----------

const toMApp = (a: AppRecord): m.MApp => ({
  status: a.status,
  stage: a.stage,
  committedDays: a.committedDays,
  acceptedOn: a.acceptedOn,
  dueOn: a.dueOn,
  yellowOn: a.yellowOn,
  pausedSince: a.pausedSince,
  pausedDays: a.pausedDays,
  result: a.result,
  reason: a.reason,
  completedOn: a.completedOn,
  daysUsed: a.daysUsed,
});
const toMStep = (s: StepRecord): m.MStep => ({
  id: s.id,
  seq: s.seq,
  phase: s.phase,
  departmentId: s.departmentId,
  days: s.days,
  status: s.status,
  decision: s.decision,
  reason: s.reason,
  startedOn: s.startedOn,
  dueOn: s.dueOn,
  yellowOn: s.yellowOn,
  pausedSince: s.pausedSince,
  pausedDays: s.pausedDays,
});

type Loaded = { a: AppRecord; steps: StepRecord[]; app: m.MApp; msteps: m.MStep[] };

async function loadForUpdate(tx: Db, id: number): Promise<Loaded> {
  const [a] = await tx.select().from(serviceApplications).where(eq(serviceApplications.id, id)).for('update');
  if (!a) throw notFound();
  const steps = await tx
    .select()
    .from(serviceSteps)
    .where(eq(serviceSteps.applicationId, id))
    .orderBy(asc(serviceSteps.seq), asc(serviceSteps.id));
  return { a, steps, app: toMApp(a), msteps: steps.map(toMStep) };
}

/** Writes back what the machine changed: the application, and each step whose fields differ; stamps times and officials. */
async function persist(
  tx: Db,
  l: Loaded,
  on: string,
  official: { id: number | null; name: string },
  extra: Partial<typeof serviceApplications.$inferInsert> = {},
): Promise<void> {
  const now = new Date();
  const stepLights: Light[] = [];
  for (let i = 0; i < l.steps.length; i++) {
    const before = l.steps[i];
    const s = l.msteps[i];
    const light = ['pending', 'signed', 'correction'].includes(s.status) ? m.clockLight(s, on) : null;
    if (light) stepLights.push(light);
    const changed =
      before.status !== s.status ||
      before.dueOn !== s.dueOn ||
      before.pausedSince !== s.pausedSince ||
      before.light !== light;
    if (!changed) continue;
    const patch: Partial<typeof serviceSteps.$inferInsert> = {
      status: s.status,
      decision: s.decision,
      reason: s.reason,
      startedOn: s.startedOn,
      dueOn: s.dueOn,
      yellowOn: s.yellowOn,
      pausedSince: s.pausedSince,
      pausedDays: s.pausedDays,
      light,
    };
    if (before.status === 'waiting' && s.status === 'pending') patch.startedAt = now;
    if (s.status === 'signed' && before.status === 'pending') {
      patch.signedAt = now;
      patch.officialId = official.id;
      patch.officialName = official.name;
    }
    if ((s.status === 'done' || s.status === 'cancelled') && before.status !== s.status) {
      patch.endedAt = now;
      if (s.status === 'done' && !before.officialName) {
        patch.officialId = official.id;
        patch.officialName = official.name;
        patch.signedAt = before.signedAt ?? now;
        patch.startedAt = before.startedAt ?? now;
      }
    }
    await tx.update(serviceSteps).set(patch).where(eq(serviceSteps.id, before.id));
  }
  const lit = m.applicationLight(l.app, l.msteps, on);
  await tx
    .update(serviceApplications)
    .set({
      status: l.app.status,
      stage: l.app.stage,
      acceptedOn: l.app.acceptedOn,
      dueOn: l.app.dueOn,
      yellowOn: l.app.yellowOn,
      pausedSince: l.app.pausedSince,
      pausedDays: l.app.pausedDays,
      result: l.app.result,
      reason: l.app.reason,
      completedOn: l.app.completedOn,
      daysUsed: l.app.daysUsed,
      light: lit.light,
      lightReasons: lit.reasons,
      ...extra,
    })
    .where(eq(serviceApplications.id, l.a.id));
}

/** Completion figures of the month of completion. */
async function countCompletion(tx: Db, l: Loaded): Promise<void> {
  if (l.app.status === 'completed' && l.app.daysUsed !== null) {
    const t = m.timeliness(l.app.daysUsed, l.app.committedDays);
    await repo.bumpStats(tx, l.a.departmentId, l.app.completedOn!.slice(0, 7), {
      completed: 1,
      early: t === 'early' ? 1 : 0,
      on_time: t !== 'overdue' ? 1 : 0,
      overdue: t === 'overdue' ? 1 : 0,
      refused: l.app.result === 'refused' ? 1 : 0,
      days_used: l.app.daysUsed,
      days_committed: l.app.committedDays,
    });
  }
}

type Action = 'accept' | 'refuse' | 'correction' | 'supplement' | 'deliver' | 'sign' | 'decide';

async function clerkMay(ctx: Ctx, a: AppRecord): Promise<boolean> {
  const user = userOf(ctx);
  if (!user.permissions.has('services.window')) return false;
  return a.channel === 'online' || a.filedBy === user.id || a.acceptedBy === user.id;
}

/** The window's actions on an application: accept, refuse acceptance, ask for materials before acceptance, record materials, deliver. */
export async function windowAction(
  ctx: Ctx,
  id: number,
  action: Exclude<Action, 'sign' | 'decide'>,
  body: { reason?: string; note?: string; materials?: string; stepId?: number },
): Promise<TAppDetail> {
  const user = userOf(ctx);
  const a0 = await loadVisible(ctx, id);
  const cal = await loadCalendar(ctx.db);
  const on = today();
  await ctx.db.transaction(async (tx) => {
    const l = await loadForUpdate(tx, id);
    const official = { id: user.id, name: user.displayName };
    const extra: Partial<typeof serviceApplications.$inferInsert> = {};
    let note = body.note ?? body.reason ?? body.materials ?? '';
    let stepId: number | null = null;
    try {
      switch (action) {
        case 'accept':
          if (!(await clerkMay(ctx, a0))) throw forbidden();
          m.accept(cal, l.app, l.msteps, on);
          extra.acceptedBy = user.id;
          break;
        case 'refuse':
          if (!(await clerkMay(ctx, a0))) throw forbidden();
          m.refuseAcceptance(l.app, l.msteps, body.reason!, on);
          extra.acceptedBy = user.id;
          extra.completedAt = new Date();
          break;
        case 'correction': {
          const step = body.stepId ? l.msteps.find((s) => s.id === body.stepId) : null;
          if (body.stepId && !step) throw invalid('stepId', '环节不存在', 'No such step');
          if (step) {
            if (!user.permissions.has('services.handle') || !inScope(await ctx.scope(), step.departmentId))
              throw forbidden();
          } else if (!(await clerkMay(ctx, a0))) throw forbidden();
          m.requestCorrection(l.app, step ?? null, on);
          stepId = step?.id ?? null;
          const dept = step?.departmentId ?? l.a.departmentId;
          await tx.insert(serviceCorrections).values({
            applicationId: id,
            stepId,
            departmentId: dept,
            materials: body.materials!,
            requestedBy: user.id,
            requestedOn: on,
          });
          await repo.bumpStats(tx, dept, beijingMonth(new Date()), { corrections: 1 });
          break;
        }
        case 'supplement': {
          const mayHandle = user.permissions.has('services.handle') && inScope(await ctx.scope(), l.a.departmentId);
          if (!(await clerkMay(ctx, a0)) && !mayHandle) throw forbidden();
          const r = m.supplement(cal, l.app, l.msteps, on);
          await tx
            .update(serviceCorrections)
            .set({ resolvedAt: new Date(), pausedDays: r.pausedDays })
            .where(and(eq(serviceCorrections.applicationId, id), sql`${serviceCorrections.resolvedAt} IS NULL`));
          note = note || '补正材料已收到';
          break;
        }
        case 'deliver': {
          const deliverStep = l.msteps.find((s) => s.phase === 'deliver');
          const mayHandle =
            user.permissions.has('services.handle') &&
            deliverStep !== undefined &&
            inScope(await ctx.scope(), deliverStep.departmentId);
          if (!(await clerkMay(ctx, a0)) && !mayHandle) throw forbidden();
          m.deliver(cal, l.app, l.msteps, on);
          extra.completedAt = new Date();
          break;
        }
      }
    } catch (e) {
      stateError(e);
    }
    await persist(tx, l, on, official, extra);
    await countCompletion(tx, l);
    // 好差评: the applicant is invited to rate every completed application (ratings module, in this transaction).
    if (action === 'deliver') {
      const [item] = await tx
        .select({ name: serviceItems.name })
        .from(serviceItems)
        .where(eq(serviceItems.id, l.a.itemId));
      await inviteRating(tx, {
        subjectKind: 'application',
        subjectId: id,
        subjectRef: l.a.number,
        subjectTitle: item?.name ?? '',
        unitId: l.a.departmentId,
        phone: l.a.applicantPhone,
        actor: ctx.actor,
      });
    }
    await tx
      .insert(serviceEvents)
      .values({ applicationId: id, stepId, kind: action, actorId: user.id, actorName: user.displayName, note });
    await recordAudit(tx, ctx.actor, {
      action: `services.${action}`,
      entityType: 'service_application',
      entityId: id,
      unitId: l.a.departmentId,
      before: { status: l.a.status },
      after: { status: l.app.status, ...body },
    });
  });
  return getApplication(ctx, id);
}

/** A department's actions on its step: sign for it, decide it (approve / refuse with reason). */
export async function stepAction(
  ctx: Ctx,
  stepId: number,
  action: 'sign' | 'decide',
  body: { decision?: 'approve' | 'refuse'; reason?: string },
): Promise<TAppDetail> {
  const user = userOf(ctx);
  const [s0] = await ctx.db.select().from(serviceSteps).where(eq(serviceSteps.id, stepId));
  const scope = await ctx.scope();
  if (!s0 || !inScope(scope, s0.departmentId)) throw notFound();
  const id = s0.applicationId;
  const cal = await loadCalendar(ctx.db);
  const on = today();
  await ctx.db.transaction(async (tx) => {
    const l = await loadForUpdate(tx, id);
    const step = l.msteps.find((s) => s.id === stepId)!;
    try {
      if (action === 'sign') m.sign(step);
      else m.decide(cal, l.app, l.msteps, step, body.decision!, body.reason?.trim() || null, on);
    } catch (e) {
      stateError(e);
    }
    await persist(
      tx,
      l,
      on,
      { id: user.id, name: user.displayName },
      l.app.result && !l.a.result ? { decidedAt: new Date() } : {},
    );
    await tx.insert(serviceEvents).values({
      applicationId: id,
      stepId,
      kind: action === 'sign' ? 'sign' : body.decision!,
      actorId: user.id,
      actorName: user.displayName,
      note: body.reason ?? '',
    });
    await recordAudit(tx, ctx.actor, {
      action: `services.step_${action}`,
      entityType: 'service_step',
      entityId: stepId,
      unitId: step.departmentId,
      before: { status: l.steps.find((s) => s.id === stepId)!.status },
      after: { status: step.status, ...body },
    });
  });
  return getApplication(ctx, id);
}

/** Adds material files to a visible application (window or department). */
export async function addFiles(ctx: Ctx, id: number, files: IncomingFile[], blobs: BlobStore): Promise<TAppDetail> {
  const user = userOf(ctx);
  if (!files.length) throw invalid('file', '请选择要上传的文件', 'No file was uploaded');
  const a = await loadVisible(ctx, id);
  const mayHandle = user.permissions.has('services.handle') && inScope(await ctx.scope(), a.departmentId);
  if (!(await clerkMay(ctx, a)) && !mayHandle && !user.permissions.has('services.monitor')) throw forbidden();
  const stored = await storeFiles(files, blobs);
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(serviceFiles)
      .values(stored.map((f) => ({ applicationId: id, sha256: f.sha, name: f.name, mime: f.mime, size: f.size })));
    await recordAudit(tx, ctx.actor, {
      action: 'services.files',
      entityType: 'service_application',
      entityId: id,
      unitId: a.departmentId,
      after: stored.map((f) => ({ name: f.name, sha256: f.sha, size: f.size })),
    });
  });
  return getApplication(ctx, id);
}

export async function openFile(ctx: Ctx, fileId: number, blobs: BlobStore) {
  const [f] = await ctx.db.select().from(serviceFiles).where(eq(serviceFiles.id, fileId));
  if (!f) throw notFound();
  await loadVisible(ctx, f.applicationId);
  const data = await blobs.get(evidenceKey(f.sha256));
  if (!data) throw notFound();
  return { name: f.name, mime: f.mime, size: f.size, data };
}

// ---------- reading ----------

function presentRow(r: repo.AppListRow): TAppRow {
  return {
    id: r.id,
    number: r.number,
    itemName: r.item_name,
    parallel: r.parallel,
    departmentName: r.department_name,
    channel: r.channel,
    applicantName: r.applicant_name,
    status: r.status as TAppRow['status'],
    paused: r.paused,
    committedDays: r.committed_days,
    filedAt: iso(r.filed_at)!,
    acceptedOn: r.accepted_on,
    dueOn: r.due_on,
    light: r.light as Light | null,
    lightReasons: r.light_reasons ?? [],
    anomalies: r.anomalies ?? [],
    result: r.result as TAppRow['result'],
    openSteps: (r.open_steps ?? []).map((s) => ({ ...s, light: s.light as Light | null })),
  };
}

/** The list of applications the user sees (the clerk's desk, the department's list, the monitor with `open`). */
export async function listApplications(ctx: Ctx, q: TListQuery, open = false): Promise<TAppList> {
  const user = userOf(ctx);
  let v = await visibility(ctx);
  if (q.mine === '1')
    v = {
      all: false,
      unitIds: user.permissions.has('services.handle') ? [user.unitId] : [],
      clerkId: user.permissions.has('services.window') ? user.id : null,
    };
  const r = await repo.listApplications(ctx.db, v, {
    open,
    status: q.status,
    light: q.light,
    anomaly: q.anomaly,
    itemId: q.itemId,
    departmentId: q.departmentId,
    q: q.q,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return {
    total: r.total,
    totalCapped: r.capped,
    counts: { green: r.counts.green, yellow: r.counts.yellow, red: r.counts.red, paused: r.counts.paused },
    rows: r.rows.map(presentRow),
  };
}

/** The department's inbox: its open steps, oldest first. */
export async function inbox(ctx: Ctx, q: { status?: string; page: number; pageSize: number }) {
  const scope = await ctx.scope();
  const ids = scope.all ? null : [...scope.unitIds];
  const where = sql.join(
    [
      sql`s.status IN ('pending','signed','correction')`,
      ids
        ? sql`s.department_id IN (${sql.join(
            (ids.length ? ids : [0]).map((i) => sql`${i}`),
            sql`, `,
          )})`
        : sql`true`,
      q.status ? sql`s.status = ${q.status}` : sql`true`,
      sql`s.phase <> 'accept'`,
    ],
    sql` AND `,
  );
  const list = await repo.rows<{
    step_id: number;
    application_id: number;
    number: string;
    item_name: string;
    step_name: string;
    department_name: string;
    status: string;
    started_at: string | Date | null;
    due_on: string | null;
    light: string | null;
  }>(
    ctx.db,
    sql`SELECT s.id::int AS step_id, a.id::int AS application_id, a.number, i.name AS item_name, s.name AS step_name,
               u.name AS department_name, s.status, s.started_at, s.due_on::text AS due_on, s.light
          FROM service_steps s JOIN service_applications a ON a.id = s.application_id
          JOIN service_items i ON i.id = a.item_id JOIN units u ON u.id = s.department_id
         WHERE ${where} ORDER BY s.due_on NULLS LAST, s.id LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  const [c] = await repo.rows<{ n: number }>(
    ctx.db,
    sql`SELECT count(*)::int AS n FROM service_steps s WHERE ${where}`,
  );
  return {
    total: c.n,
    rows: list.map((r) => ({
      stepId: r.step_id,
      applicationId: r.application_id,
      number: r.number,
      itemName: r.item_name,
      stepName: r.step_name,
      departmentName: r.department_name,
      status: r.status as StepRecord['status'],
      startedAt: iso(r.started_at),
      dueOn: r.due_on,
      light: r.light as Light | null,
    })),
  };
}

function stepDaysUsed(cal: CalendarData, s: StepRecord, on: string): number | null {
  if (!s.startedOn) return null;
  const end = s.endedAt ? beijingDate(s.endedAt) : on;
  const paused = s.pausedDays + (s.pausedSince ? m.daysUsed(cal, s.pausedSince, on, 0) : 0);
  return m.daysUsed(cal, s.startedOn, end, paused);
}

export async function getApplication(ctx: Ctx, id: number): Promise<TAppDetail> {
  const user = userOf(ctx);
  const a = await loadVisible(ctx, id);
  const [names, steps, corrections, files, events, warnings, complaints, cal, [item]] = await Promise.all([
    unitNames(ctx.db),
    ctx.db
      .select()
      .from(serviceSteps)
      .where(eq(serviceSteps.applicationId, id))
      .orderBy(asc(serviceSteps.seq), asc(serviceSteps.id)),
    ctx.db
      .select()
      .from(serviceCorrections)
      .where(eq(serviceCorrections.applicationId, id))
      .orderBy(asc(serviceCorrections.id)),
    ctx.db.select().from(serviceFiles).where(eq(serviceFiles.applicationId, id)).orderBy(asc(serviceFiles.id)),
    ctx.db.select().from(serviceEvents).where(eq(serviceEvents.applicationId, id)).orderBy(asc(serviceEvents.id)),
    repo.rows<{
      id: number;
      level: 'yellow' | 'red';
      at: string | Date;
      notified: number;
      step_name: string | null;
      notice_ref: string | null;
    }>(
      ctx.db,
      sql`SELECT w.id::int AS id, w.level, w.at, w.notified, s.name AS step_name, w.notice_ref FROM service_warnings w
          LEFT JOIN service_steps s ON s.id = w.step_id WHERE w.application_id = ${id} ORDER BY w.id`,
    ),
    ctx.db
      .select()
      .from(serviceComplaints)
      .where(eq(serviceComplaints.applicationId, id))
      .orderBy(asc(serviceComplaints.id)),
    loadCalendar(ctx.db),
    ctx.db.select().from(serviceItems).where(eq(serviceItems.id, a.itemId)),
  ]);
  const on = today();
  const scope = await ctx.scope();
  const p = user.permissions;
  const clerk = await clerkMay(ctx, a);
  const actions: string[] = [];
  if (clerk && a.status === 'submitted')
    actions.push(a.pausedSince ? 'supplement' : 'accept', 'refuse', ...(a.pausedSince ? [] : ['correction']));
  if (
    (clerk || (p.has('services.handle') && inScope(scope, a.departmentId))) &&
    a.pausedSince &&
    a.status !== 'submitted'
  )
    actions.push('supplement');
  if (a.status === 'delivering') {
    const d = steps.find((s) => s.phase === 'deliver');
    if (clerk || (p.has('services.handle') && d && inScope(scope, d.departmentId))) actions.push('deliver');
  }
  for (const s of steps)
    if (p.has('services.handle') && inScope(scope, s.departmentId) && s.phase !== 'accept' && s.phase !== 'deliver') {
      if (s.status === 'pending') actions.push(`sign:${s.id}`, `correction:${s.id}`);
      if (s.status === 'signed') actions.push(`decide:${s.id}`, `correction:${s.id}`);
    }
  if (p.has('services.monitor') && warnings.some((w) => w.level === 'red' && !w.notice_ref)) actions.push('notice');
  const openSteps = steps.filter((s) => ['pending', 'signed', 'correction'].includes(s.status));
  return {
    id: a.id,
    number: a.number,
    itemId: a.itemId,
    itemCode: item?.code ?? '',
    itemName: item?.name ?? '',
    parallel: item?.parallel ?? false,
    departmentName: names.get(a.departmentId) ?? '',
    channel: a.channel,
    applicantName: a.applicantName,
    applicantPhone: a.applicantPhone,
    applicantOrg: a.applicantOrg,
    note: a.note,
    status: a.status,
    paused: a.pausedSince !== null,
    committedDays: a.committedDays,
    filedAt: iso(a.filedAt)!,
    acceptedOn: a.acceptedOn,
    dueOn: a.dueOn,
    light: a.light,
    lightReasons: a.lightReasons,
    anomalies: a.anomalies,
    result: a.result,
    reason: a.reason,
    completedOn: a.completedOn,
    daysUsed: a.daysUsed ?? (a.acceptedOn ? m.daysUsed(cal, a.acceptedOn, a.pausedSince ?? on, a.pausedDays) : null),
    pausedDays: a.pausedDays,
    openSteps: openSteps.map((s) => ({
      name: s.name,
      departmentName: names.get(s.departmentId) ?? '',
      light: s.light,
    })),
    steps: steps.map((s) => ({
      id: s.id,
      seq: s.seq,
      phase: s.phase,
      name: s.name,
      departmentId: s.departmentId,
      departmentName: names.get(s.departmentId) ?? '',
      days: s.days,
      status: s.status,
      decision: s.decision,
      reason: s.reason,
      startedAt: iso(s.startedAt),
      signedAt: iso(s.signedAt),
      endedAt: iso(s.endedAt),
      dueOn: s.dueOn,
      daysUsed: stepDaysUsed(cal, s, on),
      officialName: s.officialName,
      light: s.light,
    })),
    corrections: corrections.map((c) => ({
      id: c.id,
      departmentName: names.get(c.departmentId) ?? '',
      materials: c.materials,
      requestedAt: iso(c.requestedAt)!,
      resolvedAt: iso(c.resolvedAt),
      pausedDays: c.pausedDays,
    })),
    files: files.map((f) => ({ id: f.id, name: f.name, size: f.size, uploadedAt: iso(f.uploadedAt)! })),
    events: events.map((e) => ({ id: e.id, kind: e.kind, actorName: e.actorName, note: e.note, at: iso(e.at)! })),
    warnings: warnings.map((w) => ({
      id: w.id,
      level: w.level,
      at: iso(w.at)!,
      notified: w.notified,
      stepName: w.step_name,
      noticeRef: w.notice_ref,
    })),
    complaints: complaints.map((c) => ({
      id: c.id,
      kind: c.kind,
      status: c.status,
      content: c.content,
      filedAt: iso(c.filedAt)!,
      decideBy: c.decideBy,
    })),
    actions,
  };
}

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

async function insertComplaint(
  db: Db,
  actor: Actor,
  a: AppRecord,
  v: { kind: (typeof serviceComplaints.$inferInsert)['kind']; content: string; channel: 'public' | 'hotline' },
): Promise<{ id: number; decideBy: string }> {
  const cal = await loadCalendar(db);
  const decideBy = addWorkingDays(cal, today(), 5);
  return db.transaction(async (tx) => {
    const [c] = await tx
      .insert(serviceComplaints)
      .values({
        applicationId: a.id,
        departmentId: a.departmentId,
        channel: v.channel,
        kind: v.kind,
        content: v.content,
        decideBy,
      })
      .returning({ id: serviceComplaints.id });
    await repo.bumpStats(tx, a.departmentId, beijingMonth(new Date()), { complaints: 1 });
    await recordAudit(tx, actor, {
      action: 'services.complaint',
      entityType: 'service_complaint',
      entityId: c.id,
      unitId: a.departmentId,
      after: { applicationId: a.id, kind: v.kind, channel: v.channel },
    });
    return { id: c.id, decideBy };
  });
}

export async function complainPublic(
  db: Db,
  input: TTrack & { kind: (typeof serviceComplaints.$inferInsert)['kind']; content: string },
  ip: string,
) {
  const a = await authenticate(db, input, ip);
  const [n] = await repo.rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM service_complaints WHERE application_id = ${a.id} AND filed_at > now() - interval '1 day'`,
  );
  if (n.n >= 3) throw new AppError('TOO_MANY_REQUESTS');
  return insertComplaint(db, { id: null, name: 'applicant', ip }, a, { ...input, channel: 'public' });
}

/** A complaint taken on the hotline by the 监察 body. */
export async function complainHotline(
  ctx: Ctx,
  input: { number: string; kind: (typeof serviceComplaints.$inferInsert)['kind']; content: string },
) {
  const [a] = await ctx.db.select().from(serviceApplications).where(eq(serviceApplications.number, input.number));
  if (!a) throw invalid('number', '办件编号不存在', 'No such application number');
  return insertComplaint(ctx.db, ctx.actor, a, { ...input, channel: 'hotline' });
}

export async function listComplaints(ctx: Ctx, q: { status?: string; page: number; pageSize: number }) {
  const where = q.status ? sql`c.status = ${q.status}` : sql`true`;
  const list = await repo.rows<{
    id: number;
    application_id: number;
    number: string;
    department_name: string;
    channel: 'public' | 'hotline';
    kind: (typeof serviceComplaints.$inferSelect)['kind'];
    content: string;
    filed_at: string | Date;
    decide_by: string;
    status: (typeof serviceComplaints.$inferSelect)['status'];
    decision_note: string | null;
  }>(
    ctx.db,
    sql`SELECT c.id::int AS id, c.application_id::int AS application_id, a.number, u.name AS department_name, c.channel, c.kind,
               c.content, c.filed_at, c.decide_by::text AS decide_by, c.status, c.decision_note
          FROM service_complaints c JOIN service_applications a ON a.id = c.application_id JOIN units u ON u.id = c.department_id
         WHERE ${where} ORDER BY c.status = 'pending' DESC, c.decide_by, c.id LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`,
  );
  const [c] = await repo.rows<{ n: number }>(
    ctx.db,
    sql`SELECT count(*)::int AS n FROM service_complaints c WHERE ${where}`,
  );
  return {
    total: c.n,
    rows: list.map((r) => ({
      id: r.id,
      applicationId: r.application_id,
      number: r.number,
      departmentName: r.department_name,
      channel: r.channel,
      kind: r.kind,
      content: r.content,
      filedAt: iso(r.filed_at)!,
      decideBy: r.decide_by,
      status: r.status,
      decisionNote: r.decision_note,
    })),
  };
}

const COMPLAINT_FLOW: Record<string, { from: string; to: 'accepted' | 'declined' | 'resolved' }> = {
  accept: { from: 'pending', to: 'accepted' },
  decline: { from: 'pending', to: 'declined' },
  resolve: { from: 'accepted', to: 'resolved' },
};

/** The 监察 body accepts or declines a complaint (within 5 working days), then records its result. */
export async function decideComplaint(
  ctx: Ctx,
  id: number,
  v: { decision: 'accept' | 'decline' | 'resolve'; note: string },
) {
  const user = userOf(ctx);
  await ctx.db.transaction(async (tx) => {
    const [c] = await tx.select().from(serviceComplaints).where(eq(serviceComplaints.id, id)).for('update');
    if (!c) throw notFound();
    const flow = COMPLAINT_FLOW[v.decision];
    if (c.status !== flow.from)
      throw new AppError('CONFLICT', {
        zh: '投诉当前状态不能进行该操作',
        en: 'The complaint is not in a state for this',
      });
    await tx
      .update(serviceComplaints)
      .set({ status: flow.to, decisionNote: v.note, decidedBy: user.id, decidedAt: new Date() })
      .where(eq(serviceComplaints.id, id));
    if (c.kind === 'refused_complete' && flow.to === 'accepted')
      await tx.execute(
        sql`UPDATE service_applications SET anomalies = anomalies || '["refused_complete"]'::jsonb WHERE id = ${c.applicationId} AND NOT anomalies ? 'refused_complete'`,
      );
    await tx.insert(serviceEvents).values({
      applicationId: c.applicationId,
      kind: `complaint_${v.decision}`,
      actorId: user.id,
      actorName: user.displayName,
      note: v.note,
    });
    await recordAudit(tx, ctx.actor, {
      action: `services.complaint_${v.decision}`,
      entityType: 'service_complaint',
      entityId: id,
      unitId: c.departmentId,
      before: { status: c.status },
      after: { status: flow.to, note: v.note },
    });
  });
  return listComplaints(ctx, { page: 1, pageSize: 20 });
}

/**
 * The 监察 body issues a 监察建议书 to the department of a red application (notices module, in one
 * transaction with the warning it answers and the timeline entry); its reply is tracked by the notices module.
 */
export async function issueSupervisionNotice(
  ctx: Ctx,
  id: number,
  v: { findings: string; actions: string; deadline: string },
): Promise<TAppDetail> {
  const user = userOf(ctx);
  const a = await loadVisible(ctx, id);
  if (!user.permissions.has('services.monitor')) throw forbidden();
  await ctx.db.transaction(async (tx) => {
    const [red] = await repo.rows<{ id: number; notice_ref: string | null }>(
      tx,
      sql`SELECT id::int AS id, notice_ref FROM service_warnings WHERE application_id = ${id} AND level = 'red' ORDER BY id DESC LIMIT 1 FOR UPDATE`,
    );
    if (!red)
      throw new AppError('CONFLICT', {
        zh: '该办件没有红牌预警，不能下发监察建议书',
        en: 'The application has no red warning',
      });
    if (red.notice_ref)
      throw new AppError('CONFLICT', {
        zh: `已下发监察建议书 ${red.notice_ref}`,
        en: `Notice ${red.notice_ref} already issued`,
      });
    const [item] = await tx.select({ name: serviceItems.name }).from(serviceItems).where(eq(serviceItems.id, a.itemId));
    const n = await issueNotice(tx, {
      kind: 'supervision_advice',
      unitId: a.departmentId,
      title: `关于办件${a.number}（${item?.name ?? ''}）超时的监察建议书`,
      findings: v.findings,
      actions: v.actions,
      deadline: v.deadline,
      sourceKind: 'application',
      sourceId: id,
      issuedBy: user.id,
      actor: ctx.actor,
    });
    await tx.execute(sql`UPDATE service_warnings SET notice_ref = ${n.number} WHERE id = ${red.id}`);
    await tx.insert(serviceEvents).values({
      applicationId: id,
      kind: 'notice',
      actorId: user.id,
      actorName: user.displayName,
      note: `监察建议书 ${n.number}`,
    });
  });
  return getApplication(ctx, id);
}
