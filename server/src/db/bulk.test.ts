import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../test/helpers.js';
import { auditEntries } from '../modules/audit/audit.table.js';
import { caseEvents } from '../modules/cases/cases.table.js';
import { smsOutbox } from '../platform/sms/sms.table.js';
import { insertMany } from './bulk.js';
import type { Database } from './client.js';

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('insertMany', () => {
  it('stores the same rows as a VALUES insert: text with quotes, jsonb, timestamps, nulls and defaults', async () => {
    const at = new Date('2026-11-23T08:15:30.123Z');
    const rows: (typeof smsOutbox.$inferInsert)[] = [
      {
        phone: '13900001111',
        template: 'acceptance',
        params: { number: 'HJ\'1"', n: 3, q: '\\ $1 \u4e2d' },
        body: '您的诉求已受理 \\ \'"$1',
      },
      { phone: '13900002222', template: 'completion', params: {}, body: 'x', caseId: null, nextAttemptAt: at },
    ];
    // nextAttemptAt has a default and is missing from the first row: refused rather than stored as NULL.
    await expect(insertMany(database.db, smsOutbox, rows)).rejects.toThrow(/nextAttemptAt has a default/);
    const [a, b] = rows.map((r) => ({ ...r, nextAttemptAt: at }));
    const ids = await insertMany(database.db, smsOutbox, [a, b], ['id']);
    expect(ids.map((r) => typeof r.id)).toEqual(['number', 'number']);
    expect(ids[1].id).toBeGreaterThan(ids[0].id);
    const stored = await database.db
      .select()
      .from(smsOutbox)
      .where(
        inArray(
          smsOutbox.id,
          ids.map((r) => r.id),
        ),
      )
      .orderBy(smsOutbox.id);
    expect(
      stored.map((s) => [
        s.phone,
        s.template,
        s.params,
        s.body,
        s.caseId,
        s.nextAttemptAt.toISOString(),
        s.status,
        s.attempts,
      ]),
    ).toEqual([
      ['13900001111', 'acceptance', a.params, a.body, null, at.toISOString(), 'pending', 0],
      ['13900002222', 'completion', {}, 'x', null, at.toISOString(), 'pending', 0],
    ]);
  });

  it('returns the asked-for columns of each row in the order given, for many rows', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => ({
      caseId: 1_000_000 + i,
      type: i % 2 ? 'created' : 'dispatched',
      actorName: `人${i}`,
      actorRole: 'agent' as const,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      note: '',
      isPublic: false,
      publicText: '',
      payload: { i },
    }));
    // case_events.case_id references cases: check the ordering on a table without that constraint too.
    const out = await insertMany(
      database.db,
      auditEntries,
      rows.map((r, i) => ({
        at: r.at,
        actorName: r.actorName,
        action: `t.${i}`,
        entityType: 'x',
        before: null,
        after: { i, nested: { a: [1, null, "'"] } },
        prevHash: 'p',
        hash: `h${i}`,
      })),
      ['id', 'action'],
    );
    expect(out.map((r) => r.action)).toEqual(rows.map((_, i) => `t.${i}`));
    const back = await database.db
      .select({
        id: auditEntries.id,
        action: auditEntries.action,
        before: auditEntries.before,
        after: auditEntries.after,
      })
      .from(auditEntries)
      .where(eq(auditEntries.id, out[57].id));
    expect(back).toEqual([
      { id: out[57].id, action: 't.57', before: null, after: { i: 57, nested: { a: [1, null, "'"] } } },
    ]);
    // A JSON null is an SQL NULL, as with a VALUES insert.
    const [{ n }] = await database.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_entries WHERE id = $1 AND before IS NULL',
      [out[57].id],
    );
    expect(n).toBe(1);
    await expect(insertMany(database.db, caseEvents, rows.slice(0, 1))).rejects.toThrow(); // foreign key still checked
  });

  it('stores a lone UTF-16 surrogate as U+FFFD, as a bound parameter would, and refuses a NUL character', async () => {
    const [row] = await insertMany(
      database.db,
      smsOutbox,
      [{ phone: '1', template: 'acceptance', body: 'a\ud800b', params: { p: 'c\udc00' } }],
      ['id'],
    );
    const [stored] = await database.db.select().from(smsOutbox).where(eq(smsOutbox.id, row.id));
    expect(stored.body).toBe('a\ufffdb');
    expect(stored.params).toEqual({ p: 'c\ufffd' });
    await expect(
      insertMany(database.db, smsOutbox, [{ phone: '1', template: 'acceptance', body: 'a\u0000b' }]),
    ).rejects.toMatchObject({ cause: { code: expect.stringMatching(/^22/) } });
  });

  it('does nothing for no rows and refuses an unknown column', async () => {
    expect(await insertMany(database.db, smsOutbox, [], ['id'])).toEqual([]);
    await expect(
      insertMany(database.db, smsOutbox, [{ phone: '1', template: 'acceptance', body: 'b', nope: 1 } as never]),
    ).rejects.toThrow(/unknown column nope/);
  });
});
