// The office builds the year's ledger from Excel (a refused file shows its rows and columns, a good one
// creates the tasks), filters by leader and priority; the unit sees its 催办 in 我的督办; the leader in charge
// sees the reminders of their red tasks.
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, pickOption, shot, signedInPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const page1366 = (user: string): Promise<Page> => signedInPage(browser, user);

const HEADERS = [
  '事项来源',
  '事项名称',
  '责任领导',
  '牵头单位',
  '配合单位及联系人',
  '完成时限',
  '节点',
  '优先级',
  '上级事项',
];

async function workbook(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('督查督办台账');
  ws.addRow(HEADERS);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(p: Page, name: string, data: Buffer) {
  await p.locator('.ant-modal input[type=file]').setInputFiles({
    name,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: data,
  });
}

describe('supervision ledger: Excel 建账, filters, 催办', () => {
  const tag = String(Date.now() % 100000);
  const title = `全域推进老旧小区改造 ${tag}`;

  it('the office imports the ledger: a refused file lists rows and columns and saves nothing; the fixed file creates the tasks', async () => {
    const p = await page1366('supervisor');
    await p.goto('/supervision/ledger');
    await p.getByTestId('sup-row').first().waitFor();
    await p.getByTestId('sup-import').click();
    await p.getByTestId('sup-import-template').waitFor();
    const bad = await workbook([
      [
        '政府工作报告',
        title,
        '赵副区长',
        'ZJJ',
        'CGJ：孙局长',
        '2026-12-31',
        '完成摸底@2026-04-30；完工@2026-12-20',
        '重点',
        '',
      ],
      ['政府工作报告', `${title}（分解）`, '', '不存在的局', '', '2026-13-01', '', '一般', title],
    ]);
    await upload(p, 'bad.xlsx', bad);
    await p.getByTestId('sup-import-report').waitFor();
    const report = await p.getByTestId('sup-import-report').innerText();
    expect(report).toContain('不存在的局');
    expect(report).toContain('不是有效日期');
    // The columns as they are in this file: 牵头单位 is D, 完成时限 F.
    expect(report).toMatch(/3\s+D\s+单位「不存在的局」不存在/);
    expect(report).toMatch(/3\s+F\s+完成时限/);
    await shot(p, 'supledger-import-refused');
    // Nothing was saved.
    const none = await p.evaluate(
      async (q) =>
        ((await (await fetch(`/api/supervision/tasks?q=${encodeURIComponent(q)}`)).json()) as { total: number }).total,
      tag,
    );
    expect(none).toBe(0);
    const good = await workbook([
      [
        '政府工作报告',
        title,
        '赵副区长',
        'ZJJ',
        'CGJ：孙局长',
        '2026-12-31',
        '完成摸底@2026-04-30；完工@2026-12-20',
        '重点',
        '',
      ],
      ['政府工作报告', `${title}（分解）`, '', 'CGJ', '', '2026-12-31', '', '一般', title],
    ]);
    await upload(p, 'good.xlsx', good);
    await p.getByText('导入成功：新建 2 项督办事项').waitFor();
    await p.getByPlaceholder('搜索事项').fill(tag);
    await p.getByPlaceholder('搜索事项').press('Enter');
    await p
      .getByTestId('sup-row')
      .filter({ hasText: `${title}（分解）` })
      .waitFor();
    expect(await p.getByTestId('sup-row').count()).toBe(2);
    // The priority filter keeps the 重点 one.
    await pickOption(p, 'sup-filter-priority', '重点');
    await expect.poll(() => p.getByTestId('sup-row').count()).toBe(1);
    await shot(p, 'supledger-ledger-filtered');
  });

  it("the unit's 我的督办 shows its 催办 with dates and reasons", async () => {
    const p = await page1366('cgj_reporter');
    await p.goto('/supervision/mine');
    await p.getByTestId('sup-reminders-unit').waitFor();
    await p.getByTestId('sup-reminders-unit').locator('.ant-list-item').first().waitFor();
    const text = await p.getByTestId('sup-reminders-unit').innerText();
    expect(text).toMatch(/\d{4}-\d{2}-\d{2}/);
    await shot(p, 'supledger-mine-reminders');
  });

  it('the leader in charge sees the reminders of their red tasks and filters their red tasks', async () => {
    const p = await page1366('leader2');
    await p.goto('/supervision/ledger');
    await p.getByTestId('sup-row').first().waitFor();
    await p.getByTestId('sup-reminders-leader').locator('.ant-list-item').first().waitFor();
    await p.getByTestId('sup-my-red').click();
    // Only red rows of tasks in their charge remain (polled together: while the filtered page loads, the
    // table is empty, which has no green or yellow row either).
    await expect
      .poll(
        async () =>
          (await p.getByTestId('sup-row').count()) > 0 &&
          (await p
            .locator('.ant-table [data-testid=sup-light-green], .ant-table [data-testid=sup-light-yellow]')
            .count()) === 0,
        { timeout: 15_000 },
      )
      .toBe(true);
    await shot(p, 'supledger-leader-red');
  });
});
