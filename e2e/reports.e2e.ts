import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TReportDetail } from '../server/src/modules/reports/reports.schema.js';
import { launch, pickOption, shot, SHOTS, signedInPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const page1366 = (user: string): Promise<Page> => signedInPage(browser, user);

const text = (xml: string) => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

describe('analysis reports', () => {
  it('the office finds the monthly reports, generates one, downloads it and prints it', async () => {
    const p = await page1366('office');
    await p.goto('/reports');
    await p.getByTestId('report-title').first().waitFor();
    expect(await p.getByTestId('report-title').count()).toBeGreaterThanOrEqual(3);
    await shot(p, 'reports-list');

    await p.getByTestId('report-generate').click();
    await pickOption(p, 'report-period', '2026年9月');
    await p.waitForTimeout(400); // the dropdown's closing animation
    await shot(p, 'reports-generate-dialog');
    await p.getByTestId('report-generate-ok').click();
    await p.getByTestId('report-document').waitFor({ timeout: 90_000 });
    expect(p.url()).toMatch(/\/reports\/\d+$/);
    const id = Number(p.url().split('/').pop());
    await p.getByText('2026年9月绩效考核综合分析报告').first().waitFor();
    await shot(p, 'reports-view');
    await p.screenshot({ path: `${SHOTS}/reports-view-top.png` });

    // Download the Word document from the page and open it.
    const [download] = await Promise.all([
      p.waitForEvent('download'),
      p.getByRole('link', { name: /下载 Word/ }).click(),
    ]);
    const file = `${SHOTS}/report-${id}.docx`;
    await download.saveAs(file);
    const bytes = readFileSync(file);
    const zip = await JSZip.loadAsync(bytes);
    const body = text(await zip.file('word/document.xml')!.async('string'));
    expect(body).toContain('2026年9月绩效考核综合分析报告');
    expect(body).toContain('一、总体情况');
    // The same bytes as the API keeps.
    const detail = (await p.evaluate(async (u) => (await fetch(u)).json(), `/api/reports/${id}`)) as TReportDetail;
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(detail.report.docxSha256);
    for (const r of detail.analysis.ranking.slice(0, 5)) expect(body).toContain(r.unitName);

    // The print view: no menu and no header on paper; A4 pages.
    await p.emulateMedia({ media: 'print' });
    expect(await p.locator('.ant-layout-sider').isVisible()).toBe(false);
    expect(await p.locator('.ant-layout-header').isVisible()).toBe(false);
    expect(await p.getByTestId('report-print').isVisible()).toBe(false);
    await shot(p, 'reports-print');
    const pdf = await p.pdf({ format: 'A4', preferCSSPageSize: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThan(1);
    await p.emulateMedia({ media: 'screen' });
  });

  it('a unit leader gets their own unit’s special report', async () => {
    const p = await page1366('cgj_leader');
    await p.goto('/reports');
    await p.getByTestId('report-generate').click();
    await pickOption(p, 'report-period', '2026年9月');
    await p.getByTestId('report-generate-ok').click();
    await p.getByTestId('report-document').waitFor({ timeout: 90_000 });
    await p.getByText('城市管理执法局2026年9月绩效专项分析报告').first().waitFor();
    await shot(p, 'reports-unit-view');
    await p.goto('/reports');
    await p.getByTestId('report-title').first().waitFor();
    const titles = await p.getByTestId('report-title').allTextContents();
    expect(titles.every((x) => x.includes('专项分析报告'))).toBe(true);
  });

  it('a report generated in English shows English headings on its page', async () => {
    const p = await page1366('office');
    // Generated through the API in English (the report's language is the request's); the UI stays Chinese.
    const years = (await p.evaluate(async () => (await fetch('/api/years')).json())) as { id: number; year: number }[];
    const yearId = years.find((y) => y.year === 2026)!.id;
    const res = await p.evaluate(
      async ([body]) => {
        const s = (await (await fetch('/api/auth/session')).json()) as { me?: { csrfToken?: string } };
        const r = await fetch('/api/reports', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'accept-language': 'en',
            'x-csrf-token': s.me?.csrfToken ?? '',
          },
          body: JSON.stringify(body),
        });
        return { status: r.status, json: (await r.json()) as TReportDetail };
      },
      [{ yearId, period: '2026-09' }] as const,
    );
    expect(res.status).toBe(201);
    expect(res.json.analysis.lang).toBe('en');
    await p.goto(`/reports/${res.json.report.id}`);
    const doc = p.getByTestId('report-document');
    await doc.waitFor({ timeout: 90_000 });
    const headings = await doc.locator('h2').allTextContents();
    expect(headings[0]).toBe('I. Overview');
    expect(headings).toContain('II. Changes in scores');
    expect(headings.at(-1)).toBe('Appendix');
    const all = await doc.innerText();
    expect(all).toContain('(Period: ');
    expect(all).toContain('Category');
    expect(all).not.toContain('总体情况');
    expect(all).not.toContain('考核期');
    expect(all).not.toContain('图：');
    // The toolbar follows the UI's language (Chinese here), not the report's.
    expect(await p.getByTestId('report-print').innerText()).toMatch(/打\s*印/);
    await p.screenshot({ path: `${SHOTS}/reports-view-en-top.png` });
    await doc.locator('h2').nth(2).scrollIntoViewIfNeeded();
    await p.screenshot({ path: `${SHOTS}/reports-view-en-weak.png` });
    await shot(p, 'reports-view-en');
  });
});
