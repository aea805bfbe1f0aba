import { describe, expect, it } from 'vitest';
import { AppError, nulPath, refuseNul } from './errors.js';

describe('nulPath / refuseNul', () => {
  it('names the first string holding a NUL, at any depth', () => {
    expect(nulPath({ a: 'ok', b: { c: ['x', 'y\u0000z'] } })).toBe('b.c.1');
    expect(nulPath({ requester: { name: '\u0000' }, description: '\u0000' })).toBe('requester.name');
    expect(nulPath('a\u0000')).toBe('');
  });
  it('finds nothing in clean text, numbers, nulls or binary data', () => {
    expect(nulPath({ a: '路灯坏了', n: 0, z: null, list: [1, 'two'], f: Buffer.from([0, 0, 0]) })).toBeNull();
    expect(nulPath(undefined)).toBeNull();
  });
  it('refuses with a validation error on the field', () => {
    let error: unknown = null;
    try {
      refuseNul({ address: '汉正街\u0000' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'address', status: 400 });
    expect(() => refuseNul({ address: '汉正街' })).not.toThrow();
  });
});
