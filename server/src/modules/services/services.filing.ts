/**
 * Government services: filing an application (window clerk or online applicant) — numbers and query passwords,
 * material files, and the group-commit write of concurrent filings with their figures and audit entries.
 */
import { createHash, randomInt } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import type { Actor } from '../../lib/context.js';
import { AppError, invalid } from '../../lib/errors.js';
import { beijingMonth } from '../../engine/workdays.js';
import { recordAuditEntries } from '../audit/index.js';
import { insertSql, togetherSql } from '../../db/bulk.js';
import { sendInTransaction } from '../../db/client.js';
import { coalesce, groupCommit, type Settled } from '../../lib/groupcommit.js';
import { hashQueryPassword, passwordPepper } from '../cases/index.js';
import { checkEvidenceFile, cleanFileName, evidenceKey } from '../reporting/index.js';
import * as repo from './services.repo.js';
import type { TApplicationInput, TFiled } from './services.schema.js';
import { serviceApplications, serviceEvents, serviceFiles, serviceItems, serviceSteps } from './services.table.js';
import { PUBLIC_FILINGS_PER_HOUR, today } from './services.catalogue.js';

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

export type IncomingFile = { filename: string; data: Buffer };

export async function storeFiles(files: readonly IncomingFile[], blobs: BlobStore) {
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
