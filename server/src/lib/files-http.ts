/** HTTP helpers of the modules' attached files: the one uploaded file of a request, and a stored file's download. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalid } from './errors.js';
import { contentDisposition } from './http.js';

/** The one uploaded file of a multipart request, read into memory (size limited by the multipart plugin). */
export async function uploadedFile(req: FastifyRequest): Promise<{ filename: string; data: Buffer }> {
  if (!req.isMultipart())
    throw invalid('file', '请以 multipart/form-data 上传文件', 'Upload the file as multipart/form-data');
  const part = await req.file();
  if (!part) throw invalid('file', '请选择要上传的文件', 'No file was uploaded');
  return { filename: part.filename || 'file', data: await part.toBuffer() };
}

/**
 * Sends a stored file as a download: its own type and length, the name (with an ASCII fallback for old
 * clients), never sniffed as another type, and never kept by a shared cache (the file follows the record's scope).
 */
export function sendStoredFile(
  reply: FastifyReply,
  f: { name: string; mime: string; size: number; data: Buffer },
  fallback: string,
) {
  return reply
    .header('Content-Type', f.mime)
    .header('Content-Length', f.size)
    .header('Content-Disposition', contentDisposition(f.name, { fallback }))
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'private, no-store')
    .send(f.data);
}
