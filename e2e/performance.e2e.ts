import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newPage, pickOption, shot } from './browser.js';

/*
 * The scoring journey on the seeded demo server:
 * the office builds a small tree in a new year (indicator editor) and puts it in force → the FGW
 * reporter fills the plan target and the FGW leader submits → the office approves → the office
 * enters January's value → the score appears in the score table → the explanation shows the
 * arithmetic and who entered the value.
 *
 * The new year is 2024 (not 2027) on purpose: a past year in force does not become the default
 * year (the newest in force) of the other journeys sharing this server.
 */
const YEAR = 2024;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

/** Fills an antd InputNumber/Input found by its test id (the id may sit on the input or its wrapper). */
async function fill(page: Page, testId: string, value: string) {
  const el = page.getByTestId(testId).first();
  const tag = await el.evaluate((e) => e.tagName);
  const input = tag === 'INPUT' || tag === 'TEXTAREA' ? el : el.locator('input').first();
  await input.fill(value);
}

/** Picks an option of an antd Select found by its test id. */
async function confirmModal(page: Page) {
  await page.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
}

async function api<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(url);
  expect(res.ok(), `${url}: ${res.status()}`).toBe(true);
  return (await res.json()) as T;
}

describe('performance scoring journey', () => {
  let yearId = 0;
  let fgwId = 0;

  it('the office builds a small tree in a new year and puts it in force', async () => {
    const page = await newPage(browser);
    await login(page, 'office');
    await page.goto('/performance/years');
    await page.getByTestId('year-create').click();
    await fill(page, 'year-input', String(YEAR));
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByTestId(`year-activate-${YEAR}`).waitFor();
    const years = await api<{ id: number; year: number }[]>(page, '/api/years');
    yearId = years.find((y) => y.year === YEAR)!.id;
    fgwId = (await api<{ id: number; code: string }[]>(page, '/api/units')).find((u) => u.code === 'FGW')!.id;

    await page.goto(`/performance/indicators?year=${yearId}`);
    // Level 1
    await page.getByTestId('indicator-add-root').click();
    await fill(page, 'indicator-code', 'E1');
    await fill(page, 'indicator-name', '改革攻坚');
    await fill(page, 'indicator-points', '10');
    await page.getByTestId('indicator-save').click();
    await page.getByTestId('indicator-row-E1').waitFor();
    // Level 2 under it (the saved node is selected)
    await page.getByTestId('indicator-add-child').click();
    await fill(page, 'indicator-code', 'E1_1');
    await fill(page, 'indicator-name', '重点改革任务');
    await fill(page, 'indicator-points', '10');
    await page.getByTestId('indicator-save').click();
    await page.getByTestId('indicator-row-E1_1').waitFor();
    // The leaf: 10 points, completion ratio
    await page.getByTestId('indicator-add-child').click();
    await fill(page, 'indicator-code', 'E1_1_1');
    await fill(page, 'indicator-name', '改革任务完成数');
    await fill(page, 'indicator-points', '10');
    await fill(page, 'indicator-uom', '项');
    await pickOption(page, 'method-kind', '完成比例计分');
    await page.getByTestId('method-cap').waitFor();
    await page.getByTestId('indicator-save').click();
    await page.getByTestId('indicator-row-E1_1_1').waitFor();

    await page.goto('/performance/years');
    await page.getByTestId(`year-activate-${YEAR}`).click();
    await confirmModal(page);
    await expect
      .poll(
        async () =>
          (await api<{ year: number; status: string }[]>(page, '/api/years')).find((y) => y.year === YEAR)?.status,
      )
      .toBe('in_force');
    await page.context().close();
  });

  it('the FGW reporter fills the target, the leader submits and the office approves', async () => {
    const reporter = await newPage(browser);
    await login(reporter, 'fgw_reporter');
    await reporter.goto(`/performance/plans?year=${yearId}`);
    await fill(reporter, 'plan-target-E1_1_1', '120');
    await reporter.getByTestId('plan-save').click();
    await expect
      .poll(
        async () =>
          (await api<{ items: { target: number | null }[] }>(reporter, `/api/years/${yearId}/plans/${fgwId}`)).items[0]
            ?.target,
      )
      .toBe(120);
    await reporter.context().close();

    const leader = await newPage(browser);
    await login(leader, 'fgw_leader');
    await leader.goto(`/performance/plans?year=${yearId}`);
    await leader.getByTestId('plan-submit').click();
    await confirmModal(leader);
    await expect
      .poll(async () => (await api<{ status: string }>(leader, `/api/years/${yearId}/plans/${fgwId}`)).status)
      .toBe('submitted');
    await leader.context().close();

    const office = await newPage(browser);
    await login(office, 'office');
    await office.goto(`/performance/plans/${yearId}/${fgwId}`);
    await office.getByTestId('plan-approve').click();
    await confirmModal(office);
    await expect
      .poll(async () => (await api<{ status: string }>(office, `/api/years/${yearId}/plans/${fgwId}`)).status)
      .toBe('approved');
    await office.context().close();
  });

  it('a value arrives, the score appears in the table and its explanation shows the arithmetic', async () => {
    const page = await newPage(browser);
    await login(page, 'office');
    // The office enters January's result by hand (audited; source 绩效办录入).
    await page.goto(`/performance/scores/unit/${fgwId}?year=${yearId}`);
    await page.getByTestId('score-input-E1_1_1').click();
    await pickOption(page, 'score-input-period', `${YEAR}-01`);
    await fill(page, 'score-input-value', '8');
    await fill(page, 'score-input-reason', '区委改革办季度督查通报');
    await page.getByTestId('score-input-save').click();
    await page.locator('.ant-modal').waitFor({ state: 'detached' });

    // January: 8 of the monthly target 120 ÷ 12 = 10 → 10 × 0.8 = 8 points; FGW leads its category.
    await page.goto(`/performance/scores?year=${yearId}&period=${YEAR}-01`);
    const row = page.getByTestId('score-row-FGW');
    await row.waitFor();
    await expect.poll(async () => (await page.getByTestId('score-total-FGW').textContent())?.trim()).toBe('8.00');
    expect(await row.textContent()).toContain('区发展和改革委员会');
    expect(await page.getByTestId('score-table').first().isVisible()).toBe(true);
    await shot(page, 'performance-score-table');

    // The level-1 score opens its explanation; drill down to the leaf.
    await page.getByTestId('score-node-FGW-E1').click();
    const drawer = page.getByTestId('explain-drawer');
    await drawer.waitFor();
    await page.getByTestId('explain-child-E1_1').click();
    await page.getByTestId('explain-child-E1_1_1').click();
    await expect
      .poll(async () => (await page.getByTestId('explain-arithmetic').textContent()) ?? '')
      .toContain('实际 8 ÷ 目标 10 × 分值 10 = 8');
    const text = (await drawer.textContent()) ?? '';
    expect(text).toContain('年度目标 120');
    expect(text).toContain('绩效办录入');
    expect(text).toContain('区委改革办季度督查通报');
    expect(text).toContain('完成比例计分');
    await page.setViewportSize({ width: 1440, height: 1400 });
    await shot(page, 'performance-explanation');
    await page.context().close();
  });

  it('the FGW leader sees the same number on the unit page and the category ranking', async () => {
    const page = await newPage(browser);
    await login(page, 'fgw_leader');
    await page.goto(`/performance/scores/unit?year=${yearId}&period=${YEAR}-01`);
    await page.getByTestId('score-unit-title').waitFor();
    await page.getByTestId('score-leaf-E1_1_1').click();
    await expect.poll(async () => (await page.getByTestId('explain-score').textContent()) ?? '').toContain('8.00');
    // Another unit's detail is not open to FGW.
    const other = (await api<{ id: number; code: string }[]>(page, '/api/units')).find((u) => u.code === 'KXW')!.id;
    const res = await page.request.get(`/api/scores/units/${other}?yearId=${yearId}`);
    expect(res.status()).toBe(404);
    await page.context().close();
  });

  it('the office copies 2026 forward: the tree and the data-collection forms come along', async () => {
    const page = await newPage(browser);
    await login(page, 'office');
    const years = await api<{ id: number; year: number }[]>(page, '/api/years');
    const from = years.find((y) => y.year === 2026)!.id;
    const designed = async (yearId: number) =>
      (await api<{ designed: boolean }[]>(page, `/api/reporting/forms?yearId=${yearId}`)).filter((f) => f.designed)
        .length;
    const formsBefore = await designed(from);
    expect(formsBefore).toBeGreaterThan(0);
    await page.goto('/performance/years');
    await page.getByTestId('year-copy-2026').click();
    const modal = page.locator('.ant-modal:visible');
    await expect.poll(async () => (await modal.textContent()) ?? '').toContain('填报表单、截止规则和采集设置');
    await fill(page, 'copy-year-input', '2030');
    await shot(page, 'performance-year-copy');
    await modal.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.waitForURL(/\/performance\/indicators\?year=\d+/);
    const copied = (await api<{ id: number; year: number; status: string }[]>(page, '/api/years')).find(
      (y) => y.year === 2030,
    )!;
    expect(copied.status).toBe('draft');
    expect(await designed(copied.id)).toBe(formsBefore);
    // The copied draft's tree goes out to Excel and back in unchanged (the office drafts next year in Excel).
    await page.getByTestId('indicators-excel-import').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('indicators-excel-export').click(),
    ]);
    const file = await download.path();
    const nodes = (await api<unknown[]>(page, `/api/years/${copied.id}/indicators`)).length;
    await page.getByTestId('indicators-excel-import-input').setInputFiles(file!);
    await page.locator('.ant-message').getByText(`未变化 ${nodes}`).waitFor();
    await shot(page, 'performance-indicators-excel');
    // At 1366×768 the AHP buttons stay inside the tree's card (a fixed column), not cut off at its edge.
    await page.setViewportSize({ width: 1366, height: 768 });
    const ahp = await page.getByTestId('ahp-open-C3').boundingBox();
    const tree = await page.getByTestId('indicator-tree').boundingBox();
    expect(ahp!.x + ahp!.width).toBeLessThanOrEqual(tree!.x + tree!.width);
    await shot(page, 'performance-indicators-1366');
    await page.context().close();
  });
});
