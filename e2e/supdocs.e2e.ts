// The pages of issue 13 beside the ledger: the office composes a 督查通报 from chosen tasks, previews and
// issues it (numbered, a .docx); the unit reads only the 通报 that name it. The office assigns a 议案 to a
// deputy and a unit; the unit replies with a letter; the deputy rates 不满意 with a reason (another round),
// then 满意. The investment projects: filters, a stage recorded, the stage progress and the export.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, launch, pickOption, shot, signedInPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const page1366 = (user: string): Promise<Page> => signedInPage(browser, user);

/** GET from the page (its cookies): status, content type and the first bytes. */
async function fetchHead(p: Page, url: string) {
  return p.evaluate(async (u) => {
    const r = await fetch(u);
    const b = new Uint8Array(await r.arrayBuffer());
    return {
      status: r.status,
      type: r.headers.get('content-type') ?? '',
      magic: String.fromCharCode(b[0] ?? 0, b[1] ?? 0),
    };
  }, url);
}

async function getJson<T>(p: Page, url: string): Promise<T> {
  return (await call<T>(p, 'GET', url)).json;
}

const CGJ = '区城市管理执法局';

/** Picks the stage filter's option by its exact label (未签约 also contains 签约). */
async function pickStage(p: Page, label: string) {
  const select = p.getByTestId('inv-filter-stage');
  for (let attempt = 0; attempt < 4; attempt++) {
    await select.click();
    try {
      await p
        .locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`)
        .click({ timeout: 5000 });
    } catch {
      continue;
    }
    if ((await select.innerText()).trim() === label) return;
  }
  throw new Error(`stage ${label} could not be chosen`);
}
const tag = String(Date.now() % 100000);

describe('supervision: issued documents, proposals, investment projects', () => {
  const docTitle = `关于城管执法督办事项推进情况的通报 ${tag}`;

  it('the office picks a task, previews and issues a 督查通报: the 文号 shows and the .docx downloads', async () => {
    const p = await page1366('supervisor');
    await p.goto('/supervision/documents');
    await p.getByTestId('doc-row').first().waitFor();
    await shot(p, 'supdocs-documents-office');
    await p.getByTestId('doc-new').click();
    await p.getByText('督查通报（发至所涉单位）').click();
    await p.getByTestId('doc-title').fill(docTitle);
    await pickOption(p, 'doc-filter-unit', '城市管理', { search: true });
    // Tick one task the 城管局 leads (the unit filter also lists its co-unit tasks).
    const row = p.locator('.ant-drawer .ant-table-row').filter({ hasText: CGJ }).first();
    await row.waitFor();
    await row.locator('.ant-checkbox-input').check();
    await expect.poll(() => p.getByText('已勾选 1 项').count()).toBe(1);
    await p.getByTestId('doc-preview').click();
    const text = p.getByTestId('doc-text');
    await text.waitFor();
    expect(await text.innerText()).toContain('督 查 通 报');
    expect(await text.innerText()).toContain('文号签发时编定');
    expect(await text.innerText()).toContain(CGJ);
    await shot(p, 'supdocs-compose-preview');
    await p.getByTestId('doc-issue').click();
    // The issued document opens: its drawer's title is the 文号.
    const title = p.locator('.ant-drawer-title').filter({ hasText: /〔2026〕\d+号/ });
    await title.waitFor();
    const number = (await title.innerText()).trim();
    expect(await p.getByTestId('doc-text').last().innerText()).toContain(number);
    await shot(p, 'supdocs-issued');
    await p.keyboard.press('Escape');
    const listed = p.getByTestId('doc-list-row').filter({ hasText: docTitle });
    await listed.waitFor();
    expect(await listed.innerText()).toContain(number);
    const docs = await getJson<{ id: number; title: string; number: string }[]>(p, '/api/supervision/documents');
    const mine = docs.find((d) => d.title === docTitle)!;
    expect(mine.number).toBe(number);
    const docx = await fetchHead(p, `/api/supervision/documents/${mine.id}/docx`);
    expect(docx).toEqual({
      status: 200,
      type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      magic: 'PK',
    });
  });

  it('a unit sees only the 通报 naming it; another unit does not see it', async () => {
    const p = await page1366('cgj_reporter');
    await p.goto('/supervision/documents');
    await p.getByTestId('doc-list-row').filter({ hasText: docTitle }).waitFor();
    const rows = await p.getByTestId('doc-list-row').allInnerTexts();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r).toContain('督查通报');
      expect(r).toContain(CGJ);
    }
    await shot(p, 'supdocs-documents-unit');
    const docs = await getJson<{ id: number; kind: string }[]>(p, '/api/supervision/documents');
    expect(docs.every((d) => d.kind === 'bulletin')).toBe(true);
    const other = await page1366('sjj_reporter');
    const theirs = await getJson<{ title: string }[]>(other, '/api/supervision/documents');
    expect(theirs.some((d) => d.title === docTitle)).toBe(false);
  });

  const number = `第E${tag}号`;
  const pTitle = `关于加强夜间施工噪声管控的议案 ${tag}`;

  async function openProposal(p: Page, path: string) {
    await p.goto(path);
    await p.getByPlaceholder('编号或标题').fill(tag);
    await p.getByPlaceholder('编号或标题').press('Enter');
    await p.getByTestId('proposal-row').filter({ hasText: pTitle }).getByText(pTitle).click();
    await p.locator('.ant-drawer-title').filter({ hasText: number }).waitFor();
  }

  async function reply(text: string, withFile: boolean) {
    const p = await page1366('cgj_reporter');
    await openProposal(p, '/supervision/proposals/mine');
    await p.getByTestId('proposal-reply').fill(text);
    if (withFile) {
      await p.locator('.ant-drawer input[type="file"]').setInputFiles({
        name: '答复函.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
      });
      await p.locator('.ant-drawer').getByText('答复函.pdf').waitFor();
    }
    await p.getByTestId('proposal-reply-submit').click();
    await p.getByTestId('proposal-round').filter({ hasText: text }).waitFor();
    return p;
  }

  it('the office assigns a 议案 to the deputy and the 城管局', async () => {
    const p = await page1366('supervisor');
    await p.goto('/supervision/proposals');
    await p.getByTestId('proposal-row').first().waitFor();
    await p.getByTestId('proposal-new').click();
    const modal = p.locator('.ant-modal');
    await modal.getByLabel('编号').fill(number);
    await modal.getByLabel('标题').fill(pTitle);
    await modal.getByLabel('内容').fill('夜间施工噪声扰民投诉多，建议加强审批和执法。');
    await pickOption(p, 'proposal-deputy', '郑代表', { search: true });
    await pickOption(p, 'proposal-lead', '城市管理', { search: true });
    await modal.getByLabel('答复期限').click();
    await modal.getByLabel('答复期限').fill('2026-12-31');
    await modal.getByLabel('答复期限').press('Enter');
    await shot(p, 'supdocs-proposal-assign');
    await modal.getByRole('button', { name: /确\s*定|OK/ }).click();
    await p.getByText('已交办').waitFor();
    await openProposal(p, '/supervision/proposals');
    expect(await p.locator('.ant-drawer').innerText()).toContain('办理中');
  });

  it('the unit replies with a letter; the deputy rates 不满意 with a reason and it goes back', async () => {
    const unit = await reply('已对夜间施工实行审批告知和巡查，答复如下。', true);
    await shot(unit, 'supdocs-proposal-replied');
    const d = await page1366('evaluator');
    await d.goto('/evaluation/inbox');
    await d.getByTestId('proposals-to-rate').waitFor();
    await openProposal(d, '/supervision/proposals/rate');
    // The letter is there to read.
    const href = await d.locator('.ant-drawer a', { hasText: '答复函.pdf' }).getAttribute('href');
    expect((await fetchHead(d, href!)).magic).toBe('%P');
    await d.getByTestId('proposal-rate').getByText('不满意', { exact: true }).click();
    await d.getByTestId('proposal-rate-submit').click();
    // 不满意 needs a reason.
    await d.getByText('不满意时请说明理由').first().waitFor();
    await d.getByTestId('proposal-rate-note').fill('未明确具体措施和时限，请重新办理。');
    await d.getByTestId('proposal-rate-submit').click();
    await d.getByText('第2轮办理').waitFor();
    expect(await d.locator('.ant-drawer').innerText()).toContain('未明确具体措施和时限');
    await shot(d, 'supdocs-proposal-unsatisfied');
  });

  it('the unit replies again; the deputy rates 满意 and it is closed', async () => {
    await reply('第二次答复：已出台夜间施工管理办法，12 月底前完成专项整治。', false);
    const d = await page1366('evaluator');
    await openProposal(d, '/supervision/proposals/rate');
    await d.getByTestId('proposal-rate').getByText('满意', { exact: true }).click();
    await d.getByTestId('proposal-rate-submit').click();
    await d.locator('.ant-drawer').getByText('已办结').waitFor();
    expect(await d.getByTestId('proposal-round').count()).toBe(2);
    await shot(d, 'supdocs-proposal-closed');
    const office = await page1366('supervisor');
    await office.goto('/supervision/proposals');
    await office.getByTestId('proposal-rates').locator('.ant-table-row').first().waitFor();
    await shot(office, 'supdocs-proposals-office');
  });

  it('investment projects: filters, a stage recorded, the stage progress and the export', async () => {
    const p = await page1366('supervisor');
    await p.goto('/supervision/investments');
    await p.getByTestId('inv-row').first().waitFor();
    const all = await p.getByTestId('inv-row').count();
    expect(all).toBeGreaterThanOrEqual(10);
    await shot(p, 'supdocs-investments');
    await pickStage(p, '未签约');
    await expect.poll(() => p.getByTestId('inv-row').count()).toBeLessThan(all);
    const project = p.getByTestId('inv-row').filter({ hasText: '装配式建筑产业基地' });
    await project.waitFor();
    await project.getByRole('button', { name: '登记进展' }).click();
    const modal = p.locator('.ant-modal');
    await modal.getByText('登记「签约」').waitFor();
    await modal.getByLabel('完成日期').click();
    await modal.getByLabel('完成日期').fill('2026-12-01');
    await modal.getByLabel('完成日期').press('Enter');
    await modal.getByLabel('说明').fill('签订投资协议');
    await modal.getByRole('button', { name: /确\s*定|OK/ }).click();
    await p.getByText('已登记').waitFor();
    // It left the 未签约 filter; under 签约 it shows, and its stages show the date reached.
    await pickStage(p, '签约');
    const signed = p.getByTestId('inv-row').filter({ hasText: '装配式建筑产业基地' });
    await signed.waitFor();
    await signed.locator('.ant-table-row-expand-icon').click();
    const steps = p.getByTestId('inv-stages').first();
    await steps.waitFor();
    expect(await steps.innerText()).toContain('完成 2026-12-01');
    await shot(p, 'supdocs-investments-stages');
    const href = await p.getByTestId('inv-export').getAttribute('href');
    expect(href).toContain('stage=signed');
    expect(await fetchHead(p, href!)).toEqual({
      status: 200,
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      magic: 'PK',
    });
    // The leader in charge of the 住建局 sees the project too.
    const leader = await page1366('leader2');
    await leader.goto('/supervision/investments');
    await leader.getByTestId('inv-row').filter({ hasText: '装配式建筑产业基地' }).waitFor();
  });
});
