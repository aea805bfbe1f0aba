/**
 * Evidence files (台账材料) of submissions: stored content-addressed in the blob store under the key
 * `evidence/<sha256>` (DATA_DIR/uploads/evidence/<sha256>, or the S3 bucket when BLOB_STORE=s3),
 * recorded with the hash, size, type, original name and uploader.
 * Downloads follow the submission's read rules (outsiders 404). Evidence of accepted data can be
 * added (e.g. the year-end certificate of a higher authority) but never removed.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit/index.js';
import { canFill } from './reporting.policy.js';
import * as repo from './reporting.repo.js';
import type { TEvidence } from './reporting.schema.js';
import { loadReadable, presentEvidence } from './reporting.service.js';

type Kind = { mime: string; magic: (b: Buffer) => boolean };

const startsWith = (b: Buffer, bytes: number[]) => bytes.every((x, i) => b[i] === x);
const PDF: Kind = { mime: 'application/pdf', magic: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' };
const ZIP = (mime: string): Kind => ({
  mime,
  magic: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06]),
});
const OLE = (mime: string): Kind => ({
  mime,
  magic: (b) => startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
});

/** Allowed file types by extension, each checked against the file's first bytes. */
export const EVIDENCE_TYPES: Record<string, Kind> = {
  pdf: PDF,
  png: { mime: 'image/png', magic: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  jpg: { mime: 'image/jpeg', magic: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  jpeg: { mime: 'image/jpeg', magic: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  gif: { mime: 'image/gif', magic: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  webp: {
    mime: 'image/webp',
    magic: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
  doc: OLE('application/msword'),
  xls: OLE('application/vnd.ms-excel'),
  ppt: OLE('application/vnd.ms-powerpoint'),
  docx: ZIP('application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
  xlsx: ZIP('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
  pptx: ZIP('application/vnd.openxmlformats-officedocument.presentationml.presentation'),
  zip: ZIP('application/zip'),
};

export const EVIDENCE_ACCEPT = Object.keys(EVIDENCE_TYPES)
  .map((e) => `.${e}`)
  .join(',');

/** The blob-store key of an evidence file. */
export function evidenceKey(sha256: string): string {
  return `evidence/${sha256}`;
}

/** A clean display name: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const s = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (s || 'file').slice(-200);
}

/** Checks the type of an uploaded file by extension and content; returns its MIME type. */
export function checkEvidenceFile(name: string, data: Buffer): string {
  const ext = path.extname(name).slice(1).toLowerCase();
  const kind = EVIDENCE_TYPES[ext];
  if (!kind) {
    throw invalid(
      'file',
      `不支持的文件类型「.${ext}」，可上传：PDF、图片、Office 文档、ZIP`,
      `File type .${ext} is not allowed (PDF, images, Office documents, ZIP)`,
    );
  }
  if (!data.length) throw invalid('file', '文件为空', 'The file is empty');
  if (!kind.magic(data))
    throw invalid('file', `文件内容与扩展名「.${ext}」不符`, `The content does not match the .${ext} extension`);
  return kind.mime;
}

/** Writes the bytes under their hash (identical files share storage); returns the hash. */
async function store(blobs: BlobStore, data: Buffer, mime: string): Promise<string> {
  const sha = createHash('sha256').update(data).digest('hex');
  await blobs.put(evidenceKey(sha), data, mime);
  return sha;
}

/**
 * Checks an uploaded evidence file (clean name, type by extension and content) and stores its bytes under
 * their hash, before the caller's transaction writes the row; the store being down is a 503
 * (STORAGE_UNAVAILABLE). For the modules that attach evidence the same way (supervision, notices).
 */
export async function storeEvidenceFile(
  blobs: BlobStore,
  file: { filename: string; data: Buffer },
): Promise<{ name: string; mime: string; sha256: string }> {
  const name = cleanFileName(file.filename);
  const mime = checkEvidenceFile(name, file.data);
  try {
    return { name, mime, sha256: await store(blobs, file.data, mime) };
  } catch {
    throw new AppError('STORAGE_UNAVAILABLE');
  }
}

/** A stored file's row as the modules keep it (their file tables share these columns). */
export type StoredFileRow = { id: number; name: string; mime: string; size: number; sha256: string; uploadedAt: Date };

/**
 * Attaches an uploaded file to a record of another module (a supervision task, a proposal, a notice's reply):
 * checks and stores the bytes (storeEvidenceFile), then writes the module's row (`insert`) and the audit
 * entry `audit.action` on the record in one transaction. Returns the file as the API shows it.
 */
export async function attachEvidenceFile<R extends StoredFileRow>(
  ctx: Ctx,
  blobs: BlobStore,
  file: { filename: string; data: Buffer },
  v: {
    insert: (
      tx: Db,
      f: { sha256: string; name: string; mime: string; size: number; uploadedBy: number | null },
    ) => Promise<R>;
    audit: { action: string; entityType: string; entityId: number; unitId: number | null };
  },
): Promise<{ id: number; name: string; size: number; uploadedAt: string }> {
  const { name, mime, sha256 } = await storeEvidenceFile(blobs, file);
  const row = await ctx.db.transaction(async (tx) => {
    const f = await v.insert(tx, { sha256, name, mime, size: file.data.length, uploadedBy: ctx.user?.id ?? null });
    await recordAudit(tx, ctx.actor, { ...v.audit, after: { fileId: f.id, name, size: f.size, sha256 } });
    return f;
  });
  return { id: row.id, name: row.name, size: row.size, uploadedAt: row.uploadedAt.toISOString() };
}

/** A stored file's bytes for download, or 404 when its row is missing or the store lost the bytes. */
export async function readEvidenceFile(
  blobs: BlobStore,
  f: StoredFileRow | null,
): Promise<{ name: string; mime: string; size: number; data: Buffer }> {
  if (!f) throw notFound();
  const data = await blobs.get(evidenceKey(f.sha256));
  if (!data) throw notFound();
  return { name: f.name, mime: f.mime, size: f.size, data };
}

/** Attaches a file to a submission (draft, or accepted: additions only). */
export async function addEvidence(
  ctx: Ctx,
  submissionId: number,
  file: { filename: string; data: Buffer },
  blobs: BlobStore,
): Promise<TEvidence> {
  const l = await loadReadable(ctx, submissionId);
  if (!canFill(l.v, l.row.unitId, l.ind)) throw forbidden();
  if (l.row.status !== 'draft' && l.row.status !== 'accepted') {
    throw new AppError('INVALID_STATE', {
      zh: '审核中的填报不能增加附件',
      en: 'No evidence can be added while under review',
    });
  }
  const name = cleanFileName(file.filename);
  const mime = checkEvidenceFile(name, file.data);
  // File I/O before the transaction: a stored file without its row is harmless (content-addressed).
  const sha = await store(blobs, file.data, mime);
  const uploader = ctx.user?.displayName ?? ctx.actor.name;
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertEvidence(tx, {
      submissionId,
      sha256: sha,
      size: file.data.length,
      mime,
      originalName: name,
      uploadedBy: ctx.user?.id ?? null,
      uploadedByName: uploader,
    });
    await repo.insertEvents(tx, [
      {
        submissionId,
        action: 'evidence_add',
        fromStatus: l.row.status,
        toStatus: l.row.status,
        comment: name,
        actorId: ctx.user?.id ?? null,
        actorName: uploader,
      },
    ]);
    await recordAudit(tx, ctx.actor, {
      action: 'submission.evidence_add',
      entityType: 'submission_evidence',
      entityId: row.id,
      unitId: l.row.unitId,
      after: presentEvidence(row),
    });
    return presentEvidence(row);
  });
}

/** The stored file of an evidence record the user may read (404 otherwise). */
export async function openEvidence(
  ctx: Ctx,
  id: number,
  blobs: BlobStore,
): Promise<{ data: Buffer; name: string; mime: string; size: number }> {
  const e = await repo.findEvidence(ctx.db, id);
  if (!e) throw notFound();
  await loadReadable(ctx, e.submissionId);
  const data = await blobs.get(evidenceKey(e.sha256));
  if (!data) throw new AppError('NOT_FOUND', { zh: '附件文件已丢失，请联系管理员', en: 'The stored file is missing' });
  return { data, name: e.originalName, mime: e.mime, size: data.length };
}

/** Removes an evidence record from a draft. Evidence of accepted data is protected. */
export async function removeEvidence(ctx: Ctx, id: number): Promise<void> {
  const e = await repo.findEvidence(ctx.db, id);
  if (!e) throw notFound();
  const l = await loadReadable(ctx, e.submissionId);
  if (!canFill(l.v, l.row.unitId, l.ind)) throw forbidden();
  if (l.row.status === 'accepted')
    throw new AppError('IMMUTABLE', {
      zh: '已归档数据的附件受保护，不能删除',
      en: 'Evidence of accepted data cannot be removed',
    });
  if (l.row.status !== 'draft')
    throw new AppError('INVALID_STATE', {
      zh: '审核中的填报不能删除附件',
      en: 'Evidence cannot be removed while under review',
    });
  const fileFields = new Set(
    Object.entries(l.row.fields ?? {})
      .filter(([, v]) => Array.isArray(v) && (v as unknown[]).includes(id))
      .map(([k]) => k),
  );
  if (fileFields.size)
    throw invalid(
      'id',
      '该附件已被表单字段引用，请先在表单中移除',
      'The file is referenced by a form field; remove it there first',
    );
  const name = ctx.user?.displayName ?? ctx.actor.name;
  await ctx.db.transaction(async (tx) => {
    await repo.deleteEvidence(tx, id);
    await repo.insertEvents(tx, [
      {
        submissionId: e.submissionId,
        action: 'evidence_remove',
        fromStatus: l.row.status,
        toStatus: l.row.status,
        comment: e.originalName,
        actorId: ctx.user?.id ?? null,
        actorName: name,
      },
    ]);
    await recordAudit(tx, ctx.actor, {
      action: 'submission.evidence_remove',
      entityType: 'submission_evidence',
      entityId: id,
      unitId: l.row.unitId,
      before: presentEvidence(e),
    });
  });
}
