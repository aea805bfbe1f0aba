/**
 * Reading uploaded .xlsx files safely. An .xlsx is a zip of XML: 367 KB can unpack to gigabytes (a zip
 * bomb) and ExcelJS builds the whole workbook in memory on the event loop. So:
 *  1. here, on the request's thread and in microseconds, the zip's central directory is read: too many
 *     entries or declared sizes above the limit are refused at once;
 *  2. in a worker thread (xlsx-worker.mjs, memory-capped, time-limited), every entry is inflated with a
 *     shared output budget (the declared sizes may lie), the sheets' rows and cells are counted, and only
 *     then is the workbook loaded and turned into plain cell values;
 *  3. at most MAX_PARALLEL parses run at once; the rest wait their turn.
 * A refusal is an AppError: 413 PAYLOAD_TOO_LARGE for size, rows or cells; 400 VALIDATION otherwise.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from './errors.js';

/** A cell as read: its plain value, or why it is refused (formula, error value, boolean). */
export type XlsxCell = { value: unknown } | { error: string };
/** One sheet's non-empty rows: [row number, [column number, cell][]][], in order. */
export type XlsxSheet = { name: string; rows: [number, [number, XlsxCell][]][] };
export type XlsxBook = {
  keywords: string;
  sheets: XlsxSheet[];
  stats: { unpackedBytes: number; rows: number; cells: number };
};

export type XlsxLimits = {
  /** Total size of all entries once unpacked. */
  maxUnpackedBytes: number;
  maxEntries: number;
  /** Rows and cells over all worksheets. */
  maxRows: number;
  maxCells: number;
  /** Longest a parse may take before its worker is stopped. */
  timeoutMs: number;
  /** Heap of the worker. */
  maxHeapMb: number;
};

export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  maxUnpackedBytes: 60 * 1024 * 1024,
  maxEntries: 500,
  maxRows: 25_000,
  maxCells: 400_000,
  timeoutMs: 30_000,
  maxHeapMb: 512,
};

type ZipEntry = { name: string; method: number; compressedSize: number; size: number; localOffset: number };

const refused = (zh: string, en: string) => new AppError('VALIDATION', { field: 'file', zh, en });
const tooLarge = (zh: string, en: string) => new AppError('PAYLOAD_TOO_LARGE', { field: 'file', zh, en });

/** Reads the zip's central directory (sizes as declared); throws a 400/413 AppError for what is not an acceptable .xlsx. */
export function zipEntries(
  buf: Buffer,
  limits: Pick<XlsxLimits, 'maxUnpackedBytes' | 'maxEntries'> = DEFAULT_XLSX_LIMITS,
): ZipEntry[] {
  const notXlsx = () =>
    refused(
      '文件不是有效的 Excel（.xlsx）文件，请使用系统下载的模板',
      'The file is not a valid Excel (.xlsx) file; use the downloaded template',
    );
  if (buf.length < 22 || buf[0] !== 0x50 || buf[1] !== 0x4b) throw notXlsx();
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notXlsx();
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw tooLarge('文件过大（ZIP64 格式）', 'File too large (ZIP64)');
  if (count > limits.maxEntries)
    throw tooLarge(`压缩包内文件过多（${count} 个）`, `Too many entries in the file (${count})`);
  if (cdOffset + cdSize > buf.length) throw notXlsx();
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw notXlsx();
    const nameLen = buf.readUInt16LE(p + 28);
    const entry: ZipEntry = {
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
    };
    if (entry.localOffset + 30 > buf.length || entry.compressedSize > buf.length) throw notXlsx();
    total += entry.size;
    if (total > limits.maxUnpackedBytes) {
      const mb = Math.round(limits.maxUnpackedBytes / 1048576);
      throw tooLarge(`文件解压后过大（超过 ${mb} MB）`, `The file unpacks to more than ${mb} MB`);
    }
    entries.push(entry);
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return entries;
}

const MAX_PARALLEL = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function gate<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

type WorkerAnswer =
  { ok: true; result: XlsxBook } | { ok: false; kind: 'too_large' | 'invalid'; zh: string; en: string };

/**
 * Reads an uploaded .xlsx within the limits, off the main thread; returns its sheets as plain cells.
 * Throws an AppError (413 or 400, field `file`) for a file that is too big, too complex or not an .xlsx.
 */
export async function readXlsxSafely(buf: Buffer, overrides: Partial<XlsxLimits> = {}): Promise<XlsxBook> {
  const limits = { ...DEFAULT_XLSX_LIMITS, ...overrides };
  const entries = zipEntries(buf, limits);
  return gate(
    () =>
      new Promise<XlsxBook>((resolve, reject) => {
        const worker = new Worker(new URL('./xlsx-worker.mjs', import.meta.url), {
          workerData: { buf, entries, limits },
          resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb, maxYoungGenerationSizeMb: 64 },
        });
        let settled = false;
        const done = (fn: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          fn();
          void worker.terminate();
        };
        const timer = setTimeout(
          () =>
            done(() =>
              reject(
                tooLarge(
                  '文件过于复杂，读取超时',
                  `The file is too complex: reading it took more than ${limits.timeoutMs / 1000} s`,
                ),
              ),
            ),
          limits.timeoutMs,
        );
        worker.once('message', (m: WorkerAnswer) =>
          done(() =>
            m.ok ? resolve(m.result) : reject(m.kind === 'too_large' ? tooLarge(m.zh, m.en) : refused(m.zh, m.en)),
          ),
        );
        worker.once('error', (err) =>
          // ERR_WORKER_OUT_OF_MEMORY: the workbook needed more than the worker's heap.
          done(() =>
            reject(
              (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
                ? tooLarge('文件过于复杂，超出内存限制', 'The file is too complex: it needs too much memory')
                : err,
            ),
          ),
        );
        worker.once('exit', (code) => done(() => reject(new Error(`xlsx worker exited with code ${code}`))));
      }),
  );
}

/** A sheet's rows as a lookup: cell(row, column) → the cell or undefined. */
export function sheetCells(sheet: XlsxSheet): {
  cell(r: number, c: number): XlsxCell | undefined;
  rowNumbers: number[];
  maxColumn: number;
} {
  const rows = new Map(sheet.rows.map(([r, cells]) => [r, new Map(cells)]));
  let maxColumn = 0;
  for (const [, cells] of sheet.rows) for (const [c] of cells) maxColumn = Math.max(maxColumn, c);
  return { cell: (r, c) => rows.get(r)?.get(c), rowNumbers: sheet.rows.map(([r]) => r), maxColumn };
}
