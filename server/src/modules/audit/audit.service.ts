import { untilTransactionEnd, type Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { mayHoldLoneSurrogate, wellFormed, wellFormedDeep } from '../../lib/unicode.js';
import { entryBody, findBrokenLink, GENESIS_HASH, type ChainRow } from './audit.chain.js';
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
 * transaction, in order: the same entries and hashes as one by one.
 *
 * Lock order: appending takes the audit chain's lock, held to the commit, and it must be the last lock
 * a transaction takes — a transaction holding it while waiting for a row that another holds, who then
 * asks for the audit lock, would deadlock. So in a transaction (`Database.db.transaction`) the entries
 * are kept and appended at its end, after all its other writes, in one round trip with every other
 * entry of the transaction (db/client untilTransactionEnd); outside one, at once.
 */
export async function recordAuditEntries(tx: Db, entries: readonly AuditEntryInput[]): Promise<void> {
  if (!entries.length) return;
  const at = new Date();
  const rows = entries.map(({ actor, event: e }) => {
    const fields = {
      at,
      actorId: actor.id,
      actorName: wellFormed(actor.name),
      ip: actor.ip === null ? null : wellFormed(actor.ip),
      action: wellFormed(e.action),
      entityType: wellFormed(e.entityType),
      entityId: e.entityId === undefined || e.entityId === null ? null : wellFormed(String(e.entityId)),
      unitId: e.unitId ?? null,
      before: toJson(e.before),
      after: toJson(e.after),
    };
    return { ...fields, body: entryBody(fields) };
  });
  const pending = untilTransactionEnd(tx, 'audit', (): repo.AppendRow[] => [], (list) => repo.appendEntries(tx, list));
  if (pending) pending.push(...rows);
  else await repo.appendEntries(tx, rows);
}

export type AuditEntryInput = { actor: Actor; event: AuditEvent };

// What is hashed must be exactly what the database stores, which a later verification reads back.
// Round-trip through JSON (no undefined, no Dates), and a lone UTF-16 surrogate, in a key or a value,
// becomes U+FFFD, as PostgreSQL stores it.
function toJson(v: unknown): unknown {
  if (v === undefined) return null;
  const text = JSON.stringify(v);
  return mayHoldLoneSurrogate(text) ? wellFormedDeep(JSON.parse(text)) : JSON.parse(text);
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
