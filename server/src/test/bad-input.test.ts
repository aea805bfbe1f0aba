/**
 * Bad input never reaches a 500: every write route answers a bad body with 400 VALIDATION naming
 * the field (Chinese by default, English on request), malformed JSON with 400, and unknown ids in
 * paths with 404. Routes are discovered from the app, so a new POST/PUT/PATCH route (or a route
 * with an id in its path) without a case here makes this file fail, unless NOT_COVERED_* lists it.
 */
import Fastify, { type FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { calendarRoutes } from '../modules/calendar/calendar.routes.js';
import { casesRoutes } from '../modules/cases/cases.routes.js';
import { jobsRoutes } from '../modules/jobs/jobs.routes.js';
import { caseStatsRoutes } from '../modules/casestats/casestats.routes.js';
import { open311KeyRoutes, open311Routes } from '../modules/open311/open311.routes.js';
import { performanceRoutes } from '../modules/performance/performance.routes.js';
import { reportingRoutes } from '../modules/reporting/reporting.routes.js';
import { scoringRoutes } from '../modules/scoring/scoring.routes.js';
import { unitsRoutes } from '../modules/units/units.routes.js';
import type { Role } from '../modules/auth/auth.policy.js';
import { usersRoutes } from '../modules/users/users.routes.js';
import { createTestEnv, TEST_PASSWORD, type Client, type TestEnv } from './helpers.js';

let env: TestEnv;
/** A signed-in client per role the write routes need (each case runs as a user allowed to use its route). */
const clients = {} as Record<Exclude<Who, 'anon'>, Client>;
/** Existing records to aim PATCH routes at. */
const ids = { unit: 0, category: 0, user: 0 };

type Who = 'anon' | 'admin' | 'reporter' | 'leader' | 'office' | 'assessor' | 'agent' | 'handler' | 'supervisor';
const ROLE_OF: Record<Exclude<Who, 'anon'>, Role> = {
  admin: 'admin',
  reporter: 'reporter',
  leader: 'unit_leader',
  office: 'office',
  assessor: 'assessor',
  agent: 'agent',
  handler: 'handler',
  supervisor: 'supervisor',
};

beforeAll(async () => {
  env = await createTestEnv();
  ids.category = await env.buildCategory();
  ids.unit = await env.buildUnit({ categoryId: ids.category });
  ids.user = await env.buildUser({ roles: ['reporter'], unitId: ids.unit });
  for (const [who, role] of Object.entries(ROLE_OF) as [Exclude<Who, 'anon'>, Role][]) {
    // Unit-bound roles belong to a real department; office-wide roles sit in the root district unit.
    const unitBound = role === 'reporter' || role === 'unit_leader' || role === 'handler';
    clients[who] = await env.userClient({ username: `bad_input_${who}`, roles: [role], unitId: unitBound ? ids.unit : undefined });
  }
});
afterAll(async () => env?.close());

const clientOf = (who: Who): Client => (who === 'anon' ? env.anon : clients[who]);

/** One part of a multipart/form-data body: a text field, or a file when filename is given. */
type Part = { name: string; value: string | Buffer; filename?: string; type?: string };
function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----xnbadinput7d1f';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const head = [
      `--${boundary}`,
      `Content-Disposition: form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`,
      ...(p.filename === undefined ? [] : [`Content-Type: ${p.type ?? 'application/octet-stream'}`]),
      '',
      '',
    ].join('\r\n');
    chunks.push(Buffer.from(head), Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const OPEN311_SETTINGS = {
  allowedOrigins: [],
  requireKeyForReads: false,
  extendedStatuses: false,
  anonymousReadsPerMinute: 60,
  keyReadsPerMinute: 600,
  bbox: null,
  outsideArea: 'flag',
};

/** A bad request: a JSON body, or (for upload routes) a multipart form. */
/** `ownMessage`: the module words the English message itself (it need not repeat the field name). */
type BadBody = { body?: unknown; form?: Part[]; field: string; ownMessage?: true };
type WriteCase = { who: Who; url: () => string; bad: BadBody[] };

const okUser = { username: 'valid_name', displayName: '有效', password: 'Valid2026pw', roles: ['reporter'] };
const track = { number: 'A2026010100001', password: '123456' };
const okField = { key: 'a', label: '数量', type: 'integer' };
const okPublicCase = { categoryId: 1, description: '路灯坏了好几天了，晚上很黑', address: '幸福路 1 号' };

/** Every POST/PUT/PATCH route with bad bodies: a missing required field and a wrong type or value (ids in paths need not exist: the body is checked first). */
const WRITE_CASES: Record<string, WriteCase> = {
  'POST /api/auth/login': {
    who: 'anon',
    url: () => '/api/auth/login',
    bad: [
      { body: { username: 'someone' }, field: 'password' },
      { body: { username: 42, password: 'x' }, field: 'username' },
      { body: { username: '', password: 'x' }, field: 'username' },
    ],
  },
  'POST /api/auth/password': {
    who: 'reporter',
    url: () => '/api/auth/password',
    bad: [
      { body: { currentPassword: TEST_PASSWORD }, field: 'newPassword' },
      { body: { currentPassword: TEST_PASSWORD, newPassword: 12345678 }, field: 'newPassword' },
      { body: { newPassword: 'Another2026' }, field: 'currentPassword' },
    ],
  },
  'POST /api/units': {
    who: 'admin',
    url: () => '/api/units',
    bad: [
      { body: { name: '缺编码', kind: 'department', parentId: 1 }, field: 'code' },
      { body: { code: 'BAD1', name: '类型错', kind: 'department', parentId: 'one' }, field: 'parentId' },
      { body: { code: 'BAD2', name: '种类错', kind: 'palace', parentId: 1 }, field: 'kind' },
      { body: { code: 'has space', name: '编码错', kind: 'department', parentId: 1 }, field: 'code' },
      { body: { code: 'BAD3', kind: 'department', parentId: 1 }, field: 'name' },
    ],
  },
  'PATCH /api/units/:id': {
    who: 'admin',
    url: () => `/api/units/${ids.unit}`,
    bad: [
      { body: { name: 5 }, field: 'name' },
      { body: { active: 'yes' }, field: 'active' },
      { body: { sort: -1 }, field: 'sort' },
      { body: { parentId: 1.5 }, field: 'parentId' },
    ],
  },
  'POST /api/unit-categories': {
    who: 'admin',
    url: () => '/api/unit-categories',
    bad: [
      { body: { name: '缺编码' }, field: 'code' },
      { body: { code: 'C1', name: ['x'] }, field: 'name' },
      { body: { code: 'C2', name: '排序错', sort: 'first' }, field: 'sort' },
    ],
  },
  'PATCH /api/unit-categories/:id': {
    who: 'admin',
    url: () => `/api/unit-categories/${ids.category}`,
    bad: [
      { body: { sort: 'high' }, field: 'sort' },
      { body: { description: 'x'.repeat(501) }, field: 'description' },
      { body: { name: '' }, field: 'name' },
    ],
  },
  'POST /api/users': {
    who: 'admin',
    url: () => '/api/users',
    bad: [
      { body: { ...okUser, username: undefined, unitId: 1 }, field: 'username' },
      { body: { ...okUser, unitId: 'one' }, field: 'unitId' },
      { body: { ...okUser, unitId: 1, roles: [] }, field: 'roles' },
      { body: { ...okUser, unitId: 1, roles: ['king'] }, field: 'roles.0' },
      { body: { ...okUser, unitId: 1, phone: '12345' }, field: 'phone' },
      { body: { ...okUser, unitId: 1, password: 'short' }, field: 'password' },
    ],
  },
  'PATCH /api/users/:id': {
    who: 'admin',
    url: () => `/api/users/${ids.user}`,
    bad: [
      { body: { active: 1 }, field: 'active' },
      { body: { displayName: '' }, field: 'displayName' },
      { body: { leaderUnitIds: 'all' }, field: 'leaderUnitIds' },
      { body: { unitId: 2 ** 40 }, field: 'unitId' },
    ],
  },
  // ---------- calendar ----------
  'PUT /api/calendar/days/:date': {
    who: 'admin',
    url: () => '/api/calendar/days/2026-10-08',
    bad: [
      { body: {}, field: 'kind' },
      { body: { kind: 'party' }, field: 'kind' },
      { body: { kind: 'holiday', name: 5 }, field: 'name' },
    ],
  },
  'PUT /api/calendar/years/:year': {
    who: 'admin',
    url: () => '/api/calendar/years/2026',
    bad: [
      { body: {}, field: 'days' },
      { body: { days: [] }, field: 'days' },
      { body: { days: [{ date: '2026-02-30', kind: 'holiday' }] }, field: 'days.0.date' },
    ],
  },
  // ---------- performance ----------
  'POST /api/years': {
    who: 'office',
    url: () => '/api/years',
    bad: [
      { body: {}, field: 'year' },
      { body: { year: '2026' }, field: 'year' },
      { body: { year: 2026, deadlineDay: 29 }, field: 'deadlineDay' },
    ],
  },
  'PATCH /api/years/:id': {
    who: 'office',
    url: () => '/api/years/1',
    bad: [
      { body: { name: 5 }, field: 'name' },
      { body: { deadlineDay: 'x' }, field: 'deadlineDay' },
    ],
  },
  'POST /api/years/:id/copy': {
    who: 'office',
    url: () => '/api/years/1/copy',
    bad: [
      { body: {}, field: 'year' },
      { body: { year: 1999 }, field: 'year' },
    ],
  },
  'POST /api/years/:id/indicators': {
    who: 'office',
    url: () => '/api/years/1/indicators',
    bad: [
      { body: { code: 'A1', points: 10 }, field: 'name' },
      { body: { code: 'A1', name: '指标', points: -1 }, field: 'points' },
      { body: { code: 'A1', name: '指标', points: 10, direction: 'sideways' }, field: 'direction' },
    ],
  },
  'PATCH /api/indicators/:id': {
    who: 'office',
    url: () => '/api/indicators/1',
    bad: [
      { body: { name: '' }, field: 'name' },
      { body: { points: 'ten' }, field: 'points' },
    ],
  },
  'PUT /api/indicators/:id/weights': {
    who: 'office',
    url: () => '/api/indicators/1/weights',
    bad: [
      { body: {}, field: 'weights' },
      { body: { weights: [] }, field: 'weights' },
      { body: { weights: [{ id: 1, weight: -1 }] }, field: 'weights.0.weight' },
    ],
  },
  'PUT /api/years/:id/plans/:unitId': {
    who: 'reporter',
    url: () => `/api/years/1/plans/${ids.unit}`,
    bad: [
      { body: {}, field: 'targets' },
      { body: { targets: [{ indicatorId: 1, target: 'x' }] }, field: 'targets.0.target' },
    ],
  },
  'POST /api/years/:id/plans/:unitId/return': {
    who: 'office',
    url: () => `/api/years/1/plans/${ids.unit}/return`,
    bad: [
      { body: {}, field: 'comment' },
      { body: { comment: '   ' }, field: 'comment' },
    ],
  },
  'POST /api/years/:id/plans/:unitId/approve': {
    who: 'office',
    url: () => `/api/years/1/plans/${ids.unit}/approve`,
    bad: [
      { body: { comment: 5 }, field: 'comment' },
      { body: { comment: 'x'.repeat(1001) }, field: 'comment' },
    ],
  },
  'POST /api/years/:id/plans/:unitId/adjustments': {
    who: 'reporter',
    url: () => `/api/years/1/plans/${ids.unit}/adjustments`,
    bad: [
      { body: { indicatorId: 1, newTarget: 5 }, field: 'reason' },
      { body: { indicatorId: 1, newTarget: 'x', reason: '调整' }, field: 'newTarget' },
    ],
  },
  'POST /api/adjustments/:id/approve': {
    who: 'office',
    url: () => '/api/adjustments/1/approve',
    bad: [
      { body: { comment: 5 }, field: 'comment' },
      { body: { comment: 'x'.repeat(1001) }, field: 'comment' },
    ],
  },
  'POST /api/adjustments/:id/reject': {
    who: 'office',
    url: () => '/api/adjustments/1/reject',
    bad: [
      { body: {}, field: 'comment' },
      { body: { comment: '' }, field: 'comment' },
    ],
  },
  // ---------- reporting ----------
  'PUT /api/reporting/settings/:id': {
    who: 'office',
    url: () => '/api/reporting/settings/1',
    bad: [
      { body: { deadlineMode: 'never' }, field: 'deadlineMode' },
      { body: { deadlineWorkingDays: 0 }, field: 'deadlineWorkingDays' },
      { body: { jumpThresholdPct: 'big' }, field: 'jumpThresholdPct' },
    ],
  },
  'PUT /api/reporting/forms/:indicatorId': {
    who: 'office',
    url: () => '/api/reporting/forms/1',
    bad: [
      { body: {}, field: 'fields' },
      { body: { fields: [] }, field: 'fields' },
      { body: { fields: [{ ...okField, key: 'Bad Key' }] }, field: 'fields.0.key' },
      { body: { fields: [{ ...okField, type: 'colour' }] }, field: 'fields.0.type' },
    ],
  },
  'POST /api/reporting/forms/test-rule': {
    who: 'office',
    url: () => '/api/reporting/forms/test-rule',
    bad: [
      { body: { expression: 'a > 1' }, field: 'definition' },
      { body: { definition: { fields: [okField] } }, field: 'expression' },
    ],
  },
  'PUT /api/reporting/deadlines/:indicatorId': {
    who: 'office',
    url: () => '/api/reporting/deadlines/1',
    bad: [
      { body: { mode: 'day', day: 29 }, field: 'day' },
      { body: { mode: 'working_days', workingDays: 0 }, field: 'workingDays' },
      { body: { mode: 'weekly' }, field: 'mode' },
    ],
  },
  'POST /api/reporting/submissions': {
    who: 'reporter',
    url: () => '/api/reporting/submissions',
    bad: [
      { body: {}, field: 'indicatorId' },
      { body: { indicatorId: 1, unitId: 1, period: '2026-13', values: {} }, field: 'period' },
      { body: { indicatorId: 1, unitId: 1, period: '2026-01' }, field: 'values' },
    ],
  },
  'PUT /api/reporting/submissions/:id': {
    who: 'reporter',
    url: () => '/api/reporting/submissions/1',
    bad: [
      { body: {}, field: 'values' },
      { body: { values: {}, confirmations: 'all' }, field: 'confirmations' },
    ],
  },
  'POST /api/reporting/submissions/:id/submit': {
    who: 'reporter',
    url: () => '/api/reporting/submissions/1/submit',
    bad: [
      { body: { confirmations: 'all' }, field: 'confirmations' },
      { body: { confirmations: [{ key: 'a' }] }, field: 'confirmations.0.comment' },
    ],
  },
  'POST /api/reporting/submissions/:id/return': {
    who: 'office',
    url: () => '/api/reporting/submissions/1/return',
    bad: [
      { body: {}, field: 'reason' },
      { body: { reason: ' ' }, field: 'reason' },
    ],
  },
  'POST /api/reporting/submissions/bulk-approve': {
    who: 'leader',
    url: () => '/api/reporting/submissions/bulk-approve',
    bad: [
      { body: {}, field: 'ids' },
      { body: { ids: [] }, field: 'ids' },
      { body: { ids: ['a'] }, field: 'ids.0' },
    ],
  },
  'POST /api/reporting/submissions/bulk-accept': {
    who: 'office',
    url: () => '/api/reporting/submissions/bulk-accept',
    bad: [
      { body: {}, field: 'ids' },
      { body: { ids: [0] }, field: 'ids.0' },
    ],
  },
  'POST /api/reporting/submissions/:id/revisions': {
    who: 'reporter',
    url: () => '/api/reporting/submissions/1/revisions',
    bad: [
      { body: { values: {} }, field: 'reason' },
      { body: { reason: '填错了' }, field: 'values' },
    ],
  },
  'POST /api/reporting/revisions/:id/approve': {
    who: 'office',
    url: () => '/api/reporting/revisions/1/approve',
    bad: [
      { body: { comment: 5 }, field: 'comment' },
      { body: { comment: 'x'.repeat(501) }, field: 'comment' },
    ],
  },
  'POST /api/reporting/revisions/:id/reject': {
    who: 'office',
    url: () => '/api/reporting/revisions/1/reject',
    bad: [
      { body: {}, field: 'comment' },
      { body: { comment: '' }, field: 'comment' },
    ],
  },
  'POST /api/reporting/submissions/:id/evidence': {
    who: 'reporter',
    url: () => '/api/reporting/submissions/1/evidence',
    bad: [
      { body: {}, field: 'file' },
      { form: [{ name: 'note', value: '没有文件' }], field: 'file' },
    ],
  },
  'POST /api/reporting/excel/upload': {
    who: 'reporter',
    url: () => `/api/reporting/excel/upload?unitId=${ids.unit}&period=2026-01`,
    bad: [
      { body: {}, field: 'file' },
      { form: [{ name: 'note', value: '没有文件' }], field: 'file' },
    ],
  },
  'PUT /api/reporting/third-party': {
    who: 'assessor',
    url: () => '/api/reporting/third-party',
    bad: [
      { body: {}, field: 'period' },
      { body: { period: '2026-01', entries: [] }, field: 'entries' },
      { body: { period: '2026-01', entries: [{ indicatorId: 1, unitId: 'x', values: {} }] }, field: 'entries.0.unitId' },
    ],
  },
  // ---------- cases ----------
  'POST /api/public/cases': {
    who: 'anon',
    url: () => '/api/public/cases',
    bad: [
      { body: {}, field: 'categoryId' },
      { body: { ...okPublicCase, description: '太短' }, field: 'description' },
      { body: { ...okPublicCase, phone: '12345' }, field: 'phone' },
      { form: [{ name: 'description', value: okPublicCase.description }, { name: 'address', value: okPublicCase.address }], field: 'categoryId' },
      { form: [{ name: 'categoryId', value: 'abc' }, { name: 'description', value: okPublicCase.description }, { name: 'address', value: okPublicCase.address }], field: 'categoryId' },
    ],
  },
  'POST /api/public/cases/track': {
    who: 'anon',
    url: () => '/api/public/cases/track',
    bad: [
      { body: { password: '123456' }, field: 'number' },
      { body: { ...track, number: 'X2026' }, field: 'number' },
      { body: { ...track, password: '12' }, field: 'password' },
    ],
  },
  'POST /api/public/cases/rate': {
    who: 'anon',
    url: () => '/api/public/cases/rate',
    bad: [
      { body: track, field: 'rating' },
      { body: { ...track, rating: 'great' }, field: 'rating' },
      { body: { ...track, rating: 'satisfied', comment: 'x'.repeat(501) }, field: 'comment' },
    ],
  },
  'POST /api/cases': {
    who: 'agent',
    url: () => '/api/cases',
    bad: [
      { body: {}, field: 'channel' },
      { body: { channel: 'fax', type: 'complaint', categoryId: 1, description: '路灯坏了很久' }, field: 'channel' },
      { body: { channel: 'hotline', type: 'complaint', categoryId: 1, description: '短' }, field: 'description' },
      { body: { channel: 'hotline', type: 'complaint', categoryId: 'one', description: '路灯坏了很久' }, field: 'categoryId' },
    ],
  },
  'POST /api/cases/:id/attachments': {
    who: 'agent',
    url: () => '/api/cases/1/attachments',
    bad: [
      { body: {}, field: 'file' },
      { form: [{ name: 'note', value: '没有文件' }], field: 'file' },
    ],
  },
  'POST /api/cases/:id/dispatch': {
    who: 'agent',
    url: () => '/api/cases/1/dispatch',
    bad: [
      { body: {}, field: 'leadUnitId' },
      { body: { leadUnitId: 'x' }, field: 'leadUnitId' },
      { body: { leadUnitId: 1, timeLimitDays: 0 }, field: 'timeLimitDays' },
    ],
  },
  'POST /api/cases/:id/reject': { who: 'agent', url: () => '/api/cases/1/reject', bad: [{ body: {}, field: 'reason' }, { body: { reason: 'x' }, field: 'reason' }] },
  'POST /api/cases/:id/merge': { who: 'agent', url: () => '/api/cases/1/merge', bad: [{ body: {}, field: 'mainCaseId' }, { body: { mainCaseId: -1 }, field: 'mainCaseId' }] },
  'POST /api/cases/:id/extension/decide': {
    who: 'agent',
    url: () => '/api/cases/1/extension/decide',
    bad: [
      { body: {}, field: 'approve' },
      { body: { approve: true, days: 0 }, field: 'days' },
    ],
  },
  'POST /api/cases/:id/verify': { who: 'agent', url: () => '/api/cases/1/verify', bad: [{ body: {}, field: 'ok' }, { body: { ok: 'yes' }, field: 'ok' }] },
  'POST /api/cases/:id/close': { who: 'agent', url: () => '/api/cases/1/close', bad: [{ body: {}, field: 'note' }, { body: { note: ' ' }, field: 'note' }] },
  'POST /api/cases/:id/feedback': { who: 'agent', url: () => '/api/cases/1/feedback', bad: [{ body: {}, field: 'rating' }, { body: { rating: 'great' }, field: 'rating' }] },
  'POST /api/cases/:id/review': {
    who: 'agent',
    url: () => '/api/cases/1/review',
    bad: [
      { body: { qualified: true }, field: 'note' },
      { body: { note: '办理到位' }, field: 'qualified' },
    ],
  },
  'POST /api/cases/:id/escalate': { who: 'agent', url: () => '/api/cases/1/escalate', bad: [{ body: {}, field: 'reason' }, { body: { reason: 7 }, field: 'reason' }] },
  'POST /api/cases/:id/remind': { who: 'agent', url: () => '/api/cases/1/remind', bad: [{ body: {}, field: 'note' }, { body: { note: '' }, field: 'note' }] },
  'POST /api/cases/:id/confidential': {
    who: 'agent',
    url: () => '/api/cases/1/confidential',
    bad: [
      { body: {}, field: 'confidential' },
      { body: { confidential: 'yes', reason: '涉及隐私' }, field: 'confidential' },
      { body: { confidential: true, reason: 'x' }, field: 'reason' },
    ],
  },
  'POST /api/cases/:id/extension': {
    who: 'handler',
    url: () => '/api/cases/1/extension',
    bad: [
      { body: { reason: '需要协调' }, field: 'days' },
      { body: { days: 61, reason: '需要协调' }, field: 'days' },
      { body: { days: 5 }, field: 'reason' },
    ],
  },
  'POST /api/cases/:id/return': { who: 'handler', url: () => '/api/cases/1/return', bad: [{ body: {}, field: 'reason' }, { body: { reason: 'x' }, field: 'reason' }] },
  'POST /api/cases/:id/report': {
    who: 'handler',
    url: () => '/api/cases/1/report',
    bad: [
      { body: {}, field: 'result' },
      { body: { result: '已修复', attachmentIds: ['a'] }, field: 'attachmentIds.0' },
    ],
  },
  'POST /api/escalations/:id/decide': { who: 'supervisor', url: () => '/api/escalations/1/decide', bad: [{ body: {}, field: 'approve' }, { body: { approve: 'yes' }, field: 'approve' }] },
  'POST /api/escalations/:id/follow': { who: 'supervisor', url: () => '/api/escalations/1/follow', bad: [{ body: {}, field: 'note' }, { body: { note: '' }, field: 'note' }] },
  'POST /api/case-categories': {
    who: 'admin',
    url: () => '/api/case-categories',
    bad: [
      { body: { name: '市容' }, field: 'code' },
      { body: { code: 'SR1' }, field: 'name' },
      { body: { code: 'SR1', name: '市容', timeLimitDays: 0 }, field: 'timeLimitDays' },
    ],
  },
  'PATCH /api/case-categories/:id': { who: 'admin', url: () => '/api/case-categories/1', bad: [{ body: { name: '' }, field: 'name' }, { body: { active: 'no' }, field: 'active' }] },
  'POST /api/routing-rules': {
    who: 'admin',
    url: () => '/api/routing-rules',
    bad: [
      { body: {}, field: 'kind' },
      { body: { kind: 'keyword', pattern: '路灯' }, field: 'unitId' },
      { body: { kind: 'regex', pattern: '路灯', unitId: 1 }, field: 'kind' },
    ],
  },
  'PATCH /api/routing-rules/:id': { who: 'admin', url: () => '/api/routing-rules/1', bad: [{ body: { priority: 2000 }, field: 'priority' }, { body: { active: 1 }, field: 'active' }] },
  'PUT /api/case-settings': {
    who: 'admin',
    url: () => '/api/case-settings',
    bad: [
      { body: {}, field: 'duplicateRadiusM' },
      { body: { duplicateRadiusM: 5, duplicateDays: 7 }, field: 'duplicateRadiusM' },
      { body: { duplicateRadiusM: 100 }, field: 'duplicateDays' },
      {
        body: { duplicateRadiusM: 100, duplicateDays: 7, typePublication: { complaint: 'public', help: 'public', consultation: 'public', suggestion: 'public', report: 'public', mediation: 'limited' } },
        field: 'typePublication.report',
        ownMessage: true,
      },
      { body: { duplicateRadiusM: 100, duplicateDays: 7, typePublication: { complaint: 'open' } }, field: 'typePublication.complaint' },
    ],
  },
  // ---------- case statistics ----------
  'PUT /api/case-stats/formulas': {
    who: 'admin',
    url: () => '/api/case-stats/formulas',
    bad: [
      { body: {}, field: 'formulas' },
      { body: { formulas: { onTimeRate: 5 } }, field: 'formulas.onTimeRate' },
      { body: { formulas: { onTimeRate: 'completedOnTime / nosuch' } }, field: 'formulas.onTimeRate' },
    ],
  },
  'POST /api/case-stats/sync': { who: 'admin', url: () => '/api/case-stats/sync', bad: [{ body: { rebuild: 'yes' }, field: 'rebuild' }, { body: { rebuild: 1 }, field: 'rebuild' }] },
  // ---------- Open311 keys ----------
  'POST /api/open311/keys': {
    who: 'admin',
    url: () => '/api/open311/keys',
    bad: [
      { body: {}, field: 'name' },
      { body: { name: '客户端', channel: 'fax' }, field: 'channel' },
      { body: { name: 42 }, field: 'name' },
    ],
  },
  'PATCH /api/open311/keys/:id': {
    who: 'admin',
    url: () => '/api/open311/keys/1',
    bad: [
      { body: { active: 'no' }, field: 'active' },
      { body: { name: '' }, field: 'name' },
      { body: { postsPerHour: 0 }, field: 'postsPerHour' },
    ],
  },
  'PUT /api/open311/settings': {
    who: 'admin',
    url: () => '/api/open311/settings',
    bad: [
      { body: {}, field: 'allowedOrigins' },
      { body: { ...OPEN311_SETTINGS, allowedOrigins: ['ftp://files.example.org'] }, field: 'allowedOrigins.0', ownMessage: true },
      { body: { ...OPEN311_SETTINGS, anonymousReadsPerMinute: 0 }, field: 'anonymousReadsPerMinute' },
      { body: { ...OPEN311_SETTINGS, outsideArea: 'ignore' }, field: 'outsideArea' },
      { body: { ...OPEN311_SETTINGS, bbox: { minLat: 31, maxLat: 30, minLng: 114, maxLng: 115 } }, field: 'bbox.maxLat', ownMessage: true },
    ],
  },
  // ---------- scoring ----------
  'POST /api/formulas/evaluate': {
    who: 'reporter',
    url: () => '/api/formulas/evaluate',
    bad: [
      { body: {}, field: 'expression' },
      { body: { expression: '1 +' }, field: 'expression', ownMessage: true },
      { body: { expression: 'a', variables: { a: 'x' } }, field: 'variables.a' },
    ],
  },
  'POST /api/ahp': { who: 'reporter', url: () => '/api/ahp', bad: [{ body: {}, field: 'matrix' }, { body: { matrix: 'x' }, field: 'matrix' }] },
  'POST /api/scores/sandbox': {
    who: 'office',
    url: () => '/api/scores/sandbox',
    bad: [
      { body: {}, field: 'yearId' },
      { body: { yearId: 1, period: '2026-13' }, field: 'period' },
    ],
  },
  'POST /api/scores/publications': {
    who: 'office',
    url: () => '/api/scores/publications',
    bad: [
      { body: {}, field: 'yearId' },
      { body: { yearId: 1, period: 'June' }, field: 'period' },
    ],
  },
  'POST /api/scores/deductions': {
    who: 'office',
    url: () => '/api/scores/deductions',
    bad: [
      { body: {}, field: 'yearId' },
      { body: { yearId: 1, unitId: 1, period: '2026-01', points: 0, reason: '迟报', documentNo: '区绩办〔2026〕1号' }, field: 'points' },
    ],
  },
  'PATCH /api/scores/deductions/:id': { who: 'office', url: () => '/api/scores/deductions/1', bad: [{ body: { points: 0 }, field: 'points' }, { body: { reason: 5 }, field: 'reason' }] },
  'POST /api/scores/inputs': {
    who: 'office',
    url: () => '/api/scores/inputs',
    bad: [
      { body: {}, field: 'yearId' },
      { body: { yearId: 1, indicatorId: 1, unitId: 1, period: '2026-01', value: 'x', reason: '补录' }, field: 'value' },
    ],
  },
};

const pdf: Part[] = [{ name: 'file', value: '%PDF-1.4\n%test\n', filename: 'evidence.pdf', type: 'application/pdf' }];
// A 1×1 transparent PNG.
const png: Part[] = [
  {
    name: 'file',
    value: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'),
    filename: 'photo.png',
    type: 'image/png',
  },
];

/**
 * A valid request per route whose path carries an id, aimed at an id that does not exist: must be 404.
 * `who` is a user allowed to use the route (default admin). `upsert` marks a path naming a record the
 * request creates (a calendar date or year), where only the malformed-id check applies. `unknown` is the
 * unknown value when 999999 is not a valid one; `query` a query string the route needs.
 */
type IdCase = { who?: Who; body?: unknown; form?: Part[]; upsert?: true; unknown?: string; query?: string };
const UNKNOWN_ID_CASES: Record<string, IdCase> = {
  'GET /api/units/:id': {},
  'PATCH /api/units/:id': { body: { name: '不存在' } },
  'DELETE /api/units/:id': {},
  'PATCH /api/unit-categories/:id': { body: { name: '不存在' } },
  'DELETE /api/unit-categories/:id': {},
  'GET /api/users/:id': {},
  'PATCH /api/users/:id': { body: { displayName: '不存在' } },
  // calendar
  'PUT /api/calendar/days/:date': { upsert: true, body: { kind: 'holiday', name: '测试' } },
  'DELETE /api/calendar/days/:date': { unknown: '2031-05-13' },
  'PUT /api/calendar/years/:year': { upsert: true, body: { days: [{ date: '2026-10-08', kind: 'holiday' }] } },
  // performance
  'GET /api/years/:id': { who: 'office' },
  'PATCH /api/years/:id': { who: 'office', body: { name: '不存在' } },
  'DELETE /api/years/:id': { who: 'office' },
  'GET /api/years/:id/check': { who: 'office' },
  'POST /api/years/:id/activate': { who: 'office' },
  'POST /api/years/:id/close': { who: 'office' },
  'POST /api/years/:id/copy': { who: 'office', body: { year: 2099 } },
  'GET /api/years/:id/indicators': { who: 'office' },
  'POST /api/years/:id/indicators': { who: 'office', body: { code: 'X1', name: '指标', points: 10 } },
  'PATCH /api/indicators/:id': { who: 'office', body: { name: '不存在' } },
  'DELETE /api/indicators/:id': { who: 'office' },
  'PUT /api/indicators/:id/weights': { who: 'office', body: { weights: [{ id: 1, weight: 1 }] } },
  'GET /api/years/:id/plans': { who: 'office' },
  'GET /api/years/:id/plans/:unitId': { who: 'office' },
  'PUT /api/years/:id/plans/:unitId': { who: 'reporter', body: { targets: [] } },
  'POST /api/years/:id/plans/:unitId/submit': { who: 'leader' },
  'POST /api/years/:id/plans/:unitId/return': { who: 'office', body: { comment: '退回' } },
  'POST /api/years/:id/plans/:unitId/approve': { who: 'office', body: {} },
  'POST /api/years/:id/plans/:unitId/adjustments': { who: 'reporter', body: { indicatorId: 1, newTarget: 5, reason: '调整' } },
  'GET /api/years/:id/adjustments': { who: 'office' },
  'POST /api/adjustments/:id/approve': { who: 'office', body: {} },
  'POST /api/adjustments/:id/reject': { who: 'office', body: { comment: '不同意' } },
  'GET /api/years/:id/plans/:unitId/book.docx': { who: 'office' },
  'GET /api/years/:id/book.docx': { who: 'office' },
  // reporting
  'PUT /api/reporting/settings/:id': { who: 'office', body: { reminderDaysBefore: 3 } },
  'GET /api/reporting/forms/:indicatorId': { who: 'office' },
  'PUT /api/reporting/forms/:indicatorId': { who: 'office', body: { fields: [okField] } },
  'DELETE /api/reporting/forms/:indicatorId': { who: 'office' },
  'PUT /api/reporting/deadlines/:indicatorId': { who: 'office', body: { mode: 'day', day: 10 } },
  'DELETE /api/reporting/deadlines/:indicatorId': { who: 'office' },
  'GET /api/reporting/submissions/:id': { who: 'reporter' },
  'PUT /api/reporting/submissions/:id': { who: 'reporter', body: { values: {} } },
  'DELETE /api/reporting/submissions/:id': { who: 'reporter' },
  'POST /api/reporting/submissions/:id/submit': { who: 'reporter', body: {} },
  'POST /api/reporting/submissions/:id/approve': { who: 'leader' },
  'POST /api/reporting/submissions/:id/accept': { who: 'office' },
  'POST /api/reporting/submissions/:id/return': { who: 'office', body: { reason: '退回' } },
  'POST /api/reporting/submissions/:id/revisions': { who: 'reporter', body: { reason: '填错了', values: {} } },
  'POST /api/reporting/revisions/:id/approve': { who: 'office', body: {} },
  'POST /api/reporting/revisions/:id/reject': { who: 'office', body: { comment: '不同意' } },
  'POST /api/reporting/submissions/:id/evidence': { who: 'reporter', form: pdf },
  'GET /api/reporting/evidence/:id': { who: 'reporter' },
  'DELETE /api/reporting/evidence/:id': { who: 'reporter' },
  'POST /api/reporting/notifications/:id/read': { who: 'reporter' },
  // cases
  'GET /api/cases/:id': { who: 'agent' },
  'GET /api/cases/:id/duplicates': { who: 'agent' },
  'GET /api/cases/:id/routing-suggestion': { who: 'agent' },
  'POST /api/cases/:id/attachments': { who: 'agent', form: png },
  'GET /api/cases/:id/attachments/:attachmentId': { who: 'agent' },
  'POST /api/cases/:id/dispatch': { who: 'agent', body: { leadUnitId: 1 } },
  'POST /api/cases/:id/reject': { who: 'agent', body: { reason: '不属实' } },
  'POST /api/cases/:id/merge': { who: 'agent', body: { mainCaseId: 1 } },
  'POST /api/cases/:id/extension/decide': { who: 'agent', body: { approve: true } },
  'POST /api/cases/:id/verify': { who: 'agent', body: { ok: true } },
  'POST /api/cases/:id/close': { who: 'agent', body: { note: '办结' } },
  'POST /api/cases/:id/feedback': { who: 'agent', body: { rating: 'satisfied' } },
  'POST /api/cases/:id/review': { who: 'agent', body: { qualified: true, note: '办理到位' } },
  'POST /api/cases/:id/escalate': { who: 'agent', body: { reason: '久拖不决' } },
  'POST /api/cases/:id/remind': { who: 'agent', body: { note: '请尽快' } },
  'POST /api/cases/:id/confidential': { who: 'agent', body: { confidential: true, reason: '涉及个人隐私' } },
  'POST /api/cases/:id/sign': { who: 'handler' },
  'POST /api/cases/:id/start': { who: 'handler' },
  'POST /api/cases/:id/extension': { who: 'handler', body: { days: 5, reason: '需要协调' } },
  'POST /api/cases/:id/return': { who: 'handler', body: { reason: '不属本单位' } },
  'POST /api/cases/:id/report': { who: 'handler', body: { result: '已修复' } },
  'POST /api/escalations/:id/decide': { who: 'supervisor', body: { approve: true } },
  'POST /api/escalations/:id/follow': { who: 'supervisor', body: { note: '跟进' } },
  'POST /api/case-notices/:id/read': { who: 'handler' },
  'PATCH /api/case-categories/:id': { body: { name: '不存在' } },
  'DELETE /api/case-categories/:id': {},
  'PATCH /api/routing-rules/:id': { body: { priority: 1 } },
  'DELETE /api/routing-rules/:id': {},
  // Open311 keys
  'PATCH /api/open311/keys/:id': { body: { active: false } },
  // scoring
  'GET /api/scores/units/:unitId': { who: 'office', query: '?yearId=1' },
  'GET /api/scores/publications/:id': { who: 'office' },
  'PATCH /api/scores/deductions/:id': { who: 'office', body: { points: 1 } },
  'DELETE /api/scores/deductions/:id': { who: 'office' },
  'GET /api/public/scores/:yearId': { who: 'anon' },
  // jobs (the job name must look like <module>.<job>: abc, -1, 1.5 and 99999999999 do not)
  'POST /api/jobs/:name/run': { unknown: 'no_such.job' },
  'POST /api/sms-outbox/:id/resend': {},
};

/** Each module's routes plugin with its prefix, as app.ts registers them; used to tell which module owns a route. */
const MODULE_PLUGINS: [module: string, prefix: string, plugin: FastifyPluginAsync][] = [
  ['auth', '/api', authRoutes as FastifyPluginAsync],
  ['units', '/api', unitsRoutes as FastifyPluginAsync],
  ['users', '/api', usersRoutes as FastifyPluginAsync],
  ['audit', '/api', auditRoutes as FastifyPluginAsync],
  ['calendar', '/api', calendarRoutes as FastifyPluginAsync],
  ['performance', '/api', performanceRoutes as FastifyPluginAsync],
  ['scoring', '/api', scoringRoutes as FastifyPluginAsync],
  ['reporting', '/api', reportingRoutes as FastifyPluginAsync],
  ['cases', '/api', casesRoutes as FastifyPluginAsync],
  ['casestats', '/api', caseStatsRoutes as FastifyPluginAsync],
  ['open311-keys', '/api', open311KeyRoutes as FastifyPluginAsync],
  ['jobs', '/api', jobsRoutes as FastifyPluginAsync],
  ['open311', '/open311/v2', open311Routes],
];

/** The only routes the coverage checks skip, each with the reason. */
const NOT_COVERED_ROUTES: Record<string, string> = {
  'POST /api/auth/logout': 'takes no body and no id',
  'POST /api/years/:id/activate': 'takes no body (its unknown id is checked below)',
  'POST /api/years/:id/close': 'takes no body (its unknown id is checked below)',
  'POST /api/years/:id/plans/:unitId/submit': 'takes no body (its unknown id is checked below)',
  'POST /api/reporting/submissions/:id/approve': 'takes no body (its unknown id is checked below)',
  'POST /api/reporting/submissions/:id/accept': 'takes no body (its unknown id is checked below)',
  'POST /api/reporting/notifications/:id/read': 'takes no body (its unknown id is checked below)',
  'POST /api/reporting/notifications/read-all': 'takes no body and no id',
  'POST /api/cases/:id/sign': 'takes no body (its unknown id is checked below)',
  'POST /api/cases/:id/start': 'takes no body (its unknown id is checked below)',
  'POST /api/case-notices/:id/read': 'takes no body (its unknown id is checked below)',
  'POST /api/jobs/:name/run': 'takes no body (its unknown name is checked below)',
  'POST /api/sms-outbox/:id/resend': 'takes no body (its unknown id is checked below)',
};
/** Routes the write-case check skips but whose ids are still checked. */
const NO_BODY = (key: string) => key in NOT_COVERED_ROUTES && key.includes('/:');
const NOT_COVERED_MODULES: Record<string, string> = {
  // Public Open311 GeoReport API for citizens' apps (form-encoded bodies, its own error format).
  open311: 'public API, covered by the open311 module tests',
};

/** "METHOD /path" → the module whose plugin registers it, found by registering each plugin alone with an onRoute hook. */
async function routeOwners(): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (const [module, prefix, plugin] of MODULE_PLUGINS) {
    const app = Fastify({ logger: false });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.decorate('xn', env.app.xn);
    app.addHook('onRoute', (r) => {
      for (const m of [r.method].flat()) if (m !== 'HEAD') owners.set(`${m} ${r.url}`, module);
    });
    await app.register(plugin, { prefix });
    await app.ready();
    await app.close();
  }
  return owners;
}

let owners: Map<string, string>;
const skippedModule = (key: string) => (owners.get(key) ?? '') in NOT_COVERED_MODULES;

/** Every route of the app as "METHOD /path", from Fastify's route tree (HEAD, which mirrors GET, left out). */
function discoverRoutes(): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of env.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    const path = stack.join('').replace(/^\/+/, '/');
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) out.push(`${method} ${path}`);
  }
  return out;
}

const CHINESE = /[\u4e00-\u9fff]/;

/** Row counts of every table but sessions (a request touches its session): nothing may change on a refused request. */
let countSql = '';
async function rowCounts(): Promise<Record<string, number>> {
  if (!countSql) {
    const tables = await env.database.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '%session%' ORDER BY 1`,
    );
    countSql = tables.map((t) => `SELECT '${t.name}' AS t, count(*)::int AS n FROM "${t.name}"`).join(' UNION ALL ');
  }
  const rows = await env.database.query<{ t: string; n: number }>(countSql);
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

/** Sends a request with a JSON body or a multipart form. */
function send(who: Who, method: string, url: string, req: { body?: unknown; form?: Part[] }, headers: Record<string, string> = {}) {
  if (req.form) {
    const m = multipart(req.form);
    return clientOf(who).request({ method: method as 'POST', url, payload: m.payload, headers: { ...m.headers, ...headers } });
  }
  return clientOf(who).request({ method: method as 'POST', url, payload: req.body as object, headers });
}

describe('route discovery', () => {
  beforeAll(async () => {
    owners = await routeOwners();
  });

  it('finds the routes and their modules (sanity check of the discovery)', () => {
    const routes = discoverRoutes();
    expect(routes).toEqual(expect.arrayContaining(['POST /api/auth/login', 'GET /api/units/:id', 'PATCH /api/users/:id', 'GET /api/health']));
    expect(owners.get('PATCH /api/units/:id')).toBe('units');
    expect(owners.get('POST /api/auth/login')).toBe('auth');
    expect(owners.get('PATCH /api/open311/keys/:id')).toBe('open311-keys');
    // Every module route is in the app, so the module list above matches app.ts …
    // (the Open311 CORS preflight, OPTIONS on a wildcard, is printed apart from its module's tree)
    expect([...owners.keys()].filter((k) => !routes.includes(k) && !k.startsWith('OPTIONS '))).toEqual([]);
    // … and every /api route but the health check belongs to a listed module.
    expect(routes.filter((r) => / \/api\//.test(r) && !owners.has(r) && !r.includes('/api/docs') && r !== 'GET /api/health')).toEqual([]);
  });

  it('has bad-input cases for every POST/PUT/PATCH route', () => {
    const writes = discoverRoutes().filter((r) => /^(POST|PUT|PATCH) /.test(r) && !(r in NOT_COVERED_ROUTES) && !skippedModule(r));
    expect(writes.filter((r) => !WRITE_CASES[r])).toEqual([]);
    // And no stale cases for routes that no longer exist.
    expect(Object.keys(WRITE_CASES).filter((k) => !writes.includes(k))).toEqual([]);
    expect(Object.keys(NOT_COVERED_ROUTES).filter((k) => !discoverRoutes().includes(k))).toEqual([]);
  });

  it('has an unknown-id case for every route with an id in its path', () => {
    const withId = discoverRoutes().filter((r) => r.includes('/:') && (!(r in NOT_COVERED_ROUTES) || NO_BODY(r)) && !skippedModule(r) && !r.startsWith('GET /api/docs'));
    expect(withId.filter((r) => !UNKNOWN_ID_CASES[r])).toEqual([]);
    expect(Object.keys(UNKNOWN_ID_CASES).filter((k) => !withId.includes(k))).toEqual([]);
  });
});

describe.each(Object.entries(WRITE_CASES))('%s', (key, c) => {
  const method = key.split(' ')[0] as 'POST' | 'PUT' | 'PATCH';

  it.each(c.bad)('answers 400 naming $field', async (bad) => {
    const before = await rowCounts();
    const zh = await send(c.who, method, c.url(), bad);
    expect(zh.statusCode, zh.body).toBe(400);
    const err = zh.json().error;
    expect(err.code).toBe('VALIDATION');
    expect(err.field).toBe(bad.field);
    expect(err.message).toMatch(CHINESE);
    const en = await send(c.who, method, c.url(), bad, { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.statusCode).toBe(400);
    expect(en.json().error.field).toBe(bad.field);
    expect(en.json().error.message).not.toMatch(CHINESE);
    if (!bad.ownMessage) expect(en.json().error.message).toContain(bad.field.split('.')[0]);
    // Nothing was written (no row added or removed anywhere, no audit entry).
    expect(await rowCounts()).toEqual(before);
  });

  it('answers malformed JSON, a non-object body and a wrong content type with 4xx, never 500', async () => {
    const client = clientOf(c.who);
    const broken = await client.request({ method, url: c.url(), payload: '{"code": ', headers: { 'content-type': 'application/json' } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('VALIDATION');
    const arr = await client.request({ method, url: c.url(), payload: '[1,2]', headers: { 'content-type': 'application/json' } });
    expect(arr.statusCode).toBe(400);
    expect(arr.json().error.code).toBe('VALIDATION');
    const nul = await client.request({ method, url: c.url(), payload: 'null', headers: { 'content-type': 'application/json' } });
    expect(nul.statusCode).toBe(400);
    const text = await client.request({ method, url: c.url(), payload: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(text.statusCode).toBeGreaterThanOrEqual(400);
    expect(text.statusCode).toBeLessThan(500);
  });
});

/** The path with every `:param` set to `value`, except `bad` set to `badValue`. */
const fill = (path: string, value: string, bad?: { param: string; value: string }) =>
  path.replace(/:([A-Za-z]+)/g, (_, p: string) => (bad && p === bad.param ? bad.value : value));
const paramsOf = (path: string) => [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);

describe('ids in paths', () => {
  it.each(Object.entries(UNKNOWN_ID_CASES).filter(([, c]) => !c.upsert))('%s answers 404 for an unknown id', async (key, c) => {
    const [method, path] = key.split(' ');
    const before = await rowCounts();
    const res = await send(c.who ?? 'admin', method, fill(path, c.unknown ?? '999999') + (c.query ?? ''), c);
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect(res.json().error.message).toMatch(CHINESE);
    expect(await rowCounts()).toEqual(before);
  });

  it.each(Object.entries(UNKNOWN_ID_CASES))('%s answers 400 for a malformed or out-of-range id', async (key, c) => {
    const [method, path] = key.split(' ');
    for (const param of paramsOf(path)) {
      for (const bad of ['abc', '-1', '1.5', '99999999999']) {
        const res = await send(c.who ?? 'admin', method, fill(path, c.unknown ?? '999999', { param, value: bad }) + (c.query ?? ''), c);
        expect(res.statusCode, `${key} with ${param}=${bad}`).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'VALIDATION', field: param });
      }
    }
  });
});
