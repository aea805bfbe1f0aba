/**
 * The government-services journey on its own in-process server (the demo district's units and users, the
 * services catalogue and a few hundred applications), so the test can move the clock through the data:
 * an applicant files online on a phone for a parallel item → the window clerk accepts → two departments
 * review in parallel while one asks for 补正 → the applicant adds the material → approved and delivered →
 * the applicant tracks every step; on the way the 监察 monitor shows the application yellow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/src/app.js';
import { DEFAULT_SECURITY, type Config } from '../server/src/config.js';
import { openPglite, type Database } from '../server/src/db/client.js';
import { migrate } from '../server/src/db/migrate.js';
import { beijingDate } from '../server/src/engine/workdays.js';
import { lightsAndWarnings, seedServices } from '../server/src/modules/services/index.js';
import { DEMO_PASSWORD, seedFoundation } from '../server/src/modules/users/index.js';
import { launch, shot } from './browser.js';

let browser: Browser;
let app: FastifyInstance;
let database: Database;
let dir: string;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'xn-e2e-services-'));
  database = await openPglite({ dataDir: path.join(dir, 'db') });
  await migrate(database);
  const config = {
    port: 0,
    host: '127.0.0.1',
    dataDir: dir,
    dbKind: 'pglite',
    seedDemo: false,
    sessionSecret: 'e2e-services-secret-0123456789abcdef0123456789',
    security: DEFAULT_SECURITY,
    auditKey: Buffer.from('e2e-services-audit-key-0123456789abcdef0123456789'),
    auditCheckpointFile: path.join(dir, 'audit-checkpoints.jsonl'),
    auditCheckpointMinutes: 10,
    queryPepper: Buffer.from('e2e-services-query-pepper-0123456789abcdef012345'),
    sessionTtlHours: 12,
    logLevel: 'silent',
    smsProvider: 'log',
    maxUploadMb: 5,
    blobStore: 'fs',
  } as Config;
  app = await buildApp({ config, database, logger: false });
  await seedFoundation(database);
  await seedServices(database, { applications: 300 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function page(opts: { mobile?: boolean; user?: string } = {}): Promise<Page> {
  const context = await browser.newContext({
    baseURL: url,
    locale: 'zh-CN',
    viewport: opts.mobile ? { width: 390, height: 844 } : { width: 1366, height: 768 },
  });
  const p = await context.newPage();
  p.setDefaultTimeout(20_000);
  if (opts.user) {
    await p.goto('/login');
    await p.getByLabel('用户名').fill(opts.user);
    await p.getByLabel('密码').fill(DEMO_PASSWORD);
    await p.getByRole('button', { name: /登\s*录/ }).click();
    await p.getByTestId('user-menu').waitFor();
  }
  return p;
}

async function openApplication(p: Page, id: number) {
  await p.goto(`/services/applications/${id}`);
  await p.getByTestId('svc-detail').waitFor();
}

/** Signs for the user's open step, then approves it or asks for materials. */
async function handleStep(p: Page, id: number, then: 'approve' | 'correction') {
  await openApplication(p, id);
  const sign = p.locator('[data-testid^="svc-sign-"]').first();
  if (await sign.count()) {
    await sign.click();
    await p.locator('[data-testid^="svc-decide-"]').first().waitFor();
  }
  if (then === 'approve') {
    await p.locator('[data-testid^="svc-decide-"]').first().click();
  } else {
    await p.locator('[data-testid^="svc-correction-"]').first().click();
    await p.getByTestId('svc-materials').fill('门头招牌设置效果图及产权人同意书');
  }
  await p.getByTestId('svc-dialog-ok').click();
  await p.getByText('已办理').first().waitFor();
}

describe('government services journey', () => {
  it('files online for a parallel item → accepted → parallel review with 补正 → approved → tracked; monitor shows it yellow', async () => {
    // The applicant, on a phone: finds the item's guide and applies.
    const phone = await page({ mobile: true });
    await phone.goto('/public/services');
    await phone.getByPlaceholder('搜索事项名称').fill('餐饮店开办');
    await phone.getByPlaceholder('搜索事项名称').press('Enter');
    await phone.locator('.ant-list-item').filter({ hasText: '餐饮店开办' }).first().getByText('办事指南').click();
    await phone.getByTestId('item-guide').waitFor();
    await shot(phone, 'services-public-guide-phone');
    await phone.getByRole('button', { name: '网上申报' }).click();
    await phone.getByTestId('apply-form').waitFor();
    await phone.getByTestId('apply-name').fill('王老板');
    await phone.getByTestId('apply-phone').fill('13812345678');
    await phone.locator('input[type=file]').setInputFiles({
      name: '申请表.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
    });
    await shot(phone, 'services-apply-phone');
    await phone.getByTestId('apply-submit').click();
    await phone.getByTestId('apply-done').waitFor();
    const number = (await phone.getByTestId('apply-number').innerText()).trim();
    const password = (await phone.getByTestId('apply-password').innerText()).trim();
    expect(password).toMatch(/^\d{6}$/);
    await shot(phone, 'services-apply-done-phone');
    const [{ id }] = await database.query<{ id: number }>(
      'SELECT id::int AS id FROM service_applications WHERE number = $1',
      [number],
    );

    // The window clerk accepts it from the desk.
    const clerk = await page({ user: 'window' });
    await clerk.goto('/services/desk');
    await clerk.getByText(number).first().waitFor();
    await shot(clerk, 'services-window-desk');
    await clerk.getByText(number).first().click();
    await clerk.getByTestId('svc-accept').click();
    await clerk.getByTestId('svc-status').filter({ hasText: '审批中' }).waitFor();

    // The clock moves (via the data): the application has used 90 % of its committed time.
    const today = beijingDate(new Date());
    await database.query('UPDATE service_applications SET yellow_on = $2 WHERE id = $1', [id, today]);
    await lightsAndWarnings(database.db, today);
    const sup = await page({ user: 'supervisor' });
    await sup.goto('/services/monitor');
    await sup.getByTestId('monitor-count-yellow').click();
    await sup.getByText(number).first().waitFor();
    const row = sup.locator('tr').filter({ hasText: number });
    await expect(row.getByTestId('svc-light-yellow').count()).resolves.toBeGreaterThan(0);
    await shot(sup, 'services-monitor-yellow');

    // Two departments review in parallel: 市场监管 approves while 城管 asks for 补正.
    const sjj = await page({ user: 'sjj_handler' });
    const cgj = await page({ user: 'cgj_handler' });
    await cgj.goto('/services/inbox');
    await cgj.getByText(number).first().waitFor();
    await shot(cgj, 'services-department-inbox');
    await handleStep(cgj, id, 'correction');
    await handleStep(sjj, id, 'approve');
    await shot(sjj, 'services-detail-parallel-correction');

    // The applicant sees the request and sends the material.
    await phone.goto(`/public/services/track?number=${number}`);
    await phone.getByTestId('track-password').fill(password);
    await phone.getByTestId('track-submit').click();
    await phone.getByTestId('track-correction').waitFor();
    await shot(phone, 'services-track-correction-phone');
    await phone.locator('input[type=file]').setInputFiles({
      name: '招牌效果图.png',
      mimeType: 'image/png',
      buffer: Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'),
    });
    await phone.getByTestId('supplement-submit').click();
    await phone.getByTestId('track-correction').waitFor({ state: 'detached' });

    // 城管 approves, 市场监管 decides, the window delivers.
    await handleStep(cgj, id, 'approve');
    await handleStep(sjj, id, 'approve');
    await openApplication(clerk, id);
    await clerk.getByTestId('svc-deliver').click();
    await clerk.getByTestId('svc-status').filter({ hasText: '已办结' }).waitFor();
    await shot(clerk, 'services-detail-completed');

    // The applicant tracks every step: officials, times, working days used.
    await phone.goto(`/public/services/track?number=${number}`);
    await phone.getByTestId('track-password').fill(password);
    await phone.getByTestId('track-submit').click();
    await phone.getByTestId('track-status').filter({ hasText: '已办结' }).waitFor();
    const text = await phone.getByTestId('track-steps').innerText();
    expect(text).toContain('彭承办');
    expect(text).toContain('马承办');
    expect(text).toContain('黄窗口');
    expect(text).toMatch(/用时 \d+ \/ 时限 \d+/);
    expect(await phone.getByTestId('track-result').innerText()).not.toContain('13812345678');
    await shot(phone, 'services-track-completed-phone');
    // … and rates it there (好差评), signed in by number + password instead of the SMS link.
    await phone.getByTestId('rate-level-basic').click();
    await phone.getByTestId('rate-comment').fill('材料一次告知不够清楚');
    await shot(phone, 'services-track-rating-phone');
    await phone.getByTestId('rate-submit').click();
    await phone.getByTestId('track-rated').filter({ hasText: '基本满意' }).waitFor();
    const [rated] = await database.query<{ level: string }>(
      `SELECT level FROM service_ratings WHERE subject_kind = 'application' AND subject_ref = $1`,
      [number],
    );
    expect(rated.level).toBe('basic');

    // The figures page with its chart.
    const office = await page({ user: 'office' });
    await office.goto('/services/figures');
    await office.getByTestId('figures-chart').waitFor();
    await office.locator('.ant-table-row').first().waitFor();
    await shot(office, 'services-figures');
    await office.goto('/services/items');
    await office.locator('.ant-table-row').first().waitFor();
    await shot(office, 'services-catalogue');
  });
});
