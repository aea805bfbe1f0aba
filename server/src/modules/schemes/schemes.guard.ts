/** Guard-test cases of the schemes module (see test/guards.ts). */
import type { ModuleGuard } from '../../test/guards.js';

export const guard: ModuleGuard = {};
