/**
 * The audit chain is keyed (HMAC with a key outside the database) and anchored (signed checkpoints
 * outside the database): someone with write access to the database alone can neither cut off the tail
 * nor rewrite entries and re-hash the chain without `audit:verify` noticing.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditDatabase } from '../../cli/audit-verify.js';
import { openPglite, type Database } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { freshDatabase, testConfig } from '../../test/helpers.js';
import { deriveAuditKeys, entryBody, GENESIS_HASH, setAuditKey } from './audit.chain.js';
import { readCheckpointFile, writeCheckpoint } from './audit.checkpoint.js';
import { recordAudit } from './audit.service.js';

const auditKey = testConfig().auditKey;
const keys = deriveAuditKeys(auditKey);
const silent = { info: () => undefined, error: () => undefined };
let dir: string;
let file: string;
let database: Database;

beforeAll(() => {
  setAuditKey(auditKey);
  dir = mkdtempSync(path.join(tmpdir(), 'xn-audit-anchor-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  await database?.close();
  database = await freshDatabase();
  file = path.join(dir, `checkpoints-${Math.random().toString(36).slice(2)}.jsonl`);
  // 30 entries, a checkpoint, then 5 more (written after the last checkpoint).
  for (let i = 0; i < 6; i++) {
    await database.db.transaction((tx) =>
      recordAudit(
        tx,
        SYSTEM_ACTOR,
        Array.from({ length: 5 }, (_, j) => ({
          action: 'test.write',
          entityType: 'thing',
          entityId: i * 5 + j,
          after: { n: i * 5 + j },
        })),
      ),
    );
    if (i === 5 - 1) expect((await writeCheckpoint({ db: database.db, file, keys, log: silent })).written).toBe(true);
  }
}, 30_000);
afterAll(async () => database?.close());

const verify = () => verifyAuditDatabase(database, { auditKey, checkpointFile: file });
type Row = {
  id: number;
  at: Date;
  actor_id: number | null;
  actor_name: string;
  ip: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  unit_id: number | null;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
};
const rows = () =>
  database.query<Row>(
    'SELECT id::int AS id, at, actor_id, actor_name, ip, action, entity_type, entity_id, unit_id, before, after, prev_hash, hash FROM audit_entries ORDER BY id',
  );

/** What a tamperer without the key does: rewrite entries and re-hash the rest of the chain with plain SHA-256 (the published formula). */
async function rewriteAndRehash(fromId: number, patch: (r: Row) => Row) {
  const all = await rows();
  let prev = all.find((r) => r.id === fromId - 1)?.hash ?? GENESIS_HASH;
  const statements = ['ALTER TABLE audit_entries DISABLE TRIGGER USER;'];
  for (const r0 of all.filter((r) => r.id >= fromId)) {
    const r = r0.id === fromId ? patch(r0) : r0;
    const body = entryBody({
      at: new Date(r.at),
      actorId: r.actor_id,
      actorName: r.actor_name,
      ip: r.ip,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      unitId: r.unit_id,
      before: r.before,
      after: r.after,
    });
    const hash = createHash('sha256').update(prev).update('\n').update(body).digest('hex');
    statements.push(
      `UPDATE audit_entries SET after = '${JSON.stringify(r.after)}'::jsonb, prev_hash = '${prev}', hash = '${hash}' WHERE id = ${r.id};`,
    );
    prev = hash;
  }
  statements.push('ALTER TABLE audit_entries ENABLE TRIGGER USER;');
  await database.exec(statements.join('\n'));
}

describe('keyed and anchored audit chain', () => {
  it('verifies an intact chain with its checkpoint, and keys the entries (not plain SHA-256)', async () => {
    expect(await verify()).toEqual({
      exitCode: 0,
      message: `audit chain OK: 30 entries; 1 signed checkpoints matched (${file})`,
    });
    const [first] = await rows();
    const plain = createHash('sha256')
      .update(GENESIS_HASH)
      .update('\n')
      .update(
        entryBody({
          at: new Date(first.at),
          actorId: first.actor_id,
          actorName: first.actor_name,
          ip: first.ip,
          action: first.action,
          entityType: first.entity_type,
          entityId: first.entity_id,
          unitId: first.unit_id,
          before: first.before,
          after: first.after,
        }),
      )
      .digest('hex');
    expect(first.hash).not.toBe(plain);
    // The checkpoint is the head when it was written (entry 25), signed.
    const cp = readCheckpointFile(file, keys.checkpoint);
    expect(cp.bad).toEqual([]);
    expect(cp.checkpoints.map((c) => c.id)).toEqual([25]);
  });

  it('catches a cut-off tail (entries deleted from the end)', async () => {
    await database.exec(
      'ALTER TABLE audit_entries DISABLE TRIGGER USER; DELETE FROM audit_entries WHERE id > 20; ALTER TABLE audit_entries ENABLE TRIGGER USER;',
    );
    const r = await verify();
    expect(r.exitCode).toBe(1);
    expect(r.message).toMatch(/BROKEN at entry 25: the chain ends at entry 20 .* entries were removed/);
  });

  it('catches entries rewritten and the chain re-hashed (before the checkpoint)', async () => {
    await rewriteAndRehash(10, (r) => ({ ...r, after: { n: 999 } }));
    const r = await verify();
    expect(r.exitCode).toBe(1);
    expect(r.message).toBe('audit chain BROKEN at entry 10: hash does not match the entry contents');
  });

  it('catches entries rewritten and re-hashed after the last checkpoint (the key is missing to forge them)', async () => {
    await rewriteAndRehash(28, (r) => ({ ...r, after: { n: 999 } }));
    const r = await verify();
    expect(r.exitCode).toBe(1);
    expect(r.message).toBe('audit chain BROKEN at entry 28: hash does not match the entry contents');
  });

  it('catches a re-hashed chain whose switch-over was moved past the end (to pass as unkeyed)', async () => {
    await rewriteAndRehash(1, (r) => ({ ...r, after: { n: 999 } }));
    await database.exec(
      'ALTER TABLE audit_chain_state DISABLE TRIGGER USER; UPDATE audit_chain_state SET keyed_from = 1000; ALTER TABLE audit_chain_state ENABLE TRIGGER USER;',
    );
    const r = await verify();
    expect(r.exitCode).toBe(1);
    expect(r.message).toMatch(/switch-over at entry 1, the database at 1000/);
  });

  it('refuses a forged checkpoint line, and the checkpoint job does not sign a broken chain', async () => {
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/"id":25/, '"id":20'));
    expect((await verify()).message).toMatch(/checkpoints BROKEN: .* line 1: signature does not match/);
    writeFileSync(file, text);
    await rewriteAndRehash(28, (r) => ({ ...r, after: { n: 999 } }));
    const errors: object[] = [];
    const w = await writeCheckpoint({
      db: database.db,
      file,
      keys,
      log: { info: () => undefined, error: (o) => errors.push(o) },
    });
    expect(w).toMatchObject({ written: false, reason: 'broken', broken: { id: 28 } });
    expect(errors).toHaveLength(1);
    expect(readCheckpointFile(file, keys.checkpoint).checkpoints).toHaveLength(1);
  });

  it('writes nothing when the head has not moved, and a new checkpoint when it has', async () => {
    expect((await writeCheckpoint({ db: database.db, file, keys, log: silent })).written).toBe(true);
    expect(await writeCheckpoint({ db: database.db, file, keys, log: silent })).toEqual({
      written: false,
      reason: 'unchanged',
    });
    expect(readCheckpointFile(file, keys.checkpoint).checkpoints.map((c) => c.id)).toEqual([25, 30]);
  });
});

describe('a chain from before the keyed switch-over', () => {
  it('keeps verifying its plain SHA-256 entries and keys the new ones from the recorded switch-over', async () => {
    const old = await openPglite({});
    try {
      await migrate(old, { through: '0012_sms_reminders.sql' });
      // Entries appended the old way (migration 0011's unkeyed audit_append).
      const body = (n: number) =>
        entryBody({
          at: new Date('2026-01-01T00:00:00Z'),
          actorId: null,
          actorName: 'system',
          ip: null,
          action: 'old.write',
          entityType: 'thing',
          entityId: String(n),
          unitId: null,
          before: null,
          after: { n },
        });
      const entries = [1, 2, 3].map((n) => ({
        at: '2026-01-01T00:00:00.000Z',
        actor_name: 'system',
        action: 'old.write',
        entity_type: 'thing',
        entity_id: String(n),
        after: { n },
        body: body(n),
      }));
      await old.query('SELECT audit_append($1::json)', [JSON.stringify(entries)]);
      await migrate(old);
      // The previous version's unkeyed append now refuses.
      await expect(old.query('SELECT audit_append($1::json)', [JSON.stringify(entries)])).rejects.toThrow(
        /keyed since migration 0016/,
      );
      await old.db.transaction((tx) =>
        recordAudit(tx, SYSTEM_ACTOR, [
          { action: 'new.write', entityType: 'thing' },
          { action: 'new.write', entityType: 'thing' },
        ]),
      );
      expect(await old.query('SELECT keyed_from::int AS k FROM audit_chain_state')).toEqual([{ k: 4 }]);
      expect(
        (await verifyAuditDatabase(old, { auditKey, checkpointFile: path.join(dir, 'none.jsonl') })).message,
      ).toMatch(/^audit chain OK: 5 entries/);
      // Another key does not verify the keyed part.
      expect(
        (
          await verifyAuditDatabase(old, {
            auditKey: Buffer.from('another-key-0123456789abcdef0123456789'),
            checkpointFile: path.join(dir, 'none.jsonl'),
          })
        ).message,
      ).toBe('audit chain BROKEN at entry 4: hash does not match the entry contents');
    } finally {
      await old.close();
    }
  }, 60_000);
});
