import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDate } from '../../engine/workdays.js';
import { createTestEnv, type Client, type TestEnv } from '../../test/helpers.js';
import { expectOk } from '../cases/cases.testkit.js';
import { multipart, TINY_PDF } from '../reporting/reporting.testkit.js';
import { moveNotice, noticeNumber, noticeOverdue } from './notices.rules.js';
import { issueNotice } from './notices.service.js';

let env: TestEnv;
let unitA: number;
let unitB: number;
let office: Client;
let assessor: Client;
let reporterA: Client;
let leaderA: Client;
let reporterB: Client;
let handlerA: Client;

beforeAll(async () => {
  env = await createTestEnv();
  unitA = await env.buildUnit({ name: '区市场监管局' });
  unitB = await env.buildUnit({ name: '区住建局' });
  office = await env.userClient({ roles: ['office'] });
  assessor = await env.userClient({ roles: ['assessor'] });
  reporterA = await env.userClient({ roles: ['reporter'], unitId: unitA });
  leaderA = await env.userClient({ roles: ['unit_leader'], unitId: unitA });
  reporterB = await env.userClient({ roles: ['reporter'], unitId: unitB });
  handlerA = await env.userClient({ roles: ['handler'], unitId: unitA });
});
afterAll(async () => env?.close());

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => env.database.query<T>(sql, params);
const year = Number(beijingDate(new Date()).slice(0, 4));
const body = (unitId: number, over: Record<string, unknown> = {}) => ({
  kind: 'rectification_advice',
  unitId,
  title: '窗口服务效能问题',
  findings: '明察暗访发现窗口人员离岗\n群众等候时间超过40分钟',
  actions: '落实首问负责制\n公开窗口值班表',
  deadline: `${year + 1}-01-31`,
  ...over,
});

describe('rules', () => {
  it('numbers notices by kind and year, moves replies, flags overdue', () => {
    expect(noticeNumber('supervision_advice', 2026, 7)).toBe('汉监建〔2026〕7号');
    expect(moveNotice('issued', 'reply')).toBe('replied');
    expect(moveNotice('issued', 'accept')).toBeNull();
    expect(moveNotice('replied', 'return')).toBe('returned');
    expect(moveNotice('returned', 'reply')).toBe('replied');
    expect(noticeOverdue({ status: 'issued', deadline: '2026-03-01' }, '2026-03-02')).toBe(true);
    expect(noticeOverdue({ status: 'replied', deadline: '2026-03-01' }, '2026-03-02')).toBe(false);
  });
});

describe('notices', () => {
  it('issues numbered notices, one sequence per kind and year, with a Word document', async () => {
    const n1 = expectOk(await office.post('/api/notices', body(unitA)), 201);
    const n2 = expectOk(await assessor.post('/api/notices', body(unitB, { title: '审批超时' })), 201);
    const n3 = expectOk(await office.post('/api/notices', body(unitA, { kind: 'supervision_decision' })), 201);
    expect([n1.number, n2.number, n3.number]).toEqual([
      `汉效整改〔${year}〕1号`,
      `汉效整改〔${year}〕2号`,
      `汉监决〔${year}〕1号`,
    ]);
    expect(n1).toMatchObject({
      status: 'issued',
      unitName: '区市场监管局',
      overdue: false,
      issuerName: '区绩效管理办公室',
    });
    const doc = await reporterA.get(`/api/notices/${n1.id}/docx`);
    expect(doc.statusCode).toBe(200);
    expect(doc.headers['content-type']).toContain('wordprocessingml');
    expect(doc.rawPayload.subarray(0, 2).toString()).toBe('PK');
    // Units do not issue.
    expect((await reporterA.post('/api/notices', body(unitA))).statusCode).toBe(403);
    expect((await handlerA.get('/api/notices')).statusCode).toBe(403);
  });

  it('the unit replies with measures and evidence; the issuer returns, then accepts — audited', async () => {
    const n = expectOk(await office.post('/api/notices', body(unitA)), 201);
    expect((await office.post(`/api/notices/${n.id}/review`, { accept: true })).statusCode).toBe(409);
    let r = expectOk(
      await reporterA.post(`/api/notices/${n.id}/reply`, { measures: '已调整窗口排班', evidence: '排班表、考勤记录' }),
    );
    expect(r).toMatchObject({ status: 'replied', replyMeasures: '已调整窗口排班' });
    const noReason = await office.post(`/api/notices/${n.id}/review`, { accept: false });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('note');
    r = expectOk(await office.post(`/api/notices/${n.id}/review`, { accept: false, note: '请补充考勤佐证' }));
    expect(r).toMatchObject({ status: 'returned', returns: 1 });
    r = expectOk(await leaderA.post(`/api/notices/${n.id}/reply`, { measures: '已补充', evidence: '考勤记录3页' }));
    r = expectOk(await office.post(`/api/notices/${n.id}/review`, { accept: true, note: '整改到位' }));
    expect(r.status).toBe('accepted');
    expect((await reporterA.post(`/api/notices/${n.id}/reply`, { measures: '再次答复' })).statusCode).toBe(409);
    const actions = (
      await q<{ action: string }>(
        `SELECT action FROM audit_entries WHERE entity_type = 'notice' AND entity_id = $1 ORDER BY id`,
        [String(n.id)],
      )
    ).map((x) => x.action);
    expect(actions).toEqual(['notice.issue', 'notice.reply', 'notice.return', 'notice.reply', 'notice.accept']);
  });

  it("keeps unit A out of B's notices, and B's notice unchanged", async () => {
    const nB = expectOk(await office.post('/api/notices', body(unitB)), 201);
    const before = await q('SELECT * FROM notices WHERE id = $1', [nB.id]);
    expect((await reporterA.get(`/api/notices/${nB.id}`)).statusCode).toBe(404);
    expect((await reporterA.get(`/api/notices/${nB.id}/docx`)).statusCode).toBe(404);
    expect((await reporterA.post(`/api/notices/${nB.id}/reply`, { measures: '甲代答' })).statusCode).toBe(404);
    const listA = expectOk(await reporterA.get('/api/notices?box=received&pageSize=200'));
    expect((listA.rows as { unitId: number }[]).every((x) => x.unitId === unitA)).toBe(true);
    expect(await q('SELECT * FROM notices WHERE id = $1', [nB.id])).toEqual(before);
    expect((await reporterB.get(`/api/notices/${nB.id}`)).statusCode).toBe(200);
  });

  it('flags overdue notices and counts them per unit', async () => {
    // Issued 40 days ago with a deadline 10 days ago (through the face other modules use).
    const at = new Date(Date.now() - 40 * 86_400_000);
    const deadline = beijingDate(new Date(Date.now() - 10 * 86_400_000));
    const { id } = await env.database.db.transaction((tx) =>
      issueNotice(tx, {
        ...body(unitB),
        kind: 'supervision_advice',
        deadline,
        at,
        sourceKind: 'application',
        sourceId: 77,
      }),
    );
    const overdue = expectOk(await office.get('/api/notices?box=overdue&pageSize=200'));
    const ids = (overdue.rows as { id: number; overdue: boolean }[]).map((x) => x.id);
    expect(ids).toContain(id);
    expect((overdue.rows as { overdue: boolean }[]).every((x) => x.overdue)).toBe(true);
    const noticeYear = Number(beijingDate(at).slice(0, 4));
    const counts = expectOk(await office.get(`/api/notices/counts?year=${noticeYear}`)) as unknown as {
      unitId: number;
      issued: number;
      overdue: number;
    }[];
    const [dbB] = await q<{ issued: number; overdue: number }>(
      `SELECT count(*)::int AS issued, count(*) FILTER (WHERE status IN ('issued','returned') AND deadline < $2::date)::int AS overdue
         FROM notices WHERE unit_id = $1 AND year = $3`,
      [unitB, beijingDate(new Date()), noticeYear],
    );
    expect(counts.find((c) => c.unitId === unitB)).toMatchObject(dbB);
    expect(dbB.overdue).toBeGreaterThanOrEqual(1);
  });

  it('links an existing deduction of the same unit only', async () => {
    const [y] = await q<{ id: number }>(
      `INSERT INTO assessment_years (year, name, grade_rule) VALUES (2031, '2031年度', '{}') RETURNING id`,
    );
    const [d] = await q<{ id: number }>(
      `INSERT INTO accountability_deductions (year_id, unit_id, period, points, reason, document_no, created_by_name)
       VALUES ($1, $2, '2031-03', 2, '重大安全事故', '汉纪发〔2031〕1号', '绩效办') RETURNING id`,
      [y.id, unitA],
    );
    const wrong = await office.post('/api/notices', body(unitB, { deductionId: d.id }));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('deductionId');
    const n = expectOk(await office.post('/api/notices', body(unitA, { deductionId: d.id })), 201);
    expect(n.deduction).toEqual({ points: 2, reason: '重大安全事故', documentNo: '汉纪发〔2031〕1号' });
  });
});

describe('reply evidence files', () => {
  it('the unit attaches files to its reply, the issuer downloads them, another unit cannot read them', async () => {
    const n = expectOk(await office.post('/api/notices', body(unitA, { title: '台账不全' })), 201);
    const up = multipart('整改台账.pdf', TINY_PDF, 'application/pdf');
    // Only the unit's own users attach; another unit's reporter gets 404 and nothing is stored.
    const other = await reporterB.post(`/api/notices/${n.id}/files`, up.payload, up.headers);
    expect(other.statusCode).toBe(404);
    const bad = multipart('run.exe', Buffer.from('MZ\x90\x00'), 'application/octet-stream');
    expect((await reporterA.post(`/api/notices/${n.id}/files`, bad.payload, bad.headers)).statusCode).toBe(400);
    const f = expectOk(await reporterA.post(`/api/notices/${n.id}/files`, up.payload, up.headers), 201);
    expect(f.name).toBe('整改台账.pdf');
    expect(f.size).toBe(TINY_PDF.length);
    const [row] = await q<{ n: number }>('SELECT count(*)::int AS n FROM notice_files WHERE notice_id = $1', [n.id]);
    expect(row.n).toBe(1);
    expectOk(await reporterA.post(`/api/notices/${n.id}/reply`, { measures: '已补齐台账', evidence: '整改台账' }));

    // The issuer sees the file on the notice and downloads the same bytes.
    const seen = expectOk(await office.get(`/api/notices/${n.id}`));
    expect((seen.files as { id: number }[]).map((x) => x.id)).toEqual([f.id]);
    const dl = await office.get(`/api/notices/files/${f.id}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toContain('application/pdf');
    expect(Buffer.compare(dl.rawPayload, TINY_PDF)).toBe(0);
    // The unit reads its own; unit B gets 404 (as for a missing file), the list of B shows nothing of A.
    expect((await leaderA.get(`/api/notices/files/${f.id}`)).statusCode).toBe(200);
    expect((await reporterB.get(`/api/notices/files/${f.id}`)).statusCode).toBe(404);
    expect((await reporterB.get('/api/notices/files/999999')).statusCode).toBe(404);
    // Once replied, no more files (409 with the reason); the upload was audited.
    const late = await reporterA.post(`/api/notices/${n.id}/files`, up.payload, up.headers);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toContain('答复已提交');
    const audit = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'notice.file' AND entity_id = $1`,
      [String(n.id)],
    );
    expect(audit[0].n).toBe(1);
  });
});
