import { describe, expect, it } from 'vitest';
import { scoringSentence } from './performance.book.js';

describe('the responsibility book states what the engine computes', () => {
  it('a tree of 100 points with a 2-point bonus leaf: base 98, bonus on top', () => {
    const s = scoringSentence({ designed: 100, fullBase: 98, bonus: [{ name: '表彰奖励加分', points: 2 }] });
    expect(s).toContain('基础分满分 98 分');
    expect(s).toContain('「表彰奖励加分」共 2 分为基础分之外的加分项');
    expect(s).toContain('最高 100 分');
    expect(s).not.toContain('满分 100 分');
  });

  it('a tree without bonus leaves: the base is the whole tree', () => {
    expect(scoringSentence({ designed: 100, fullBase: 100, bonus: [] })).toContain('基础分满分 100 分；');
  });
});
