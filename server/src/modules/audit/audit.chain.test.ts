import { describe, expect, it } from 'vitest';
import { entryHash, findBrokenLink, GENESIS_HASH, type ChainFields, type ChainRow } from './audit.chain.js';

/** Builds a valid chain of n entries, as recordAudit would. */
function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fields: ChainFields = {
      at: new Date(Date.UTC(2026, 0, 1, 8, 0, i)),
      actorId: i % 3 === 0 ? null : i,
      actorName: i % 3 === 0 ? 'system' : `user${i}`,
      ip: i % 2 ? '10.0.0.1' : null,
      action: 'unit.update',
      entityType: 'unit',
      entityId: String(100 + i),
      unitId: 100 + i,
      before: { name: `旧名称${i}`, sort: i },
      after: { name: `新名称${i}`, sort: i + 1, tags: ['a', 'b'] },
      prevHash: prev,
    };
    const hash = entryHash(fields);
    rows.push({ ...fields, id: i, hash });
    prev = hash;
  }
  return rows;
}

/** A copy of the row with one field replaced; the stored hash is kept, as a tamperer editing the row would. */
function tamper(row: ChainRow, patch: Partial<ChainFields>): ChainRow {
  return { ...row, ...patch };
}

const ALTERATIONS: [keyof ChainFields, unknown][] = [
  ['at', new Date(Date.UTC(2026, 0, 1, 8, 0, 59))],
  ['actorId', 999],
  ['actorName', 'mallory'],
  ['ip', '203.0.113.9'],
  ['action', 'unit.delete'],
  ['entityType', 'user'],
  ['entityId', '1'],
  ['unitId', 1],
  ['before', { name: '旧名称3', sort: 4 }],
  ['after', { x: 1 }],
  ['prevHash', 'f'.repeat(64)],
];

describe('entryHash', () => {
  it('is a sha256 hex digest, stable for the same content whatever the key order', () => {
    const [row] = chain(1);
    const h = entryHash(row);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash({ ...row, after: { tags: ['a', 'b'], sort: 2, name: '新名称1' } })).toBe(h);
  });

  it('treats a missing before/after like null', () => {
    const [row] = chain(1);
    expect(entryHash({ ...row, before: undefined })).toBe(entryHash({ ...row, before: null }));
  });

  it.each(ALTERATIONS)('changes when %s changes', (key, value) => {
    const [row] = chain(1);
    expect(entryHash(tamper(row, { [key]: value }))).not.toBe(row.hash);
  });
});

describe('findBrokenLink', () => {
  it('accepts an intact chain and an empty one', () => {
    expect(findBrokenLink(chain(6))).toBeNull();
    expect(findBrokenLink([])).toBeNull();
  });

  it.each(ALTERATIONS)('reports the altered entry when its %s is changed', (key, value) => {
    const rows = chain(6);
    rows[2] = tamper(rows[2], { [key]: value });
    const broken = findBrokenLink(rows);
    expect(broken?.id).toBe(3);
    expect(broken?.reason).toMatch(key === 'prevHash' ? /prev_hash/ : /hash does not match/);
  });

  it('reports the next entry when an entry is rewritten with a fresh hash', () => {
    const rows = chain(6);
    const forged = { ...rows[2], after: { x: 1 } };
    rows[2] = { ...forged, hash: entryHash(forged) };
    expect(findBrokenLink(rows)).toEqual({ id: 4, reason: 'prev_hash does not match the previous entry' });
  });

  it('reports a reordering at the first entry out of place', () => {
    const rows = chain(6);
    [rows[3], rows[4]] = [rows[4], rows[3]];
    expect(findBrokenLink(rows)?.id).toBe(5);
  });

  it('reports a deleted entry at the one that followed it', () => {
    const rows = chain(6);
    rows.splice(1, 1);
    expect(findBrokenLink(rows)?.id).toBe(3);
  });

  it('reports a changed stored hash', () => {
    const rows = chain(4);
    rows[3] = { ...rows[3], hash: '0'.repeat(64) };
    expect(findBrokenLink(rows)).toEqual({ id: 4, reason: 'hash does not match the entry contents' });
  });

  it('checks a window of the chain from a given previous hash', () => {
    const rows = chain(6);
    expect(findBrokenLink(rows.slice(3), rows[2].hash)).toBeNull();
    expect(findBrokenLink(rows.slice(3))?.id).toBe(4);
  });
});
