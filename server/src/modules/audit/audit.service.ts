import type { SQL } from 'drizzle-orm';
import { writeTogether } from '../../db/bulk.js';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { entryHash, findBrokenLink, GENESIS_HASH, type ChainRow } from './audit.chain.js';
import * as repo from './audit.repo.js';

export type AuditEvent = {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  unitId?: number | null;
  before?: unknown;
  after?: unknown;
};

/**
 * Appends audit entries inside the caller's transaction, so a change and its audit entry commit
 * together or not at all. Each entry is chained to the previous one by hash.
 */
export async function recordAudit(tx: Db, actor: Actor, events: AuditEvent | AuditEvent[]): Promise<void> {
  const list = Array.isArray(events) ? events : [events];
  await recordAuditEntries(
    tx,
    list.map((event) => ({ actor, event })),
  );
}

/**
 * Appends entries of possibly different actors (a group commit of several requests) in the caller's
 * transaction, in order, with one lock of the chain: the same entries and hashes as one by one.
 */
export async function recordAuditEntries(tx: Db, entries: AuditEntryInput[]): Promise<void> {
  if (!entries.length) return;
  const prev = await lockedAuditHead(tx);
  await writeTogether(tx, [auditInsert(prev, entries)]);
}

export type AuditEntryInput = { actor: Actor; event: AuditEvent };

/**
 * Takes the chain's lock for the rest of the transaction and returns the hash the next entries chain
 * to (one round trip). For callers that build their entries' INSERT themselves (`auditInsert`); the
 * entries must be written in the same transaction, after this.
 *
 * Lock order: the audit lock is the last lock a transaction takes — every writer appends its audit
 * entries at its end — so take it after writing the transaction's other rows, never before: a
 * transaction holding it while waiting for a row that another holds, who then asks for the audit lock,
 * would deadlock.
 */
export async function lockedAuditHead(tx: Db): Promise<string> {
  return (await repo.lockChainHead(tx)) ?? GENESIS_HASH;
}

/** The INSERT of entries chained after `prev` (from lockedAuditHead), or null for none. */
export function auditInsert(prev: string, entries: readonly AuditEntryInput[]): SQL | null {
  const at = new Date();
  const rows = entries.map(({ actor, event: e }) => {
    const fields = {
      at,
      actorId: actor.id,
      actorName: actor.name,
      ip: actor.ip,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
      unitId: e.unitId ?? null,
      before: toJson(e.before),
      after: toJson(e.after),
      prevHash: prev,
    };
    const hash = entryHash(fields);
    prev = hash;
    return { ...fields, hash };
  });
  return repo.entriesInsert(rows);
}

// Round-trip through JSON so what is hashed is exactly what jsonb stores (no undefined, no Dates).
function toJson(v: unknown): unknown {
  return v === undefined ? null : JSON.parse(JSON.stringify(v));
}

/** Checks the whole chain; returns the count checked and the first broken entry, if any. */
export async function verifyChain(db: Db): Promise<{ checked: number; broken: { id: number; reason: string } | null }> {
  let checked = 0;
  let prev = GENESIS_HASH;
  const window: ChainRow[] = [];
  for await (const row of repo.readChain(db)) {
    window.push(row as ChainRow);
    if (window.length >= 1000) {
      const broken = findBrokenLink(window, prev);
      if (broken) return { checked: checked + window.findIndex((r) => r.id === broken.id), broken };
      checked += window.length;
      prev = window[window.length - 1].hash;
      window.length = 0;
    }
  }
  const broken = findBrokenLink(window, prev);
  if (broken) return { checked: checked + window.findIndex((r) => r.id === broken.id), broken };
  return { checked: checked + window.length, broken: null };
}

export { listEntries } from './audit.repo.js';
