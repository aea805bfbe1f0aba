import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Database } from './client.js';
import { migrate } from './migrate.js';

// Upgrades from an earlier version, on a fresh empty PGlite (the suite's template is already migrated).
let database: Database;
beforeAll(async () => {
  database = await openPglite({});
});
afterAll(async () => {
  await database.close();
});

describe('migration 0012: reporting SMS reminders move to the SMS outbox', () => {
  it('moves the last day’s pending reminder SMS to sms_outbox and drops notification_outbox', async () => {
    await migrate(database, { through: '0011_audit_append.sql' });
    await database.exec(`INSERT INTO notification_outbox (channel, recipient, body, status, created_at) VALUES
      ('sms', '13900000001', '【效能】测试单位还有 2 项指标的 2026-10 数据未提交，请在 2026-11-16 前完成填报。', 'pending', now() - interval '2 hours'),
      ('sms', '13900000002', '【效能】很久以前的提醒', 'pending', now() - interval '40 days'),
      ('sms', '13900000003', '【效能】已发送的提醒', 'sent', now() - interval '1 hour'),
      ('email', 'a@example.cn', '邮件提醒', 'pending', now() - interval '1 hour')`);
    expect(await migrate(database)).toContain('0012_sms_reminders.sql');
    const moved = await database.query<{
      phone: string;
      template: string;
      params: { text: string };
      body: string;
      status: string;
      case_id: number | null;
    }>('SELECT phone, template, params, body, status, case_id FROM sms_outbox ORDER BY id');
    expect(moved).toEqual([
      {
        phone: '13900000001',
        template: 'reporting_reminder',
        params: { text: '测试单位还有 2 项指标的 2026-10 数据未提交，请在 2026-11-16 前完成填报。' },
        body: '【效能】测试单位还有 2 项指标的 2026-10 数据未提交，请在 2026-11-16 前完成填报。',
        status: 'pending',
        case_id: null,
      },
    ]);
    const [{ t }] = await database.query<{ t: string | null }>(`SELECT to_regclass('notification_outbox')::text AS t`);
    expect(t).toBeNull();
  });
});
