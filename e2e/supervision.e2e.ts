import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, pickOption, shot, signedInPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const api = <T>(page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).json(), url) as Promise<T>;

const page1366 = (user: string): Promise<Page> => signedInPage(browser, user);

/** Picks an option of the antd Select carrying the test id. */
async function step(p: Page, action: string, fill?: () => Promise<void>) {
  await p.getByTestId(`sup-action-${action}`).click();
  if (fill) await fill();
  await p.locator('#sup-action-ok').click();
  await p.getByText('已提交').first().waitFor();
}

async function openTask(p: Page, title: string) {
  await p.goto('/supervision/mine');
  await p.getByPlaceholder('搜索事项').fill(title);
  await p.getByPlaceholder('搜索事项').press('Enter');
  await p.getByTestId('sup-row').filter({ hasText: title }).first().click();
  await p.locator('.ant-drawer').getByText(title).first().waitFor();
}

describe('supervision journey', () => {
  it("leader instructs on a red indicator → office accepts → unit signs, plan approved, reports with a file, applies → office rates → the unit's 督办完成率 input changes", async () => {
    const title = `督办完成率亮红灯专项整改 ${Date.now() % 100000}`;
    // District leader in charge of 城管局: writes the instruction on the lagging indicator.
    const lead = await page1366('leader2');
    await lead.goto('/supervision/ledger');
    await lead.getByTestId('sup-row').first().waitFor();
    await shot(lead, 'supervision-ledger-leader');
    await lead.getByTestId('sup-instruct').click();
    await pickOption(lead, 'sup-target-kind', '滞后指标');
    await lead.getByTestId('sup-target-ref').fill('A1_02');
    await lead.getByTestId('sup-instruct-title').fill(title);
    await lead.getByTestId('sup-instruct-content').fill('城管局督办任务完成率偏低，请督查室立项，限期整改。');
    await lead.locator('#sup-instruct-ok').click();
    await lead.locator('.ant-drawer').getByText('待立项').first().waitFor();
    const found = await api<{ rows: { id: number; title: string }[] }>(
      lead,
      `/api/supervision/tasks?q=${encodeURIComponent(title)}`,
    );
    const id = found.rows[0].id;

    // Office: 立项 with 城管局 as lead unit.
    const off = await page1366('supervisor');
    await off.goto('/supervision/ledger');
    await off.getByPlaceholder('搜索事项').fill(title);
    await off.getByPlaceholder('搜索事项').press('Enter');
    await off.getByTestId('sup-row').filter({ hasText: title }).first().click();
    await step(off, 'accept', async () => {
      await pickOption(off, 'sup-lead-unit', '区城市管理执法局', { search: true });
      await off.getByTestId('sup-deadline').click();
      await off.keyboard.type(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
      await off.keyboard.press('Enter');
    });
    await shot(off, 'supervision-accepted');

    // The unit's input before (this month's 督办完成率 of 城管局).
    const rep = await page1366('cgj_reporter');
    const me = await api<{ unitId: number }>(rep, '/api/auth/me');
    const period = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const statsUrl = `/api/supervision/stats?year=${period.slice(0, 4)}&month=${Number(period.slice(5, 7))}`;
    const before = (
      await api<{ unitId: number; due: number; onTime: number; onTimeRate: number | null }[]>(off, statsUrl)
    ).find((s) => s.unitId === me.unitId);
    // Scores are read by the performance office (绩效办).
    const perf = await page1366('office');
    const years = await api<{ id: number; year: number }[]>(perf, '/api/years');
    const yearId = years.find((y) => y.year === Number(period.slice(0, 4)))!.id;
    const scoreUrl = `/api/scores/units/${me.unitId}?yearId=${yearId}&period=${period}`;
    type Scores = { tree: { code: string; score: number | null }[] };
    const scoreBefore = (await api<Scores>(perf, scoreUrl)).tree.find((n) => n.code === 'A1_02')?.score ?? null;

    // Unit: sign, plan.
    await openTask(rep, title);
    await step(rep, 'sign');
    await step(rep, 'submitPlan', () =>
      rep.getByTestId('sup-plan').fill('一、成立专班（孙局长）；二、逐项销号；三、每周报送。'),
    );
    await rep.context().close();

    // Leader in charge approves the plan.
    await lead.goto('/supervision/ledger');
    await lead.getByPlaceholder('搜索事项').fill(title);
    await lead.getByPlaceholder('搜索事项').press('Enter');
    await lead.getByTestId('sup-row').filter({ hasText: title }).first().click();
    await step(lead, 'approvePlan');
    await lead.context().close();

    // Unit reports progress with a photo, then applies for completion.
    const rep2 = await page1366('cgj_reporter');
    await openTask(rep2, title);
    await rep2.getByTestId('sup-action-report').click();
    await rep2.locator('input[data-testid="sup-progress"], [data-testid="sup-progress"] input').first().fill('60');
    await rep2.getByTestId('sup-note').fill('专班已成立，已销号 6 项。');
    await rep2.locator('.ant-modal input[type="file"]').setInputFiles({
      name: '整改现场.png',
      mimeType: 'image/png',
      buffer: Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
        'base64',
      ),
    });
    await rep2.locator('.ant-modal').getByText('整改现场.png').waitFor();
    await rep2.locator('#sup-action-ok').click();
    await rep2.getByText('已提交').first().waitFor();
    await rep2.locator('.ant-drawer').getByText('整改现场.png').first().waitFor();
    await shot(rep2, 'supervision-report-with-file');
    await step(rep2, 'applyCompletion', () => rep2.getByTestId('sup-note').fill('已全部整改到位，申请办结。'));
    await rep2.context().close();

    // Office rates it: on time, excellent.
    await off.reload();
    await off.getByPlaceholder('搜索事项').fill(title);
    await off.getByPlaceholder('搜索事项').press('Enter');
    await off.getByTestId('sup-row').filter({ hasText: title }).first().click();
    await step(off, 'review', async () => {
      await pickOption(off, 'sup-completion', '按时办结');
      await pickOption(off, 'sup-quality', '优');
      await off.locator('.ant-modal textarea').fill('按节点完成，整改到位');
    });
    await off.locator('.ant-drawer').getByText('已办结').first().waitFor();
    await shot(off, 'supervision-rated');
    const detail = await api<{ status: string; completion: string; events: { kind: string }[] }>(
      off,
      `/api/supervision/tasks/${id}`,
    );
    expect(detail.status).toBe('completed');
    expect(detail.events.map((e) => e.kind)).toEqual([
      'instruct',
      'accept',
      'sign',
      'submitPlan',
      'approvePlan',
      'report',
      'applyCompletion',
      'review',
    ]);

    // The unit's 督办完成率: the task (due today, so already counted as due) is now on time, and the score follows.
    const after = (
      await api<{ unitId: number; due: number; onTime: number; onTimeRate: number | null }[]>(off, statsUrl)
    ).find((s) => s.unitId === me.unitId)!;
    expect(after.due).toBe(before!.due);
    expect(after.onTime).toBe(before!.onTime + 1);
    expect(after.onTimeRate!).toBeGreaterThan(before!.onTimeRate!);
    const scoreAfter = (await api<Scores>(perf, scoreUrl)).tree.find((n) => n.code === 'A1_02')?.score ?? null;
    expect(scoreAfter).not.toBeNull();
    expect(scoreAfter!).toBeGreaterThan(scoreBefore!);
    await off.goto('/supervision/ledger');
    await off.getByTestId('sup-row').first().waitFor();
    await shot(off, 'supervision-ledger-office');
  });
});
