/** Supervision module (督查督办): the task ledger, leaders' instructions, the flow from 立项 to 办结评定, lights and reminders, and the 督办完成率 score inputs. */
import { defineModule } from '../../platform/module.js';
import * as fieldworkTables from './supervision.fieldwork.table.js';
import { supervisionFieldworkRoutes } from './supervision.fieldwork.routes.js';
import { supervisionJobs } from './supervision.jobs.js';
import { supervisionLedgerRoutes } from './supervision.ledger.routes.js';
import { supervisionRoutes } from './supervision.routes.js';
import { seedSupervision } from './supervision.seed.js';
import { seedProposals } from './supervision.proposals.seed.js';
import * as tables from './supervision.table.js';
import * as docTables from './supervision.docs.table.js';
import { supervisionDocsRoutes } from './supervision.docs.routes.js';

/** Read by the cockpit: the ledger as the caller may see it. */
export { listLedger } from './supervision.service.js';
export type { TTaskRow } from './supervision.schema.js';
export { syncScoreInputs as syncSupervisionScoreInputs } from './supervision.upkeep.js';
/** Read by the analysis reports (reports module): the ledger as the caller may see it. */
export { listLedger as listSupervisionLedger } from './supervision.service.js';
/** Set by ratings: who the NPC deputies and CPPCC members are (their reviewer profiles). */
export type { DeputyDirectory } from './supervision.proposals.js';
export type { TDeputy } from './supervision.docs.schema.js';

export const supervisionModule = defineModule({
  name: 'supervision',
  routes: [
    { plugin: supervisionRoutes, prefix: '/api' },
    { plugin: supervisionLedgerRoutes, prefix: '/api' },
    { plugin: supervisionDocsRoutes, prefix: '/api' },
    { plugin: supervisionFieldworkRoutes, prefix: '/api' },
  ],
  tables: { ...tables, ...docTables, ...fieldworkTables },
  permissions: ['supervision.manage', 'supervision.report', 'supervision.instruct', 'supervision.rate'],
  jobs: supervisionJobs,
  // After scoring's generic demo inputs: the ledger's 督办完成率 then replaces them where tasks are due.
  seeds: [
    { key: 'supervision', run: seedSupervision, after: ['performance', 'scoring'] },
    // Proposals need the evaluation seed's deputies (and ratings' profiles); documents need the ledger.
    { key: 'supervision-proposals', run: seedProposals, after: ['supervision', 'ratings', 'evaluation'] },
  ],
});
