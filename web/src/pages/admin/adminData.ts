import { useQuery } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import type { Role } from '@server/platform/access';
import type { TCategory, TUnit } from '@server/modules/units/units.schema';
import { ApiError, http } from '../../lib/api';
import { t } from '../../lib/i18n';

export const UNITS_KEY = ['units'] as const;
export const CATEGORIES_KEY = ['unit-categories'] as const;

export type UnitKind = TUnit['kind'];

export const UNIT_KIND_LABEL: Record<UnitKind, () => string> = {
  district: () => t('区', 'District'),
  department: () => t('部门（委办局）', 'Department'),
  street: () => t('街道', 'Street'),
  town: () => t('乡镇', 'Town'),
  community: () => t('社区/村', 'Community'),
};
export const UNIT_KIND_COLOR: Record<UnitKind, string> = { district: 'red', department: 'blue', street: 'green', town: 'cyan', community: 'default' };
export const UNIT_KINDS = Object.keys(UNIT_KIND_LABEL) as UnitKind[];

export function useUnits(enabled = true) {
  return useQuery({ queryKey: UNITS_KEY, queryFn: () => http.get<TUnit[]>('/api/units'), enabled, staleTime: 30_000 });
}

export function useCategories(enabled = true) {
  return useQuery({ queryKey: CATEGORIES_KEY, queryFn: () => http.get<TCategory[]>('/api/unit-categories'), enabled, staleTime: 30_000 });
}

export type RoleNames = Record<Role, { zh: string; en: string }>;

/** Role names from the server (GET /api/auth/roles), in the UI language. */
export function useRoleNames() {
  const q = useQuery({ queryKey: ['auth', 'roles'], queryFn: () => http.get<RoleNames>('/api/auth/roles'), staleTime: Infinity });
  const label = (r: string) => {
    const n = q.data?.[r as Role];
    return n ? t(n.zh, n.en) : r;
  };
  return { ...q, label };
}

export type UnitNode = TUnit & { children: UnitNode[] };

/** Builds the unit forest from the flat list (already sorted by sort, id). */
export function buildUnitTree(units: readonly TUnit[]): UnitNode[] {
  const byId = new Map<number, UnitNode>(units.map((u) => [u.id, { ...u, children: [] }]));
  const roots: UnitNode[] = [];
  for (const u of units) {
    const node = byId.get(u.id)!;
    const parent = u.parentId === null ? undefined : byId.get(u.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** The ids of a unit and everything below it. */
export function subtreeIds(units: readonly TUnit[], rootId: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const u of units) if (u.parentId !== null) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id]);
  const out = new Set<number>();
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

export type UnitTreeSelectNode = { value: number; title: string; disabled?: boolean; children: UnitTreeSelectNode[] };

/** Tree data for a TreeSelect of units; `disabled` greys out the units that may not be picked. */
export function unitTreeSelectData(units: readonly TUnit[], disabled?: (u: TUnit) => boolean): UnitTreeSelectNode[] {
  const walk = (n: UnitNode): UnitTreeSelectNode => ({
    value: n.id,
    title: n.active ? n.name : `${n.name}${t('（已停用）', ' (inactive)')}`,
    disabled: disabled?.(n) ?? false,
    children: n.children.map(walk),
  });
  return buildUnitTree(units).map(walk);
}

export { errorText } from '../../lib/api';

/**
 * Puts a server error on the form field it names (`ApiError.field`, e.g. `roles.0` → `roles`) and
 * returns true; returns false when the error names no field of the form, so the caller shows it.
 */
export function showFieldError(form: FormInstance, err: unknown, fields: readonly string[]): boolean {
  if (!(err instanceof ApiError) || !err.field) return false;
  const name = err.field.split('.')[0];
  if (!fields.includes(name)) return false;
  form.setFields([{ name, errors: [err.message] }]);
  return true;
}
