import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newPage, shot } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

describe('admin', () => {
  it('creates a user who can then sign in, and the change shows in the audit log', async () => {
    const page = await newPage(browser);
    await login(page, 'admin');
    await page.goto('/admin/users');
    await page.getByTestId('users-create').click();
    await page.getByTestId('user-form-username').fill('e2e_reporter');
    await page.getByTestId('user-form-displayName').fill('端到端填报员');
    await page.getByTestId('user-form-unit').click();
    await page.keyboard.type('区发展和改革委员会');
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '区发展和改革委员会' }).first().click();
    await page.getByTestId('user-form-roles').click();
    await page.keyboard.type('单位填报员');
    await page.keyboard.press('Enter');
    await page.locator('.ant-modal-title').click(); // closes the role dropdown
    await page.getByTestId('user-form-password').fill('Reporter2026');
    await shot(page, 'admin-user-form');
    await page.getByTestId('user-form-save').click();
    await page.locator('.ant-modal-content').waitFor({ state: 'hidden' });
    await page.getByTestId('users-search').locator('input').fill('e2e_reporter');
    await page.getByTestId('users-search').locator('button.ant-input-search-btn, button.ant-input-search-button').last().click();
    await shot(page, 'admin-users');
    await page.getByTestId('user-edit-e2e_reporter').waitFor();

    await page.goto('/admin/audit');
    await page.getByText('user.create').first().waitFor();
    await shot(page, 'admin-audit');
    await page.context().close();

    const other = await newPage(browser);
    await login(other, 'e2e_reporter', 'Reporter2026');
    expect(await other.getByTestId('home-title').textContent()).toContain('端到端填报员');
    await other.context().close();
  });

  it('shows the background jobs with their runs, and runs one on demand', async () => {
    const page = await newPage(browser);
    await page.setViewportSize({ width: 1366, height: 768 });
    await login(page, 'admin');
    await page.goto('/admin/jobs');
    for (const name of ['sms.send', 'casestats.sync', 'reporting.reminders']) await page.getByTestId(`job-${name}`).waitFor();
    await expect(page.getByTestId('jobs-table').textContent()).resolves.toContain('办件统计同步到考核数据');
    // The server's runner ran the periodic jobs at start-up: the SMS sender has a last run.
    await page.getByTestId('jobs-table').locator('tr', { hasText: 'sms.send' }).getByText('成功').waitFor();
    await page.getByTestId('job-run-casestats.sync').click();
    await page.getByText('已请求运行「办件统计同步到考核数据」').waitFor();
    await shot(page, 'admin-jobs');
    await page.context().close();
  });
});
