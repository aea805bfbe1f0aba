import { SYSTEM_ACTOR } from '../../lib/context.js';
import type { JobDefinition } from '../../platform/jobs/types.js';
import { rebuildCaseStatsByMonth, syncCaseScoreInputs } from './casestats.service.js';

/**
 * On demand: the statistics rebuilt from the whole timeline (42.8 s at 2,000,000 cases as one HTTP
 * request before issue 19), month by month, each month its own short transaction, with progress.
 */
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

/** Every minute: department statistics changed since the last sync → score inputs (idempotent). */
export const caseStatsJobs: JobDefinition[] = [
  {
    name: 'casestats.sync',
    title: { zh: '办件统计同步到考核数据', en: 'Case statistics → score inputs' },
    everyMs: 60_000,
    async run(ctx) {
      const r = await syncCaseScoreInputs(ctx.database.db);
      if (r.inputs) ctx.log.info({ rows: r.rows, inputs: r.inputs }, 'case statistics synced to score inputs');
      return r;
    },
  },
  rebuildJob,
];
