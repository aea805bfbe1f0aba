import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newPage, pickOption, shot } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const api = <T>(page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).json(), url) as Promise<T>;
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5dd8a5f0000000049454e44ae426082',
  'hex',
);

describe('supervision field checks and rounds', () => {
  const requirement = `公示整改时间表并回访居民 ${Date.now() % 100000}`;
  let taskId: number;

  it('the office records a field check with a photo and a rectification point on a 390×844 phone', async () => {
    const p = await newPage(browser, { mobile: true });
    await login(p, 'supervisor');
    const units = await api<{ id: number; code: string }[]>(p, '/api/units');
    const cgj = units.find((u) => u.code === 'CGJ')!.id;
    const ledger = await api<{ rows: { id: number }[] }>(
      p,
      `/api/supervision/tasks?unitId=${cgj}&status=in_progress&pageSize=50`,
    );
    taskId = ledger.rows[0].id;
    const before = await api<{ checks: unknown[] }>(p, `/api/supervision/tasks/${taskId}/checks`);
    await p.goto(`/supervision/checks/new?task=${taskId}`);
    await p.getByTestId('chk-people').fill('督查室 周督办、王建国');
    await p.locator('.ant-checkbox-wrapper').filter({ hasText: '听' }).click();
    await p.locator('.ant-radio-button-wrapper').filter({ hasText: '暗访' }).click();
    await p.getByTestId('chk-findings').fill('暗访发现夜间施工噪声仍扰民，围挡破损未修复。');
    await p.locator('input[type=file]').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: PNG });
    await p.locator('.ant-upload-list-item').first().waitFor();
    await p.getByTestId('chk-add-point').click();
    await p.getByTestId('chk-point-0').fill(requirement);
    await shot(p, 'supfield-phone-entry');
    // The form fits the phone: nothing wider than the screen.
    const width = (await p.evaluate('document.documentElement.scrollWidth')) as number;
    expect(width).toBeLessThanOrEqual(390);
    await p.getByTestId('chk-submit').click();
    const label = `第${before.checks.length + 1}次督查`;
    await p.locator('.ant-drawer').getByText(label).first().waitFor();
    await p.locator('.ant-drawer').getByText(requirement).scrollIntoViewIfNeeded();
    await shot(p, 'supfield-phone-drawer');
    // What the phone shows: the drawer over the screen, the new check in it.
    await p.screenshot({ path: 'test-results/supfield-phone-drawer-view.png' });
    const after = await api<{ checks: { seq: number; photos: unknown[]; points: { requirement: string }[] }[] }>(
      p,
      `/api/supervision/tasks/${taskId}/checks`,
    );
    const last = after.checks.at(-1)!;
    expect(last.seq).toBe(before.checks.length + 1);
    expect(last.photos).toHaveLength(1);
    expect(last.points.map((x) => x.requirement)).toEqual([requirement]);
  });

  it('the unit finds the point in its inbox and answers it; the office sees the answer to decide', async () => {
    const p = await newPage(browser);
    await p.setViewportSize({ width: 1366, height: 768 });
    await login(p, 'cgj_reporter');
    await p.goto('/supervision/mine');
    const card = p.getByTestId('sup-points');
    await card.getByText(requirement).waitFor();
    await shot(p, 'supfield-unit-inbox');
    await card.getByText(requirement).click();
    const point = p.locator('.ant-drawer [data-testid="sup-point"]').filter({ hasText: requirement });
    await point.scrollIntoViewIfNeeded();
    await point.getByTestId('sup-point-answer').click();
    await p.getByTestId('sup-point-text').fill('已修复围挡，夜间 22 时后停止施工，并逐户回访居民。');
    await p.locator('#sup-point-ok').click();
    await p.getByText('已提交').first().waitFor();
    await point.getByText('待审核').waitFor();
    await shot(p, 'supfield-unit-answered');
    const office = await newPage(browser);
    await office.setViewportSize({ width: 1366, height: 768 });
    await login(office, 'supervisor');
    const toDecide = await api<{ requirement: string }[]>(office, '/api/supervision/check-points?state=to_decide');
    expect(toDecide.map((x) => x.requirement)).toContain(requirement);
    await office.goto('/supervision/checks');
    await office.getByTestId('sup-points').getByText(requirement).waitFor();
    await shot(office, 'supfield-office-checks');
  });

  it('shows the rounds: the office’s mid-year round and the unit’s confirmation page', async () => {
    const p = await newPage(browser);
    await p.setViewportSize({ width: 1366, height: 768 });
    await login(p, 'supervisor');
    await p.goto('/supervision/rounds');
    await p.getByText('2026年年中查账').first().click();
    await p.getByTestId('round-diffs').waitFor();
    await shot(p, 'supfield-round-office');
    const id = Number(p.url().split('/').pop());
    const u = await newPage(browser);
    await u.setViewportSize({ width: 1366, height: 768 });
    await login(u, 'cgj_reporter');
    await u.goto(`/supervision/rounds/${id}`);
    await u.getByText('单位掌握的情况', { exact: false }).first().waitFor();
    await shot(u, 'supfield-round-unit');
  });

  it('the office opens a round for one unit in its dialog; the unit states a difference; the office keeps the ledger and closes the round', async () => {
    const title = `对账弹窗 ${Date.now() % 100000}`;
    const off = await newPage(browser);
    await off.setViewportSize({ width: 1366, height: 768 });
    await login(off, 'supervisor');
    await off.goto('/supervision/rounds');
    await off.getByTestId('round-new').click();
    await off.locator('.ant-modal').getByLabel('名称（可选，默认按类型生成）').fill(title);
    await pickOption(off, 'round-units', '区城市管理执法局', { search: true, multiple: true });
    await off.locator('#round-ok').click();
    await off.getByText('已发起').first().waitFor();
    await off.waitForURL(/\/supervision\/rounds\/\d+$/);
    const id = Number(off.url().split('/').pop());
    type Round = {
      title: string;
      status: string;
      units: { unitName: string }[];
      counts: { differs: number; kept: number; unresolved: number };
    };
    const opened = await api<Round>(off, `/api/supervision/rounds/${id}`);
    expect(opened.title).toBe(title);
    expect(opened.units.map((u) => u.unitName)).toEqual(['区城市管理执法局']);

    const u = await newPage(browser);
    await u.setViewportSize({ width: 1366, height: 768 });
    await login(u, 'cgj_reporter');
    await u.goto(`/supervision/rounds/${id}`);
    const mine = await api<{ rows: { snapProgress: number }[] }>(u, `/api/supervision/rounds/${id}`);
    const snap = mine.rows[0].snapProgress;
    await u.getByTestId('round-row-differ').first().click();
    await u.getByTestId('round-claim-note').fill('单位掌握的进度与台账不同：已完成主体工程。');
    // The claim as snapshotted is no difference: the server's refusal lands on the progress field.
    await u.locator('#round-differ-ok').click();
    await u.locator('.ant-modal .ant-form-item-explain-error').getByText('所报情况与台账一致').waitFor();
    await u
      .locator('input[data-testid="round-claim-progress"], [data-testid="round-claim-progress"] input')
      .first()
      .fill(String(snap >= 50 ? snap - 10 : snap + 10));
    await u.locator('#round-differ-ok').click();
    await u.getByText('差异已报送督查室').first().waitFor();

    await off.reload();
    await off.getByTestId('round-resolve').first().click();
    await off.locator('.ant-modal').getByText('维持台账').click();
    // Keeping the ledger needs a reason: the dialog stays open and says so.
    await off.locator('#round-resolve-ok').click();
    await off.getByText('维持台账须说明理由').waitFor();
    await off.getByTestId('round-resolve-reason').fill('进度以现场核实为准，维持台账记录。');
    await off.locator('#round-resolve-ok').click();
    await off.getByTestId('round-diffs').getByText('进度以现场核实为准').waitFor();
    await off.getByTestId('round-close').click();
    await off.locator('#round-close-ok').click();
    await off.getByText('已结束').first().waitFor();
    const closed = await api<Round>(off, `/api/supervision/rounds/${id}`);
    expect(closed.status).toBe('closed');
    expect(closed.counts).toMatchObject({ differs: 1, kept: 1, unresolved: 0 });
  });
});
