/**
 * Case attachments: content-addressed by sha256 in the blob store under the key `cases/ab/<sha256>`
 * (DATA_DIR/uploads/cases/ab/<sha256>, or the S3 bucket when BLOB_STORE=s3).
 * The type is recognised from the file's first bytes, never trusted from the client.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { BlobStore } from '../../platform/blobs/blobstore.js';
import { invalid } from '../../lib/errors.js';
import type { AttachmentKind } from './cases.table.js';

export type IncomingFile = { field: string; filename: string; buffer: Buffer };
export type CheckedFile = { filename: string; buffer: Buffer; mime: string; size: number; sha256: string };

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
export const DOCUMENT_TYPES = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;

/** The content type from the file's magic bytes (zip-based Office files also by extension), or null. */
export function sniffMime(buf: Buffer, filename: string): string | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => buf[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (buf.subarray(0, 6).toString('latin1') === 'GIF87a' || buf.subarray(0, 6).toString('latin1') === 'GIF89a')
    return 'image/gif';
  if (buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    const ext = path.extname(filename).toLowerCase();
    if (ext === '.docx') return DOCUMENT_TYPES[1];
    if (ext === '.xlsx') return DOCUMENT_TYPES[2];
  }
  return null;
}

/** A safe display name: no path, no control characters, at most 120 characters. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').trim();
  return (clean || 'file').slice(-120);
}

/** Validates the files (count, size, type) and hashes them; throws 400 naming the field. */
export function checkFiles(
  files: IncomingFile[],
  opts: { maxBytes: number; maxFiles: number; imagesOnly: boolean },
): CheckedFile[] {
  if (files.length > opts.maxFiles) {
    throw invalid(files[0]?.field ?? 'files', `最多上传 ${opts.maxFiles} 个文件`, `At most ${opts.maxFiles} files`);
  }
  const allowed: readonly string[] = opts.imagesOnly ? IMAGE_TYPES : [...IMAGE_TYPES, ...DOCUMENT_TYPES];
  return files.map((f) => {
    if (f.buffer.length === 0) throw invalid(f.field, '文件为空', 'The file is empty');
    if (f.buffer.length > opts.maxBytes) {
      throw invalid(
        f.field,
        `文件不能超过 ${Math.floor(opts.maxBytes / 1024 / 1024)} MB`,
        `Files must be at most ${Math.floor(opts.maxBytes / 1024 / 1024)} MB`,
      );
    }
    const mime = sniffMime(f.buffer, f.filename);
    if (!mime || !allowed.includes(mime)) {
      throw opts.imagesOnly
        ? invalid(f.field, '只能上传 JPG、PNG、GIF 或 WebP 图片', 'Only JPG, PNG, GIF or WebP images are accepted')
        : invalid(
            f.field,
            '只能上传图片、PDF、Word（docx）或 Excel（xlsx）文件',
            'Only images, PDF, docx or xlsx files are accepted',
          );
    }
    return {
      filename: cleanFilename(f.filename),
      buffer: f.buffer,
      mime,
      size: f.buffer.length,
      sha256: createHash('sha256').update(f.buffer).digest('hex'),
    };
  });
}

/** The blob-store key of an attachment. */
export function attachmentKey(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad content address');
  return `cases/${sha256.slice(0, 2)}/${sha256}`;
}

/** Where a stored file lives with the default data-folder store (BLOB_STORE=fs). */
export function storedPath(dataDir: string, sha256: string): string {
  return path.join(path.resolve(dataDir, 'uploads'), ...attachmentKey(sha256).split('/'));
}

/** Writes the files (once per content) before the database transaction; an unused file is harmless. */
export async function storeFiles(blobs: BlobStore, files: CheckedFile[]): Promise<void> {
  for (const f of files) await blobs.put(attachmentKey(f.sha256), f.buffer, f.mime);
}

/** The attachment row of a stored file (its case, kind and uploader). */
export function attachmentRow(
  f: CheckedFile,
  v: { caseId: number; kind: AttachmentKind; by: { userId: number | null; name: string }; unitId: number | null },
) {
  return {
    caseId: v.caseId,
    kind: v.kind,
    filename: f.filename,
    mime: f.mime,
    size: f.size,
    sha256: f.sha256,
    uploadedBy: v.by.userId,
    uploadedByName: v.by.name,
    unitId: v.unitId,
  };
}
