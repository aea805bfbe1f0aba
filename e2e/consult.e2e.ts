// 协商中心 in the browser: the office creates a public consultation, a citizen answers through the open link
// on a phone, the office closes it, writes the summary (意见汇总与采纳情况) and publishes it; the public page
// shows it. An unpublished consultation (the demo's open parking hearing) is never on the public page.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, launch, login, newPage, pickOption, shot } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const TITLE = '社区养老服务中心选址方案征求意见';
const BACKGROUND = '拟在幸福社区中心一楼设立养老服务中心，提供助餐、日间照料和康复服务。';
const BACKGROUND_ADDED = '中心建成后由区民政局委托专业机构运营。';
const SUMMARY = {
  heard: '共收到意见 1 份：支持在社区中心选址，关心开放时间。',
  adopted: '开放时间延长至晚上 8 点。',
  notAdopted: '“另建独立停车场”：用地不足，未采纳。',
};

describe('a public consultation, from the office to the citizen’s phone and back to the public page', () => {
  it('create → answer on a phone → close → summary → publish → public page', async () => {
    const office = await newPage(browser);
    await office.setViewportSize({ width: 1366, height: 768 });
    await login(office, 'office');
    const qn = await call<{ id: number }>(office, 'POST', '/api/evaluation/questionnaires', {
      title: '养老服务中心选址意见表',
      intro: '约 1 分钟，匿名。',
      questions: [
        {
          key: 'site',
          type: 'single',
          title: '您对选址方案的态度',
          required: true,
          options: ['赞成', '基本赞成', '反对'],
        },
        { key: 'need', type: 'multi', title: '您最需要的服务', required: false, options: ['助餐', '日间照料', '康复'] },
        { key: 'work', type: 'satisfaction5', title: '对本次征求意见工作的满意度', required: true },
        { key: 'memo', type: 'text', title: '其他意见', required: false },
      ],
    });
    expect(qn.status).toBe(201);

    // The wizard offers the kind; a consultation has a topic background and feeds no indicator.
    await office.goto('/evaluation/campaigns');
    await office.getByTestId('ev-new').click();
    await pickOption(office, 'wiz-kind', '协商征求意见');
    await office.getByTestId('wiz-title').fill(TITLE);
    await office.getByTestId('wiz-background').fill(BACKGROUND);
    await shot(office, 'consult-wizard');
    await office.getByTestId('wiz-next').click();
    await pickOption(office, 'wiz-units', '区民政局', { search: true, multiple: true });
    await office.getByTestId('wiz-next').click();
    await pickOption(office, 'wiz-questionnaire', '养老服务中心选址意见表', { search: true });
    await office.getByTestId('wiz-next').click();
    await office.getByText('协商征求意见不写入考核指标').waitFor();
    await office.getByTestId('wiz-save').click();
    await office.getByTestId('ev-status').filter({ hasText: '草稿' }).waitFor();
    const id = Number(/\/evaluation\/campaigns\/(\d+)/.exec(office.url())![1]);

    // Unpublished: not on the public page.
    const phone = await newPage(browser, { mobile: true });
    expect((await phone.request.get(`/api/public/consultations/${id}`)).status()).toBe(404);

    await office.getByTestId('ev-send').click();
    await office.locator('#ev-send-ok').click();
    await office.getByTestId('ev-status').filter({ hasText: '进行中' }).waitFor();
    await office.getByTestId('ev-qr').click();
    await office.getByTestId('ev-qr-img').waitFor();
    await shot(office, 'consult-qr');
    const url = (await office.getByTestId('ev-qr-img').getAttribute('alt'))!;
    await office.keyboard.press('Escape');

    // A citizen opens the link on a phone: the topic's background, then the questionnaire.
    await phone.goto(new URL(url).pathname);
    await phone.waitForURL(/\/public\/survey\/[0-9a-z]+-/);
    await phone.getByTestId('survey-background').getByText('幸福社区中心').waitFor();
    await phone.getByTestId('q-site').getByText('基本赞成').click();
    await phone.getByTestId('q-need').getByText('助餐').click();
    await phone.getByTestId('q-work').getByText('满意', { exact: true }).click();
    await phone.getByTestId('q-memo').fill('希望晚上也开放');
    await shot(phone, 'consult-phone-survey');
    await phone.getByTestId('survey-submit').click();
    await phone.getByTestId('survey-done').waitFor();

    // The office closes it, writes the summary and publishes.
    await office.reload();
    await office.getByTestId('ev-close').click();
    await office.locator('#ev-close-ok').click();
    await office.getByTestId('ev-status').filter({ hasText: '已结束' }).waitFor();
    await office.getByRole('tab', { name: '意见汇总' }).click();
    // The topic's background stays editable until publication (the dialog saves it and the tab shows it).
    await office.getByTestId('cs-topic').click();
    await office.getByTestId('cs-topic-text').fill(`${BACKGROUND}${BACKGROUND_ADDED}`);
    await office.getByTestId('cs-topic-ok').click();
    await office.getByText('已保存', { exact: true }).waitFor();
    await office.getByText(BACKGROUND_ADDED).waitFor();
    await office.getByTestId('cs-heard').fill(SUMMARY.heard);
    await office.getByTestId('cs-adopted').fill(SUMMARY.adopted);
    await office.getByTestId('cs-not-adopted').fill(SUMMARY.notAdopted);
    await office.getByTestId('cs-save').click();
    await office.getByText('意见汇总已保存').waitFor();
    await office.getByTestId('cs-tallies').getByText('1 人作答').first().waitFor();
    await shot(office, 'consult-summary');
    await office.getByTestId('cs-publish').click();
    await office.locator('#cs-publish-ok').click();
    await office.getByText(/已于 .* 向社会公开/).waitFor();
    await shot(office, 'consult-published');

    // The public page on the phone: the list, then the consultation with its figures and summary.
    await phone.goto('/public/consultations');
    await phone.getByTestId('consultations').getByText(TITLE).click();
    await phone.getByTestId('consultation').waitFor();
    expect(await phone.getByTestId('participants').innerText()).toBe('1');
    expect(await phone.getByTestId('heard').innerText()).toBe(SUMMARY.heard);
    expect(await phone.getByTestId('adopted').innerText()).toBe(SUMMARY.adopted);
    expect(await phone.getByTestId('not-adopted').innerText()).toBe(SUMMARY.notAdopted);
    await phone.getByTestId('tally-site').getByText('基本赞成').waitFor();
    expect(await phone.getByTestId('consultation').innerText()).not.toContain('希望晚上也开放');
    expect(await phone.getByTestId('consultation').innerText()).toContain(BACKGROUND_ADDED);
    await shot(phone, 'consult-public-phone');

    // The demo's open parking hearing is not there; its page is "not found".
    const list = (await (await phone.request.get('/api/public/consultations')).json()) as { title: string }[];
    expect(list.map((c) => c.title)).toContain('老旧小区加装电梯补贴方案征求意见');
    expect(list.map((c) => c.title)).not.toContain('中心城区路内停车收费调整听证');
    const parking = (
      await call<{ id: number; title: string }[]>(office, 'GET', '/api/evaluation/campaigns?kind=consultation')
    ).json.find((c) => c.title === '中心城区路内停车收费调整听证')!;
    await phone.goto(`/public/consultations/${parking.id}`);
    await phone.getByTestId('consultation-missing').waitFor();

    // The same public page on a desktop.
    const desk = await newPage(browser);
    await desk.setViewportSize({ width: 1366, height: 768 });
    await desk.goto('/public/consultations');
    await desk.getByText('老旧小区加装电梯补贴方案征求意见').click();
    await desk.getByTestId('tally-support').waitFor();
    await shot(desk, 'consult-public-desktop');
    await Promise.all([desk.close(), phone.close(), office.close()]);
  });
});
