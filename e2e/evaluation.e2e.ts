import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, newPage, pickOption, shot, signedInPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const api = <T>(page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).json(), url) as Promise<T>;

const page1366 = (user: string): Promise<Page> => signedInPage(browser, user);

type Sms = { template: string; params: { title?: string; link?: string }; body: string };
async function smsFor(title: string): Promise<Sms[]> {
  for (let i = 0; i < 150; i++) {
    const all = (await (await fetch(inject('smsUrl'))).json()) as Sms[];
    const mine = all.filter((m) => m.template === 'evaluation_invitation' && m.params.title === title);
    if (mine.length) return mine;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('no invitation SMS reached the gateway');
}

describe('evaluation journey', () => {
  it("office creates a public survey, samples, sends; a citizen answers on the phone from the SMS link; closing changes the street's 公众评价 score", async () => {
    const title = `汉正街街道群众满意度回访 ${Date.now() % 100000}`;
    const off = await page1366('office');
    await off.goto('/evaluation/campaigns');
    await off.getByTestId('ev-row').first().waitFor();
    await shot(off, 'evaluation-campaigns');

    // The street's 公众评价 (C3) score before, this month.
    const period = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const units = await api<{ id: number; name: string }[]>(off, '/api/units');
    const street = units.find((u) => u.name === '汉正街街道')!;
    const years = await api<{ id: number; year: number }[]>(off, '/api/years');
    const yearId = years.find((y) => y.year === Number(period.slice(0, 4)))!.id;
    const scoreUrl = `/api/scores/units/${street.id}?yearId=${yearId}&period=${period}`;
    type Scores = { tree: { code: string; score: number | null }[] };
    const c3 = async () => (await api<Scores>(off, scoreUrl)).tree.find((n) => n.code === 'C3')?.score ?? null;
    const before = await c3();

    // The wizard: kind and period (defaults: this year so far), the street, the questionnaire, the 公众评价 leaf.
    await off.getByTestId('ev-new').click();
    await off.getByTestId('wiz-title').fill(title);
    await shot(off, 'evaluation-wizard');
    await off.getByTestId('wiz-next').click();
    await pickOption(off, 'wiz-units', '汉正街街道', { search: true, multiple: true });
    await off.getByTestId('wiz-next').click();
    await pickOption(off, 'wiz-questionnaire', '群众满意度调查问卷', { search: true });
    await off.getByTestId('wiz-next').click();
    await pickOption(off, 'wiz-leaves', 'C3_01', { search: true, multiple: true });
    await off.getByTestId('wiz-save').click();
    await off.getByTestId('ev-status').filter({ hasText: '草稿' }).waitFor();

    // Sample 3 requesters of the street's closed cases, with a recorded seed.
    await off.getByTestId('ev-sample').click();
    await off.locator('input[data-testid="ev-sample-total"], [data-testid="ev-sample-total"] input').first().fill('3');
    await off.locator('#ev-sample-ok').click();
    await off.getByText('已抽样').first().waitFor();
    await off.getByRole('tab', { name: '样本' }).click();
    await off.getByTestId('ev-seed').waitFor();
    await shot(off, 'evaluation-sample');
    await off.getByRole('tab', { name: '概况' }).click();
    await off.getByTestId('ev-send').click();
    await off.locator('#ev-send-ok').click();
    await off.getByTestId('ev-status').filter({ hasText: '进行中' }).waitFor();

    // The citizen's phone: the link from the SMS.
    const messages = await smsFor(title);
    expect(messages).toHaveLength(3);
    expect(messages[0].body).toContain(messages[0].params.link);
    const phone = await newPage(browser, { mobile: true });
    await phone.goto(messages[0].params.link!);
    await phone.getByTestId('q-overall').waitFor();
    await shot(phone, 'evaluation-phone-survey');
    await phone.getByTestId('q-overall').getByText('非常满意').click();
    for (let i = 0; i < 4; i++) await phone.getByTestId(`q-aspects-${i}`).getByText('非常满意').click();
    await phone.getByTestId('q-memo').fill('回访及时，问题解决了，非常感谢！');
    await phone.getByTestId('survey-submit').click();
    await phone.getByTestId('survey-done').waitFor();
    await shot(phone, 'evaluation-phone-done');
    // The same link again: answered once, nothing more.
    await phone.reload();
    await phone.getByText('每个链接只能作答一次').waitFor();

    // The office: live dashboard, then close; the street's score input and 公众评价 change.
    await off.reload();
    await off.getByRole('tab', { name: '回收进度' }).click();
    await off.getByTestId('ev-strata-chart').waitFor();
    await expect
      .poll(async () => (await off.getByTestId('ev-dashboard').innerText()).replace(/\s+/g, ' '))
      .toMatch(/回收 1 /);
    await shot(off, 'evaluation-dashboard');
    await off.getByRole('tab', { name: '概况' }).click();
    await off.getByTestId('ev-close').click();
    await off.locator('#ev-close-ok').click();
    await off.getByTestId('ev-status').filter({ hasText: '已结束' }).waitFor();
    await off.getByRole('tab', { name: '结果' }).click();
    await off.getByTestId('ev-results').getByText('汉正街街道').waitFor();
    await shot(off, 'evaluation-results');
    const after = await c3();
    expect(after).not.toBe(before);
    expect(after).toBeGreaterThan(before ?? 0);
  });

  it('an NPC deputy answers the deputies’ evaluation from the inbox', async () => {
    const dep = await page1366('evaluator');
    await dep.goto('/evaluation/inbox');
    await dep.getByTestId('inbox-row').first().waitFor();
    await shot(dep, 'evaluation-inbox');
    await dep.getByRole('link', { name: /人大代表、政协委员评议部门/ }).click();
    await dep.getByTestId('survey-submit').waitFor();
    await shot(dep, 'evaluation-inbox-form');
  });

  it('the questionnaire builder shows the phone preview', async () => {
    const off = await page1366('office');
    await off.goto('/evaluation/questionnaires');
    await off.getByTestId('qn-new').click();
    await off.getByTestId('qn-title').fill('窗口服务满意度问卷');
    await off.getByTestId('qn-preview').getByText('窗口服务满意度问卷').waitFor();
    await shot(off, 'evaluation-builder');
  });
});
