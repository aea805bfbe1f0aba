import { untilTransactionEnd, type Db } from '../../db/client.js';
import type { Actor } from '../../lib/context.js';
import { mayHoldLoneSurrogate, wellFormed, wellFormedDeep } from '../../lib/unicode.js';
import {
  auditKeys,
  entryBody,
  findBrokenLink,
  GENESIS_HASH,
  type AuditKeys,
  type ChainKeying,
  type ChainRow,
  type Checkpoint,
} from './audit.chain.js';
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
  const pending = untilTransactionEnd(
    tx,
    'audit',
    (): repo.AppendRow[] => [],
    (list) => repo.appendEntries(tx, list),
  );
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

export type Broken = { id: number; reason: string };

/**
 * Walks the chain from after entry `afterId` (whose hash is `startPrev`) in id order, in windows, checking
 * every link and hash; calls `onRow` for each entry checked. Returns the count checked, the last entry and
 * the first broken one.
 */
export async function walkChain(
  db: Db,
  opts: { afterId: number; startPrev: string; keying: ChainKeying | null; onRow?: (row: ChainRow) => Broken | null },
): Promise<{ checked: number; last: { id: number; hash: string } | null; broken: Broken | null }> {
  let checked = 0;
  let prev = opts.startPrev;
  let last: { id: number; hash: string } | null = null;
  const window: ChainRow[] = [];
  const flush = (): Broken | null => {
    const broken = findBrokenLink(window, prev, opts.keying);
    for (const row of window) {
      if (broken && row.id === broken.id) return broken;
      const bad = opts.onRow?.(row);
      if (bad) return bad;
      checked++;
      last = { id: row.id, hash: row.hash };
    }
    prev = window.length ? window[window.length - 1].hash : prev;
    window.length = 0;
    return null;
  };
  for await (const row of repo.readChainFrom(db, opts.afterId)) {
    window.push(row as ChainRow);
    if (window.length >= 1000) {
      const broken = flush();
      if (broken) return { checked, last, broken };
    }
  }
  const broken = flush();
  return { checked, last, broken };
}

/**
 * Checks the whole chain: every link and hash (plain SHA-256 before the keyed switch-over, HMAC with the
 * chain key from it on), and, when signed checkpoints are given (read and signature-checked by
 * audit.checkpoint), that each checkpointed entry still has its recorded hash and that no checkpoint lies
 * beyond the end of the chain (a cut-off tail) or records another switch-over.
 */
export async function verifyChain(
  db: Db,
  opts: { keys?: AuditKeys; checkpoints?: readonly Checkpoint[] } = {},
): Promise<{ checked: number; broken: Broken | null; head: { id: number; hash: string } | null; checkpoints: number }> {
  const keyedFrom = await repo.readKeyedFrom(db);
  const checkpoints = opts.checkpoints ?? [];
  if (keyedFrom === null) {
    return {
      checked: 0,
      head: null,
      checkpoints: 0,
      broken: { id: 0, reason: 'the keyed switch-over record (audit_chain_state) is missing' },
    };
  }
  const keys = opts.keys ?? auditKeys();
  const expected = new Map<number, Checkpoint>();
  for (const cp of checkpoints) {
    if (cp.keyedFrom !== keyedFrom) {
      return {
        checked: 0,
        head: null,
        checkpoints: 0,
        broken: {
          id: cp.id,
          reason: `a signed checkpoint records the keyed switch-over at entry ${cp.keyedFrom}, the database at ${keyedFrom}`,
        },
      };
    }
    expected.set(cp.id, cp);
  }
  const r = await walkChain(db, {
    afterId: 0,
    startPrev: GENESIS_HASH,
    keying: { keyedFrom, key: keys.chain },
    onRow: (row) => {
      const cp = expected.get(row.id);
      return cp && cp.hash !== row.hash
        ? { id: row.id, reason: `hash differs from the signed checkpoint of ${cp.at}: the chain was rewritten` }
        : null;
    },
  });
  if (r.broken) return { checked: r.checked, broken: r.broken, head: r.last, checkpoints: checkpoints.length };
  const lastId = r.last?.id ?? 0;
  const beyond = checkpoints.filter((cp) => cp.id > lastId).sort((a, b) => b.id - a.id)[0];
  if (beyond) {
    return {
      checked: r.checked,
      head: r.last,
      checkpoints: checkpoints.length,
      broken: {
        id: beyond.id,
        reason: `the chain ends at entry ${lastId} but a signed checkpoint of ${beyond.at} records entry ${beyond.id}: entries were removed`,
      },
    };
  }
  return { checked: r.checked, broken: null, head: r.last, checkpoints: checkpoints.length };
}

export { exportEntries, listEntries } from './audit.repo.js';
