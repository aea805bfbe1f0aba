/** Presentation of cases: status, channel, type, rating and event names (from common/), colours, category trees. Endpoints are in api.ts. */
import {
  CASE_EVENT_NAMES,
  CASE_STATUS_NAMES,
  CASE_STATUSES,
  CASE_TYPE_NAMES,
  CASE_TYPES,
  CHANNEL_NAMES,
  CHANNELS,
  ESCALATION_STATUS_NAMES,
  EVENT_ACTOR_ROLE_NAMES,
  RATING_NAMES,
  type CaseStatus,
  type CaseType,
  type Channel,
  type Rating,
} from '@common/cases';
import { labelsOf, nameOf } from '../../lib/names';

export type { CaseStatus, CaseType, Channel, Rating };
export { CASE_STATUSES, CASE_TYPES, CHANNELS };

export const STATUS_LABEL = labelsOf(CASE_STATUS_NAMES);
export const STATUS_COLOR: Record<CaseStatus, string> = {
  accepted: 'gold',
  rejected: 'default',
  merged: 'default',
  dispatched: 'blue',
  signed: 'cyan',
  in_progress: 'processing',
  reported: 'purple',
  verified: 'geekblue',
  review: 'magenta',
  returned: 'orange',
  closed: 'green',
};
export const CHANNEL_LABEL = labelsOf(CHANNEL_NAMES);
export const TYPE_LABEL = labelsOf(CASE_TYPE_NAMES);
export const RATING_LABEL = labelsOf(RATING_NAMES);
export const ESCALATION_STATUS_LABEL = labelsOf(ESCALATION_STATUS_NAMES);
export const EVENT_LABEL: Record<string, () => string> = labelsOf(CASE_EVENT_NAMES);
export const eventLabel = (type: string) => (EVENT_LABEL[type] ? EVENT_LABEL[type]() : type);
export const ROLE_LABEL: Record<string, () => string> = labelsOf(EVENT_ACTOR_ROLE_NAMES);
export { nameOf };

export type DueState = 'done' | 'ok' | 'due_soon' | 'overdue';

export type CascaderOption = { value: number; label: string; children?: CascaderOption[] };

/** The flat category list as a cascader tree (active ones only when asked). */
export function categoryOptions(
  cats: readonly { id: number; parentId: number | null; name: string; active?: boolean }[],
  activeOnly = true,
): CascaderOption[] {
  const list = activeOnly ? cats.filter((c) => c.active !== false) : cats;
  const build = (parent: number | null): CascaderOption[] =>
    list
      .filter((c) => c.parentId === parent)
      .map((c) => {
        const children = build(c.id);
        return children.length ? { value: c.id, label: c.name, children } : { value: c.id, label: c.name };
      });
  return build(null);
}

/** The ids from the root to the category, for a cascader value. */
export function categoryPathIds(
  cats: readonly { id: number; parentId: number | null }[],
  id: number | null | undefined,
): number[] {
  if (!id) return [];
  const byId = new Map(cats.map((c) => [c.id, c]));
  const out: number[] = [];
  for (let c = byId.get(id); c && !out.includes(c.id); c = c.parentId === null ? undefined : byId.get(c.parentId))
    out.unshift(c.id);
  return out;
}

export { fmtDate, fmtTime } from '../../lib/time';
