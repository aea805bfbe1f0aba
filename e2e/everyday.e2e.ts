import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTable } from '../server/src/lib/xlsx-table.js';
import { baseUrl, launch, login, shot } from './browser.js';

/*
 * Everyday screens at 1366×768 (issue 15): the ranking exported to Excel, a unit's score as printed
 * (print media: content without the menu), the office review queue's filters, the 404 page, and no
 * 401 in the console of the login and public pages.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

async function page1366(): Promise<Page> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    locale: 'zh-CN',
    viewport: { width: 1366, height: 768 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

describe('everyday screens at 1366×768', () => {
  it('the office exports the ranking: the file holds the rows the page shows', async () => {
    const page = await page1366();
    await login(page, 'office');
    await page.goto('/performance/scores');
    await page.getByTestId('score-table').first().waitFor();
    await shot(page, 'everyday-ranking');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('score-export').click()]);
    const file = await download.path();
    const x = await readTable(readFileSync(file!));
    expect(x.headers.slice(0, 5)).toEqual(['类别', '名次', '同类单位数', '单位', '总分']);
    // The same rows as the API's ranking for the same filters (the page's year to date).
    const url = new URL(download.url());
    const table = (await (await page.request.get(`/api/scores?${url.searchParams.toString()}`)).json()) as {
      rows: { unitName: string }[];
    };
    expect(x.rows.length).toBe(table.rows.length);
    expect(new Set(x.rows.map((r) => r[3]))).toEqual(new Set(table.rows.map((r) => r.unitName)));
  });

  it("a unit's score prints as content on paper, without the menu", async () => {
    const page = await page1366();
    await login(page, 'office');
    await page.goto('/performance/scores/unit');
    await page.getByTestId('score-unit-tree').waitFor();
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.ant-layout-sider').isVisible()).toBe(false);
    expect(await page.locator('.ant-layout-header').isVisible()).toBe(false);
    expect(await page.getByTestId('score-unit-print').isVisible()).toBe(false);
    expect(await page.locator('.xn-print-title').isVisible()).toBe(true);
    await shot(page, 'everyday-unit-score-print');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.length).toBeGreaterThan(10_000);
  });

  it('the office filters the review queue by unit and search', async () => {
    const page = await page1366();
    await login(page, 'office');
    await page.goto('/reporting/review');
    const count = page.getByTestId('bulk-accept-count');
    await count.waitFor();
    await page.getByTestId('bulk-accept-table').waitFor();
    const total = async () => Number((await count.textContent())!.replace(/\D+/g, ''));
    await expect.poll(total, { timeout: 30_000 }).toBeGreaterThan(0);
    const all = await total();
    await shot(page, 'everyday-review-queue');
    // Pick the unit of the first row (a unit with items in the queue): fewer rows, all of that unit.
    const unitName = (await page
      .locator('[data-testid="bulk-accept-table"] tbody tr.ant-table-row td:nth-child(2)')
      .first()
      .textContent())!.trim();
    await page.getByTestId('bulk-accept-unit').click();
    await page.keyboard.type(unitName);
    const option = page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: new RegExp(`^${unitName}$`) })
      .first();
    await option.click();
    await expect.poll(total, { timeout: 20_000 }).toBeLessThan(all);
    const names = await page.locator('[data-testid="bulk-accept-table"] tbody tr td:nth-child(2)').allTextContents();
    expect(names.every((n) => n.includes(unitName))).toBe(true);
    await page.getByTestId('bulk-accept-select-all').click();
    const n = await total();
    await expect
      .poll(async () => await page.getByTestId('bulk-accept').textContent(), { timeout: 10_000 })
      .toContain(`（${n}）`);
    await shot(page, 'everyday-review-queue-unit');
  });

  it('an unknown address shows the 404 page; login and public pages log no 401', async () => {
    const page = await page1366();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto('/login');
    await page.getByLabel('用户名').waitFor();
    await page.goto('/public/results');
    await page.waitForLoadState('networkidle');
    expect(errors.filter((e) => e.includes('401'))).toEqual([]);
    await login(page, 'office');
    await page.goto('/no-such-page');
    await page.getByTestId('not-found').waitFor();
    await shot(page, 'everyday-404');
  });

  it("an explanation's data source is a link to the record behind it (here the evaluation campaign)", async () => {
    const page = await page1366();
    await login(page, 'office');
    const api = <T>(url: string) => page.evaluate(async (u) => (await fetch(u)).json(), url) as Promise<T>;
    const street = (await api<{ id: number; name: string }[]>('/api/units')).find((u) => u.name === '汉正街街道')!;
    const year = (await api<{ id: number; year: number; kind?: string }[]>('/api/years')).find(
      (y) => y.year === 2026 && (y.kind ?? 'annual') === 'annual',
    )!;
    const leaf = (await api<{ id: number; code: string }[]>(`/api/years/${year.id}/indicators`)).find(
      (i) => i.code === 'C3_01',
    )!;
    await page.goto(`/performance/scores/unit/${street.id}?year=${year.id}&explain=${leaf.id}`);
    // The months before the campaign came from the third party's submissions; the campaign's month links to it.
    const links = page.getByTestId('explain-inputs').getByTestId('explain-source-link');
    await links.first().waitFor();
    const texts = await links.allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    for (const x of texts) expect(x).toMatch(/^(评议活动 #\d+ 结果|报送单 #\d+(（第 \d+ 次修订）)?)$/);
    const link = links.filter({ hasText: '评议活动' }).first();
    await shot(page, 'everyday-explanation-source');
    await link.click();
    await page.waitForURL(/\/evaluation\/campaigns\/\d+\/results$/);
    await page.getByText('汉正街街道').first().waitFor();
  });
});
