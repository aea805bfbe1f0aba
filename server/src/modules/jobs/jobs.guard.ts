/** Guard-test cases of the jobs module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';

export const guard: ModuleGuard = {
  badInput: () => ({
    writes: {},
    unknownIds: {
      // The job name must look like <module>.<job>: abc, -1, 1.5 and 99999999999 do not.
      'POST /api/jobs/:name/run': { unknown: 'no_such.job' },
      'POST /api/sms-outbox/:id/resend': {},
    },
    notCovered: {
      'POST /api/jobs/:name/run': 'takes no body (its unknown name is checked below)',
      'POST /api/sms-outbox/:id/resend': 'takes no body (its unknown id is checked below)',
    },
  }),
  scope: { none: 'jobs and the SMS outbox are district-wide (admins only)' },
};
