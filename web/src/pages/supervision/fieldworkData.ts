/** Labels and colours of field checks and reconciliation rounds (the endpoints and query hooks are in api.ts). */
import type { TPointRow, TRound, TRoundDetail } from '@server/modules/supervision/supervision.fieldwork.schema';
import { t } from '../../lib/i18n';

export const METHODS: Record<'listen' | 'ask' | 'look' | 'inspect' | 'visit', () => string> = {
  listen: () => t('听', 'Listen'),
  ask: () => t('问', 'Ask'),
  look: () => t('看', 'Look'),
  inspect: () => t('查', 'Inspect'),
  visit: () => t('访', 'Visit'),
};
export const MODES: Record<'open' | 'covert', () => string> = {
  open: () => t('明察', 'Announced'),
  covert: () => t('暗访', 'Unannounced'),
};
export const POINT_STATUS: Record<TPointRow['status'], { label: () => string; color: string }> = {
  open: { label: () => t('待答复', 'Awaiting answer'), color: 'orange' },
  answered: { label: () => t('待审核', 'Answered'), color: 'blue' },
  accepted: { label: () => t('已通过', 'Accepted'), color: 'green' },
  returned: { label: () => t('已退回', 'Returned'), color: 'red' },
};
export const ROUND_KIND: Record<TRound['kind'], () => string> = {
  quarterly: () => t('季度对账', 'Quarterly reconciliation'),
  midyear: () => t('年中查账', 'Mid-year check'),
  yearend: () => t('年底收账', 'Year-end closing'),
};
export const STAGES: Record<'not_started' | 'in_progress' | 'completed' | 'blocked', () => string> = {
  not_started: () => t('未启动', 'Not started'),
  in_progress: () => t('推进中', 'In progress'),
  completed: () => t('已完成', 'Completed'),
  blocked: () => t('受阻', 'Blocked'),
};
export const ROW_STATE: Record<TRoundDetail['rows'][number]['state'], { label: () => string; color: string }> = {
  pending: { label: () => t('未确认', 'Pending'), color: 'default' },
  confirmed: { label: () => t('已确认', 'Confirmed'), color: 'green' },
  differs: { label: () => t('有差异', 'Differs'), color: 'orange' },
};
export const RESOLUTION: Record<'accepted' | 'kept', () => string> = {
  accepted: () => t('采纳单位所报', 'Unit’s claim accepted'),
  kept: () => t('维持台账', 'Ledger kept'),
};
