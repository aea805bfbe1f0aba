import { createHash } from 'node:crypto';
import { canonicalJson } from '../../lib/canonical.js';

export const GENESIS_HASH = '0'.repeat(64);

export type ChainFields = {
  at: Date;
  actorId: number | null;
  actorName: string;
  ip: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  unitId: number | null;
  before: unknown;
  after: unknown;
  prevHash: string;
};

/** What an entry's hash covers: its fields as canonical JSON (the previous hash is chained in by entryHash). */
export function entryBody(e: Omit<ChainFields, 'prevHash'>): string {
  return canonicalJson({
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorName: e.actorName,
    ip: e.ip,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    unitId: e.unitId,
    before: e.before ?? null,
    after: e.after ?? null,
  });
}

/**
 * The hash of one audit entry: sha256 over the previous hash, a newline and the entry's body, in hex.
 * Appends compute it in the database (`audit_append()`, migration 0011) with the same formula over
 * the body computed here; verification recomputes it here.
 */
export function entryHash(e: ChainFields): string {
  return createHash('sha256').update(e.prevHash).update('\n').update(entryBody(e)).digest('hex');
}

export type ChainRow = ChainFields & { id: number; hash: string };

/** Walks entries in id order; returns the first entry whose link or hash does not match, or null. */
export function findBrokenLink(rows: Iterable<ChainRow>, startPrev = GENESIS_HASH): { id: number; reason: string } | null {
  let prev = startPrev;
  for (const row of rows) {
    if (row.prevHash !== prev) return { id: row.id, reason: 'prev_hash does not match the previous entry' };
    if (entryHash(row) !== row.hash) return { id: row.id, reason: 'hash does not match the entry contents' };
    prev = row.hash;
  }
  return null;
}
