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
    },
    unknownIds: {
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
        await fieldworkSetup({ env, mw, rec, reporterB, ...rest });
      },
      writes: (k) => {
        const taskOfB = async () => ({
          task: await k.q('SELECT * FROM supervision_tasks WHERE id = $1', [k.rec.supervisionTask]),
          events: await k.q('SELECT * FROM supervision_events WHERE task_id = $1 ORDER BY id', [k.rec.supervisionTask]),
          files: await k.q('SELECT * FROM supervision_files WHERE task_id = $1 ORDER BY id', [k.rec.supervisionTask]),
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
      ],
      ownReads: (k) => [
        { who: 'reporter', url: `/api/supervision/tasks/${k.rec.supervisionTask}` },
        ...fieldworkOwnReads(k),
      ],
    },
  },
};
