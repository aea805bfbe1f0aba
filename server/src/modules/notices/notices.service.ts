/**
 * Accountability notices (整改建议书 / 监察建议书 / 监察决定书): the office or the 监察 body issues a numbered
 * notice to a unit with findings, required actions and a deadline; the unit replies with measures and
 * evidence; the issuer accepts or returns the reply; overdue notices are flagged. A notice may point to
 * an existing 问责扣分. Other modules (government services' electronic supervision) issue through
 * `issueNotice`. Every write is audited in its transaction.
 */
import type { Db } from '../../db/client.js';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import { SYSTEM_ACTOR, type Actor, type Ctx, signedIn } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { beijingDate } from '../../engine/workdays.js';
import { pageOf } from '../../platform/lists.js';
import { recordAudit } from '../audit/index.js';
import { attachEvidenceFile, readEvidenceFile } from '../reporting/index.js';
import { inScope } from '../units/index.js';
import { syncScoreInputs } from './notices.inputs.js';
import * as repo from './notices.repo.js';
import { moveNotice, noticeNumber, noticeOverdue, type NoticeMove } from './notices.rules.js';
import type {
  TNotice,
  TNoticeCounts,
  TNoticeCreate,
  TNoticeFile,
  TNoticeList,
  TNoticeQuery,
} from './notices.schema.js';
import type { NoticeKind } from './notices.table.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const today = () => beijingDate(new Date());
/** Who signs a notice when the issuer names no one. */
export const DEFAULT_ISSUER = '区绩效管理办公室';

export type NoticeIssue = {
  kind: NoticeKind;
  unitId: number;
  title: string;
  findings: string;
  actions: string;
  /** YYYY-MM-DD. */
  deadline: string;
  issuerName?: string;
  /** What the notice comes from, e.g. `{ sourceKind: 'application', sourceId }` for electronic supervision. */
  sourceKind?: string | null;
  sourceId?: number | null;
  /** An existing accountability deduction (问责扣分) of the same unit. */
  deductionId?: number | null;
  issuedBy?: number | null;
  /** When issued (default now; the demo seed backdates). */
  at?: Date;
  actor?: Actor;
};

/**
 * Issues a notice in the caller's transaction: the next number of its kind in the year (文号) and the
 * audit entry. Throws 400 naming the field for an unknown unit, a deadline before the day of issue, or a
 * deduction that does not exist or belongs to another unit.
 */
export async function issueNotice(tx: Db, v: NoticeIssue): Promise<{ id: number; number: string }> {
  const at = v.at ?? new Date();
  const on = beijingDate(at);
  if (!(await repo.unitExists(tx, v.unitId))) throw invalid('unitId', '单位不存在', 'No such unit');
  if (v.deadline < on) throw invalid('deadline', '整改期限不能早于下发日期', 'The deadline is before the day of issue');
  if (v.deductionId) {
    const d = await repo.findDeduction(tx, v.deductionId);
    if (!d || d.unitId !== v.unitId)
      throw invalid('deductionId', '问责扣分不存在或不属于该单位', 'No such deduction for this unit');
  }
  const year = Number(on.slice(0, 4));
  const seq = await repo.nextSeq(tx, v.kind, year);
  const number = noticeNumber(v.kind, year, seq);
  const row = await repo.insertNotice(tx, {
    kind: v.kind,
    year,
    seq,
    number,
    unitId: v.unitId,
    title: v.title,
    findings: v.findings,
    actions: v.actions,
    deadline: v.deadline,
    issuerName: v.issuerName || DEFAULT_ISSUER,
    issuedBy: v.issuedBy ?? null,
    issuedAt: at,
    sourceKind: v.sourceKind ?? null,
    sourceId: v.sourceId ?? null,
    deductionId: v.deductionId ?? null,
  });
  await recordAudit(tx, v.actor ?? SYSTEM_ACTOR, {
    action: 'notice.issue',
    entityType: 'notice',
    entityId: row.id,
    unitId: v.unitId,
    after: { number, kind: v.kind, title: v.title, deadline: v.deadline, deductionId: v.deductionId ?? null },
  });
  // The unit's count of the month feeds its `notices` leaves in the same transaction.
  await syncScoreInputs(tx, { year, unitIds: [v.unitId], on, months: [on.slice(0, 7)] });
  return { id: row.id, number };
}

const user = signedIn;

function presentFile(f: repo.NoticeFileRow): TNoticeFile {
  return { id: f.id, name: f.name, size: f.size, uploadedAt: iso(f.uploadedAt)! };
}

function present(n: repo.NoticeListRow, on: string, files: readonly repo.NoticeFileRow[]): TNotice {
  return {
    id: n.id,
    kind: n.kind,
    number: n.number,
    year: n.year,
    unitId: n.unitId,
    unitName: n.unitName,
    title: n.title,
    findings: n.findings,
    actions: n.actions,
    deadline: n.deadline,
    issuerName: n.issuerName,
    issuedAt: iso(n.issuedAt)!,
    sourceKind: n.sourceKind,
    sourceId: n.sourceId,
    deductionId: n.deductionId,
    deduction:
      n.dDocumentNo !== null ? { points: n.dPoints ?? 0, reason: n.dReason ?? '', documentNo: n.dDocumentNo } : null,
    status: n.status,
    overdue: noticeOverdue(n, on),
    replyMeasures: n.replyMeasures,
    replyEvidence: n.replyEvidence,
    repliedAt: iso(n.repliedAt),
    reviewedAt: iso(n.reviewedAt),
    reviewNote: n.reviewNote,
    returns: n.returns,
    files: files.filter((f) => f.noticeId === n.id).map(presentFile),
  };
}

export async function createNotice(ctx: Ctx, body: TNoticeCreate): Promise<TNotice> {
  const u = user(ctx);
  const id = await ctx.db.transaction(
    async (tx) =>
      (await issueNotice(tx, { ...body, issuerName: body.issuerName || undefined, issuedBy: u.id, actor: ctx.actor }))
        .id,
  );
  return getNotice(ctx, id);
}

async function visibleUnits(ctx: Ctx): Promise<number[] | null> {
  const scope = await ctx.scope();
  return scope.all ? null : [...scope.unitIds];
}

/** Issuers (notices.issue) see every notice; a unit sees those it received. `box`: all, received (own unit), overdue. */
export async function listNotices(ctx: Ctx, q: TNoticeQuery): Promise<TNoticeList> {
  const u = user(ctx);
  const on = today();
  const issuer = u.permissions.has('notices.issue');
  const scoped = issuer && q.box !== 'received' ? null : await visibleUnits(ctx);
  const page = await repo.listNotices(
    ctx.db,
    {
      unitIds: q.box === 'received' && scoped === null ? [u.unitId] : scoped,
      unitId: q.unitId,
      kind: q.kind,
      status: q.status,
      year: q.year,
      q: q.q,
      overdueOn: q.box === 'overdue' ? on : undefined,
    },
    pageOf(q.page, q.pageSize),
  );
  const files = await repo.filesOf(
    ctx.db,
    page.rows.map((n) => n.id),
  );
  return { rows: page.rows.map((n) => present(n, on, files)), total: page.total, totalCapped: page.totalCapped };
}

export async function getNotice(ctx: Ctx, id: number): Promise<TNotice> {
  const u = user(ctx);
  const n = await repo.findNotice(ctx.db, id);
  if (!n) throw notFound();
  if (!u.permissions.has('notices.issue') && !inScope(await ctx.scope(), n.unitId)) throw notFound();
  return present(n, today(), await repo.filesOf(ctx.db, [id]));
}

/**
 * The unit attaches an evidence file to its reply (notices.reply, its own unit's notice, while the reply
 * is due: issued or returned). Stored in the blob store by content hash like the other evidence; audited.
 */
export async function addFile(
  ctx: Ctx,
  id: number,
  file: { filename: string; data: Buffer },
  blobs: BlobStore,
): Promise<TNoticeFile> {
  const u = user(ctx);
  if (!u.permissions.has('notices.reply')) throw forbidden();
  const n = await repo.findNotice(ctx.db, id);
  if (!n || !inScope(await ctx.scope(), n.unitId)) throw notFound();
  if (n.status !== 'issued' && n.status !== 'returned')
    throw new AppError('INVALID_STATE', {
      zh: '答复已提交，不能再添加附件',
      en: 'The reply is in; no more files can be attached',
    });
  return attachEvidenceFile(ctx, blobs, file, {
    insert: (tx, f) => repo.insertFile(tx, { noticeId: id, ...f }),
    audit: { action: 'notice.file', entityType: 'notice', entityId: id, unitId: n.unitId },
  });
}

/** A reply's evidence file for download: issuers, and the notice's own unit (others: 404). */
export async function openFile(
  ctx: Ctx,
  fileId: number,
  blobs: BlobStore,
): Promise<{ name: string; mime: string; size: number; data: Buffer }> {
  const f = await repo.findFile(ctx.db, fileId);
  if (f) await getNotice(ctx, f.noticeId);
  return readEvidenceFile(blobs, f);
}

/** reply: the unit (notices.reply, own unit); accept/return: an issuer (notices.issue). */
export async function moveNoticeBy(
  ctx: Ctx,
  id: number,
  move: NoticeMove,
  body: { measures?: string; evidence?: string; note?: string },
): Promise<TNotice> {
  const u = user(ctx);
  const issuerMove = move !== 'reply';
  if (!u.permissions.has(issuerMove ? 'notices.issue' : 'notices.reply')) throw forbidden();
  if (move === 'return' && (body.note ?? '').length < 2)
    throw invalid('note', '退回请说明原因', 'Say why the reply is returned');
  const scope = await ctx.scope(); // read before the transaction (PGlite has one connection)
  await ctx.db.transaction(async (tx) => {
    const n = await repo.lockNotice(tx, id);
    if (!n) throw notFound();
    if (!issuerMove && !inScope(scope, n.unitId)) throw notFound();
    const to = moveNotice(n.status, move);
    if (!to) throw new AppError('INVALID_STATE');
    const now = new Date();
    const patch: Partial<repo.NoticeRow> = { status: to };
    if (move === 'reply')
      Object.assign(patch, {
        replyMeasures: body.measures ?? '',
        replyEvidence: body.evidence ?? '',
        repliedAt: now,
        repliedBy: u.id,
      });
    else
      Object.assign(patch, {
        reviewedAt: now,
        reviewedBy: u.id,
        reviewNote: body.note ?? '',
        returns: move === 'return' ? n.returns + 1 : n.returns,
      });
    await repo.updateNotice(tx, id, patch);
    await recordAudit(tx, ctx.actor, {
      action: `notice.${move}`,
      entityType: 'notice',
      entityId: id,
      unitId: n.unitId,
      before: { status: n.status },
      after: { status: to, ...body },
    });
  });
  return getNotice(ctx, id);
}

/** Notices per unit in a year (issued, accepted, overdue): what the indicators count. */
export async function noticeCounts(ctx: Ctx, year: number): Promise<TNoticeCounts> {
  const u = user(ctx);
  return repo.countsPerUnit(ctx.db, year, today(), u.permissions.has('notices.issue') ? null : await visibleUnits(ctx));
}
