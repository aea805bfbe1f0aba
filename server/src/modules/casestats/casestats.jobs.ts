import type { JobDefinition } from '../../platform/jobs/types.js';
import { syncCaseScoreInputs } from './casestats.service.js';

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
];
