import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const DEMO_PASSWORD = 'Xiaoneng@2026';
export const SHOTS = path.resolve('test-results');

/** Launches Debian's Chromium headless with the flags that work in this sandbox (Playwright gives it a fresh profile). */
export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function baseUrl(): string {
  return inject('baseUrl');
}

/** A new page in a fresh context (own cookies), 1440×900, Chinese. */
export async function newPage(browser: Browser, opts: { mobile?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    locale: 'zh-CN',
    viewport: opts.mobile ? { width: 390, height: 844 } : { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** Signs in through the login page and waits for the home page. */
export async function login(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('user-menu').waitFor();
}

/** A new page at 1366×768 (the office screen the e2e screenshots are taken at), signed in as `username`. */
export async function signedInPage(browser: Browser, username: string): Promise<Page> {
  const p = await newPage(browser);
  await p.setViewportSize({ width: 1366, height: 768 });
  await login(p, username);
  return p;
}

/** Saves a full-page screenshot under test-results/. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Picks the option of an antd Select whose text contains `text` (typing it first when `search`, so long
 * virtual lists show it) and waits until the select shows it. On a loaded machine a click can land while
 * the list is still animating and select nothing; then it tries again (a chosen option is never clicked
 * twice, so a multiple select is not toggled off).
 */
export async function pickOption(
  p: Page,
  testId: string,
  text: string,
  opts: { search?: boolean; multiple?: boolean } = {},
): Promise<void> {
  const select = p.getByTestId(testId).first();
  const shows = async () => (await select.innerText()).includes(text);
  const listOpen = async () => (await p.locator('.ant-select-dropdown:visible').count()) > 0;
  for (let attempt = 0; attempt < 4; attempt++) {
    await select.click();
    // The search box takes the text in one go (typed keys can land before the list has opened).
    if (opts.search) await select.locator('input').first().fill(text);
    try {
      await p
        .locator('.ant-select-dropdown:visible .ant-select-item-option')
        .filter({ hasText: text })
        .first()
        .click({ timeout: 5000 });
    } catch {
      // Close a list still open (Escape on a closed one would close the dialog around the select).
      if (await listOpen()) await p.keyboard.press('Escape');
      continue;
    }
    if (opts.multiple && (await listOpen())) await p.keyboard.press('Escape');
    for (let i = 0; i < 20; i++) {
      if (await shows()) return;
      await p.waitForTimeout(100);
    }
    if (await listOpen()) await p.keyboard.press('Escape');
  }
  throw new Error(`${testId}: the option ${text} could not be chosen`);
}

/** A JSON call from the signed-in page (session cookie and CSRF token, as the app sends them). */
export async function call<T>(
  page: Page,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  return page.evaluate(
    async ([m, u, b]) => {
      const s = (await (await fetch('/api/auth/session')).json()) as { me?: { csrfToken?: string } };
      const res = await fetch(u as string, {
        method: m as string,
        headers: {
          ...(b === undefined ? {} : { 'content-type': 'application/json' }),
          'x-csrf-token': s.me?.csrfToken ?? '',
        },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return { status: res.status, json: await res.json().catch(() => null) };
    },
    [method, url, body] as const,
  ) as Promise<{ status: number; json: T }>;
}
