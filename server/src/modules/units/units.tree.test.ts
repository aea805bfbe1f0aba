import { describe, expect, it } from 'vitest';
import { descendantsOf, wouldCycle, type Link } from './units.tree.js';

// district 1 → departments 2, 3 and street 4 → communities 5, 6 under street 4; 7 under community 5.
const TREE: Link[] = [
  { id: 1, parentId: null },
  { id: 2, parentId: 1 },
  { id: 3, parentId: 1 },
  { id: 4, parentId: 1 },
  { id: 5, parentId: 4 },
  { id: 6, parentId: 4 },
  { id: 7, parentId: 5 },
];

const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

describe('descendantsOf', () => {
  it('includes the root itself and everything below it', () => {
    expect(sorted(descendantsOf(TREE, [4]))).toEqual([4, 5, 6, 7]);
    expect(sorted(descendantsOf(TREE, [1]))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('gives a leaf alone', () => {
    expect(sorted(descendantsOf(TREE, [7]))).toEqual([7]);
    expect(sorted(descendantsOf(TREE, [2]))).toEqual([2]);
  });

  it('unites several roots without duplicates, even when one lies under another', () => {
    expect(sorted(descendantsOf(TREE, [2, 5, 4]))).toEqual([2, 4, 5, 6, 7]);
  });

  it('gives nothing for no roots, and the unknown id alone for an unknown root', () => {
    expect(descendantsOf(TREE, []).size).toBe(0);
    expect(sorted(descendantsOf(TREE, [99]))).toEqual([99]);
  });

  it('terminates on corrupt data that already holds a cycle', () => {
    const loop: Link[] = [
      { id: 1, parentId: 2 },
      { id: 2, parentId: 1 },
    ];
    expect(sorted(descendantsOf(loop, [1]))).toEqual([1, 2]);
  });

  it('does not depend on the order of the links', () => {
    expect(sorted(descendantsOf([...TREE].reverse(), [4]))).toEqual([4, 5, 6, 7]);
  });
});

describe('wouldCycle', () => {
  it('refuses a unit as its own parent', () => {
    expect(wouldCycle(TREE, 4, 4)).toBe(true);
  });

  it('refuses moving a unit under a child or a deeper descendant', () => {
    expect(wouldCycle(TREE, 4, 5)).toBe(true);
    expect(wouldCycle(TREE, 4, 7)).toBe(true);
    expect(wouldCycle(TREE, 1, 7)).toBe(true);
  });

  it('allows moving under a sibling, an ancestor or to the top', () => {
    expect(wouldCycle(TREE, 5, 6)).toBe(false);
    expect(wouldCycle(TREE, 7, 1)).toBe(false);
    expect(wouldCycle(TREE, 4, 2)).toBe(false);
    expect(wouldCycle(TREE, 4, null)).toBe(false);
  });
});
