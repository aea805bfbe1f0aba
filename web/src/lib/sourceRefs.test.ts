import { describe, expect, it } from 'vitest';
import { sourceRefLink } from './sourceRefs';

describe('score input references as links', () => {
  it('names each module’s reference and links to the page behind it', () => {
    expect(sourceRefLink('submission:412#r0')).toEqual({
      zh: '报送单 #412',
      en: 'Submission #412',
      href: '/reporting/submissions/412',
    });
    expect(sourceRefLink('submission:412#r2')?.zh).toBe('报送单 #412（第 2 次修订）');
    expect(sourceRefLink('evaluation:7:31')?.href).toBe('/evaluation/campaigns/7/results');
    expect(sourceRefLink('casestats:31:2026-10')).toEqual({
      zh: '12345 诉求办理统计 2026-10',
      en: '12345 case statistics 2026-10',
      href: '/cases/stats?month=2026-10',
    });
    expect(sourceRefLink('supervision:5:2026-09')?.href).toBe('/supervision/ledger');
    expect(sourceRefLink('spot_check:3,4,9')?.href).toBe('/schemes/spot-checks');
    expect(sourceRefLink('publication:12')?.zh).toBe('专项考核发布 #12');
  });

  it('shows an unknown or malformed reference as it is, without a link, and nothing for none', () => {
    expect(sourceRefLink('casestats:31:2026-1')).toEqual({
      zh: 'casestats:31:2026-1',
      en: 'casestats:31:2026-1',
      href: null,
    });
    expect(sourceRefLink('other:1:2026-01')?.href).toBeNull();
    expect(sourceRefLink('seed:demo')).toEqual({ zh: '演示数据', en: 'Demo data', href: null });
    expect(sourceRefLink(null)).toBeNull();
    expect(sourceRefLink('')).toBeNull();
  });
});
