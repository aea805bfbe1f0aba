/**
 * A minimal POSIX tar (ustar) writer and reader for backup archives: regular files only, names up
 * to 255 bytes (prefix + name), sizes above 8 GiB in base-256. No dependency, streams file contents.
 */
import { createReadStream, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { Readable } from 'node:stream';

const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function splitName(name: string): { prefix: string; base: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', base: name };
  for (let i = name.lastIndexOf('/'); i > 0; i = name.lastIndexOf('/', i - 1)) {
    const prefix = name.slice(0, i);
    const base = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100) return { prefix, base };
  }
  throw new Error(`tar: name too long: ${name}`);
}

/** The 512-byte header of a regular file. */
export function tarHeader(name: string, size: number, mtime = new Date(), mode = 0o644): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  const { prefix, base } = splitName(name);
  h.write(base, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  if (size < 8 ** 11) h.write(octal(size, 12), 124, 'ascii');
  else {
    h[124] = 0x80; // base-256 for sizes from 8 GiB
    h.writeBigUInt64BE(BigInt(size), 128);
  }
  h.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/** Writes tar entries to a file stream, one after another; `end()` writes the closing blocks. */
export function tarWriter(out: WriteStream) {
  const write = async (chunk: Buffer) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  return {
    async addBuffer(name: string, bytes: Buffer, mode?: number) {
      await write(tarHeader(name, bytes.length, new Date(), mode));
      await write(bytes);
      await write(Buffer.alloc(padding(bytes.length)));
    },
    async addStream(name: string, size: number, source: Readable, mode?: number) {
      await write(tarHeader(name, size, new Date(), mode));
      let n = 0;
      for await (const chunk of source) {
        n += (chunk as Buffer).length;
        await write(chunk as Buffer);
      }
      if (n !== size) throw new Error(`tar: ${name} changed while it was archived (${n} bytes, expected ${size})`);
      await write(Buffer.alloc(padding(size)));
    },
    async end() {
      await write(Buffer.alloc(BLOCK * 2));
      out.end();
      await once(out, 'finish');
    },
  };
}

export type TarEntry = { name: string; size: number; mode: number; offset: number };

function readOctal(h: Buffer, start: number, len: number): number {
  if (h[start] & 0x80) return Number(h.readBigUInt64BE(start + len - 8));
  const s = h
    .toString('ascii', start, start + len)
    .replace(/\0.*$/, '')
    .trim();
  return s ? parseInt(s, 8) : 0;
}

/** Lists the regular files of a tar archive with where their bytes are; checks each header's checksum. */
export async function listTar(file: string): Promise<TarEntry[]> {
  const fh = await open(file, 'r');
  try {
    const entries: TarEntry[] = [];
    const h = Buffer.alloc(BLOCK);
    for (let pos = 0; ;) {
      const { bytesRead } = await fh.read(h, 0, BLOCK, pos);
      if (bytesRead < BLOCK || h.every((b) => b === 0)) break;
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
      if (sum !== readOctal(h, 148, 8))
        throw new Error(`tar: bad header checksum at byte ${pos}: not a backup archive, or damaged`);
      const base = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const prefix = h.toString('utf8', 345, 500).replace(/\0.*$/s, '');
      const size = readOctal(h, 124, 12);
      const type = String.fromCharCode(h[156] || 48);
      if (type === '0')
        entries.push({
          name: prefix ? `${prefix}/${base}` : base,
          size,
          mode: readOctal(h, 100, 8),
          offset: pos + BLOCK,
        });
      pos += BLOCK + size + padding(size);
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/** The bytes of one entry as a stream. */
export function entryStream(file: string, e: TarEntry): Readable {
  return e.size ? createReadStream(file, { start: e.offset, end: e.offset + e.size - 1 }) : Readable.from([]);
}
