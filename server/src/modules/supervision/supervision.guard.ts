/** Guard-test cases of the supervision module (see test/guards.ts). */
import { expect } from 'vitest';
import type { ModuleGuard } from '../../test/guards.js';
import {
  fieldworkBadInput,
  fieldworkOwnReads,
  fieldworkReads,
  fieldworkSetup,
  fieldworkWrites,
} from './supervision.fieldwork.guard.js';

const task = { source: 'work_report', title: '任务', leadUnitId: 1, deadline: '2026-12-31' };
const investment = {
  year: 2026,
  name: '智能制造产业园',
  contractAmount: 50000,
  unitId: 1,
  planned: { signed: '2026-03-01', registered: '2026-04-01', started: '2026-06-01', producing: '2027-06-01' },
};
/** A 1×1 PNG as a multipart form (for the upload probes). */
function pngForm(): { payload: Buffer; headers: Record<string, string> } {
  const b = '----xnsupguard';
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  const payload = Buffer.concat([
    Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    png,
    Buffer.from(`\r\n--${b}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}
const proposal = {
  kind: 'npc_motion',
  year: 2026,
  number: '第1号',
  title: '关于加强社区养老服务的议案',
  deputyId: 1,
  leadUnitId: 1,
  deadline: '2026-06-30',
};

export const guard: ModuleGuard = {
  badInput: (kit) => ({
    writes: {
      ...fieldworkBadInput(kit).writes,
      'POST /api/supervision/tasks': {
        who: 'supervisor',
        url: () => '/api/supervision/tasks',
        bad: [
          { body: { source: 'work_report', leadUnitId: 1, deadline: '2026-12-31' }, field: 'title' },
          { body: { ...task, source: 'gossip' }, field: 'source' },
          { body: { ...task, deadline: '2026-02-30' }, field: 'deadline' },
          { body: { ...task, leadUnitId: 'one' }, field: 'leadUnitId' },
          { body: { ...task, cadence: 'hourly' }, field: 'cadence' },
          { body: { ...task, milestones: [{ title: '节点' }] }, field: 'milestones.0.dueOn' },
          { body: { ...task, leadUnitId: 999999 }, field: 'leadUnitId', ownMessage: true },
          { body: { ...task, startDate: '2026-06-01', deadline: '2026-05-01' }, field: 'deadline', ownMessage: true },
        ],
      },
      'POST /api/supervision/instructions': {
        who: 'dleader',
        url: () => '/api/supervision/instructions',
        bad: [
          { body: { targetKind: 'free', title: '批示' }, field: 'content' },
          { body: { targetKind: 'rumour', title: '批示', content: '请办理' }, field: 'targetKind' },
          { body: { targetKind: 'case', title: '批示', content: '请办理' }, field: 'targetRef', ownMessage: true },
          {
            body: { targetKind: 'free', title: '批示', content: '请办理', unitId: 999999 },
            field: 'unitId',
            ownMessage: true,
          },
        ],
      },
      'POST /api/supervision/tasks/:id/accept': {
        who: 'supervisor',
        url: () => '/api/supervision/tasks/1/accept',
        bad: [
          { body: { deadline: '2026-12-31' }, field: 'leadUnitId' },
          { body: { leadUnitId: 1, deadline: 'soon' }, field: 'deadline' },
        ],
      },
      'POST /api/supervision/tasks/:id/merge': {
        who: 'supervisor',
        url: () => '/api/supervision/tasks/1/merge',
        bad: [
          { body: { reason: '重复' }, field: 'intoTaskId' },
          { body: { intoTaskId: 2 }, field: 'reason' },
        ],
      },
      'POST /api/supervision/tasks/:id/decline': {
        who: 'supervisor',
        url: () => '/api/supervision/tasks/1/decline',
        bad: [
          { body: {}, field: 'reason' },
          { body: { reason: '  ' }, field: 'reason' },
        ],
      },
      'POST /api/supervision/tasks/:id/sign': {
        who: 'reporter',
        url: () => '/api/supervision/tasks/1/sign',
        bad: [{ body: { note: 5 }, field: 'note' }],
      },
      'POST /api/supervision/tasks/:id/plan': {
        who: 'reporter',
        url: () => '/api/supervision/tasks/1/plan',
        bad: [
          { body: {}, field: 'plan' },
          { body: { plan: '方案', milestones: [{ title: '节点', dueOn: '明天' }] }, field: 'milestones.0.dueOn' },
        ],
      },
      'POST /api/supervision/tasks/:id/plan/approve': {
        who: 'dleader',
        url: () => '/api/supervision/tasks/1/plan/approve',
        bad: [{ body: { note: ['x'] }, field: 'note' }],
      },
      'POST /api/supervision/tasks/:id/plan/return': {
        who: 'dleader',
        url: () => '/api/supervision/tasks/1/plan/return',
        bad: [{ body: {}, field: 'reason' }],
      },
      'POST /api/supervision/tasks/:id/reports': {
        who: 'reporter',
        url: () => '/api/supervision/tasks/1/reports',
        bad: [
          { body: { note: '进展' }, field: 'progress' },
          { body: { progress: 101, note: '进展' }, field: 'progress' },
          { body: { progress: 50 }, field: 'note' },
          { body: { progress: 50, note: '进展', fileIds: ['a'] }, field: 'fileIds.0' },
        ],
      },
      'POST /api/supervision/tasks/:id/completion': {
        who: 'reporter',
        url: () => '/api/supervision/tasks/1/completion',
        bad: [
          { body: {}, field: 'note' },
          { body: { note: '完成', fileIds: 3 }, field: 'fileIds' },
        ],
      },
      'POST /api/supervision/tasks/:id/completion/reject': {
        who: 'supervisor',
        url: () => '/api/supervision/tasks/1/completion/reject',
        bad: [{ body: {}, field: 'reason' }],
      },
      'POST /api/supervision/tasks/:id/review': {
        who: 'supervisor',
        url: () => '/api/supervision/tasks/1/review',
        bad: [
          { body: { quality: 'good', reason: '评定' }, field: 'completion' },
          { body: { completion: 'on_time', quality: 'great', reason: '评定' }, field: 'quality' },
          { body: { completion: 'on_time', quality: 'good' }, field: 'reason' },
        ],
      },
      'POST /api/supervision/tasks/:id/files': {
        who: 'reporter',
        url: () => '/api/supervision/tasks/1/files',
        bad: [
          { body: {}, field: 'file' },
          { form: [{ name: 'note', value: '没有文件' }], field: 'file' },
        ],
      },
      'POST /api/supervision/ledger/import': {
        who: 'supervisor',
        url: () => '/api/supervision/ledger/import',
        bad: [
          { body: {}, field: 'file' },
          { form: [{ name: 'note', value: '没有文件' }], field: 'file' },
        ],
      },
      // Issued documents and proposals (supervision.docs.routes.ts).
      'POST /api/supervision/documents/preview': {
        who: 'supervisor',
        url: () => '/api/supervision/documents/preview',
        bad: [
          { body: { taskIds: [1] }, field: 'kind' },
          { body: { kind: 'memo', taskIds: [1] }, field: 'kind' },
          { body: { kind: 'report', taskIds: [] }, field: 'taskIds' },
          { body: { kind: 'report' }, field: 'taskIds', ownMessage: true },
          { body: { kind: 'report', taskIds: [999999] }, field: 'taskIds', ownMessage: true },
        ],
      },
      'POST /api/supervision/documents': {
        who: 'supervisor',
        url: () => '/api/supervision/documents',
        bad: [
          { body: { kind: 'bulletin', taskIds: ['x'] }, field: 'taskIds.0' },
          { body: { kind: 'bulletin', taskIds: [1], problems: [''] }, field: 'problems.0' },
          { body: { kind: 'bulletin', filter: { light: 'blue' } }, field: 'filter.light' },
          { body: { kind: 'bulletin', taskIds: [999999] }, field: 'taskIds', ownMessage: true },
        ],
      },
      'POST /api/supervision/proposals': {
        who: 'supervisor',
        url: () => '/api/supervision/proposals',
        bad: [
          { body: { ...proposal, kind: 'petition' }, field: 'kind' },
          { body: { ...proposal, title: '' }, field: 'title' },
          { body: { ...proposal, deadline: '2026-13-01' }, field: 'deadline' },
          { body: { ...proposal, deputyId: 'x' }, field: 'deputyId' },
          { body: { ...proposal, deputyId: 999999 }, field: 'deputyId', ownMessage: true },
        ],
      },
      'POST /api/supervision/proposals/:id/reply': {
        who: 'reporter',
        url: () => '/api/supervision/proposals/1/reply',
        bad: [
          { body: {}, field: 'reply' },
          { body: { reply: '答复', fileIds: [0] }, field: 'fileIds.0' },
        ],
      },
      'POST /api/supervision/proposals/:id/rate': {
        who: 'evaluator',
        url: () => '/api/supervision/proposals/1/rate',
        bad: [
          { body: {}, field: 'satisfaction' },
          { body: { satisfaction: 'happy' }, field: 'satisfaction' },
        ],
      },
      'POST /api/supervision/proposals/:id/files': {
        who: 'reporter',
        url: () => '/api/supervision/proposals/1/files',
        bad: [{ body: {}, field: 'file' }],
      },
      'POST /api/supervision/investments': {
        who: 'supervisor',
        url: () => '/api/supervision/investments',
        bad: [
          { body: { ...investment, name: '' }, field: 'name' },
          { body: { ...investment, contractAmount: -1 }, field: 'contractAmount' },
          { body: { ...investment, planned: { ...investment.planned, started: 'soon' } }, field: 'planned.started' },
          { body: { ...investment, unitId: 999999 }, field: 'unitId', ownMessage: true },
          {
            body: { ...investment, planned: { ...investment.planned, registered: '2026-01-01' } },
            field: 'planned.registered',
            ownMessage: true,
          },
        ],
      },
      'POST /api/supervision/investments/:id/stages': {
        who: 'reporter',
        url: () => '/api/supervision/investments/1/stages',
        bad: [
          { body: { doneOn: '2026-03-01' }, field: 'stage' },
          { body: { stage: 'dreamed', doneOn: '2026-03-01' }, field: 'stage' },
          { body: { stage: 'signed' }, field: 'doneOn' },
          { body: { stage: 'signed', doneOn: '2026-03-01', paidInAmount: -5 }, field: 'paidInAmount' },
        ],
      },
    },
    unknownIds: {
      'GET /api/supervision/investments/:id': { who: 'supervisor' },
      'POST /api/supervision/investments/:id/stages': {
        who: 'supervisor',
        body: { stage: 'signed', doneOn: '2026-03-01' },
      },
      'GET /api/supervision/documents/:id': { who: 'supervisor' },
      'GET /api/supervision/documents/:id/docx': { who: 'supervisor' },
      'GET /api/supervision/proposals/:id': { who: 'supervisor' },
      'POST /api/supervision/proposals/:id/reply': { who: 'reporter', body: { reply: '答复' } },
      'POST /api/supervision/proposals/:id/rate': { who: 'evaluator', body: { satisfaction: 'satisfied' } },
      'POST /api/supervision/proposals/:id/files': { who: 'reporter', form: kit.png },
      'GET /api/supervision/proposal-files/:id': { who: 'supervisor' },
      ...fieldworkBadInput(kit).unknownIds,
      'GET /api/supervision/tasks/:id': { who: 'supervisor' },
      'POST /api/supervision/tasks/:id/accept': { who: 'supervisor', body: { leadUnitId: 1, deadline: '2026-12-31' } },
      'POST /api/supervision/tasks/:id/merge': { who: 'supervisor', body: { intoTaskId: 1, reason: '重复' } },
      'POST /api/supervision/tasks/:id/decline': { who: 'supervisor', body: { reason: '不属督查范围' } },
      'POST /api/supervision/tasks/:id/sign': { who: 'reporter', body: {} },
      'POST /api/supervision/tasks/:id/plan': { who: 'reporter', body: { plan: '方案' } },
      'POST /api/supervision/tasks/:id/plan/approve': { who: 'dleader', body: {} },
      'POST /api/supervision/tasks/:id/plan/return': { who: 'dleader', body: { reason: '不具体' } },
      'POST /api/supervision/tasks/:id/reports': { who: 'reporter', body: { progress: 10, note: '进展' } },
      'POST /api/supervision/tasks/:id/completion': { who: 'reporter', body: { note: '完成' } },
      'POST /api/supervision/tasks/:id/completion/reject': { who: 'supervisor', body: { reason: '未完成' } },
      'POST /api/supervision/tasks/:id/review': {
        who: 'supervisor',
        body: { completion: 'on_time', quality: 'good', reason: '按时' },
      },
      'POST /api/supervision/tasks/:id/files': { who: 'reporter', form: kit.png },
      'GET /api/supervision/files/:id': { who: 'reporter' },
    },
  }),
  scope: {
    moduleData: {
      // B's task, entered by the office through the API and signed by B's reporter.
      setup: async ({ env, mw, rec, reporterB, ...rest }) => {
        const office = await env.userClient({ roles: ['supervisor'] });
        const t = await office.post('/api/supervision/tasks', {
          source: 'work_report',
          title: '乙单位督办事项',
          leadUnitId: mw.unitB,
          startDate: '2026-01-05',
          deadline: '2026-12-31',
        });
        expect(t.statusCode, t.body).toBe(201);
        rec.supervisionTask = t.json().id;
        const s = await reporterB.post(`/api/supervision/tasks/${rec.supervisionTask}/sign`, {});
        expect(s.statusCode, s.body).toBe(200);
        // B's proposal (an NPC deputy's 议案 handled by B) and a 通报 naming B only.
        const deputy = await env.buildUser({ roles: ['evaluator'] });
        await env.database.query(
          `INSERT INTO reviewer_profiles (user_id, kind, title) VALUES ($1, 'npc_deputy', '区人大代表')`,
          [deputy],
        );
        const p = await office.post('/api/supervision/proposals', {
          kind: 'npc_motion',
          year: 2026,
          number: '第B1号',
          title: '乙单位办理的议案',
          deputyId: deputy,
          leadUnitId: mw.unitB,
          deadline: '2026-12-31',
        });
        expect(p.statusCode, p.body).toBe(201);
        rec.supervisionProposal = p.json().id;
        const inv = await office.post('/api/supervision/investments', {
          ...investment,
          name: '乙单位招商项目',
          unitId: mw.unitB,
        });
        expect(inv.statusCode, inv.body).toBe(201);
        rec.supervisionInvestment = inv.json().id;
        const d = await office.post('/api/supervision/documents', { kind: 'bulletin', taskIds: [rec.supervisionTask] });
        expect(d.statusCode, d.body).toBe(201);
        rec.supervisionDocument = d.json().id;
        await fieldworkSetup({ env, mw, rec, reporterB, ...rest });
      },
      writes: (k) => {
        const taskOfB = async () => ({
          task: await k.q('SELECT * FROM supervision_tasks WHERE id = $1', [k.rec.supervisionTask]),
          events: await k.q('SELECT * FROM supervision_events WHERE task_id = $1 ORDER BY id', [k.rec.supervisionTask]),
          files: await k.q('SELECT * FROM supervision_files WHERE task_id = $1 ORDER BY id', [k.rec.supervisionTask]),
        });
        const proposalOfB = async () => ({
          proposal: await k.q('SELECT * FROM supervision_proposals WHERE id = $1', [k.rec.supervisionProposal]),
          rounds: await k.q('SELECT * FROM supervision_proposal_rounds WHERE proposal_id = $1 ORDER BY round', [
            k.rec.supervisionProposal,
          ]),
          files: await k.q('SELECT * FROM supervision_proposal_files WHERE proposal_id = $1', [
            k.rec.supervisionProposal,
          ]),
        });
        return [
          ...fieldworkWrites(k),
          {
            name: "submit a plan for B's task",
            who: 'reporter',
            send: (c) => c.post(`/api/supervision/tasks/${k.rec.supervisionTask}/plan`, { plan: '甲的方案' }),
            snapshot: taskOfB,
          },
          {
            name: "report on B's task",
            who: 'reporter',
            send: (c) =>
              c.post(`/api/supervision/tasks/${k.rec.supervisionTask}/reports`, { progress: 90, note: '甲报的进展' }),
            snapshot: taskOfB,
          },
          {
            name: "reply to B's proposal",
            who: 'reporter',
            send: (c) => c.post(`/api/supervision/proposals/${k.rec.supervisionProposal}/reply`, { reply: '甲的答复' }),
            snapshot: proposalOfB,
          },
          {
            name: "upload a file to B's proposal",
            who: 'leader',
            send: (c) =>
              c.request({
                method: 'POST',
                url: `/api/supervision/proposals/${k.rec.supervisionProposal}/files`,
                ...pngForm(),
              }),
            snapshot: proposalOfB,
          },
          {
            name: "record a stage of B's investment project",
            who: 'reporter',
            send: (c) =>
              c.post(`/api/supervision/investments/${k.rec.supervisionInvestment}/stages`, {
                stage: 'signed',
                doneOn: '2026-03-01',
              }),
            snapshot: async () => ({
              project: await k.q('SELECT * FROM supervision_investments WHERE id = $1', [k.rec.supervisionInvestment]),
              stages: await k.q('SELECT * FROM supervision_investment_stages WHERE project_id = $1 ORDER BY stage', [
                k.rec.supervisionInvestment,
              ]),
            }),
          },
          {
            name: "apply to complete B's task",
            who: 'leader',
            send: (c) => c.post(`/api/supervision/tasks/${k.rec.supervisionTask}/completion`, { note: '办结' }),
            snapshot: taskOfB,
          },
        ];
      },
      reads: (k) => [
        ...fieldworkReads(k),
        {
          name: "GET B's supervision task",
          who: 'reporter',
          send: (c) => c.get(`/api/supervision/tasks/${k.rec.supervisionTask}`),
        },
        {
          name: "GET B's supervision task (unit leader)",
          who: 'leader',
          send: (c) => c.get(`/api/supervision/tasks/${k.rec.supervisionTask}`),
        },
        {
          name: "GET B's investment project",
          who: 'leader',
          send: (c) => c.get(`/api/supervision/investments/${k.rec.supervisionInvestment}`),
        },
        {
          name: "GET B's proposal",
          who: 'reporter',
          send: (c) => c.get(`/api/supervision/proposals/${k.rec.supervisionProposal}`),
        },
        {
          name: 'GET a 通报 naming B only',
          who: 'reporter',
          send: (c) => c.get(`/api/supervision/documents/${k.rec.supervisionDocument}`),
        },
        {
          name: 'download a 通报 naming B only',
          who: 'leader',
          send: (c) => c.get(`/api/supervision/documents/${k.rec.supervisionDocument}/docx`),
        },
      ],
      ownReads: (k) => [
        { who: 'reporter', url: `/api/supervision/tasks/${k.rec.supervisionTask}` },
        { who: 'reporter', url: `/api/supervision/proposals/${k.rec.supervisionProposal}` },
        { who: 'reporter', url: `/api/supervision/documents/${k.rec.supervisionDocument}` },
        { who: 'reporter', url: `/api/supervision/investments/${k.rec.supervisionInvestment}` },
        ...fieldworkOwnReads(k),
      ],
    },
  },
};
