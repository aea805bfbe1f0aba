import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDate } from '../../engine/workdays.js';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { countCases, successAsOf, type StatCase } from './mediation.stats.js';

let env: TestEnv;
let unitA: number;
let unitB: number;
let unitC: number;
let leafId: number;
let desk: Client;
let deskId: number;
let handlerB: Client;
let handlerC: Client;
const TODAY = beijingDate(new Date());
const YEAR = Number(TODAY.slice(0, 4));
const JAN = `${YEAR}-01-01`;
const q = <T = Record<string, unknown>>(s: string, p: unknown[] = []) => env.database.query<T>(s, p);

beforeAll(async () => {
  env = await createTestEnv();
  const cat = await env.buildCategory();
  unitA = await env.buildUnit({ name: '政务服务中心', categoryId: cat });
  unitB = await env.buildUnit({ name: '人社局', categoryId: cat });
  unitC = await env.buildUnit({ name: '住建局', categoryId: cat });
  ({ leafId } = await env.buildSourceLeaf({
    year: YEAR,
    categoryId: cat,
    root: { code: 'C', name: '服务' },
    leaf: { code: 'C1', name: '调解成功率', dataSource: 'mediation' },
  }));
  deskId = await env.buildUser({ username: 'tj_desk', roles: ['mediator'], unitId: unitA });
  desk = await env.login('tj_desk');
  handlerB = await env.userClient({ roles: ['handler'], unitId: unitB });
  handlerC = await env.userClient({ roles: ['handler'], unitId: unitC });
});
afterAll(async () => env?.close());

const dispute = (over: Record<string, unknown> = {}) => ({
  disputeType: 'labour',
  title: '农民工讨要工资',
  facts: '张三等5人在工地务工，被拖欠工资。',
  hostUnitId: unitA,
  receivedOn: JAN,
  parties: [
    { side: 'applicant', name: '张三', contact: '13800000001', address: '汉正街1号' },
    { side: 'respondent', name: '宏达劳务公司', contact: '027-88880000', address: '' },
  ],
  mediatorIds: [deskId],
  jointUnitIds: [],
  people: 5,
  amountClaimed: 50000,
  ...over,
});

async function register(over: Record<string, unknown> = {}): Promise<number> {
  const r = await desk.post('/api/mediation/cases', dispute(over));
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}
async function session(id: number) {
  const r = await desk.post(`/api/mediation/cases/${id}/sessions`, {
    heldOn: TODAY,
    place: '调解室',
    note: '听取双方陈述',
  });
  expect(r.statusCode, r.body).toBe(200);
  return r;
}

describe('a dispute from registration to the agreement', () => {
  it('registers with a joint unit, logs a session, reaches agreement, and the .docx carries the agreement', async () => {
    const id = await register({ jointUnitIds: [unitB] });
    const got = (await desk.get(`/api/mediation/cases/${id}`)).json();
    expect(got.number).toBe(`TJ${YEAR}-${String(id).padStart(5, '0')}`);
    expect(got.status).toBe('open');
    expect(got.jointUnits.map((u: { id: number }) => u.id)).toEqual([unitB]);
    expect(got.mediators.map((m: { id: number }) => m.id)).toEqual([deskId]);

    // No outcome before a session.
    const early = await desk.post(`/api/mediation/cases/${id}/outcome`, {
      outcome: 'agreed',
      outcomeOn: TODAY,
      agreement: 'x',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.field).toBe('outcome');

    await session(id);
    const noTerms = await desk.post(`/api/mediation/cases/${id}/outcome`, { outcome: 'agreed', outcomeOn: TODAY });
    expect(noTerms.statusCode).toBe(400);
    expect(noTerms.json().error.field).toBe('agreement');
    // No agreement document while open.
    expect((await desk.get(`/api/mediation/cases/${id}/agreement.docx`)).statusCode).toBe(409);

    const done = await desk.post(`/api/mediation/cases/${id}/outcome`, {
      outcome: 'agreed',
      outcomeOn: TODAY,
      agreement: '一、宏达劳务公司支付张三等5人工资共计人民币45000元；\n二、双方再无其他争议。',
      performance: '十日内银行转账',
      amountRecovered: 45000,
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'agreed', outcomeOn: TODAY, amountRecovered: 45000, sessions: 1 });

    const doc = await desk.get(`/api/mediation/cases/${id}/agreement.docx`);
    expect(doc.statusCode).toBe(200);
    expect(doc.headers['content-type']).toContain('wordprocessingml');
    const xml = await (await JSZip.loadAsync(doc.rawPayload)).file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    for (const s of [
      '人民调解协议书',
      got.number,
      '张三',
      '宏达劳务公司',
      '45000',
      '十日内银行转账',
      '政务服务中心人民调解委员会',
      '会同人社局',
      'tj_desk',
    ])
      expect(text).toContain(s);

    // Concluded: no more sessions or outcomes, and the joint unit can read and download it.
    const late = await desk.post(`/api/mediation/cases/${id}/sessions`, {
      heldOn: TODAY,
      place: '调解室',
      note: '再谈',
    });
    expect(late.statusCode).toBe(409);
    expect((await handlerB.get(`/api/mediation/cases/${id}`)).statusCode).toBe(200);
    expect((await handlerB.get(`/api/mediation/cases/${id}/agreement.docx`)).statusCode).toBe(200);
  });

  it('keeps other units out: C neither sees nor changes the case, a joint unit only reads; the rows are unchanged', async () => {
    const id = await register({ jointUnitIds: [unitB], title: '只给乙看的调解' });
    const before = await q('SELECT * FROM mediation_cases WHERE id = $1', [id]);
    expect((await handlerC.get(`/api/mediation/cases/${id}`)).statusCode).toBe(404);
    expect((await handlerC.get(`/api/mediation/cases/${id}/agreement.docx`)).statusCode).toBe(404);
    const listC = (await handlerC.get(`/api/mediation/cases?q=${encodeURIComponent('只给乙看')}`)).json();
    expect(listC.total).toBe(0);
    const listB = (await handlerB.get(`/api/mediation/cases?q=${encodeURIComponent('只给乙看')}`)).json();
    expect(listB.rows.map((r: { id: number }) => r.id)).toEqual([id]);
    // A joint unit reads but does not run the mediation.
    const w = await handlerB.post(`/api/mediation/cases/${id}/sessions`, { heldOn: TODAY, place: 'x', note: 'y' });
    expect(w.statusCode).toBe(403);
    expect((await handlerC.put(`/api/mediation/cases/${id}`, dispute())).statusCode).toBe(403);
    expect(await q('SELECT * FROM mediation_cases WHERE id = $1', [id])).toEqual(before);
    expect(await q('SELECT * FROM mediation_sessions WHERE case_id = $1', [id])).toEqual([]);
    // Mediators list is the desk's.
    expect((await handlerB.get('/api/mediation/mediators')).statusCode).toBe(403);
  });

  it('corrects an open case and refuses to move it to another year', async () => {
    const id = await register();
    const r = await desk.put(`/api/mediation/cases/${id}`, dispute({ title: '更正后的事项', jointUnitIds: [unitC] }));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ title: '更正后的事项', jointUnitNames: ['住建局'] });
    const bad = await desk.put(`/api/mediation/cases/${id}`, dispute({ receivedOn: `${YEAR - 1}-12-30` }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('receivedOn');
  });
});

describe('statistics and score inputs', () => {
  it('the figures equal counts from the raw rows, and the leaf gets the success rate', async () => {
    const outcomes = ['agreed', 'failed', 'arbitration', 'court', 'agreed'] as const;
    for (const [i, o] of outcomes.entries()) {
      const id = await register({ disputeType: i % 2 ? 'neighbour' : 'labour', jointUnitIds: i === 1 ? [unitC] : [] });
      await session(id);
      const r = await desk.post(`/api/mediation/cases/${id}/outcome`, {
        outcome: o,
        outcomeOn: TODAY,
        agreement: o === 'agreed' ? '达成协议' : '',
        amountRecovered: o === 'agreed' ? 1000 * (i + 1) : 0,
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const s = (await desk.get(`/api/mediation/stats?year=${YEAR}`)).json();
    const [raw] = await q<{
      n: number;
      concluded: number;
      agreed: number;
      joint: number;
      people: number;
      recovered: string;
    }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE status <> 'open')::int AS concluded,
              count(*) FILTER (WHERE status = 'agreed')::int AS agreed,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM mediation_units j WHERE j.case_id = m.id))::int AS joint,
              sum(people)::int AS people, sum(amount_recovered)::text AS recovered
         FROM mediation_cases m WHERE year = $1`,
      [YEAR],
    );
    expect(s.total).toMatchObject({
      cases: raw.n,
      concluded: raw.concluded,
      agreed: raw.agreed,
      joint: raw.joint,
      people: raw.people,
      amountRecovered: Number(raw.recovered),
      successRate: Math.round((raw.agreed / raw.concluded) * 1000) / 10,
    });
    const byType = await q<{ t: string; n: number }>(
      'SELECT dispute_type AS t, count(*)::int AS n FROM mediation_cases WHERE year = $1 GROUP BY 1',
      [YEAR],
    );
    expect(
      Object.fromEntries(s.byType.map((x: { disputeType: string; cases: number }) => [x.disputeType, x.cases])),
    ).toEqual(Object.fromEntries(byType.map((x) => [x.t, x.n])));
    expect(s.byMonth.reduce((a: number, m: { cases: number }) => a + m.cases, 0)).toBe(raw.n);

    // The host unit's input for this month: its concluded cases' success rate, from the rows.
    const [hostRaw] = await q<{ concluded: number; agreed: number }>(
      `SELECT count(*)::int AS concluded, count(*) FILTER (WHERE status = 'agreed')::int AS agreed FROM mediation_cases
        WHERE year = $1 AND status <> 'open' AND (host_unit_id = $2 OR EXISTS (SELECT 1 FROM mediation_units j WHERE j.case_id = id AND j.unit_id = $2))`,
      [YEAR, unitA],
    );
    const [input] = await q<{ value: string; source: string; fields: { concluded: number } }>(
      'SELECT value::text, source, fields FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2 AND period = $3',
      [leafId, unitA, TODAY.slice(0, 7)],
    );
    expect(input.source).toBe('mediation');
    expect(input.fields.concluded).toBe(hostRaw.concluded);
    expect(Number(input.value)).toBeCloseTo(Math.round((hostRaw.agreed / hostRaw.concluded) * 1000) / 10, 5);
    // The joint unit C got an input too (its one failed joint case, and any others).
    const [inputC] = await q<{ value: string }>(
      'SELECT value::text FROM score_inputs WHERE indicator_id = $1 AND unit_id = $2 AND period = $3',
      [leafId, unitC, TODAY.slice(0, 7)],
    );
    expect(inputC).toBeDefined();

    // A unit sees the figures of its own cases only.
    const sc = (await handlerC.get(`/api/mediation/stats?year=${YEAR}`)).json();
    const [cRaw] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM mediation_cases m WHERE year = $1 AND (host_unit_id = $2 OR EXISTS (SELECT 1 FROM mediation_units j WHERE j.case_id = m.id AND j.unit_id = $2))`,
      [YEAR, unitC],
    );
    expect(sc.total.cases).toBe(cRaw.n);
    expect(sc.byUnit.every((u: { unitId: number }) => u.unitId === unitC)).toBe(true);
  });

  it('exports the ledger and the statistics as workbooks with the rows', async () => {
    const x = await desk.get(`/api/mediation/cases.xlsx?year=${YEAR}`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const [{ n }] = await q<{ n: number }>('SELECT count(*)::int AS n FROM mediation_cases WHERE year = $1', [YEAR]);
    expect(wb.worksheets[0].rowCount).toBe(n + 1);
    const st = await desk.get(`/api/mediation/stats.xlsx?year=${YEAR}`);
    expect(st.statusCode).toBe(200);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(st.rawPayload as unknown as ArrayBuffer);
    expect(wb2.worksheets.length).toBe(3);
  });
});

describe('the statistics functions', () => {
  const c = (o: Partial<StatCase>): StatCase => ({
    id: 1,
    hostUnitId: 1,
    jointUnitIds: [],
    disputeType: 'labour',
    receivedOn: '2026-01-05',
    status: 'open',
    outcomeOn: null,
    people: 1,
    amountClaimed: 0,
    amountRecovered: 0,
    ...o,
  });
  it('counts outcomes, joint cases and the success rate (null with nothing concluded)', () => {
    expect(countCases([c({})]).successRate).toBeNull();
    const k = countCases([
      c({ status: 'agreed', outcomeOn: '2026-01-10', amountRecovered: 10.105 }),
      c({ status: 'failed', outcomeOn: '2026-01-11', jointUnitIds: [2] }),
      c({ status: 'court', outcomeOn: '2026-02-01' }),
    ]);
    expect(k).toMatchObject({ cases: 3, concluded: 3, agreed: 1, failed: 1, court: 1, joint: 1, successRate: 33.3 });
  });
  it('takes a month-end cut for the input', () => {
    const list = [
      c({ id: 1, status: 'agreed', outcomeOn: '2026-01-10' }),
      c({ id: 2, status: 'failed', outcomeOn: '2026-02-03' }),
    ];
    expect(successAsOf(list, '2026-01-31')).toEqual({ concluded: 1, agreed: 1, rate: 100, caseIds: [1] });
    expect(successAsOf(list, '2026-02-28').rate).toBe(50);
    expect(successAsOf(list, '2025-12-31').rate).toBeNull();
  });
});
