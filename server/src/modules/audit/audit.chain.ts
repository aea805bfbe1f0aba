import { createHash, createHmac } from 'node:crypto';
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
 * The hash of one audit entry over the previous hash, a newline and the entry's body, in hex: HMAC-SHA256
 * with the chain key for keyed entries (`key` given; migration 0016 on), plain SHA-256 for entries
 * written before the switch-over. Appends compute it in the database (`audit_append()`) with the same
 * formula over the body computed here; verification recomputes it here.
 */
export function entryHash(e: ChainFields, key: Buffer | null = null): string {
  const h = key ? createHmac('sha256', key) : createHash('sha256');
  return h.update(e.prevHash).update('\n').update(entryBody(e)).digest('hex');
}

export type ChainRow = ChainFields & { id: number; hash: string };

/** How a chain is keyed: entries with id >= keyedFrom are HMAC'd with `key` (audit_chain_state). */
export type ChainKeying = { keyedFrom: number; key: Buffer };

/** Walks entries in id order; returns the first entry whose link or hash does not match, or null. */
export function findBrokenLink(
  rows: Iterable<ChainRow>,
  startPrev = GENESIS_HASH,
  keying: ChainKeying | null = null,
): { id: number; reason: string } | null {
  let prev = startPrev;
  for (const row of rows) {
    if (row.prevHash !== prev) return { id: row.id, reason: 'prev_hash does not match the previous entry' };
    const key = keying && row.id >= keying.keyedFrom ? keying.key : null;
    if (entryHash(row, key) !== row.hash) return { id: row.id, reason: 'hash does not match the entry contents' };
    prev = row.hash;
  }
  return null;
}

/** The keys derived from the audit master key (AUDIT_KEY / the key file): one per use, so neither can stand in for the other. */
export type AuditKeys = { chain: Buffer; checkpoint: Buffer };

/** Derives the chain key and the checkpoint-signing key from the master key. */
export function deriveAuditKeys(master: Buffer): AuditKeys {
  const derive = (label: string) => createHmac('sha256', master).update(label).digest();
  return { chain: derive('xiaoneng audit chain v1'), checkpoint: derive('xiaoneng audit checkpoint v1') };
}

/** HMAC's inner and outer padded keys (RFC 2104), in hex, for `audit_append(entries, ikey, okey)`. */
export function hmacPads(key: Buffer): { ikey: string; okey: string } {
  const k = Buffer.alloc(64);
  (key.length > 64 ? createHash('sha256').update(key).digest() : key).copy(k);
  const ikey = Buffer.from(k.map((b) => b ^ 0x36));
  const okey = Buffer.from(k.map((b) => b ^ 0x5c));
  return { ikey: ikey.toString('hex'), okey: okey.toString('hex') };
}

// The process's audit keys, set once at start-up from the configuration (buildApp): recordAudit is called
// from every module with a transaction only, so the key travels here rather than through each call.
let current: (AuditKeys & { pads: { ikey: string; okey: string } }) | null = null;

/** Sets the audit master key for this process (buildApp does, from Config.auditKey). */
export function setAuditKey(master: Buffer): void {
  const keys = deriveAuditKeys(master);
  current = { ...keys, pads: hmacPads(keys.chain) };
}

/** The process's audit keys; throws when none was set (no audited write may go unkeyed). */
export function auditKeys(): AuditKeys & { pads: { ikey: string; okey: string } } {
  if (!current)
    throw new Error('audit key not configured: call setAuditKey (buildApp does) before writing audit entries');
  return current;
}

/**
 * A signed checkpoint of the audit chain, kept outside the database (a line in the checkpoint file and
 * in the log): the entry id and hash at the head when it was written, and the keyed switch-over. A chain
 * cut short below a checkpoint, or rewritten and re-hashed over a checkpointed entry, no longer matches.
 */
export type Checkpoint = { id: number; hash: string; keyedFrom: number; at: string };
