import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newPage, shot } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

async function leaderPage(user: string, width: number, height: number): Promise<Page> {
  const p = await newPage(browser);
  await p.setViewportSize({ width, height });
  await login(p, user);
  return p;
}

/** True when the cockpit lies inside the viewport: it fits one screen. */
async function fitsScreen(p: Page, testId = 'cockpit'): Promise<boolean> {
  const box = await p.getByTestId(testId).boundingBox();
  const view = p.viewportSize();
  return !!box && !!view && box.y + box.height <= view.height + 1 && box.x + box.width <= view.width + 1;
}

describe('leader cockpit', () => {
  it('the main leader lands on the cockpit, drills from the red lights to a unit explanation, and opens the presentation', async () => {
    const p = await leaderPage('leader', 1366, 768);
    // The landing page of a leader is the cockpit.
    await p.getByTestId('cockpit').waitFor();
    await p.getByTestId('ck-rankings').locator('tbody tr').first().waitFor();
    await p.getByTestId('ck-map').waitFor();
    await p.waitForTimeout(800); // the charts' first frame
    await shot(p, 'cockpit-1366');
    expect(await fitsScreen(p)).toBe(true);

    // 多元评价 · 好差评 with real figures; "差评 N" → the N ratings with unit, subject, level, comment and rectification.
    const panel = p.getByTestId('ck-evaluation');
    const rated = Number(await panel.getByTestId('ck-rating-rated').locator('b').textContent());
    expect(rated).toBeGreaterThan(0);
    expect(await panel.getByTestId('ck-campaigns').locator('tr').count()).toBeGreaterThan(0);
    const bad = Number(await panel.getByTestId('ck-rating-bad').locator('b').textContent());
    expect(bad).toBeGreaterThan(0);
    await panel.getByTestId('ck-rating-bad').click();
    const ratingsDrawer = p.getByTestId('ck-drill');
    await ratingsDrawer.locator('.ant-table-row').first().waitFor();
    expect(await ratingsDrawer.locator('.ant-drawer-title').textContent()).toContain(`（${bad}）`);
    const firstRow = await ratingsDrawer.locator('.ant-table-row').first().textContent();
    expect(firstRow).toMatch(/不满意|非常不满意/);
    await shot(p, 'cockpit-drill-bad-ratings');
    await ratingsDrawer.locator('.ant-drawer-close').click();
    await ratingsDrawer.locator('.ant-drawer-content').waitFor({ state: 'hidden' });

    // "红灯 N" → the N leaves behind it, each with a link to the unit's explanation.
    const red = Number(await p.getByTestId('ck-kpi-red').locator('.ck-kpi-value').textContent());
    expect(red).toBeGreaterThan(0);
    await p.getByTestId('ck-kpi-red').click();
    const drawer = p.getByTestId('ck-drill');
    await drawer.locator('.ant-table-row').first().waitFor();
    expect(await drawer.locator('.ant-drawer-title').textContent()).toContain(`（${red}）`);
    await shot(p, 'cockpit-drill-red');
    // 批示 on a red leaf: becomes a supervision task awaiting 立项.
    await drawer.getByTestId('ck-drill-instruct').first().click();
    await p.getByTestId('ck-instruct-content').fill('请一周内拿出整改措施，报督查室跟踪。');
    await p.locator('#ck-instruct-ok').click();
    await p.getByText('批示已送督查室立项').waitFor();
    const link = drawer.locator('a[data-testid^="ck-explain-"]').first();
    const testId = (await link.getAttribute('data-testid'))!;
    const [, unitId] = testId.split('-').slice(1);
    await link.click();
    await p.waitForURL(new RegExp(`/performance/scores/unit/${unitId}\\?explain=`));
    // The explanation drawer of that leaf opens by itself.
    await p.getByTestId('explain-score').first().waitFor();
    await p.waitForTimeout(400);
    await shot(p, 'cockpit-explanation');

    // 汇报演示: full screen, keyboard paging, pause.
    await p.goto('/cockpit');
    await p.getByTestId('ck-present').click();
    await p.getByTestId('ck-presentation').waitFor();
    expect(await p.getByTestId('user-menu').count()).toBe(0); // no menus
    const first = await p.getByTestId('ck-slide-no').textContent();
    await p.keyboard.press('ArrowRight');
    await expect.poll(() => p.getByTestId('ck-slide-no').textContent()).not.toBe(first);
    await p.keyboard.press('PageUp');
    await expect.poll(() => p.getByTestId('ck-slide-no').textContent()).toBe(first);
    await p.keyboard.press('p');
    expect(await p.getByTestId('ck-present-hint').textContent()).toContain('已暂停');
    await p.waitForTimeout(800);
    await shot(p, 'cockpit-present-1366');
    // The last slides are units' pages.
    await p.keyboard.press('ArrowLeft');
    await p.getByTestId('ck-unit-slide').waitFor();
    await p.waitForTimeout(500);
    await shot(p, 'cockpit-present-unit');
    // Round to the first slide, then four on: 多元评价 · 好差评.
    await p.keyboard.press('ArrowRight');
    for (let i = 0; i < 4; i++) await p.keyboard.press('ArrowRight');
    await p.getByTestId('ck-evaluation-slide').waitFor();
    await p.waitForTimeout(300);
    await shot(p, 'cockpit-present-evaluation');
    await p.keyboard.press('Escape');
    await p.context().close();
  });

  it('fits a 1920×1080 screen; the district leader in charge sees only their units', async () => {
    const p = await leaderPage('leader2', 1920, 1080);
    await p.getByTestId('cockpit').waitFor();
    await p.getByTestId('ck-rankings').locator('tbody tr').first().waitFor();
    await p.waitForTimeout(800);
    await shot(p, 'cockpit-1920-leader2');
    expect(await fitsScreen(p)).toBe(true);
    expect(
      await p
        .getByTestId('cockpit')
        .getByText(/分管 \d+ 个单位/)
        .count(),
    ).toBe(1);
    await p.getByTestId('ck-places-table').click();
    await shot(p, 'cockpit-1920-streets');
    await p.context().close();
  });
});
