import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newPage, shot } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

describe('admin', () => {
  it('三员: the system admin creates an account, the security admin grants its role, the auditor sees both; the user must change the password', async () => {
    const page = await newPage(browser);
    await login(page, 'admin');
    await page.goto('/admin/users');
    await page.getByTestId('users-create').click();
    await page.getByTestId('user-form-username').fill('e2e_reporter');
    await page.getByTestId('user-form-displayName').fill('端到端填报员');
    await page.getByTestId('user-form-unit').click();
    await page.keyboard.type('区发展和改革委员会');
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '区发展和改革委员会' }).first().click();
    // Roles are not the system admin's to grant.
    expect(await page.getByTestId('user-form-roles').getAttribute('class')).toContain('disabled');
    await page.getByTestId('user-form-password').fill('Reporter-2026');
    await shot(page, 'admin-user-form');
    await page.getByTestId('user-form-save').click();
    await page.locator('.ant-modal-content').waitFor({ state: 'hidden' });
    await page.getByTestId('users-search').locator('input').fill('e2e_reporter');
    await page
      .getByTestId('users-search')
      .locator('button.ant-input-search-btn, button.ant-input-search-button')
      .last()
      .click();
    await page.getByTestId('user-edit-e2e_reporter').waitFor();
    await shot(page, 'admin-users');
    await page.context().close();

    const sec = await newPage(browser);
    await login(sec, 'secadmin');
    await sec.goto('/admin/users');
    await sec.getByTestId('users-search').locator('input').fill('e2e_reporter');
    await sec.getByTestId('users-search').locator('input').press('Enter');
    await sec.getByTestId('user-edit-e2e_reporter').click();
    await sec.getByTestId('user-form-roles').click();
    await sec.keyboard.type('单位填报员');
    await sec.keyboard.press('Enter');
    await sec.locator('.ant-modal-title').click(); // closes the role dropdown
    await shot(sec, 'secadmin-user-roles');
    await sec.getByTestId('user-form-save').click();
    await sec.locator('.ant-modal-content').waitFor({ state: 'hidden' });
    await sec.context().close();

    const auditor = await newPage(browser);
    await login(auditor, 'auditor');
    await auditor.goto('/admin/audit');
    await auditor.getByText('user.roles_changed').first().waitFor();
    await auditor.getByText('user.create').first().waitFor();
    await shot(auditor, 'admin-audit');
    await auditor.context().close();

    const other = await newPage(browser);
    await other.goto('/login');
    await other.getByLabel('用户名').fill('e2e_reporter');
    await other.getByLabel('密码').fill('Reporter-2026');
    await other.getByRole('button', { name: /登\s*录/ }).click();
    await other.getByTestId('pw-current').fill('Reporter-2026');
    await shot(other, 'forced-password-change');
    await other.getByTestId('pw-new').fill('My-own-pass-2026');
    await other.getByTestId('pw-confirm').fill('My-own-pass-2026');
    await other.getByTestId('pw-submit').click();
    await other.getByTestId('user-menu').waitFor();
    expect(await other.getByTestId('home-title').textContent()).toContain('端到端填报员');
    await other.context().close();
  });

  it('shows the background jobs with their runs, and runs one on demand', async () => {
    const page = await newPage(browser);
    await page.setViewportSize({ width: 1366, height: 768 });
    await login(page, 'admin');
    await page.goto('/admin/jobs');
    for (const name of ['sms.send', 'casestats.sync', 'reporting.reminders'])
      await page.getByTestId(`job-${name}`).waitFor();
    await expect(page.getByTestId('jobs-table').textContent()).resolves.toContain('办件统计同步到考核数据');
    // The server's runner ran the periodic jobs at start-up: the SMS sender has a last run.
    await page.getByTestId('jobs-table').locator('tr', { hasText: 'sms.send' }).getByText('成功').waitFor();
    await page.getByTestId('job-run-casestats.sync').click();
    await page.getByText('已请求运行「办件统计同步到考核数据」').waitFor();
    await shot(page, 'admin-jobs');
    await page.context().close();
  });
});
