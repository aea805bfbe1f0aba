import { describe, expect, it } from 'vitest';
import { contentDisposition } from './http.js';

describe('contentDisposition', () => {
  it('encodes a Chinese name with an ASCII fallback', () => {
    expect(contentDisposition('2026年度绩效管理责任书.docx', { fallback: 'book-2026.docx' })).toBe(
      `attachment; filename="book-2026.docx"; filename*=UTF-8''${encodeURIComponent('2026年度绩效管理责任书.docx')}`,
    );
  });
  it('makes the fallback safe: non-ASCII, quotes and backslashes become _', () => {
    expect(contentDisposition('x', { fallback: '台账"a\\b.pdf' })).toBe(
      `attachment; filename="___a_b.pdf"; filename*=UTF-8''x`,
    );
  });
  it('can ask for inline display and leave out the fallback', () => {
    expect(contentDisposition('照片.jpg', { inline: true })).toBe(
      `inline; filename*=UTF-8''${encodeURIComponent('照片.jpg')}`,
    );
  });
});
