import { mkdtempSync, mkdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuditVerify, verifyAuditDatabase } from '../../cli/audit-verify.js';
import { openPglite } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { SYSTEM_ACTOR } from '../../lib/context.js';
import { createTestEnv, testConfig, type Client, type TestEnv } from '../../test/helpers.js';

/** The audit master key the test apps use, and a checkpoint file that does not exist. */
const AUDIT = { auditKey: testConfig().auditKey, checkpointFile: path.join(tmpdir(), 'xn-no-such-checkpoints.jsonl') };
const AUDIT_KEY = AUDIT.auditKey.toString('utf8');
import { recordAudit } from './audit.service.js';
import { readTable } from '../../lib/xlsx-table.js';

let env: TestEnv;
let admin: Client;
let office: Client;
beforeAll(async () => {
  env = await createTestEnv();
  // Writes as the system admin and reads the log as the audit admin (the test helper may combine them; the API never does).
  admin = await env.userClient({ username: 'audit_admin', roles: ['admin', 'audit_admin'] });
  office = await env.userClient({ username: 'audit_office', roles: ['office'] });
});
afterAll(async () => env?.close());

const count = async (where = 'true', params: unknown[] = []) =>
  Number(
    (await env.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_entries WHERE ${where}`, params))[0]
      .n,
  );
/** Today's date in the district's time zone (Asia/Shanghai, UTC+8), as the audit filter reads dates. */
const dayInChina = (offsetDays = 0) =>
  new Date(Date.now() + 8 * 3600_000 + offsetDays * 86400_000).toISOString().slice(0, 10);

describe('audit entries are written in the same transaction as the change', () => {
  it('a change that fails leaves no audit entry', async () => {
    const a = await env.buildUnit({ code: 'TXA', name: '甲' });
    await env.buildUnit({ code: 'TXB', name: '乙' });
    const before = await count();
    // The update runs and then hits the unique constraint on code: the whole transaction rolls back.
    const res = await admin.patch(`/api/units/${a}`, { code: 'TXB', name: '甲改' });
    expect(res.statusCode).toBe(409);
    expect(await count()).toBe(before);
    expect((await env.database.query<{ name: string }>('SELECT name FROM units WHERE id = $1', [a]))[0].name).toBe(
      '甲',
    );
  });

  it('an audit entry that cannot be written undoes the change', async () => {
    // A test-only trigger makes the audit insert fail after the unit row was inserted.
    await env.database.exec(`
      CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$;
      CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_entries FOR EACH ROW
        WHEN (NEW.action = 'unit.create') EXECUTE FUNCTION test_refuse_audit();`);
    try {
      const res = await admin.post('/api/units', {
        code: 'NOAUDIT',
        name: '无审计',
        kind: 'department',
        parentId: env.rootUnitId,
      });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain('audit store unavailable'); // internals are not leaked
      expect(await env.database.query(`SELECT 1 FROM units WHERE code = 'NOAUDIT'`)).toHaveLength(0);
    } finally {
      await env.database.exec('DROP TRIGGER test_refuse_audit ON audit_entries; DROP FUNCTION test_refuse_audit();');
    }
    expect(
      (
        await admin.post('/api/units', {
          code: 'NOAUDIT',
          name: '无审计',
          kind: 'department',
          parentId: env.rootUnitId,
        })
      ).statusCode,
    ).toBe(201);
  });

  it('several events of one change are chained in order', async () => {
    await env.database.db.transaction(async (tx) => {
      await recordAudit(tx, SYSTEM_ACTOR, [
        { action: 'test.one', entityType: 'test', entityId: 1 },
        { action: 'test.two', entityType: 'test', entityId: 2, before: { a: 1 }, after: { a: 2 } },
      ]);
    });
    const rows = await env.database.query<{ action: string; prev_hash: string; hash: string }>(
      `SELECT action, prev_hash, hash FROM audit_entries WHERE entity_type = 'test' ORDER BY id`,
    );
    expect(rows.map((r) => r.action)).toEqual(['test.one', 'test.two']);
    expect(rows[1].prev_hash).toBe(rows[0].hash);
  });

  it('chains in the database exactly as verification recomputes it, whatever the text', async () => {
    // audit_append() (migration 0011) hashes in SQL; verifyChain recomputes in TypeScript: they must agree
    // on every byte, for multi-byte text, escapes, nested JSON and a lone surrogate (stored as U+FFFD).
    const tricky = [
      '信访件“加急”',
      '😀 emoji',
      'quote " backslash \\ tab \t newline \n',
      '$1 $$ \u2028',
      'lone \uD800 surrogate',
      '',
    ];
    const actor = { id: null, name: '测试·审计 \uDC00', ip: '::1' };
    await env.database.db.transaction(async (tx) => {
      await recordAudit(
        tx,
        actor,
        tricky.map((t, i) => ({
          action: 'test.text',
          entityType: 'test_text',
          entityId: `${t}#${i}`,
          before: { t, n: [i, { deep: t }] },
          after: { z: 1, a: t, nil: null, [`key ${t}`]: i },
        })),
      );
    });
    // Several small appends in parallel transactions (other connections on PostgreSQL) keep one chain.
    await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        env.database.db.transaction((tx) =>
          recordAudit(tx, SYSTEM_ACTOR, { action: 'test.parallel', entityType: 'test_text', entityId: i }),
        ),
      ),
    );
    const rows = await env.database.query<{ entity_id: string; actor_name: string; before: { t: string } | null }>(
      `SELECT entity_id, actor_name, before FROM audit_entries WHERE entity_type = 'test_text' ORDER BY id`,
    );
    expect(rows).toHaveLength(tricky.length + 5);
    expect(rows.slice(0, tricky.length).map((r) => r.before?.t)).toEqual(
      tricky.map((t) => t.replace('\uD800', '\uFFFD')),
    );
    expect(rows[0].actor_name).toBe('测试·审计 \uFFFD');
    const verified = (await admin.get('/api/audit/verify')).json();
    expect(verified).toMatchObject({ ok: true, broken: null });
  });

  it('appends at the end of its transaction, after every other write: the audit lock is its last lock', async () => {
    const rowsOf = (db: typeof env.database.db) =>
      db
        .execute(sql`SELECT entity_id FROM audit_entries WHERE entity_type = 'test_defer' ORDER BY id`)
        .then((r) => (r as unknown as { rows: { entity_id: string }[] }).rows);
    const auditLockHeld = (db: typeof env.database.db) =>
      db
        .execute(
          sql`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 72700002 AND pid = pg_backend_pid()`,
        )
        .then((r) => Number((r as unknown as { rows: { n: number }[] }).rows[0].n));
    await env.database.db.transaction(async (tx) => {
      await recordAudit(tx, SYSTEM_ACTOR, { action: 'test.defer', entityType: 'test_defer', entityId: 'first' });
      // Recorded, but neither written nor locked yet: the transaction may still write (and wait for) rows.
      expect(await rowsOf(tx)).toEqual([]);
      expect(await auditLockHeld(tx)).toBe(0);
      await recordAudit(tx, SYSTEM_ACTOR, { action: 'test.defer', entityType: 'test_defer', entityId: 'second' });
    });
    expect((await rowsOf(env.database.db)).map((r) => r.entity_id)).toEqual(['first', 'second']);
    expect((await admin.get('/api/audit/verify')).json()).toMatchObject({ ok: true });
    // Outside a transaction an entry is appended at once.
    await recordAudit(env.database.db, SYSTEM_ACTOR, {
      action: 'test.defer',
      entityType: 'test_defer',
      entityId: 'alone',
    });
    expect((await rowsOf(env.database.db)).map((r) => r.entity_id)).toEqual(['first', 'second', 'alone']);
  });

  it('refuses an entry without its hashed body', async () => {
    const before = await count();
    const call = env.database.db.transaction(async (tx) => {
      await tx.execute(
        sql`SELECT audit_append(${JSON.stringify([{ at: new Date().toISOString(), actor_name: 'x', action: 'test.nobody', entity_type: 'test' }])}::json)`,
      );
    });
    await expect(call).rejects.toThrow();
    expect(await count()).toBe(before);
  });
});

describe('GET /api/audit', () => {
  let unitId: number;
  beforeAll(async () => {
    unitId = (
      await admin.post('/api/units', { code: 'AUD1', name: '审计单位', kind: 'department', parentId: env.rootUnitId })
    ).json().id;
    await admin.patch(`/api/units/${unitId}`, { name: '审计单位（改）' });
    await admin.post('/api/unit-categories', { code: 'AUDC', name: '审计类别' });
  });

  it('requires audit.read', async () => {
    expect((await env.anon.get('/api/audit')).statusCode).toBe(401);
    const reporter = await env.userClient({ roles: ['reporter'] });
    expect((await reporter.get('/api/audit')).statusCode).toBe(403);
    expect((await reporter.get('/api/audit/verify')).statusCode).toBe(403);
    expect((await office.get('/api/audit')).statusCode).toBe(200);
  });

  it('pages newest first with the total', async () => {
    const total = await count();
    const page = (await admin.get('/api/audit?limit=2&offset=0')).json();
    expect(page.total).toBe(total);
    expect(page.items).toHaveLength(2);
    expect(page.items[0].id).toBeGreaterThan(page.items[1].id);
    const next = (await admin.get('/api/audit?limit=2&offset=2')).json();
    expect(next.items[0].id).toBeLessThan(page.items[1].id);
  });

  it('filters by entity type, entity id, action and unit', async () => {
    const units = (await admin.get(`/api/audit?entityType=unit&entityId=${unitId}`)).json();
    expect(units.items.map((e: { action: string }) => e.action)).toEqual(['unit.update', 'unit.create']);
    expect(units.items[0]).toMatchObject({
      before: { name: '审计单位' },
      after: { name: '审计单位（改）' },
      actorName: 'audit_admin',
    });
    const cats = (await admin.get('/api/audit?entityType=unit_category')).json();
    expect(cats.items.length).toBeGreaterThan(0);
    expect(cats.items.every((e: { entityType: string }) => e.entityType === 'unit_category')).toBe(true);
    const byAction = (await admin.get('/api/audit?action=unit.update')).json();
    expect(byAction.items.every((e: { action: string }) => e.action === 'unit.update')).toBe(true);
    const byUnit = (await admin.get(`/api/audit?unitId=${unitId}`)).json();
    expect(byUnit.total).toBe(2);
  });

  it('exports exactly the filtered entries to Excel, actions and objects in Chinese', async () => {
    const shown = (await admin.get(`/api/audit?entityType=unit&entityId=${unitId}&limit=500`)).json();
    const res = await admin.get(`/api/audit/export?entityType=unit&entityId=${unitId}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const x = await readTable(res.rawPayload);
    expect(x.headers.slice(0, 5)).toEqual(['序号', '时间', '操作人', '操作', '对象']);
    expect(x.rows.map((r) => r[0])).toEqual(shown.items.map((e: { id: number }) => e.id));
    expect(x.rows.map((r) => r[3])).toEqual(['修改单位', '新增单位']);
    expect(x.rows.every((r) => r[4] === '单位')).toBe(true);
    const all = await readTable((await admin.get('/api/audit/export?action=unit.update')).rawPayload);
    expect(all.rows.length).toBe((await admin.get('/api/audit?action=unit.update')).json().total);
    const reporter = await env.userClient({ roles: ['reporter'] });
    expect((await reporter.get('/api/audit/export')).statusCode).toBe(403);
    expect((await admin.get('/api/audit/export?from=yesterday')).statusCode).toBe(400);
  });

  it('filters by actor', async () => {
    const mine = (await admin.get(`/api/audit?actorId=${office.userId}`)).json();
    expect(mine.total).toBeGreaterThan(0);
    expect(
      mine.items.every(
        (e: { actorId: number; actorName: string }) => e.actorId === office.userId && e.actorName === 'audit_office',
      ),
    ).toBe(true);
    expect((await admin.get('/api/audit?actorId=999999')).json()).toEqual({
      total: 0,
      totalCapped: false,
      hasMore: false,
      items: [],
    });
    const byName = (await admin.get('/api/audit?actorName=audit_office')).json();
    expect(byName.total).toBe(mine.total);
    expect(
      (await admin.get('/api/audit?actorName=system'))
        .json()
        .items.every((e: { actorName: string }) => e.actorName === 'system'),
    ).toBe(true);
  });

  it('filters by date range (district dates)', async () => {
    const today = (await admin.get(`/api/audit?from=${dayInChina()}&to=${dayInChina()}&limit=500`)).json();
    expect(today.total).toBe(await count());
    expect((await admin.get(`/api/audit?to=${dayInChina(-1)}`)).json().total).toBe(0);
    expect((await admin.get(`/api/audit?from=${dayInChina(1)}`)).json().total).toBe(0);
    const bad = await admin.get('/api/audit?from=2026-13-45');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('from');
  });

  it('refuses bad paging with 400 naming the field', async () => {
    expect((await admin.get('/api/audit?limit=0')).json().error.field).toBe('limit');
    expect((await admin.get('/api/audit?limit=100000')).json().error.field).toBe('limit');
    expect((await admin.get('/api/audit?offset=-1')).json().error.field).toBe('offset');
    expect((await admin.get('/api/audit?actorId=abc')).json().error.field).toBe('actorId');
  });
});

describe('the database refuses to change audit entries', () => {
  it('refuses a plain UPDATE and DELETE', async () => {
    const [{ id }] = await env.database.query<{ id: number }>('SELECT min(id)::int AS id FROM audit_entries');
    await expect(
      env.database.query(`UPDATE audit_entries SET actor_name = 'mallory' WHERE id = $1`, [id]),
    ).rejects.toThrow(/append-only/);
    await expect(env.database.query('DELETE FROM audit_entries WHERE id = $1', [id])).rejects.toThrow(/append-only/);
    await expect(env.database.query('DELETE FROM audit_entries')).rejects.toThrow(/append-only/);
    expect(
      (await env.database.query<{ actor_name: string }>('SELECT actor_name FROM audit_entries WHERE id = $1', [id]))[0]
        .actor_name,
    ).not.toBe('mallory');
  });
});

// These run last: they break the chain of this file's database on purpose.
describe('verification of the hash chain', () => {
  it('reports an intact chain over HTTP and from the CLI function', async () => {
    const total = await count();
    const res = await admin.get('/api/audit/verify');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ checked: total, ok: true, broken: null });
    expect(await verifyAuditDatabase(env.database, AUDIT)).toEqual({
      exitCode: 0,
      message: `audit chain OK: ${total} entries; WARNING: no checkpoint file ${AUDIT.checkpointFile}: a cut-off tail cannot be detected`,
    });
  });

  it('finds a row altered by hand, over HTTP and from the CLI function', async () => {
    const ids = (await env.database.query<{ id: number }>('SELECT id::int AS id FROM audit_entries ORDER BY id')).map(
      (r) => r.id,
    );
    const victim = ids[Math.floor(ids.length / 2)];
    await env.database.exec(`
      ALTER TABLE audit_entries DISABLE TRIGGER USER;
      UPDATE audit_entries SET after = '{"x":1}' WHERE id = ${victim};
      ALTER TABLE audit_entries ENABLE TRIGGER USER;`);
    const res = (await office.get('/api/audit/verify')).json();
    expect(res.ok).toBe(false);
    expect(res.broken).toEqual({ id: victim, reason: 'hash does not match the entry contents' });
    expect(res.checked).toBe(ids.indexOf(victim));
    const cli = await verifyAuditDatabase(env.database, AUDIT);
    expect(cli.exitCode).not.toBe(0);
    expect(cli.message).toBe(`audit chain BROKEN at entry ${victim}: hash does not match the entry contents`);
  });
});

describe('the audit:verify command', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'xn-audit-verify-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const capture = () => {
    const lines: { log: string[]; error: string[] } = { log: [], error: [] };
    return { lines, out: { log: (l: string) => lines.log.push(l), error: (l: string) => lines.error.push(l) } };
  };

  it('verifies a PGlite data folder, then releases the folder lock', async () => {
    const dataDir = tempDir();
    const db = await openPglite({ dataDir: path.join(dataDir, 'pglite') });
    await migrate(db);
    await db.db.transaction((tx) =>
      recordAudit(tx, SYSTEM_ACTOR, [
        { action: 'x.a', entityType: 'x' },
        { action: 'x.b', entityType: 'x' },
      ]),
    );
    await db.close();
    const { lines, out } = capture();
    expect(await runAuditVerify({ DATA_DIR: dataDir, AUDIT_KEY }, out)).toBe(0);
    expect(lines.log).toEqual([
      `audit chain OK: 2 entries; WARNING: no checkpoint file ${path.join(dataDir, 'audit-checkpoints.jsonl')}: a cut-off tail cannot be detected`,
    ]);
    expect(existsSync(path.join(dataDir, 'audit-key'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'xiaoneng.lock'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'session-secret'))).toBe(false);
  }, 60_000);

  it('refuses a folder a running server holds, leaving its lock alone', async () => {
    const dataDir = tempDir();
    mkdirSync(path.join(dataDir, 'pglite'));
    writeFileSync(path.join(dataDir, 'pglite', 'PG_VERSION'), '18');
    // The parent process (the test runner) stands in for a live server.
    writeFileSync(path.join(dataDir, 'xiaoneng.lock'), String(process.ppid));
    const { lines, out } = capture();
    expect(await runAuditVerify({ DATA_DIR: dataDir, AUDIT_KEY }, out)).toBe(1);
    expect(lines.error.join('\n')).toMatch(/in use by another Xiaoneng (server|process)/);
    expect(existsSync(path.join(dataDir, 'xiaoneng.lock'))).toBe(true);
  });

  it('fails clearly when there is no database', async () => {
    const { lines, out } = capture();
    expect(await runAuditVerify({ DATA_DIR: path.join(tempDir(), 'empty'), AUDIT_KEY }, out)).toBe(1);
    expect(lines.error.join('\n')).toMatch(/no database/);
  });
});
