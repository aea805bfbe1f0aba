/** Display of instants in the district's time zone (Beijing, UTC+8), whatever the browser's. */

/** The Beijing wall-clock time of an instant, as an ISO string without its zone (YYYY-MM-DDTHH:mm:ss.sss). */
function beijingIso(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 23);
}

/** Beijing date-time for display: YYYY-MM-DD HH:mm, or — for none. */
export function fmtTime(iso: string | null | undefined): string {
  return iso ? beijingIso(Date.parse(iso)).slice(0, 16).replace('T', ' ') : '—';
}

/** Beijing date for display: YYYY-MM-DD, or — for none. */
export function fmtDate(iso: string | null | undefined): string {
  return iso ? fmtTime(iso).slice(0, 10) : '—';
}

/** Today's date in Beijing: YYYY-MM-DD. */
export function beijingToday(now = Date.now()): string {
  return beijingIso(now).slice(0, 10);
}

/** The months of the current Beijing year up to this one, newest first: YYYY-MM. */
export function monthsOfYearSoFar(now = Date.now()): string[] {
  const [y, m] = beijingToday(now).split('-').map(Number);
  return Array.from({ length: m }, (_, i) => `${y}-${String(m - i).padStart(2, '0')}`);
}
