/** Duplicate detection (pure): an open case of the same category at the same place within the last days. */

export type DuplicateSettings = { radiusM: number; days: number };
export const DEFAULT_DUPLICATE_SETTINGS: DuplicateSettings = { radiusM: 300, days: 7 };

export type PlaceProbe = {
  id?: number;
  categoryId: number;
  addressNorm: string;
  lat: number | null;
  lng: number | null;
  at: Date;
};
export type DuplicateCandidate = {
  id: number;
  categoryId: number;
  addressNorm: string;
  lat: number | null;
  lng: number | null;
  createdAt: Date;
  open: boolean;
};
export type DuplicateMatch = {
  id: number;
  reason: 'same_address' | 'address_contains' | 'nearby';
  distanceM: number | null;
};

// Prefixes that say nothing about the place within the district.
const REGION_PREFIXES = ['湖北省', '武汉市', '汉江区'];
/** Shorter normalized addresses than this are too vague to match by containment ("解放路" alone). */
export const MIN_CONTAINED_LENGTH = 6;

/**
 * Normalizes an address for comparison: full-width to half-width, no spaces or punctuation, lower case,
 * without the province/city/district prefix.
 */
export function normalizeAddress(text: string): string {
  let s = text.normalize('NFKC').toLowerCase();
  s = s.replace(/[\s,，.。、;；:：'"“”‘’()（）[\]【】<>《》#＃\-—_~·/\\|!！?？]/g, '');
  for (let changed = true; changed;) {
    changed = false;
    for (const p of REGION_PREFIXES) {
      if (s.startsWith(p)) {
        s = s.slice(p.length);
        changed = true;
      }
    }
  }
  return s;
}

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres between two WGS-84 points (haversine). */
export function haversineM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Why a candidate is a duplicate of the probe, or null. */
export function duplicateReason(probe: PlaceProbe, c: DuplicateCandidate, s: DuplicateSettings): DuplicateMatch | null {
  if (probe.id !== undefined && c.id === probe.id) return null;
  if (!c.open || c.categoryId !== probe.categoryId) return null;
  const age = probe.at.getTime() - c.createdAt.getTime();
  if (age > s.days * 86_400_000 || age < -86_400_000) return null;
  const distanceM =
    probe.lat !== null && probe.lng !== null && c.lat !== null && c.lng !== null
      ? haversineM(probe.lat, probe.lng, c.lat, c.lng)
      : null;
  const a = probe.addressNorm;
  const b = c.addressNorm;
  if (a && b) {
    if (a === b) return { id: c.id, reason: 'same_address', distanceM };
    const [short, long] = a.length <= b.length ? [a, b] : [b, a];
    if (short.length >= MIN_CONTAINED_LENGTH && long.includes(short))
      return { id: c.id, reason: 'address_contains', distanceM };
  }
  if (distanceM !== null && distanceM <= s.radiusM) return { id: c.id, reason: 'nearby', distanceM };
  return null;
}

/** The candidates that duplicate the probe: exact address first, then containment, then by distance. */
export function findDuplicates(
  probe: PlaceProbe,
  candidates: readonly DuplicateCandidate[],
  s: DuplicateSettings,
): DuplicateMatch[] {
  const rank = { same_address: 0, address_contains: 1, nearby: 2 } as const;
  return candidates
    .map((c) => duplicateReason(probe, c, s))
    .filter((m): m is DuplicateMatch => m !== null)
    .sort(
      (x, y) => rank[x.reason] - rank[y.reason] || (x.distanceM ?? Infinity) - (y.distanceM ?? Infinity) || y.id - x.id,
    );
}
