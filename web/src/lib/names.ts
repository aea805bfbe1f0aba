import type { Names } from '@common/names';
import { t } from './i18n';

/** A shared name (common/) in the UI language. */
export const nameOf = (n: Names): string => t(n.zh, n.en);

/** A vocabulary's names (common/) as label functions in the UI language, read when rendered. */
export function labelsOf<K extends string>(names: Readonly<Record<K, Names>>): Record<K, () => string> {
  return Object.fromEntries(Object.entries<Names>(names).map(([k, n]) => [k, () => nameOf(n)])) as Record<
    K,
    () => string
  >;
}
