/** Units module: the district's units (departments, streets, communities), their categories and unit scope. */
import { defineModule } from '../../platform/module.js';
import { unitsRoutes } from './units.routes.js';
import * as tables from './units.table.js';

export type { TCategory, TUnit } from './units.schema.js';
export { ZIdParam } from './units.schema.js';
export {
  assertUnitInScope,
  assertUnitsExist,
  getUnit,
  inScope,
  listCategories,
  listUnits,
  unitStructureDigest,
  unitScope,
  writeLeaderUnits,
} from './units.service.js';
/** Read by other modules' joins (cases: unit names; users: leader units). */
export { unitLeaders, units } from './units.table.js';

export const unitsModule = defineModule({
  name: 'units',
  routes: [{ plugin: unitsRoutes, prefix: '/api' }],
  tables,
  permissions: ['units.read', 'units.manage'],
});
