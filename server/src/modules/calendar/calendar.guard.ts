/** Guard-test cases of the calendar module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';

export const guard: ModuleGuard = {
  badInput: () => ({
    writes: {
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
    },
    unknownIds: {
      'PUT /api/calendar/days/:date': { upsert: true, body: { kind: 'holiday', name: '测试' } },
      'DELETE /api/calendar/days/:date': { unknown: '2031-05-13' },
      'PUT /api/calendar/years/:year': { upsert: true, body: { days: [{ date: '2026-10-08', kind: 'holiday' }] } },
    },
  }),
  scope: { none: 'the working-day calendar is district-wide (admins only write it)' },
};
