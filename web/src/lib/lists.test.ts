import { describe, expect, it } from 'vitest';
import { totalText } from './lists';

describe('list totals', () => {
  it('shows exact totals with separators and capped ones as "10,000+"', () => {
    expect(totalText({ total: 1234, totalCapped: false })).toBe('1,234');
    expect(totalText({ total: 0 })).toBe('0');
    expect(totalText({ total: 10000, totalCapped: true })).toBe('10,000+');
  });
});
