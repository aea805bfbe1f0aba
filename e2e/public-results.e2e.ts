import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, shot } from './browser.js';

/*
 * 绩效结果公开: anyone, without an account, opens the published annual results from the login page's
 * link and reads the rankings the office published (the demo publishes 2025's), on a phone.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

type PublicYear = { yearId: number; year: number; name: string };
type PublicScores = {
  windowLabel: string;
  categories: { name: string; rows: { rank: number; unitName: string; total: number; grade: string | null }[] }[];
};

describe('public results page', () => {
  it('shows the published annual rankings by category, as the API gives them', async () => {
    const page = await newPage(browser, { mobile: true });
    await page.goto('/login');
    await page.getByRole('link', { name: '绩效结果公开' }).click();
    await page.waitForURL('**/public/results');
    await page.getByText('汉江区绩效考评结果公开').waitFor();

    const years = (await page.evaluate(async () => (await fetch('/api/public/scores')).json())) as PublicYear[];
    const y2025 = years.find((y) => y.year === 2025);
    expect(y2025, 'the demo publishes 2025').toBeDefined();
    const data = (await page.evaluate(
      async (id) => (await fetch(`/api/public/scores/${id}`)).json(),
      y2025!.yearId,
    )) as PublicScores;
    expect(data.categories.length).toBeGreaterThan(1);

    // The newest published year is chosen; each category is a card whose table lists its units in rank order.
    await page.getByLabel('考核年度').waitFor();
    await page.locator('.ant-select', { hasText: y2025!.name }).waitFor();
    for (const c of data.categories) {
      const card = page.locator('.ant-card', { has: page.locator('.ant-card-head-title', { hasText: c.name }) });
      const rows = card.locator('tbody tr.ant-table-row');
      await expect.poll(() => rows.count()).toBe(c.rows.length);
      const first = rows.first().locator('td');
      expect(await first.nth(0).innerText()).toBe(String(c.rows[0].rank));
      expect(await first.nth(1).innerText()).toBe(c.rows[0].unitName);
      expect(await first.nth(2).innerText()).toBe(c.rows[0].total.toFixed(2));
    }
    expect(await page.getByText(`· ${data.windowLabel}`).count()).toBe(1);
    // Nobody is signed in: the page needs no session and shows no menu.
    expect(await page.getByTestId('user-menu').count()).toBe(0);
    await shot(page, 'public-results-mobile');
  });
});
