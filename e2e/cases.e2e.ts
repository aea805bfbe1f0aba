import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newPage, shot } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

type Detail = { id: number; number: string; status: string; actions: string[] };

const getJson = <T>(page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).json(), url) as Promise<T>;

/** Opens the case page and runs one action from its action bar (with its modal when it has one). */
async function act(page: Page, id: number, action: string, fill?: (page: Page) => Promise<void>) {
  await page.goto(`/cases/${id}`);
  await page.getByTestId(`case-action-${action}`).click();
  if (fill) {
    await page.getByTestId(`action-form-${action}`).waitFor();
    await fill(page);
    await page.getByTestId('case-action-submit').click();
    await page.getByTestId(`action-form-${action}`).waitFor({ state: 'hidden' });
  }
}

async function statusOf(page: Page, id: number): Promise<string> {
  return (await getJson<Detail>(page, `/api/cases/${id}`)).status;
}

/** Waits until every chart canvas on the page stops changing (ECharts' entry animation is over). */
async function chartsSettled(page: Page) {
  // A string, evaluated in the page: the e2e files are type-checked without the DOM library.
  const snapshot = () =>
    page.evaluate<string>(
      `[...document.querySelectorAll('[data-testid$="-chart"] canvas')].map((c) => c.toDataURL()).join('|')`,
    );
  let last = '';
  await expect
    .poll(
      async () => {
        const now = await snapshot();
        const same = now === last;
        last = now;
        return same;
      },
      { timeout: 10_000, interval: 300 },
    )
    .toBe(true);
}

async function expectStatus(page: Page, id: number, status: string) {
  await expect.poll(() => statusOf(page, id), { timeout: 10_000 }).toBe(status);
}

describe('public service journey', () => {
  it('citizen submits → agent dispatches → handler signs and reports → agent verifies → citizen rates unsatisfied → redo → closed', async () => {
    // 1. A citizen files a request on the public page (phone-sized), no login.
    const citizen = await newPage(browser, { mobile: true });
    await citizen.goto('/public/submit');
    // The category: the phone's own pickers (native selects), main category then sub-category.
    // Its label carries the red required mark like the other required fields.
    await expect
      .poll(() => citizen.locator('label[title="问题分类"].ant-form-item-required').count(), { timeout: 10_000 })
      .toBe(1);
    await citizen.getByTestId('public-category').selectOption({ label: '市容环卫' });
    await citizen.getByTestId('public-category-1').selectOption({ index: 1 });
    await citizen
      .getByTestId('public-description')
      .fill('汉正街长堤街社区门口垃圾堆放三天无人清运，气味很大，请尽快处理。');
    await citizen.getByTestId('public-address').fill('汉正街街道长堤街社区12号门口');
    // A photo from the phone: a thumbnail with a remove button; the second one is removed again.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    await citizen.getByTestId('public-photo').setInputFiles([
      { name: 'site.png', mimeType: 'image/png', buffer: png },
      { name: 'site2.png', mimeType: 'image/png', buffer: png },
    ]);
    await expect.poll(() => citizen.getByTestId('public-photo-item').count()).toBe(2);
    await citizen.getByTestId('public-photo-item').nth(1).getByRole('button').click();
    await expect.poll(() => citizen.getByTestId('public-photo-item').count()).toBe(1);
    // The citizens' pages come from their own entry (public.html), without the console's code.
    expect(await citizen.title()).toBe('汉江区公共服务');
    await shot(citizen, 'cases-0-public-form');
    await citizen.getByTestId('public-submit').click();
    await citizen.getByTestId('public-created').waitFor();
    const number = (await citizen.getByTestId('public-number').textContent())!.trim();
    const password = (await citizen.getByTestId('public-password').textContent())!.trim();
    expect(number).toMatch(/^HJ\d{13}$/);
    expect(password).toMatch(/^\d{6}$/);
    // The number stays on one line inside the 390 px screen (it used to wrap).
    const numberBox = (await citizen.evaluate(
      `(() => { const el = document.querySelector('[data-testid="public-number"]'); const r = el.getBoundingClientRect();
        return { right: r.right, height: r.height, lineHeight: parseFloat(getComputedStyle(el).lineHeight), width: innerWidth }; })()`,
    )) as { right: number; height: number; lineHeight: number; width: number };
    expect(numberBox.right).toBeLessThanOrEqual(numberBox.width);
    expect(numberBox.height).toBeLessThan(numberBox.lineHeight * 1.5);
    await shot(citizen, 'cases-1-public-submitted');

    // 2. The agent finds it and dispatches it to the city-management bureau.
    const agent = await newPage(browser);
    await login(agent, 'agent');
    const found = await getJson<{ items: Detail[] }>(agent, `/api/cases?q=${number}`);
    const id = found.items[0].id;
    const filed = await getJson<{ attachments: { filename: string; mime: string }[] }>(agent, `/api/cases/${id}`);
    expect(filed.attachments.map((a) => [a.filename, a.mime])).toEqual([['site.png', 'image/png']]);
    // The console lists the citizens' own submissions waiting for dispatch, newest first, with their count.
    await agent.goto('/cases/console');
    const feed = agent.getByTestId('console-web-queue');
    await feed.getByTestId(`console-web-${id}`).waitFor();
    const waiting = async (channel: string) =>
      (await getJson<{ total: number }>(agent, `/api/cases?awaiting=dispatch&channel=${channel}&pageSize=1`)).total;
    expect(Number(await feed.getByTestId('console-web-count').textContent())).toBe(
      (await waiting('web')) + (await waiting('open311')),
    );
    await shot(agent, 'cases-2-console-web-queue');
    await act(agent, id, 'dispatch', async (p) => {
      await p.getByTestId('dispatch-lead').click();
      await p.keyboard.type('城市管理执法局');
      await p.keyboard.press('Enter');
    });
    await expectStatus(agent, id, 'dispatched');
    await shot(agent, 'cases-2-dispatched');

    // 3. The department's handler signs for it, starts and reports the result.
    const handler = await newPage(browser);
    await login(handler, 'cgj_handler');
    await handler.goto('/cases/inbox');
    await handler.getByTestId('inbox-table').getByText(number).waitFor();
    await shot(handler, 'cases-3-inbox');
    await act(handler, id, 'sign');
    await expectStatus(handler, id, 'signed');
    await act(handler, id, 'start');
    await expectStatus(handler, id, 'in_progress');
    await act(handler, id, 'report', async (p) => {
      await p.getByTestId('action-result').fill('已安排环卫班组当日清运，并在社区门口增设垃圾桶两个。');
    });
    await expectStatus(handler, id, 'reported');

    // 4. The agent verifies the result; the citizen is asked for feedback.
    await act(agent, id, 'verify', async (p) => {
      await p.getByTestId('action-ok-yes').click();
      await p.getByTestId('action-note').fill('电话核实已清运。');
    });
    await expectStatus(agent, id, 'verified');

    // 5. The citizen tracks it and rates the result unsatisfied.
    await citizen.goto('/public/track');
    await citizen.getByTestId('track-number').fill(number);
    await citizen.getByTestId('track-password').fill(password);
    await citizen.getByTestId('track-submit').click();
    await citizen.getByTestId('track-rate').waitFor();
    await citizen.getByTestId('track-rating-unsatisfied').click();
    await citizen.getByTestId('track-comment').fill('只清运了一次，第二天又堆满了。');
    await citizen.getByTestId('track-rate-submit').click();
    await expectStatus(agent, id, 'review');
    await shot(citizen, 'cases-4-track-unsatisfied');

    // 6. Professional review finds the result unqualified: the case goes back for redo.
    await act(agent, id, 'review', async (p) => {
      await p.getByTestId('action-qualified-no').click();
      await p.getByTestId('action-note').fill('经专业评价，未从根本上解决，退回重办。');
    });
    await expect.poll(() => statusOf(agent, id)).not.toBe('review');

    // 7. The handler handles it again and reports; the agent verifies and the case closes.
    for (const a of ['sign', 'start'] as const) {
      const d = await getJson<Detail>(handler, `/api/cases/${id}`);
      if (d.actions.includes(a)) await act(handler, id, a);
    }
    await act(handler, id, 'report', async (p) => {
      await p.getByTestId('action-result').fill('已与物业签订每日清运协议，增设定时清运，连续三日复查无堆积。');
    });
    await expectStatus(handler, id, 'reported');
    await act(agent, id, 'verify', async (p) => {
      await p.getByTestId('action-ok-yes').click();
      await p.getByTestId('action-note').fill('复查无堆积。');
    });
    await expectStatus(agent, id, 'closed');
    await agent.goto(`/cases/${id}`);
    await agent.getByTestId('case-timeline').waitFor();
    await shot(agent, 'cases-5-detail-closed');

    // 8. The tracking page shows every step, without internal notes.
    await citizen.goto('/public/track');
    await citizen.getByTestId('track-number').fill(number);
    await citizen.getByTestId('track-password').fill(password);
    await citizen.getByTestId('track-submit').click();
    const timeline = citizen.getByTestId('track-timeline');
    await timeline.waitFor();
    const text = await timeline.textContent();
    for (const step of ['受理', '签收', '重新办理', '办结']) expect(text, text ?? '').toContain(step);
    expect(text).not.toContain('电话核实已清运');
    await shot(citizen, 'cases-6-track-closed');

    // 9. The department statistics page shows the month's figures with its charts.
    const trendLoaded = agent.waitForResponse((r) => r.url().includes('/api/case-stats/trend') && r.ok());
    await agent.goto('/cases/stats');
    await agent.getByTestId('stats-table').waitFor();
    await trendLoaded;
    await agent.locator('[data-testid$="-chart"] canvas').first().waitFor();
    expect(await agent.locator('[data-testid$="-chart"] canvas').count()).toBeGreaterThan(0);
    // ECharts grows the bars from zero for about a second: shoot only once the canvases stop changing.
    await chartsSettled(agent);
    await shot(agent, 'cases-7-stats');
    // The trend's last month is the month shown: its tooltip has the same volumes as the totals above.
    const total = async (title: string) =>
      Number(
        (await agent
          .locator('.ant-statistic', { hasText: title })
          .locator('.ant-statistic-content-value')
          .textContent())!.replace(/,/g, ''),
      );
    const [dispatched, closed] = [await total('派单量'), await total('结案量')];
    expect(dispatched).toBeGreaterThan(0);
    const trendChart = agent.getByTestId('stats-trend-chart');
    const box = (await trendChart.boundingBox())!;
    // grid: left 40, right 48, 12 months; the last month's band is the rightmost twelfth of the plot.
    await agent.mouse.move(box.x + 40 + (box.width - 88) * (11.5 / 12), box.y + box.height / 2);
    const tip = trendChart.locator('div', { hasText: '按时办结率' }).first();
    await tip.waitFor();
    const tipText = (await tip.textContent())!.replace(/,/g, '');
    expect(tipText, tipText).toMatch(new RegExp(`派单\\s*${dispatched}(?!\\d)`));
    expect(tipText, tipText).toMatch(new RegExp(`结案\\s*${closed}(?!\\d)`));
    for (const p of [citizen, agent, handler]) await p.context().close();
  });
});
