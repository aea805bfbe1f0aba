import { t } from './i18n';

/** What a server list says about its size (platform/lists): exact up to 10,000, then capped. */
export type ListSize = { total: number; totalCapped?: boolean };

/** "1,234" or "10,000+" (the server stops counting at its cap). */
export function totalText(s: ListSize): string {
  return `${s.total.toLocaleString('en-US')}${s.totalCapped ? '+' : ''}`;
}

/** "共 1,234 件" / "10,000+ cases". */
export function totalLabel(s: ListSize, zhUnit = '件', enUnit = 'cases'): string {
  return t(`共 ${totalText(s)} ${zhUnit}`, `${totalText(s)} ${enUnit}`);
}

/** antd pagination fields for a capped list: pages up to the cap, the total shown as "10,000+". */
export function paginationTotal(s: ListSize | undefined) {
  return { total: s?.total ?? 0, showTotal: () => (s ? totalLabel(s) : '') };
}
