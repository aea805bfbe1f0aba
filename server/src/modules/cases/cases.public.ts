/**
 * What citizens and other systems see: web submission, tracking with number + query password (with a
 * database-backed brute-force limit shared by all app instances), the citizen's rating, and the
 * public case records Open311 serves. Never requester data of others, never internal notes.
 */
import type { Db } from '../../db/client.js';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import type { Actor } from '../../lib/context.js';
import { AppError, invalid } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { categoryPath, getSettings, unitDirectory } from './cases.config.js';
import { recordCaseEvent, type CaseActor } from './cases.events.js';
import { casePublication, categoryPublication } from './cases.publication.js';
import { beijingDate } from './cases.deadlines.js';
import { checkFiles, type IncomingFile } from './cases.files.js';
import { passwordPepper, verifyQueryPassword } from './cases.password.js';
import { HANDLING_STATUSES, OPEN_STATUSES, type CaseStatus } from './cases.machine.js';
import { maskName, maskPhone } from './cases.policy.js';
import * as repo from './cases.repo.js';
import type { CaseType, Publication } from './cases.table.js';
import type { TPublicCaseCreate, TPublicCreated, TPublicRate, TTrack, TTrackResult } from './cases.schema.js';
import { createCase } from './cases.intake.js';
import { applyFeedback, citizenActor, PUBLIC_SUBMISSIONS_PER_HOUR } from './cases.service.js';

/**
 * The brute-force limits of tracking. A hard lock applies only to the guesser's own address: per
 * (number, address) and per address. Per number (all addresses together, so many addresses cannot
 * share out the guesses) there is no lock, which would let anyone lock every citizen out of their
 * sequential numbers, but a backoff: past `freePerNumberDay` failures in a day, each further attempt on
 * that number waits 2^(excess) seconds after the number's last failure, at most `maxBackoffSeconds`
 * — about 300 guesses a day at worst, and a citizen waits minutes at worst, with the time to wait shown.
 */
export const TRACK_LIMITS = {
  perPair: 5,
  perIp: 30,
  windowMinutes: 15,
  freePerNumberDay: 10,
  maxBackoffSeconds: 300,
} as const;

/** Seconds the number must still wait before another attempt, given its failures today and the last one. */
export function trackBackoffSeconds(byNumberDay: number, lastByNumber: Date | null, now: Date): number {
  const excess = byNumberDay - TRACK_LIMITS.freePerNumberDay;
  if (excess < 0 || !lastByNumber) return 0;
  const wait = Math.min(2 ** excess, TRACK_LIMITS.maxBackoffSeconds);
  return Math.max(0, Math.ceil(wait - (now.getTime() - lastByNumber.getTime()) / 1000));
}

export const PUBLIC_MAX_PHOTOS = 3;

/** Checked against for an unknown number, so it costs the same HMAC as a known one (and never matches). */
const NO_SUCH_CASE_HASH = 'hmac-sha256$none';

/** A citizen's web submission; returns the number and the query password (shown once). */
export async function submitPublicCase(
  db: Db,
  input: TPublicCaseCreate,
  files: IncomingFile[],
  opts: { ip: string; blobs: BlobStore; maxBytes: number },
): Promise<TPublicCreated> {
  const checked = checkFiles(files, { maxBytes: opts.maxBytes, maxFiles: PUBLIC_MAX_PHOTOS, imagesOnly: true });
  const recent = await repo.recentSubmissionsFromIp(db, opts.ip, new Date(Date.now() - 3600_000));
  if (recent >= PUBLIC_SUBMISSIONS_PER_HOUR) throw new AppError('TOO_MANY_REQUESTS');
  const created = await createCase(
    db,
    citizenActor(opts.ip),
    {
      channel: 'web',
      type: input.type,
      categoryId: input.categoryId,
      requester: {
        name: input.name,
        phone: input.phone,
        enterprise: false,
        enterpriseName: '',
        anonymous: !input.name && !input.phone,
      },
      description: input.description,
      address: input.address,
      lat: input.lat,
      lng: input.lng,
      externalRef: null,
    },
    { sourceIp: opts.ip, files: checked, blobs: opts.blobs },
  );
  return { number: created.number, password: created.password, timeLimitDays: created.timeLimitDays };
}

/**
 * Checks number + password under the brute-force limits (TRACK_LIMITS): 429 once this address has too
 * many recent failures (on this number or overall), or while the number's backoff runs (even for the
 * right password), 400 on a wrong pair (same answer for an unknown number). Failures are stored in the database so every instance counts them. This lockout, not the
 * cost of the hash, is what protects the 6-digit passwords against guessing (see cases.password.ts).
 */
async function authenticate(db: Db, input: TTrack, ip: string): Promise<repo.CaseRow> {
  const now = new Date();
  const since = new Date(now.getTime() - TRACK_LIMITS.windowMinutes * 60_000);
  const counts = await repo.trackFailureCounts(db, input.number, ip, since, new Date(now.getTime() - 86_400_000));
  if (counts.byPair >= TRACK_LIMITS.perPair || counts.byIp >= TRACK_LIMITS.perIp)
    throw new AppError('TOO_MANY_REQUESTS');
  const wait = trackBackoffSeconds(counts.byNumberDay, counts.lastByNumber, now);
  if (wait > 0) {
    throw new AppError('TOO_MANY_REQUESTS', {
      zh: `该办件近期查询失败次数较多，请 ${wait} 秒后再试`,
      en: `Too many failed look-ups of this case recently; try again in ${wait} s`,
    });
  }
  const [c, pepper] = await Promise.all([repo.findCaseByNumber(db, input.number), passwordPepper(db)]);
  const ok = await verifyQueryPassword(
    pepper,
    c ? c.number : input.number,
    c ? c.passwordHash : NO_SUCH_CASE_HASH,
    input.password,
  );
  if (c && ok) return c;
  const actor: Actor = { id: null, name: 'citizen', ip };
  await db.transaction(async (tx) => {
    await repo.insertTrackFailure(tx, input.number, ip);
    await repo.purgeTrackFailures(tx, new Date(Date.now() - 86_400_000));
    await recordAudit(tx, actor, {
      action: 'case.track_failed',
      entityType: 'case',
      entityId: c?.id ?? null,
      after: { number: input.number },
    });
  });
  throw invalid('password', '办件编号或查询密码不正确', 'Wrong case number or query password');
}

async function trackView(db: Db, c: repo.CaseRow): Promise<TTrackResult> {
  const main = c.mainCaseId ? await repo.findCase(db, c.mainCaseId) : null;
  const [cats, units, own, mainEvents] = await Promise.all([
    repo.listCategories(db),
    unitDirectory(db),
    repo.listEvents(db, c.id, true),
    main ? repo.listEvents(db, main.id, true) : Promise.resolve([]),
  ]);
  const timeline = [
    ...own.map((e) => ({ at: e.at, type: e.type, text: e.publicText })),
    // A merged case follows its main case: show the main case's progress too.
    ...mainEvents.map((e) => ({ at: e.at, type: e.type, text: `【主办件】${e.publicText}` })),
  ]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((e) => ({ at: e.at.toISOString(), type: e.type, text: e.text }));
  const followed = main ?? c;
  const done: CaseStatus[] = ['verified', 'review', 'closed'];
  return {
    number: c.number,
    status: c.status,
    type: c.type,
    categoryName: categoryPath(cats, c.categoryId),
    description: c.description,
    address: c.address,
    createdAt: c.createdAt.toISOString(),
    timeLimitDays: followed.timeLimitDays,
    deadlineDate:
      followed.deadline && HANDLING_STATUSES.includes(followed.status) ? beijingDate(followed.deadline) : null,
    leadUnitName: followed.leadUnitId === null ? null : (units.get(followed.leadUnitId)?.name ?? null),
    result: done.includes(followed.status) ? followed.result : '',
    rating: c.feedbackRating,
    canRate: c.status === 'verified',
    requesterName: maskName(c.requesterName),
    requesterPhone: maskPhone(c.requesterPhone),
    mainCase: main ? { number: main.number, status: main.status } : null,
    timeline,
  };
}

/** Progress of a case for its requester: status and the public timeline only. */
export async function trackCase(db: Db, input: TTrack, ip: string): Promise<TTrackResult> {
  return trackView(db, await authenticate(db, input, ip));
}

/** The requester rates the result on the tracking page (when the case awaits feedback). */
export async function ratePublic(db: Db, input: TPublicRate, ip: string): Promise<TTrackResult> {
  const c = await authenticate(db, input, ip);
  const by = citizenActor(ip);
  await db.transaction(async (tx) => {
    const locked = await repo.lockCase(tx, c.id);
    if (!locked) throw new AppError('NOT_FOUND');
    await applyFeedback(tx, by, locked, input.rating, input.comment);
  });
  return trackView(db, (await repo.findCase(db, c.id))!);
}

// ---------- for Open311 / the city platform ----------

/** A case as other systems may see it: no requester data, no internal notes. */
export type PublicCaseRecord = {
  id: number;
  number: string;
  status: CaseStatus;
  open: boolean;
  categoryId: number;
  categoryName: string;
  open311Code: string | null;
  description: string;
  address: string;
  lat: number | null;
  lng: number | null;
  createdAt: Date;
  updatedAt: Date;
  /** The handling deadline while a department holds the case. */
  expectedAt: Date | null;
  leadUnitName: string | null;
  /** The verified result, once there is one. */
  result: string;
  closedAt: Date | null;
  externalRef: string | null;
  type: CaseType;
  /** What the public may see: 'public' or 'limited' ('private' cases are never returned). */
  publication: Publication;
};

/** The public categories among these (effective rule not private) and the case types never shown. */
async function publicScope(db: Db, categoryIds: number[] | undefined) {
  const [cats, settings] = await Promise.all([repo.listCategories(db), getSettings(db)]);
  const rule = new Map(cats.map((c) => [c.id, categoryPublication(cats, c.id)]));
  const ids = (categoryIds ?? cats.map((c) => c.id)).filter((id) => rule.has(id) && rule.get(id) !== 'private');
  const hiddenTypes = (Object.keys(settings.typePublication) as CaseType[]).filter(
    (t) => settings.typePublication[t] === 'private',
  );
  return { cats, rule, ids, hiddenTypes, types: settings.typePublication };
}

/**
 * Public records of cases by number, id, category, status and creation time (newest first): only what
 * the publication rules let out — never a confidential case, a 举报 case, or one in a private category.
 */
export async function publicCaseRecords(
  db: Db,
  f: {
    numbers?: string[];
    ids?: number[];
    categoryIds?: number[];
    statuses?: CaseStatus[];
    from?: Date;
    to?: Date;
    limit?: number;
    offset?: number;
  },
): Promise<PublicCaseRecord[]> {
  const scope = await publicScope(db, f.categoryIds);
  if (!scope.ids.length) return [];
  const [rows, units] = await Promise.all([
    repo.listCaseRecords(
      db,
      {
        numbers: f.numbers,
        ids: f.ids,
        categoryIds: scope.ids,
        statuses: f.statuses,
        from: f.from,
        to: f.to,
        publicOnly: { hiddenTypes: scope.hiddenTypes },
      },
      Math.min(f.limit ?? 1000, 1000),
      f.offset ?? 0,
    ),
    unitDirectory(db),
  ]);
  const catById = new Map(scope.cats.map((c) => [c.id, c]));
  const done: CaseStatus[] = ['verified', 'review', 'closed'];
  return rows
    .map((c) => ({
      id: c.id,
      number: c.number,
      status: c.status,
      open: OPEN_STATUSES.includes(c.status),
      categoryId: c.categoryId,
      categoryName: categoryPath(scope.cats, c.categoryId),
      open311Code: catById.get(c.categoryId)?.open311Code ?? null,
      description: c.description,
      address: c.address,
      lat: c.lat,
      lng: c.lng,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      expectedAt: ['dispatched', 'signed', 'in_progress'].includes(c.status) ? c.deadline : null,
      leadUnitName: c.leadUnitId === null ? null : (units.get(c.leadUnitId)?.name ?? null),
      result: done.includes(c.status) ? c.result : '',
      closedAt: c.closedAt,
      externalRef: c.externalRef,
      type: c.type,
      publication: casePublication(c, scope.rule.get(c.categoryId) ?? 'private', scope.types),
    }))
    .filter((r) => r.publication !== 'private'); // the SQL already left them out; this is the rule itself
}

/** A public update of a case: one event of its public timeline. */
export type PublicCaseUpdate = {
  id: number;
  caseNumber: string;
  categoryId: number;
  at: Date;
  type: string;
  text: string;
  status: CaseStatus;
  /** The case's verified result, once there is one (to tell fixed from closed). */
  hasResult: boolean;
  publication: Publication;
};

/** Public timeline events in [from, to) of public cases in these categories, oldest first. */
export async function publicCaseUpdates(
  db: Db,
  f: { categoryIds: number[]; from: Date; to: Date; numbers?: string[]; limit: number; offset: number },
): Promise<PublicCaseUpdate[]> {
  const scope = await publicScope(db, f.categoryIds);
  const events = await repo.listPublicEvents(
    db,
    { categoryIds: scope.ids, hiddenTypes: scope.hiddenTypes, from: f.from, to: f.to, caseNumbers: f.numbers },
    f.limit,
    f.offset,
  );
  const caseRows = new Map(
    (await repo.casesByIds(db, [...new Set(events.map((e) => e.caseId))])).map((c) => [c.id, c]),
  );
  const out: PublicCaseUpdate[] = [];
  for (const e of events) {
    const c = caseRows.get(e.caseId);
    if (!c) continue;
    const publication = casePublication(c, scope.rule.get(c.categoryId) ?? 'private', scope.types);
    if (publication === 'private') continue;
    out.push({
      id: e.id,
      caseNumber: c.number,
      categoryId: c.categoryId,
      at: e.at,
      type: e.type,
      text: e.publicText,
      status: e.status,
      hasResult: c.result !== '',
      publication,
    });
  }
  return out;
}

/**
 * A comment on a case from an Open311 client (POST servicerequestupdates): on the public timeline,
 * without changing the case. Null when there is no public case with this number.
 */
export async function addClientComment(
  db: Db,
  by: CaseActor,
  v: { number: string; text: string; categoryIds: number[]; payload: Record<string, unknown> },
): Promise<{ eventId: number } | null> {
  const scope = await publicScope(db, v.categoryIds);
  const c = await repo.findCaseByNumber(db, v.number);
  if (
    !c ||
    !scope.ids.includes(c.categoryId) ||
    casePublication(c, scope.rule.get(c.categoryId) ?? 'private', scope.types) === 'private'
  )
    return null;
  return db.transaction(async (tx) => {
    const locked = await repo.lockCase(tx, c.id);
    if (!locked) return null;
    const event = await recordCaseEvent(tx, by, locked, {
      type: 'comment_added',
      unitId: locked.leadUnitId,
      note: v.text,
      publicText: `补充说明：${v.text}`,
      payload: v.payload,
    });
    return { eventId: event.id };
  });
}

/** An internal note on a case's timeline, in the caller's transaction (what an Open311 client sent that staff should check). */
export async function noteOnCase(
  tx: Db,
  by: CaseActor,
  caseId: number,
  note: string,
  payload: Record<string, unknown>,
): Promise<void> {
  const c = await repo.lockCase(tx, caseId);
  if (!c) return;
  await recordCaseEvent(tx, by, c, { type: 'intake_flagged', unitId: c.leadUnitId, note, payload });
}

/** The active category with this Open311 service code, or null. */
export async function categoryByServiceCode(
  db: Db,
  code: string,
): Promise<{ id: number; name: string; path: string; timeLimitDays: number } | null> {
  const c = await repo.findCategoryByOpen311Code(db, code);
  if (!c || !c.active) return null;
  return {
    id: c.id,
    name: c.name,
    path: categoryPath(await repo.listCategories(db), c.id),
    timeLimitDays: c.timeLimitDays,
  };
}

/** Active categories that have an Open311 service code (the GeoReport services list). */
export async function open311Categories(
  db: Db,
): Promise<{ id: number; code: string; name: string; path: string; description: string; parentName: string | null }[]> {
  const cats = await repo.listCategories(db);
  const byId = new Map(cats.map((c) => [c.id, c]));
  return cats
    .filter((c) => c.active && c.open311Code)
    .map((c) => ({
      id: c.id,
      code: c.open311Code!,
      name: c.name,
      path: categoryPath(cats, c.id),
      description: c.description,
      parentName: c.parentId === null ? null : (byId.get(c.parentId)?.name ?? null),
    }));
}
