import type { Names } from './names.js';

export const UNIT_KINDS = ['district', 'department', 'street', 'town', 'community'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const UNIT_KIND_NAMES = {
  district: { zh: '区', en: 'District' },
  department: { zh: '部门（委办局）', en: 'Department' },
  street: { zh: '街道', en: 'Street' },
  town: { zh: '乡镇', en: 'Town' },
  community: { zh: '社区/村', en: 'Community' },
} as const satisfies Record<UnitKind, Names>;
