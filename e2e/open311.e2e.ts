import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, launch, login, newPage, shot } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

type Service = { service_code: string; service_name: string };
type PostResult = { service_request_id: string; service_notice: string };
type Open311Error = { code: number; description: string };
type Open311Request = {
  service_request_id: string;
  service_code: string;
  description: string;
  address: string;
  status: string;
};

/** Files a GeoReport v2 request from Node, form-encoded as the spec requires. */
async function postRequest(fields: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${baseUrl()}/open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: await res.json() };
}

/** Waits until the keys table is fully shown (antd fades its loading overlay out after a reload). */
async function tableShown(page: Page) {
  // A string, evaluated in the page: the e2e files are type-checked without the DOM library. Polled with
  // page.evaluate, not waitForFunction: a string predicate there is compiled with eval, which the CSP refuses.
  const opacity = `getComputedStyle(document.querySelector('[data-testid="open311-keys"]').closest('.ant-spin-container')).opacity`;
  await expect.poll(() => page.evaluate<string>(opacity), { timeout: 20_000 }).toBe('1');
}

/** The "提交数" (requests) cell of a key's row. */
const requestCount = async (row: Locator) => (await row.locator('td').nth(3).textContent())?.trim();

describe('Open311 API keys', () => {
  it('admin issues a key in the UI, a client files a request with it, the admin deactivates it and the same request is refused with 403', async () => {
    const page = await newPage(browser);
    await login(page, 'admin');

    // The page is reached through the menu (公共服务平台 → 开放接口密钥).
    await page.getByRole('menuitem', { name: '开放接口密钥' }).click();
    await page.waitForURL('**/cases/open311-keys');
    const table = page.getByTestId('open311-keys');
    await table.getByText('演示客户端').waitFor(); // the seeded demo key is listed

    // Issue a key.
    const name = `端到端测试客户端-${Date.now()}`;
    await page.getByTestId('open311-new-key').click();
    await page.getByTestId('open311-key-name').fill(name);
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /签\s*发/ })
      .click();

    // The secret is shown once, in its own dialog.
    const issued = page.getByTestId('open311-issued-key');
    await issued.waitFor();
    const apiKey = (await issued.locator('code').textContent())!.trim();
    expect(apiKey).toMatch(/^xn311_[A-Za-z0-9_-]{32}$/);
    await page.getByRole('button', { name: '我已妥善保存' }).click();
    await issued.waitFor({ state: 'hidden' });

    // Listed as active with only a hint of the key; the secret itself is nowhere on the page any more.
    const row = table.locator('tr', { hasText: name });
    await row.waitFor();
    const toggle = row.getByRole('switch');
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    expect(await row.textContent()).toContain(apiKey.slice(0, 10));
    expect(await requestCount(row)).toBe('0');
    await expect.poll(() => page.locator('body').innerHTML()).not.toContain(apiKey);
    await shot(page, 'open311-1-keys-issued');

    // A client files a request with the new key (a service code from the service list).
    const services = (await (await fetch(`${baseUrl()}/open311/v2/services.json`)).json()) as Service[];
    expect(services.length).toBeGreaterThan(0);
    const service = services[0];
    const description = `端到端测试：${name} 报告路口井盖缺失，存在安全隐患。`;
    const request = {
      api_key: apiKey,
      service_code: service.service_code,
      description,
      address_string: '汉正街街道长堤街与汉正街交叉口',
      lat: '30.5712',
      long: '114.2703',
    };
    const filed = await postRequest(request);
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);
    const [created] = filed.body as PostResult[];
    expect(created.service_request_id).toMatch(/^HJ\d{13}$/);

    // The request really became a case: it is readable by its id, with what was sent.
    const read = await fetch(`${baseUrl()}/open311/v2/requests/${created.service_request_id}.json`);
    expect(read.status).toBe(200);
    const [record] = (await read.json()) as Open311Request[];
    expect(record).toMatchObject({
      service_request_id: created.service_request_id,
      service_code: service.service_code,
      description,
      status: 'open',
    });

    // The page counts the key's use.
    await page.reload();
    await row.waitFor();
    expect(await requestCount(row)).toBe('1');
    expect(await row.locator('[data-testid^="open311-key-usage-"]').textContent()).toContain('今日 1 / 0 / 0'); // posts / reads / refused

    // The admin deactivates the key.
    await row.getByRole('switch').click();
    await page.getByText('已更新').waitFor();
    await expect.poll(() => row.getByRole('switch').getAttribute('aria-checked')).toBe('false');

    // The same request is now refused with the spec's 403, and no case is filed.
    const refused = await postRequest(request);
    expect(refused.status).toBe(403);
    const errors = refused.body as Open311Error[];
    expect(errors[0].code).toBe(403);
    expect(errors[0].description).toContain('api_key');
    await page.reload();
    await row.waitFor();
    expect(await row.getByRole('switch').getAttribute('aria-checked')).toBe('false');
    expect(await requestCount(row)).toBe('1');
    await tableShown(page);
    await shot(page, 'open311-2-keys-deactivated');
    await page.context().close();
  });

  it('admin makes a category status-only and an agent marks a case confidential; the public API follows both', async () => {
    const page = await newPage(browser);
    await page.setViewportSize({ width: 1366, height: 768 });
    await login(page, 'admin');
    await page.goto('/cases/settings');
    await page.locator('tr', { hasText: '市容环卫' }).first().locator('.ant-table-row-expand-icon').click(); // the category tree
    const catRow = page.locator('tr', { hasText: '户外广告' });
    await catRow.getByRole('button').first().click(); // edit
    const dialog = page.getByRole('dialog');
    await dialog.getByText('公开（个人信息打码）').waitFor(); // the form has its values
    await dialog.getByTestId('category-publication').click();
    await page.locator('.ant-select-item-option', { hasText: '仅公开状态' }).waitFor();
    await page.keyboard.press('ArrowDown'); // from 公开 to 仅公开状态
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.getByTestId('category-publication').textContent()).toContain('仅公开状态'); // chosen
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    await page.getByText('已保存').waitFor();
    await expect.poll(() => catRow.textContent()).toContain('仅状态');
    await shot(page, 'open311-3-category-publication');

    // A request in that category is listed without its text, address or exact place.
    const filed = await postRequest({
      api_key: 'demo-open311-key',
      service_code: 'srhw05',
      description: '端到端测试：我叫王小明，电话13812345678，门口广告牌摇晃',
      address_string: '汉正街88号',
      lat: '30.57123',
      long: '114.27031',
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(200);
    const number = (filed.body as PostResult[])[0].service_request_id;
    const read = (await (await fetch(`${baseUrl()}/open311/v2/requests/${number}.json`)).json()) as (Open311Request & {
      lat: number;
    })[];
    expect(read[0]).toMatchObject({ description: '内容不公开 / Details withheld', address: '', lat: 30.571 });
    await page.context().close();

    // The agent marks it confidential on the case page: it is gone from the public API.
    const agentPage = await newPage(browser);
    await agentPage.setViewportSize({ width: 1366, height: 768 });
    await login(agentPage, 'agent');
    const found = (await agentPage.evaluate(`fetch('/api/cases?q=${number}').then((r) => r.json())`)) as {
      items: { id: number }[];
    };
    await agentPage.goto(`/cases/${found.items[0].id}`);
    await agentPage.getByTestId('case-publication').getByText('仅状态').waitFor();
    await agentPage.getByTestId('case-action-confidential').click();
    await agentPage.getByTestId('action-confidential-yes').check();
    await agentPage.getByRole('dialog').locator('textarea').fill('诉求人要求不公开');
    await agentPage.getByTestId('case-action-submit').click();
    await agentPage.getByTestId('case-confidential').waitFor();
    await agentPage.getByTestId('case-publication').getByText('不公开').waitFor();
    await shot(agentPage, 'open311-4-case-confidential');
    expect((await fetch(`${baseUrl()}/open311/v2/requests/${number}.json`)).status).toBe(404);
    await agentPage.context().close();
  });
});
