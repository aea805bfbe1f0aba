// Parses an uploaded .xlsx off the main thread (lib/xlsx-safe.ts starts it): first the zip's real
// sizes and the sheets' row and cell counts, with every inflation bounded, then ExcelJS — so a zip
// bomb is refused before anything big is built, and a large legitimate file never blocks requests.
// Plain JavaScript: a worker is started by Node itself, without the TypeScript loader of the server.
import { parentPort, workerData } from 'node:worker_threads';
import { Buffer } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';

class Refused extends Error {
  constructor(kind, zh, en) {
    super(en);
    this.kind = kind;
    this.zh = zh;
    this.en = en;
  }
}

/** Inflates every entry with a shared output budget; counts rows and cells of the worksheets. */
function inspect(buf, entries, limits) {
  let budget = limits.maxUnpackedBytes;
  let rows = 0;
  let cells = 0;
  for (const e of entries) {
    if (buf.readUInt32LE(e.localOffset) !== 0x04034b50)
      throw new Refused('invalid', '文件已损坏（压缩包结构错误）', 'The file is damaged (bad zip structure)');
    const start = e.localOffset + 30 + buf.readUInt16LE(e.localOffset + 26) + buf.readUInt16LE(e.localOffset + 28);
    const data = buf.subarray(start, start + e.compressedSize);
    let out;
    if (e.method === 0) out = data;
    else if (e.method === 8) {
      try {
        out = inflateRawSync(data, { maxOutputLength: Math.max(1, budget + 1) });
      } catch (err) {
        if (err instanceof RangeError || err?.code === 'ERR_BUFFER_TOO_LARGE') throw tooBig(limits);
        throw new Refused('invalid', '文件已损坏（无法解压）', 'The file is damaged (cannot be decompressed)');
      }
    } else throw new Refused('invalid', '不支持的压缩方式', 'Unsupported zip compression method');
    budget -= out.length;
    if (budget < 0) throw tooBig(limits);
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(e.name)) {
      const xml = out.toString('latin1');
      rows += countOf(xml, '<row ') + countOf(xml, '<row>');
      cells += countOf(xml, '<c ') + countOf(xml, '<c>');
      if (rows > limits.maxRows)
        throw new Refused(
          'too_large',
          `行数过多（超过 ${limits.maxRows} 行）`,
          `Too many rows (more than ${limits.maxRows})`,
        );
      if (cells > limits.maxCells)
        throw new Refused(
          'too_large',
          `单元格过多（超过 ${limits.maxCells} 个）`,
          `Too many cells (more than ${limits.maxCells})`,
        );
    }
  }
  return { unpackedBytes: limits.maxUnpackedBytes - budget, rows, cells };
}

const tooBig = (limits) =>
  new Refused(
    'too_large',
    `文件解压后过大（超过 ${Math.round(limits.maxUnpackedBytes / 1048576)} MB）`,
    `The file unpacks to more than ${Math.round(limits.maxUnpackedBytes / 1048576)} MB`,
  );

function countOf(s, needle) {
  let n = 0;
  for (let i = s.indexOf(needle); i !== -1; i = s.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** A cell's plain value, or an error message (formulas, error values and booleans are refused). */
function readCell(ExcelJS, cell) {
  const v = cell.value;
  if (
    cell.type === ExcelJS.ValueType.Formula ||
    cell.formula ||
    (v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v))
  ) {
    return { error: '不允许使用公式，请直接填写数值' };
  }
  if (v === null || v === undefined) return { value: null };
  if (typeof v === 'number' || typeof v === 'string') return { value: v };
  if (typeof v === 'boolean') return { error: '不支持逻辑值（TRUE/FALSE），请填写数值或文字' };
  if (v instanceof Date) return { value: Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10) };
  if (typeof v === 'object') {
    if (Array.isArray(v.richText)) return { value: v.richText.map((t) => t.text).join('') };
    if (typeof v.text === 'string') return { value: v.text };
    if ('error' in v) return { error: `单元格为错误值 ${String(v.error)}` };
  }
  return { error: '无法识别的单元格内容' };
}

async function run() {
  const { buf: raw, entries, limits } = workerData;
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const stats = inspect(buf, entries, limits);
  // Loaded only for a file that passed the checks: a refusal does not pay for it.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf);
  } catch {
    throw new Refused(
      'invalid',
      '无法读取文件：不是有效的 Excel（.xlsx）文件或文件已损坏',
      'Cannot read the file: not a valid .xlsx or damaged',
    );
  }
  const sheets = wb.worksheets.map((ws) => {
    const rows = [];
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      const cells = [];
      row.eachCell({ includeEmpty: false }, (cell, c) => cells.push([c, readCell(ExcelJS, cell)]));
      rows.push([r, cells]);
    });
    return { name: ws.name, rows };
  });
  return { keywords: wb.keywords ?? '', sheets, stats };
}

run().then(
  (result) => parentPort.postMessage({ ok: true, result }),
  (err) =>
    parentPort.postMessage(
      err instanceof Refused
        ? { ok: false, kind: err.kind, zh: err.zh, en: err.en }
        : { ok: false, kind: 'invalid', zh: '无法读取文件', en: `Cannot read the file: ${err?.message ?? err}` },
    ),
);
