/** Pure helpers over the unit tree (id → parent links). */
export type Link = { id: number; parentId: number | null };

/** The ids of the given roots and all their descendants. */
export function descendantsOf(links: readonly Link[], roots: Iterable<number>): Set<number> {
  const children = new Map<number, number[]>();
  for (const l of links) {
    if (l.parentId === null) continue;
    const list = children.get(l.parentId);
    if (list) list.push(l.id);
    else children.set(l.parentId, [l.id]);
  }
  const out = new Set<number>();
  const stack = [...roots];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    for (const c of children.get(id) ?? []) stack.push(c);
  }
  return out;
}

/** True when making `parentId` the parent of `id` would close a cycle. */
export function wouldCycle(links: readonly Link[], id: number, parentId: number | null): boolean {
  if (parentId === null) return false;
  return descendantsOf(links, [id]).has(parentId);
}
