import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newPage, pickOption, shot } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const api = <T>(page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).json(), url) as Promise<T>;

type Scheme = { id: number; kind: string; code: string; year: number };
type Unit = { id: number; code: string; name: string };
type Indicator = { id: number; code: string };

describe('special assessment (urban management) journey', () => {
  it("the assessing body records a spot check on a phone → the office republishes the half-year → the street's annual score moves through the included leaf", async () => {
    // ---------- the assessing body (区监察委员会), on a phone ----------
    const phone = await newPage(browser, { mobile: true });
    await login(phone, 'jcw_assessor');
    const schemes = await api<Scheme[]>(phone, '/api/schemes?year=2026');
    const urban = schemes.find((s) => s.code === 'urban')!;
    const annual = schemes.find((s) => s.kind === 'annual')!;
    const units = await api<Unit[]>(phone, '/api/units');
    const street = units.find((u) => u.code === 'ST01')!;
    const annualTree = await api<Indicator[]>(phone, `/api/years/${annual.id}/indicators`);
    const taker = annualTree.find((n) => n.code === 'A1_06')!;
    const explain = (p: Page) =>
      api<{ score: number | null; special: { total: number; grade: string; publicationId: number } | null }>(
        p,
        `/api/scores/explain?yearId=${annual.id}&unitId=${street.id}&indicatorId=${taker.id}&period=2026`,
      );

    await phone.goto(`/schemes/spot-checks?scheme=${urban.id}`);
    await phone.getByTestId('spot-check-page').waitFor();
    // Nothing scrolls sideways on a 390-wide phone: the header and the page fit the viewport.
    const width = (await phone.evaluate(
      `({ page: document.documentElement.scrollWidth, header: document.querySelector('[data-testid="app-header"]').scrollWidth, view: innerWidth })`,
    )) as { page: number; header: number; view: number };
    expect(width.page).toBeLessThanOrEqual(width.view);
    expect(width.header).toBeLessThanOrEqual(width.view);
    await pickOption(phone, 'spot-unit', '汉正街街道', { search: true });
    // In the first half-year: the date typed into the picker.
    const date = phone.locator('.ant-picker input');
    await date.click();
    await date.fill('2026-06-20');
    await date.press('Enter');
    await phone.getByTestId('spot-location').fill('汉正街长堤街路口');
    await phone.getByTestId('spot-findings').fill('垃圾桶满溢未清运，占道经营 3 处，井盖缺失 1 处未设警示');
    const score = phone.getByTestId('spot-score');
    await score.fill('20');
    await shot(phone, 'schemes-spot-check-phone');
    await phone.getByTestId('spot-save').click();
    await phone.getByTestId('spot-saved').waitFor();
    await phone.getByTestId('spot-list').getByText('汉正街长堤街路口').first().waitFor();
    await shot(phone, 'schemes-spot-check-saved-phone');
    const checks = await api<{ unitId: number; score: number; checkedOn: string }[]>(
      phone,
      `/api/spot-checks?schemeId=${urban.id}&unitId=${street.id}`,
    );
    expect(checks.some((c) => c.score === 20 && c.checkedOn === '2026-06-20')).toBe(true);

    // ---------- the office: the published first half-year, then republished ----------
    const office = await newPage(browser);
    await office.setViewportSize({ width: 1366, height: 768 });
    await login(office, 'office');
    const before = await explain(office);
    expect(before.special?.total).toBeGreaterThan(0);

    await office.goto(`/performance/publications?year=${urban.id}`);
    await office.getByTestId('publish-button').click();
    // A half-year scheme's dialog opens on its half-years: the kinds offered are 半年 and 年度, the first half chosen.
    await office.getByTestId('publish-period').getByText('上半年').waitFor();
    expect(await office.getByTestId('publish-kind').locator('label').allInnerTexts()).toEqual(['半年', '年度（累计）']);
    // Units without case work orders in the half-year have no rates: confirm and give the reason.
    await office.locator('[data-testid="publish-complete"], [data-testid="publish-incomplete"]').first().waitFor();
    const incomplete = office.getByTestId('publish-incomplete-confirm');
    if (await incomplete.isVisible()) {
      await incomplete.click();
      await office.getByTestId('publish-incomplete-reason').fill('部分单位上半年无派单，比率指标无数据');
    }
    await office.getByTestId('publish-submit').click();
    await office.getByTestId('publish-confirm').click();
    await office.getByText('已发布：上半年').first().waitFor();

    const after = await explain(office);
    expect(after.special!.publicationId).not.toBe(before.special!.publicationId);
    // The street's spot-check average for June fell, so its half-year total and its annual leaf fell.
    expect(after.special!.total).toBeLessThan(before.special!.total);
    // The input is the total rounded to 0.001 (linear mapping: 3 points × total ÷ 100).
    expect(after.score!).toBeCloseTo((3 * after.special!.total) / 100, 4);
    expect(after.score!).toBeLessThan(before.score!);

    // The results page with the grade table (published), and the annual unit page.
    await office.goto(`/schemes/results?scheme=${urban.id}&period=2026-H1`);
    await office.getByTestId('results-published').waitFor();
    await office.getByTestId('results-table').getByText('汉正街街道').first().waitFor();
    await shot(office, 'schemes-results-grades');
    await office.goto('/performance/years');
    await office.getByTestId('years-table').getByText('专项考核').first().waitFor();
    await shot(office, 'schemes-years');
    await office.goto('/schemes/self-checks');
    await office.getByTestId('self-checks-table').locator('tbody tr').first().waitFor();
    await shot(office, 'schemes-self-checks');
  });
});
