import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, newPage, pickOption, shot, signedInPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const api = <T>(page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).json(), url) as Promise<T>;

const page1366 = (user: string): Promise<Page> => signedInPage(browser, user);

async function search(p: Page, placeholder: string, text: string) {
  const box = p.locator(`input[placeholder="${placeholder}"]:visible`).first();
  await box.fill(text);
  await box.press('Enter');
}

describe('好差评 and notices journey', () => {
  it('requester rates 差评 on the phone page → department calls back and rectifies → office accepts', async () => {
    const office = await page1366('office');
    const units = await api<{ id: number; code: string }[]>(office, '/api/units');
    const cgj = units.find((u) => u.code === 'CGJ')!.id;
    const invited = await api<{ rows: { id: number; subjectRef: string }[] }>(
      office,
      `/api/ratings?status=invited&unitId=${cgj}&pageSize=5`,
    );
    const ref = invited.rows[0].subjectRef;

    // The office opens an on-site link for the requester (the SMS link works the same way).
    await office.goto('/ratings/rectifications');
    await office.getByRole('tab', { name: '评价记录' }).click();
    await search(office, '搜索编号', ref);
    await office.getByTestId('rating-table').getByText(ref).waitFor();
    await shot(office, 'ratings-list');
    await office.getByTestId('rating-new-link').first().click();
    const link = (await office.getByTestId('rating-link').innerText()).trim();
    expect(link).toMatch(/\/rate\/[A-Za-z0-9_-]{16,}$/);

    // The requester, on a phone.
    const phone = await newPage(browser, { mobile: true });
    await phone.goto(new URL(link).pathname);
    await phone.getByTestId('rate-card').waitFor();
    await phone.getByText(ref).waitFor();
    await shot(phone, 'ratings-phone-page');
    await phone.getByTestId('rate-level-unsatisfied').click();
    await phone.getByTestId('rate-submit').click();
    await phone.getByText('请简要说明原因').waitFor(); // a 差评 needs a reason
    await phone.getByTestId('rate-comment').fill('占道摊点清理后第二天又回来了，没有长效管理');
    await shot(phone, 'ratings-phone-bad');
    await phone.getByTestId('rate-submit').click();
    await phone.getByTestId('rate-done').waitFor();
    await shot(phone, 'ratings-phone-done');

    // The department: call back, then the result.
    const dept = await page1366('cgj_handler');
    await dept.goto('/ratings/rectifications');
    await search(dept, '搜索编号', ref);
    const row = dept.getByTestId('rect-table').locator('tr').filter({ hasText: ref });
    await row.getByText('待回访').waitFor();
    await shot(dept, 'ratings-department-list');
    await row.getByTestId('rect-callback').click();
    await dept.getByTestId('rect-callback-note').fill('已电话回访，诉求人反映摊点反复，承诺建立长效巡查');
    await dept.getByTestId('rect-callback-ok').click();
    await row.getByText('整改中').waitFor();
    await row.getByTestId('rect-submit').click();
    await dept.getByTestId('rect-submit-result').fill('已将该路段纳入每日巡查，设置隔离护栏，摊点已清理');
    await dept.getByTestId('rect-submit-ok').click();
    await row.getByText('待审核').waitFor();

    // The office reviews and accepts.
    await office.goto('/ratings/rectifications');
    await search(office, '搜索编号', ref);
    const orow = office.getByTestId('rect-table').locator('tr').filter({ hasText: ref });
    await orow.getByTestId('rect-review').click();
    await office.getByTestId('rect-review-ok').click();
    await orow.getByText('已销号').waitFor();
    await shot(office, 'ratings-office-accepted');
    await office.getByRole('tab', { name: '满意度统计' }).click();
    await office.getByTestId('rates-chart').waitFor();
    await shot(office, 'ratings-rates');
  });

  it('the office issues a notice; the unit replies; the office accepts', async () => {
    const title = `窗口服务作风问题 ${Date.now() % 100000}`;
    const office = await page1366('office');
    await office.goto('/notices');
    await office.getByTestId('notice-table').waitFor();
    await office.getByTestId('notice-new').click();
    await pickOption(office, 'notice-unit', '区城市管理执法局', { search: true });
    await office.getByTestId('notice-title').fill(title);
    await office.getByTestId('notice-findings').fill('明察暗访发现执法窗口工作时间无人值守');
    await office.getByTestId('notice-actions').fill('落实窗口值守制度并公示值班表');
    await office.getByTestId('notice-deadline').click();
    await office.keyboard.type(new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10));
    await office.keyboard.press('Enter');
    await office.getByTestId('notice-new-ok').click();
    await office.getByText('已下发').first().waitFor();
    await search(office, '搜索文号或标题', title);
    await office.getByTestId('notice-table').getByText(title).waitFor();
    await shot(office, 'notices-issued');

    const unit = await page1366('cgj_leader');
    await unit.goto('/notices');
    await search(unit, '搜索文号或标题', title);
    const row = unit.getByTestId('notice-table').locator('tr').filter({ hasText: title });
    await row.getByTestId('notice-reply').click();
    await unit.getByTestId('notice-reply-measures').fill('已制定窗口值守制度，值班表在大厅公示');
    await unit.getByTestId('notice-reply-ok').click();
    await row.getByText('已答复待审').waitFor();
    await shot(unit, 'notices-received');

    await office.reload();
    await search(office, '搜索文号或标题', title);
    const orow = office.getByTestId('notice-table').locator('tr').filter({ hasText: title });
    await orow.getByTestId('notice-review').click();
    await office.getByTestId('notice-review-ok').click();
    await orow.getByText('已销号').waitFor();
    await office.getByRole('tab', { name: '逾期未答复' }).click();
    await office.getByTestId('notice-table').waitFor();
    await shot(office, 'notices-overdue');
  });
});
