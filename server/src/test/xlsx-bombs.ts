/** Crafted .xlsx files for the upload-limit tests: a zip writer that can lie about sizes, and a cell bomb. */
import { crc32, deflateRawSync } from 'node:zlib';

export type Entry = { name: string; data: Buffer; declaredSize?: number };

/** A zip (deflated entries), with each entry's uncompressed size as declared (a bomb may lie). */
export function zip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const packed = deflateRawSync(e.data, { level: 9 });
    const size = e.declaredSize ?? e.data.length;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A worksheet XML of `rows` rows of `cols` numeric cells: highly compressible. */
export function sheetXml(rows: number, cols: number): Buffer {
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
  ];
  const letters = Array.from({ length: cols }, (_, i) => String.fromCharCode(65 + (i % 26)));
  for (let r = 1; r <= rows; r++)
    parts.push(`<row r="${r}">${letters.map((l) => `<c r="${l}${r}"><v>1</v></c>`).join('')}</row>`);
  parts.push('</sheetData></worksheet>');
  return Buffer.from(parts.join(''));
}

/** A cell bomb: one sheet of 1,000,000 cells, a few hundred KB packed (as the 367 KB file of the report). */
export function cellBomb(): Buffer {
  // Cells without references (allowed in SpreadsheetML): every row alike, so it packs ~1000:1.
  const row = `<row>${'<c><v>1</v></c>'.repeat(10)}</row>`;
  const xml = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>${row.repeat(100_000)}</sheetData></worksheet>`,
  );
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: 'xl/worksheets/sheet1.xml', data: xml },
  ]);
}
