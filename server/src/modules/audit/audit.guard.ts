/** Guard-test cases of the audit module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';

export const guard: ModuleGuard = {
  scope: { none: 'the audit log is read whole by audit.read holders (office-wide roles)' },
};
