import type { JobDefinition } from '../../platform/jobs/types.js';
import { scheduledPass } from './reports.service.js';

/** Every hour: a district report for each month whose reporting deadline has passed and has none yet. */
export const reportsJobs: JobDefinition[] = [
  {
    name: 'reports.monthly',
    title: { zh: '每月综合分析报告', en: 'Monthly analysis report' },
    everyMs: 60 * 60_000,
    leaseMs: 5 * 60_000,
    async run(ctx) {
      return scheduledPass(ctx.database.db);
    },
  },
];
