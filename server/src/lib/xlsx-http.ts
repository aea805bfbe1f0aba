/** HTTP helpers of the list imports and exports: the uploaded .xlsx, an .xlsx download, and the refusal with its report. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Lang } from './errors.js';
import { uploadedFile } from './files-http.js';
import { contentDisposition } from './http.js';
import { ImportRefused, ZImportError } from './xlsx-lists.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The one uploaded file of a multipart request (size limited by the multipart plugin). */
export async function uploadedXlsx(req: FastifyRequest): Promise<Buffer> {
  return (await uploadedFile(req)).data;
}

/** Sends an .xlsx download with a Chinese file name (and an ASCII fallback). */
export function sendXlsx(reply: FastifyReply, buffer: Buffer, name: string, fallback: string) {
  return reply
    .header('Content-Type', XLSX)
    .header('Content-Disposition', contentDisposition(name, { fallback }))
    .header('Cache-Control', 'no-store')
    .send(buffer);
}

/** The 400 body of a refused import: the uniform error and every row/column problem. */
export const ZImportRefused = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
  errors: z.array(ZImportError).optional(),
});

/** Runs an import; a refusal becomes 400 VALIDATION (field `file`) with the report, nothing saved. */
export async function runImport<T>(req: FastifyRequest, reply: FastifyReply, work: (data: Buffer) => Promise<T>) {
  const data = await uploadedXlsx(req);
  try {
    return await work(data);
  } catch (err) {
    if (!(err instanceof ImportRefused)) throw err;
    return reply.status(400).send(importRefusedBody(req.ctx.lang, err.errors));
  }
}

/** The 400 body of a refused all-or-nothing upload: VALIDATION on `file`, with every problem found. */
export function importRefusedBody<E>(lang: Lang, errors: E[]) {
  return {
    error: {
      code: 'VALIDATION',
      field: 'file',
      message:
        lang === 'en'
          ? `Import refused: ${errors.length} problem(s) found; nothing was saved`
          : `导入失败：发现 ${errors.length} 处问题，未保存任何数据`,
    },
    errors,
  };
}
