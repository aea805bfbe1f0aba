import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, pickOption, shot, signedInPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const page1366 = (user: string): Promise<Page> => signedInPage(browser, user);

/** Picks an option of the antd Select carrying the test id (typing to narrow long lists). */
describe('the mediation desk', () => {
  it('registers a joint dispute, records a session, reaches agreement and downloads the 人民调解协议书', async () => {
    const title = `农民工讨薪联合调解 ${Date.now() % 100000}`;
    const p = await page1366('mediator');
    await p.goto('/mediation/cases');
    await p.getByTestId('med-row').first().waitFor();
    await shot(p, 'desks-1-mediation-ledger');

    await p.getByTestId('med-new').click();
    await p.getByTestId('med-title').fill(title);
    await p.getByTestId('med-facts').fill('王师傅等8名工人在某工地务工三个月，被拖欠工资共计12万元。');
    await p.getByTestId('med-party-0').fill('王师傅');
    await p.getByTestId('med-party-1').fill('汉江宏达建筑劳务有限公司');
    await p.getByTestId('med-people').fill('8');
    await p.getByTestId('med-claimed').fill('120000');
    await pickOption(p, 'med-joint', '人力资源', { search: true, multiple: true });
    await shot(p, 'desks-2-mediation-register');
    await p.getByTestId('med-case-ok').click();
    const drawer = p.locator('.ant-drawer');
    await drawer.getByText(title).first().waitFor();

    await p.getByTestId('med-add-session').click();
    await p.getByTestId('med-session-note').fill('人社局劳动监察大队到场，核实工资表和考勤，双方对金额基本认可。');
    await p.getByTestId('med-session-ok').click();
    await p.getByTestId('med-sessions').getByText('劳动监察大队').waitFor();

    await p.getByTestId('med-conclude').click();
    await p
      .getByTestId('med-agreement-text')
      .fill('一、汉江宏达建筑劳务有限公司支付王师傅等8人工资共计人民币115000元；\n二、双方就此纠纷再无其他争议。');
    await p.getByTestId('med-performance').fill('协议签订之日起七日内银行转账支付');
    await p.getByTestId('med-recovered').fill('115000');
    await p.getByTestId('med-outcome-ok').click();
    await p.getByTestId('med-status').getByText('调解成功').waitFor();
    await shot(p, 'desks-3-mediation-agreed');

    const [dl] = await Promise.all([p.waitForEvent('download'), p.getByTestId('med-agreement').click()]);
    expect(dl.suggestedFilename()).toMatch(/人民调解协议书-TJ\d{4}-\d{5}\.docx/);
    const xml = await (
      await JSZip.loadAsync(readFileSync((await dl.path())!))
    )
      .file('word/document.xml')!
      .async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    for (const s of [
      '人民调解协议书',
      '王师傅',
      '汉江宏达建筑劳务有限公司',
      '115000',
      '七日内银行转账',
      '会同区人力资源和社会保障局',
    ])
      expect(text).toContain(s);

    await p.goto('/mediation/stats');
    await p.getByTestId('med-month-chart').waitFor();
    await p.waitForTimeout(600); // the chart's entry animation
    await shot(p, 'desks-4-mediation-stats');
    await p.close();
  });
});

describe('the assistance desk', () => {
  it('registers a wage claim referred to 人社局, which signs and answers; the desk calls back', async () => {
    const text = `工地拖欠5名工人工资两个月 ${Date.now() % 100000}`;
    const desk = await page1366('mediator');
    await desk.goto('/assistance/requests');
    await desk.getByTestId('ast-row').first().waitFor();
    await desk.getByTestId('ast-new').click();
    await desk.getByTestId('ast-name').fill('赵大姐');
    await desk.getByTestId('ast-phone').fill('13912345678');
    await desk.getByTestId('ast-description').fill(text);
    await pickOption(desk, 'ast-unit', '人力资源', { search: true });
    await desk.getByTestId('ast-register-ok').click();
    await desk.getByTestId('ast-status').getByText('已转办').waitFor();
    await shot(desk, 'desks-5-assistance-referred');

    const unit = await page1366('rsj_handler');
    await unit.goto('/assistance/requests');
    await unit.getByTestId('ast-search').locator('input').fill(text);
    await unit.getByTestId('ast-search').locator('input').press('Enter');
    await unit.getByTestId('ast-row').filter({ hasText: text }).first().click();
    await unit.getByTestId('ast-action-sign').click();
    await unit.getByTestId('ast-step-ok').click();
    await unit.getByTestId('ast-status').getByText('已签收').waitFor();
    await unit.getByTestId('ast-action-answer').click();
    await unit.getByTestId('ast-answer-text').fill('劳动监察大队已约谈用人单位，5人工资共计4.2万元已全部支付到位。');
    await unit.getByTestId('ast-recovered').fill('42000');
    await unit.getByTestId('ast-step-ok').click();
    await unit.getByTestId('ast-status').getByText('已答复').waitFor();
    await shot(unit, 'desks-6-assistance-answered-by-unit');
    await unit.close();

    await desk.reload();
    await desk.getByTestId('ast-search').locator('input').fill(text);
    await desk.getByTestId('ast-search').locator('input').press('Enter');
    await desk.getByTestId('ast-row').filter({ hasText: text }).first().click();
    await desk.getByTestId('ast-answer').getByText('已全部支付到位').waitFor();
    await desk.getByTestId('ast-action-feedback').click();
    await desk.getByTestId('ast-feedback-note').fill('工资已到账，对处理结果满意');
    await desk.getByTestId('ast-step-ok').click();
    await desk.getByTestId('ast-status').getByText('已回访').waitFor();
    await shot(desk, 'desks-7-assistance-closed');

    await desk.goto('/assistance/stats');
    await desk.getByTestId('ast-kind-chart').waitFor();
    await desk.waitForTimeout(600);
    await shot(desk, 'desks-8-assistance-stats');
    await desk.close();
  });
});
