import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newPage, shot } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

type UnitScores = { row: { total: number }; tree: { indicatorId: number; code: string; score: number | null }[] };
type Todo = { items: { code: string; period: string; status: string; submissionId: number | null }[] };

const api = <T>(page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).json(), url) as Promise<T>;

describe('data collection journey', () => {
  it('reporter fills a month with an attachment and submits, the unit leader approves, the office accepts, the score changes', async () => {
    // Reporter: a leaf with the default one-value form that has no data for November yet.
    const rep = await newPage(browser);
    await login(rep, 'cgj_reporter');
    await rep.goto('/reporting/my');
    await rep.getByTestId('todo-table').waitFor();
    const todo = await api<Todo>(rep, '/api/reporting/todo');
    // A one-value leaf of the current reporting month that has no data yet (missing, or overdue once its deadline passed).
    const open = todo.items.filter(
      (i) => ['C2_01', 'B1_03', 'A1_05'].includes(i.code) && ['missing', 'overdue'].includes(i.status),
    );
    const item = open.sort((a, b) => b.period.localeCompare(a.period))[0];
    expect(item, 'a leaf without data').toBeTruthy();
    await rep.getByTestId(`fill-${item!.code}-${item!.period}`).click();
    // The unit's November score before the new value.
    const me = await rep.evaluate(async () => (await fetch('/api/auth/me')).json() as Promise<{ unitId: number }>);
    const years = await api<{ id: number; year: number }[]>(rep, '/api/years');
    const yearId = years.find((y) => y.year === Number(item!.period.slice(0, 4)))!.id;
    const scoresUrl = `/api/scores/units/${me.unitId}?yearId=${yearId}&period=${item!.period}`;
    const before = await api<UnitScores>(rep, scoresUrl);
    await rep.getByTestId('field-value').fill('96.5');
    await rep.getByTestId('btn-save').click();
    await rep.getByText('已保存').first().waitFor();
    // Evidence (台账材料): a small PDF attached to the draft.
    await rep
      .locator('.ant-drawer input[type="file"]')
      .first()
      .setInputFiles({
        name: '本月台账.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
      });
    await rep.getByText('本月台账.pdf').first().waitFor();
    await rep.getByTestId('btn-submit').click();
    // A soft flag (if any) must be confirmed with a comment.
    const confirm = rep.getByTestId('confirm-flags-ok');
    if (await confirm.isVisible({ timeout: 1500 }).catch(() => false)) {
      for (const box of await rep
        .locator('[data-testid^="confirm-"] textarea, textarea[data-testid^="confirm-"]')
        .all())
        await box.fill('已核实');
      await confirm.click();
    }
    await rep.getByText('已提交，等待单位领导审核').waitFor();
    await shot(rep, 'reporting-submitted');
    const after = await api<Todo>(rep, '/api/reporting/todo');
    const id = after.items.find((i) => i.code === item!.code && i.period === item!.period)!.submissionId!;
    await rep.context().close();

    // Unit leader: select it in the queue and approve in bulk.
    const lead = await newPage(browser);
    await login(lead, 'cgj_leader');
    await lead.goto('/reporting/approve');
    await lead.getByTestId('bulk-approve-table').waitFor();
    await lead.locator(`tr[data-row-key="${id}"] input[type="checkbox"]`).check();
    await lead.getByTestId('bulk-approve').click();
    await lead.getByText(/已处理 1 条/).waitFor();
    await lead.context().close();

    // Office: open it and accept; the value is then protected.
    const off = await newPage(browser);
    await login(off, 'office');
    await off.goto(`/reporting/submissions/${id}`);
    await off.getByTestId('btn-accept').click();
    await off.getByText('已审核归档').first().waitFor();
    await shot(off, 'reporting-accepted');
    const detail = await api<{ status: string; value: number; revisions: unknown[] }>(
      off,
      `/api/reporting/submissions/${id}`,
    );
    expect(detail).toMatchObject({ status: 'accepted', value: 96.5 });
    expect(detail.revisions).toHaveLength(1);
    const withEvidence = await api<{ evidence: { originalName?: string; name?: string }[] }>(
      off,
      `/api/reporting/submissions/${id}`,
    );
    expect(withEvidence.evidence).toHaveLength(1);

    // The accepted value flows into the scores at once.
    const scoresAfter = await api<UnitScores>(off, scoresUrl);
    const leafBefore = before.tree.find((n) => n.code === item!.code)!;
    const leafAfter = scoresAfter.tree.find((n) => n.code === item!.code)!;
    expect(leafAfter.score).not.toBe(leafBefore.score);
    expect(scoresAfter.row.total).not.toBe(before.row.total);
    await off.goto(`/performance/scores/unit/${me.unitId}`);
    await off.locator('.ant-table-row').first().waitFor();
    await shot(off, 'reporting-unit-score');
    await off.goto('/reporting/review?tab=matrix');
    await off.getByTestId('matrix').waitFor();
    await shot(off, 'reporting-matrix');
    // The year's deadline rule says whether a deadline on a day off moves (法定节假日顺延, on by default).
    await off.goto('/reporting/forms');
    expect(await off.getByTestId('year-rules-summary').innerText()).toContain('顺延');
    await off.getByTestId('forms-list').locator('.ant-table-row').first().waitFor();
    await shot(off, 'reporting-forms-year-rules');
    await off.context().close();
  });
});
