/** The kinds of period a score can be published for. */
export type PublishKind = 'year' | 'half' | 'quarter' | 'month';

/**
 * What the publish dialog offers and opens on for a scheme: a scheme assessed by half-years (or
 * quarters) publishes its half-years (quarters) and the year — the latest one whose months are all
 * reported (`latestMonth`, 1–12; 0 when none is), the first one before that — and a closed scheme its
 * year. A monthly (annual) scheme offers every kind and opens on the latest reported month.
 */
export function publishDefaults(opts: {
  year: number;
  every: 'month' | 'quarter' | 'half';
  latestMonth: number | null;
  closed: boolean;
}): { kinds: PublishKind[]; kind: PublishKind; period: string } {
  const { year, every, closed } = opts;
  const m = Math.max(0, Math.min(12, opts.latestMonth ?? 0));
  const kinds: PublishKind[] = every === 'month' ? ['month', 'quarter', 'half', 'year'] : [every, 'year'];
  if (closed) return { kinds, kind: 'year', period: String(year) };
  if (every === 'half') return { kinds, kind: 'half', period: `${year}-H${m >= 12 ? 2 : 1}` };
  if (every === 'quarter') return { kinds, kind: 'quarter', period: `${year}-Q${Math.max(1, Math.floor(m / 3))}` };
  return { kinds, kind: 'month', period: `${year}-${String(Math.max(1, m)).padStart(2, '0')}` };
}
