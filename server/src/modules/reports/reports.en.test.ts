import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { campaignWithResults } from '../evaluation/evaluation.testkit.js';
import { storedRating } from '../ratings/ratings.testkit.js';
import { buildWorld, type World } from '../reporting/reporting.testkit.js';
import type { TScoreTable } from '../scoring/scoring.schema.js';
import type { TAnalysis, TReportDetail, TReportList } from './reports.schema.js';
import { scheduledPass } from './reports.service.js';

// A report asked for in English (Accept-Language: en) is written in English — its texts, the .docx and the
// .xlsx — with the same figures as the Chinese one; configured names (units, categories, indicators, grades,
// campaigns, tasks, streets) stay as configured.

let env: TestEnv;
let w: World;
let office: Client;
let leaderA: Client;
const EN = { 'accept-language': 'en' };
const q = <T>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);
/** Chinese characters, CJK punctuation and full-width forms. */
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

beforeAll(async () => {
  env = await createTestEnv();
  w = await buildWorld(env);
  await q(`UPDATE indicators SET method = '{"kind":"ratio","cap":1,"floor":0}' WHERE id = ANY($1)`, [
    [w.leafValue, w.leafForm],
  ]);
  const units = [w.unitA, w.unitB, ...w.peers];
  for (const [k, u] of units.entries())
    for (let m = 0; m < 3; m++)
      await q(
        `INSERT INTO score_inputs(year_id, indicator_id, unit_id, period, value, source, entered_by_name, entered_at) VALUES ($1,$2,$3,$4,$5,'manual','测试',now())`,
        [w.yearId, w.leafValue, u, `2026-0${m + 1}`, [10 + k, 12 - k, 8 + 2 * k][m]],
      );
  // Every part of the report has something to say: a campaign, ratings, an overdue task, cases on a street.
  await campaignWithResults(env.database, {
    year: 2026,
    title: '2026年一季度群众满意度调查',
    status: 'published',
    periodFrom: '2026-01-10',
    periodTo: '2026-02-28',
    results: [
      { unitId: w.unitA, valid: 30, mean: 82.5, satisfactionRate: 90, distribution: [15, 8, 4, 2, 1] },
      { unitId: w.unitB, valid: 20, mean: 64, satisfactionRate: 60, distribution: [4, 4, 4, 4, 4] },
    ],
  });
  const at = (d: string) => `${d}T09:00:00+08:00`;
  await storedRating(env.database, { unitId: w.unitA, level: 'very_satisfied', ratedAt: at('2026-03-02') });
  await storedRating(env.database, {
    unitId: w.unitB,
    level: 'very_unsatisfied',
    ratedAt: at('2026-03-06'),
    rectification: { status: 'returned', dueDate: '2026-03-27' },
  });
  await q(
    `INSERT INTO supervision_tasks(year, source, title, lead_unit_id, start_date, deadline, status, light)
     VALUES (2026, 'work_report', '老旧小区改造', $1, '2026-01-05', '2026-02-20', 'in_progress', 'red')`,
    [w.unitB],
  );
  const [cat] = await q<{ id: number }>(
    `INSERT INTO case_categories(code, name) VALUES ('EN1', '噪音扰民') RETURNING id`,
  );
  for (const day of ['03', '12'])
    await q(
      `INSERT INTO cases(number, password_hash, channel, type, category_id, status, description, lead_unit_id, lat, lng, created_at)
       VALUES ($1, 'x', 'hotline', 'complaint', $2, 'closed', '英文报告测试', $3, 30.5725, 114.2705, $4)`,
      [`EN${day}${Math.random().toString(36).slice(2, 8)}`, cat.id, w.unitA, `2026-03-${day}T10:00:00+08:00`],
    );
  office = await env.userClient({ roles: ['office'] });
  leaderA = await env.userClient({ roles: ['unit_leader'], unitId: w.unitA });
});
afterAll(async () => env?.close());

async function docx(bytes: Buffer): Promise<{ xml: string; text: string; core: string; media: string[] }> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')!.async('string');
  const core = await zip.file('docProps/core.xml')!.async('string');
  const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
  return { xml, text, core, media: Object.keys(zip.files).filter((f) => f.startsWith('word/media/')) };
}

/** The workbook's sheets as rows of cell values (row 1: the headers). */
async function xlsx(bytes: Buffer): Promise<Map<string, unknown[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  const out = new Map<string, unknown[][]>();
  wb.eachSheet((ws) => {
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    out.set(ws.name, rows);
  });
  return out;
}

/** The configured names an analysis quotes (they stay as configured in an English report). */
function configuredNames(a: TAnalysis): string[] {
  const names = new Set<string>();
  const add = (...xs: (string | null | undefined)[]) => xs.forEach((x) => x && names.add(x));
  for (const r of a.ranking) add(r.unitName, r.categoryName, r.grade);
  for (const c of a.summary.categories) add(c.name, ...c.top.map((t) => t.unitName));
  for (const g of a.summary.grades) add(g.label);
  for (const n of a.summary.topNodes) add(n.name);
  for (const m of a.movement)
    for (const g of [...m.gains, ...m.losses]) add(g.unitName, ...g.causes.map((c) => c.name));
  for (const b of a.behind) for (const u of b.units) add(b.categoryName, u.unitName, ...u.weakest.map((l) => l.name));
  for (const t of a.supervision.tasks) add(t.title, t.leadUnitName);
  for (const c of a.cases.topCategories) add(c.name);
  for (const s of a.cases.streets) add(s.name, s.topCategory);
  for (const c of a.evaluation.campaigns) add(c.title, ...c.lowest.map((u) => u.unitName));
  for (const u of a.evaluation.ratings?.topBadUnits ?? []) add(u.unitName);
  for (const u of [...a.lights.units, ...a.missingReports.units, ...a.cases.units]) add(u.unitName);
  add(a.scope.unitName);
  return [...names].sort((x, y) => y.length - x.length);
}

/** The text without the configured names: what must be English. */
const withoutNames = (text: string, names: string[]) => names.reduce((t, n) => t.split(n).join(''), text);

/** The figures of an analysis, without its texts: both languages must give the same. */
function figures(a: TAnalysis) {
  const { summary, supervision, evaluation, cases, suggestions } = a;
  return {
    scoreVersion: a.scoreVersion,
    summary: { ...summary, paragraphs: summary.paragraphs.length },
    ranking: a.ranking,
    movement: a.movement,
    behind: a.behind,
    lights: a.lights,
    missingReports: a.missingReports,
    supervision: { ...supervision, tasks: supervision.tasks.map(({ status: _s, ...t }) => t) },
    cases,
    evaluation: {
      campaigns: evaluation.campaigns,
      ratings: evaluation.ratings && {
        ...evaluation.ratings,
        levels: evaluation.ratings.levels.map((l) => l.count),
      },
    },
    suggestions: suggestions.map(({ finding: _f, advice: _a, ...s }) => s),
    charts: a.charts.map((c) => c.key),
  };
}

describe('the district report in English', () => {
  let zh: TReportDetail;
  let en: TReportDetail;

  beforeAll(async () => {
    const rz = await office.post('/api/reports', { yearId: w.yearId, period: '2026-03' });
    expect(rz.statusCode, rz.body).toBe(201);
    const re = await office.post('/api/reports', { yearId: w.yearId, period: '2026-03' }, EN);
    expect(re.statusCode, re.body).toBe(201);
    [zh, en] = [rz.json(), re.json()];
  });

  it('is kept with its language and listed with it', async () => {
    expect(zh.report.lang).toBe('zh');
    expect(en.report).toMatchObject({ lang: 'en', periodLabel: 'Mar 2026' });
    expect(en.analysis).toMatchObject({
      lang: 'en',
      title: 'Performance Assessment Analysis Report, Mar 2026',
      periodLabel: 'Mar 2026',
      comparedWith: 'Feb 2026',
    });
    expect(zh.analysis).toMatchObject({
      lang: 'zh',
      title: '2026年3月绩效考核综合分析报告',
      comparedWith: '2026年2月',
    });
    const rows = await q<{ id: number; lang: string }>(`SELECT id, lang FROM analysis_reports ORDER BY id`);
    expect(rows).toEqual([
      { id: zh.report.id, lang: 'zh' },
      { id: en.report.id, lang: 'en' },
    ]);
    // The list tells the languages apart; the period's label follows the reader's language.
    const list = (await office.get('/api/reports')).json() as TReportList;
    expect(list.rows.map((r) => [r.id, r.lang, r.periodLabel])).toEqual([
      [en.report.id, 'en', '2026年3月'],
      [zh.report.id, 'zh', '2026年3月'],
    ]);
    const listEn = (await office.get('/api/reports', EN)).json() as TReportList;
    expect(listEn.rows.map((r) => [r.lang, r.periodLabel, r.title])).toEqual([
      ['en', 'Mar 2026', en.analysis.title],
      ['zh', 'Mar 2026', zh.analysis.title],
    ]);
    // Reading a report again gives it in the language it was written in, whoever reads.
    expect((await office.get(`/api/reports/${en.report.id}`)).json().analysis.lang).toBe('en');
    expect((await office.get(`/api/reports/${zh.report.id}`, EN)).json().analysis.title).toBe(zh.analysis.title);
  });

  it('has the Chinese report’s figures, which are the scores API’s', async () => {
    expect(figures(en.analysis)).toEqual(figures(zh.analysis));
    const cur = (await office.get(`/api/scores?yearId=${w.yearId}&period=2026-03`)).json() as TScoreTable;
    expect(en.analysis.ranking).toHaveLength(cur.rows.length);
    for (const r of cur.rows) {
      const mine = en.analysis.ranking.find((x) => x.unitId === r.unitId)!;
      expect(mine.total).toBeCloseTo(r.total, 2);
      expect(mine.rank).toBe(r.rank);
    }
    // Every part had something to write about.
    expect(en.analysis.supervision.tasks.map((t) => [t.title, t.status])).toEqual([['老旧小区改造', 'In progress']]);
    expect(en.analysis.evaluation.ratings?.levels.map((l) => l.label)).toEqual([
      'Very satisfied',
      'Satisfied',
      'Fairly satisfied',
      'Unsatisfied',
      'Very unsatisfied',
    ]);
    expect(en.analysis.cases.streets.map((s) => [s.name, s.topCategory])).toEqual([['汉正街街道', '噪音扰民']]);
    expect(en.analysis.suggestions.length).toBeGreaterThan(0);
  });

  it('writes its sentences, suggestions and chart titles in English, quoting only configured names in Chinese', () => {
    const a = en.analysis;
    const names = configuredNames(a);
    const texts = [
      a.title,
      a.periodLabel,
      a.comparedWith ?? '',
      ...a.summary.paragraphs,
      a.evaluation.note,
      ...a.suggestions.flatMap((s) => [s.finding, s.advice]),
      ...a.charts.map((c) => c.title),
      ...a.supervision.tasks.map((t) => t.status),
    ];
    for (const t of texts) expect(withoutNames(t, names), t).not.toMatch(CJK);
    const ranked = a.ranking.length;
    expect(a.summary.paragraphs[0]).toBe(
      `Mar 2026: ${ranked} units assessed in ${a.summary.categories.length} categories, average score ${a.summary.average!.toFixed(2)} points. ` +
        a.summary.categories
          .map(
            (c) =>
              `${c.name}: ${c.units} ${c.units === 1 ? 'unit' : 'units'}, average ${c.average!.toFixed(2)}, highest ${c.max!.toFixed(2)}, lowest ${c.min!.toFixed(2)} points`,
          )
          .join('; ') +
        '.',
    );
    expect(a.summary.paragraphs.join(' ')).toContain(`Service ratings: 2 ratings in the period`);
    expect(a.charts.map((c) => c.title)).toEqual([
      'Average, highest and lowest scores by category',
      'First-level indicators: district average score',
      '12345 hotline: cases dispatched and closed',
    ]);
    expect(a.charts.find((c) => c.key === 'cases')!.svg).toContain('>Mar<');
  });

  it('opens as a Word document in 公文 layout with English headings, Latin text in Times New Roman, and the same figures', async () => {
    const r = await office.get(`/api/reports/${en.report.id}/docx`);
    expect(r.statusCode).toBe(200);
    const d = await docx(r.rawPayload);
    const z = await docx((await office.get(`/api/reports/${zh.report.id}/docx`)).rawPayload);
    for (const h of [
      'I. Overview',
      'II. Changes in scores',
      '(1) ',
      'III. Lowest-ranked units and weak indicators',
      'IV. Warning lights and data submission',
      'V. Supervision tasks',
      'VI. 12345 hotline requests',
      'VII. Evaluations',
      'VIII. Suggestions for improvement',
      'Appendix',
      'Figure: Average, highest and lowest scores by category',
    ])
      expect(d.text).toContain(h);
    expect(z.text).toContain('一、总体情况');
    expect(z.text).not.toContain('Overview');
    // The layout of the Chinese one: A4, the body's fonts; Latin text in Times New Roman.
    expect(d.xml).toContain('w:w="11906"');
    expect(d.xml).toContain('w:ascii="Times New Roman"');
    expect(d.xml).toContain('仿宋_GB2312');
    expect(d.core).toContain(`<dc:title>${en.analysis.title}</dc:title>`);
    expect(d.core).not.toMatch(CJK);
    // No Chinese but the configured names.
    const rest = withoutNames(d.text, configuredNames(en.analysis));
    expect(rest.match(new RegExp(`.{0,30}${CJK.source}.{0,30}`))?.[0] ?? null).toBeNull();
    // The same figures as the Chinese document and the analysis.
    for (const row of en.analysis.ranking) {
      const cells = `${row.unitName}${row.total.toFixed(2)}${row.rank}/${row.of}`;
      expect(d.text).toContain(cells);
      expect(z.text).toContain(cells);
    }
    const t = en.analysis.cases.totals;
    expect(d.text).toContain(`Cases of this period: ${t.dispatched} dispatched, ${t.closed} closed`);
    for (const s of en.analysis.suggestions) expect(d.text).toContain(`${s.unitName}: ${s.finding}. ${s.advice}.`);
    expect(d.text).toContain('老旧小区改造');
    for (const ext of ['.svg', '.png'])
      expect(d.media.filter((m) => m.endsWith(ext)).length).toBe(z.media.filter((m) => m.endsWith(ext)).length);
    expect(d.media.filter((m) => m.endsWith('.svg')).length).toBe(en.analysis.charts.length);
  });

  it('opens as an Excel workbook with English sheet names and headers and the Chinese workbook’s figures', async () => {
    const e = await xlsx((await office.get(`/api/reports/${en.report.id}/xlsx`)).rawPayload);
    const z = await xlsx((await office.get(`/api/reports/${zh.report.id}/xlsx`)).rawPayload);
    expect([...e.keys()]).toEqual([
      'Overview',
      'Unit scores',
      'First-level indicators',
      'Score changes',
      'Weak indicators',
      'Warning lights',
      'Missing and late',
      'Overdue tasks',
      '12345 by month',
      'Request hot spots',
      'Hot-spot streets',
      'Handling units',
      'Evaluation campaigns',
      'Service ratings',
      'Units with bad ratings',
      'Suggestions',
    ]);
    expect(e.get('Unit scores')![0]).toEqual([
      'Category',
      'Unit code',
      'Unit',
      'Score',
      'Rank',
      'Of',
      'Grade',
      'Previous score',
      'Change',
      'Indicators without data',
    ]);
    const names = configuredNames(en.analysis);
    const zhSheets = [...z.values()];
    [...e.entries()].forEach(([name, rows], k) => {
      for (const h of rows[0]) expect(String(h), name).not.toMatch(CJK);
      for (const row of rows.slice(1))
        for (const cell of row) if (typeof cell === 'string') expect(withoutNames(cell, names), name).not.toMatch(CJK);
      // Same rows, same numbers as the Chinese sheet.
      const zr = zhSheets[k];
      expect(rows.length, name).toBe(zr.length);
      rows.slice(1).forEach((row, i) =>
        row.forEach((cell, j) => {
          if (typeof cell === 'number') expect(cell, `${name} ${i} ${j}`).toBe(zr[i + 1][j]);
        }),
      );
    });
    const scores = e.get('Unit scores')!.slice(1);
    expect(scores.map((r) => [r[2], r[3], r[4]])).toEqual(
      en.analysis.ranking.map((x) => [x.unitName, x.total, x.rank]),
    );
    expect(
      e
        .get('Overdue tasks')!
        .slice(1)
        .map((r) => r[1]),
    ).toEqual(['老旧小区改造']);
    expect(
      e
        .get('Service ratings')!
        .slice(1)
        .map((r) => r[0]),
    ).toEqual([
      'Ratings',
      'Very satisfied',
      'Satisfied',
      'Fairly satisfied',
      'Unsatisfied',
      'Very unsatisfied',
      'Satisfaction rate (%)',
      'Bad ratings',
      'Rectifications open',
      'Rectifications overdue',
      'Rectifications closed',
    ]);
    expect(e.get('Suggestions')!.length - 1).toBe(en.analysis.suggestions.length);
  });
});

describe('a unit’s special report in English', () => {
  it('is written in English for the unit’s leader who asks in English, with the unit’s figures', async () => {
    const r = await leaderA.post('/api/reports', { yearId: w.yearId, period: '2026-Q1', unitId: w.unitA }, EN);
    expect(r.statusCode, r.body).toBe(201);
    const { report, analysis: a } = r.json() as TReportDetail;
    expect(a.title).toBe('Performance Analysis Report of 甲局, Q1 2026');
    expect(a.periodLabel).toBe('Q1 2026');
    const row = (await office.get(`/api/scores?yearId=${w.yearId}&period=2026-Q1`))
      .json()
      .rows.find((x: { unitId: number }) => x.unitId === w.unitA);
    expect(a.summary.unit!.total).toBeCloseTo(row.total, 2);
    const d = await docx((await leaderA.get(`/api/reports/${report.id}/docx`)).rawPayload);
    expect(d.text).toContain(
      `Q1 2026: 甲局 scored ${row.total.toFixed(2)} points in total, ranking ${row.rank} of 7 units in`,
    );
    expect(d.text).toContain('III. Weak indicators');
    expect(withoutNames(d.text, configuredNames(a))).not.toMatch(CJK);
  });
});

describe('reports that stay Chinese', () => {
  it('the monthly job writes in Chinese, and a report kept before languages existed reads as Chinese', async () => {
    expect(await scheduledPass(env.database.db, new Date('2026-03-14T02:00:00Z'))).toEqual({
      issued: 1,
      period: '2026-01',
    });
    const [row] = await q<{ id: number; lang: string; title: string }>(
      `SELECT id, lang, title FROM analysis_reports WHERE trigger = 'scheduled'`,
    );
    expect(row).toMatchObject({ lang: 'zh', title: '2026年1月绩效考核综合分析报告' });
    await q(`UPDATE analysis_reports SET content = content - 'lang' WHERE id = $1`, [row.id]);
    const r = await office.get(`/api/reports/${row.id}`, EN);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ report: { lang: 'zh', periodLabel: 'Jan 2026' }, analysis: { lang: 'zh' } });
  });
});
