/** Audit module: the hash-chained audit log every audited write appends to, and its reading and verification. */
import { defineModule } from '../../platform/module.js';
import { auditRoutes } from './audit.routes.js';
import * as tables from './audit.table.js';

export {
  recordAudit,
  recordAuditEntries,
  verifyChain,
  type AuditEntryInput,
  type AuditEvent,
} from './audit.service.js';
export { deriveAuditKeys, setAuditKey } from './audit.chain.js';
export { auditJobs, readCheckpointFile } from './audit.checkpoint.js';

export const auditModule = defineModule({
  name: 'audit',
  routes: [{ plugin: auditRoutes, prefix: '/api' }],
  tables,
  permissions: ['audit.read'],
});
