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
type Open311Request = { service_request_id: string; service_code: string; description: string; address: string; status: string };

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
    await page.getByRole('dialog').getByRole('button', { name: /签\s*发/ }).click();

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
    expect(record).toMatchObject({ service_request_id: created.service_request_id, service_code: service.service_code, description, status: 'open' });

    // The page counts the key's use.
    await page.reload();
    await row.waitFor();
    expect(await requestCount(row)).toBe('1');

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
});
