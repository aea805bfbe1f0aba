import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newPage, shot } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

describe('login', () => {
  it('shows a Chinese login page and refuses a wrong password', async () => {
    const page = await newPage(browser);
    await page.goto('/');
    await page.waitForURL(/\/login/);
    await expect(page.getByText('汉江区政府绩效管理与公共服务平台')).toBeTruthy();
    // The demo says it is one: its passwords are public.
    expect(await page.getByTestId('demo-banner').textContent()).toContain('演示');
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill('wrong-password1');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText('用户名或密码错误').waitFor();
    await shot(page, 'login-error');
    await page.context().close();
  });

  it.each([
    ['admin', '系统管理员', '单位管理'],
    ['office', '绩效办', '考核年度'],
    ['agent', '受理派单员', '受理台'],
    ['cgj_handler', '承办员', '我的待办'],
    ['leader', '区主要领导', '工作台'],
  ])('%s lands on a home page for the role', async (username, roleLabel, menuText) => {
    const page = await newPage(browser);
    await login(page, username);
    await page.getByTestId('home-title').waitFor();
    expect(await page.getByText(roleLabel).first().isVisible()).toBe(true);
    expect(
      await page
        .getByRole('menuitem', { name: new RegExp(menuText) })
        .first()
        .isVisible(),
    ).toBe(true);
    await shot(page, `home-${username}`);
    await page.context().close();
  });
});
