// The rest of issue 14 in the browser: the award round's indicator picker, evidence files on a notice reply,
// editing a draft campaign, reviewer profiles on the users page, and the on-site QR code → phone survey.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, launch, newPage, pickOption, shot, signedInPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const page1366 = (user: string): Promise<Page> => signedInPage(browser, user);

describe('evaluation, the rest', () => {
  it('awards: the new round picks the single-award indicator from the year’s tree', async () => {
    const office = await page1366('office');
    // The demo's leaves fed by 好差评 (C3_04) and by notices (B1_04) have inputs from those sources.
    const years = (await call<{ id: number; year: number; kind: string }[]>(office, 'GET', '/api/years')).json;
    const y = years.find((x) => x.year === 2026 && x.kind === 'annual')!;
    const tree = (
      await call<{ id: number; code: string; dataSource: string }[]>(office, 'GET', `/api/years/${y.id}/indicators`)
    ).json;
    const units = (await call<{ id: number; code: string }[]>(office, 'GET', '/api/units')).json;
    for (const [code, source, unit] of [
      ['C3_04', 'ratings', 'CGJ'],
      ['B1_04', 'notices', 'SJJ'],
    ]) {
      const leaf = tree.find((i) => i.code === code)!;
      expect(leaf.dataSource).toBe(source);
      const unitId = units.find((u) => u.code === unit)!.id;
      const inputs = (
        await call<{ provenance: { source: string } }[]>(
          office,
          'GET',
          `/api/scores/inputs?yearId=${y.id}&unitId=${unitId}&indicatorId=${leaf.id}`,
        )
      ).json;
      expect(inputs.length, code).toBeGreaterThan(0);
      expect(inputs.every((i) => i.provenance.source === source)).toBe(true);
    }
    await office.goto('/awards');
    await office.getByTestId('award-round').first().waitFor();
    await office.getByRole('button', { name: /新建评选/ }).click();
    await office.locator('.ant-modal input').first().fill('2026');
    await office.getByTestId('award-indicator').click();
    await office.getByText('C3_04 政务服务好差评满意率', { exact: false }).first().waitFor();
    await shot(office, 'evalrest-awards-picker');
    await office.getByText('C3_04 政务服务好差评满意率', { exact: false }).first().click();
    await office.keyboard.press('Escape');
    await office.close();
  });

  it('notices: the unit uploads an evidence file with its reply; the issuer sees it', async () => {
    const office = await page1366('office');
    const units = (await call<{ id: number; code: string }[]>(office, 'GET', '/api/units')).json;
    const cgj = units.find((u) => u.code === 'CGJ')!.id;
    const deadline = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const n = await call<{ id: number; number: string }>(office, 'POST', '/api/notices', {
      kind: 'rectification_advice',
      unitId: cgj,
      title: '占道经营整治台账不全',
      findings: '明察暗访发现整治台账缺少回访记录',
      actions: '补齐整治台账和回访记录',
      deadline,
    });
    expect(n.status).toBe(201);
    const unit = await page1366('cgj_leader');
    await unit.goto('/notices');
    await unit.getByPlaceholder(/搜索/).first().fill(n.json.number);
    await unit.getByPlaceholder(/搜索/).first().press('Enter');
    await unit.getByText(n.json.number).first().waitFor();
    await unit.getByTestId('notice-reply').first().click();
    await unit.getByTestId('notice-reply-measures').fill('已补齐整治台账，逐户回访并建立销号清单');
    const chooser = unit.waitForEvent('filechooser');
    await unit.getByTestId('notice-upload').click();
    await (
      await chooser
    ).setFiles({
      name: '整治台账.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
    });
    await unit.getByTestId('notice-files').getByText('整治台账.pdf').waitFor();
    await shot(unit, 'evalrest-notice-reply-upload');
    await unit.getByTestId('notice-reply-ok').click();
    await unit.getByText('已答复').first().waitFor();
    const seen = await call<{ files: { id: number; name: string }[] }>(office, 'GET', `/api/notices/${n.json.id}`);
    expect(seen.json.files.map((f) => f.name)).toEqual(['整治台账.pdf']);
    await unit.close();
    await office.close();
  });

  it('campaigns: a draft opens again in the wizard and saves; QR code for on-site answers on a phone', async () => {
    const office = await page1366('office');
    const qns = (await call<{ id: number; latest: boolean }[]>(office, 'GET', '/api/evaluation/questionnaires')).json;
    const units = (await call<{ id: number; code: string }[]>(office, 'GET', '/api/units')).json;
    const ids = units
      .filter((u) => /^ST\d+$/.test(u.code))
      .slice(0, 2)
      .map((u) => u.id);
    expect(ids).toHaveLength(2);
    const year = new Date().getFullYear();
    const created = await call<{ id: number }>(office, 'POST', '/api/evaluation/campaigns', {
      year,
      kind: 'service_recipients',
      title: '便民服务中心现场评价（草稿）',
      questionnaireId: qns.find((x) => x.latest)!.id,
      targetUnitIds: ids,
      periodFrom: `${year}-01-01`,
      periodTo: `${year}-12-31`,
    });
    expect(created.status).toBe(201);
    const id = created.json.id;
    await office.goto(`/evaluation/campaigns/${id}`);
    await office.getByTestId('ev-edit').click();
    await office.getByTestId('wiz-title').fill('便民服务中心现场评价');
    await shot(office, 'evalrest-campaign-edit');
    for (let i = 0; i < 3; i++) await office.getByTestId('wiz-next').click();
    await office.getByTestId('wiz-save').click();
    await office.getByText('已保存修改').waitFor();
    expect((await call<{ title: string }>(office, 'GET', `/api/evaluation/campaigns/${id}`)).json.title).toBe(
      '便民服务中心现场评价',
    );
    // Open it (a small sample of the streets' closed cases), then the QR code of the first street.
    expect(
      (await call(office, 'POST', `/api/evaluation/campaigns/${id}/sample`, { source: 'cases', total: 4 })).status,
    ).toBe(200);
    expect((await call(office, 'POST', `/api/evaluation/campaigns/${id}/send`)).status).toBe(200);
    await office.reload();
    await office.getByTestId('ev-qr').click();
    await office.getByTestId('ev-qr-img').waitFor();
    await shot(office, 'evalrest-campaign-qr');
    const url = (await office.getByTestId('ev-qr-img').getAttribute('alt'))!;
    expect(url).toMatch(/\/public\/survey\/qr\/[0-9a-z]+\.[0-9a-z]+-/);
    // Two phones scan it: each gets its own one-time survey.
    const tokens: string[] = [];
    for (let k = 0; k < 2; k++) {
      const phone = await newPage(browser, { mobile: true });
      await phone.goto(new URL(url).pathname);
      await phone.waitForURL(/\/public\/survey\/[0-9a-z]+-/);
      tokens.push(new URL(phone.url()).pathname);
      await phone.getByText(/评价对象：/).waitFor();
      if (k === 0) await shot(phone, 'evalrest-qr-phone-survey');
      await phone.close();
    }
    expect(tokens[0]).not.toBe(tokens[1]);
    await office.close();
  });

  it('users: the admin sets an evaluator’s deputy profile', async () => {
    const admin = await page1366('admin');
    await admin.goto('/admin/users');
    await admin.getByTestId('reviewers-card').waitFor();
    // 30-odd deputies: the card's search finds the account.
    await admin.getByTestId('reviewers-search').locator('input').fill('evaluator');
    await admin.getByTestId('reviewer-set-evaluator').click();
    await pickOption(admin, 'reviewer-kind', '政协委员');
    await admin.getByTestId('reviewer-ok').click();
    await admin.getByTestId('reviewers-card').getByText('政协委员').first().waitFor();
    await admin.getByTestId('reviewers-card').scrollIntoViewIfNeeded();
    await shot(admin, 'evalrest-users-reviewers');
    await admin.close();
  });
});
