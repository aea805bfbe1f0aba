/**
 * The case-statistics module's jobs (platform/jobs contract). `casestats.rebuild` is on demand: the
 * rebuild of the statistics from the whole timeline (42.8 s at 2,000,000 cases as one HTTP request
 * before), month by month with progress. Registering it with the runner and starting it from the
 * statistics page (instead of POST /case-stats/sync with rebuild) is left to the runner's wiring.
 */
import { SYSTEM_ACTOR } from '../../lib/context.js';
import type { JobDefinition } from '../../platform/jobs/types.js';
import { rebuildCaseStatsByMonth } from './casestats.service.js';

export const rebuildJob: JobDefinition = {
  name: 'casestats.rebuild',
  title: { zh: '重建办件统计', en: 'Rebuild case statistics' },
  leaseMs: 30 * 60_000,
  async run(ctx) {
    const r = await rebuildCaseStatsByMonth(ctx.database.db, SYSTEM_ACTOR, {
      progress: (fraction, month) => ctx.progress(fraction, month),
      signal: ctx.signal,
    });
    ctx.log.info(r, 'case statistics rebuilt');
    return r;
  },
};

export const casestatsJobs: JobDefinition[] = [rebuildJob];
