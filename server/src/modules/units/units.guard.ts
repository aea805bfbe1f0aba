/** Guard-test cases of the units module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';

export const guard: ModuleGuard = {
  badInput: ({ ids }) => ({
    writes: {
      'POST /api/units/excel/import': {
        who: 'admin',
        url: () => '/api/units/excel/import',
        bad: [
          { body: {}, field: 'file' },
          { form: [{ name: 'note', value: '没有文件' }], field: 'file' },
          {
            form: [{ name: 'file', value: 'not a zip at all', filename: '单位.xlsx' }],
            field: 'file',
            ownMessage: true,
          },
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
    },
    unknownIds: {
      'GET /api/units/:id': {},
      'PATCH /api/units/:id': { body: { name: '不存在' } },
      'DELETE /api/units/:id': {},
      'PATCH /api/unit-categories/:id': { body: { name: '不存在' } },
      'DELETE /api/unit-categories/:id': {},
    },
  }),
  scope: {
    foreignUnit: (q) => {
      const unitRow = (id: number) =>
        q('SELECT code, name, kind, parent_id, category_id, active, sort FROM units WHERE id = $1', [id]);
      return {
        writes: [
          {
            name: 'PATCH /api/units/B (rename)',
            send: (c, w) => c.patch(`/api/units/${w.unitB}`, { name: '被甲改名' }),
            snapshot: (w) => unitRow(w.unitB),
          },
          {
            name: 'PATCH /api/units/B (deactivate)',
            send: (c, w) => c.patch(`/api/units/${w.unitB}`, { active: false }),
            snapshot: (w) => unitRow(w.unitB),
          },
          {
            name: 'PATCH /api/units/B (move under A)',
            send: (c, w) => c.patch(`/api/units/${w.communityB}`, { parentId: w.unitA }),
            snapshot: (w) => unitRow(w.communityB),
          },
          {
            name: 'DELETE /api/units/B child',
            send: (c, w) => c.delete(`/api/units/${w.communityB}`),
            snapshot: (w) => unitRow(w.communityB),
          },
        ],
      };
    },
  },
};
