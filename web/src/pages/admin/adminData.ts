/** Unit and role presentation for the admin pages (their endpoints are in api.ts). */
import { ROLE_NAMES, type Role } from '@common/roles';
import { UNIT_KIND_NAMES, UNIT_KINDS } from '@common/units';
import type { TUnit } from '@server/modules/units/units.schema';
import { t } from '../../lib/i18n';
import { labelsOf, nameOf } from '../../lib/names';

export type UnitKind = TUnit['kind'];

export const UNIT_KIND_LABEL = labelsOf(UNIT_KIND_NAMES);
export const UNIT_KIND_COLOR: Record<UnitKind, string> = {
  district: 'red',
  department: 'blue',
  street: 'green',
  town: 'cyan',
  community: 'default',
};
export { UNIT_KINDS };

/** A role's name in the UI language (common/roles). */
export const roleName = (r: string): string => (r in ROLE_NAMES ? nameOf(ROLE_NAMES[r as Role]) : r);

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
