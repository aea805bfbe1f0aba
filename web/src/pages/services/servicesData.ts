/** Presentation of the services pages: item kinds, channels, statuses, lights, complaint and event names. Endpoints are in api.ts. */
import type { TAppDetail, TItem } from '@server/modules/services/services.schema';
import { t } from '../../lib/i18n';

export const KINDS: Record<TItem['kind'], () => string> = {
  license: () => t('行政许可', 'Licence'),
  payment: () => t('行政给付', 'Benefit'),
  confirmation: () => t('行政确认', 'Confirmation'),
  public_service: () => t('公共服务', 'Public service'),
  other: () => t('其他行政权力', 'Other'),
};
export const ITEM_CHANNELS: Record<TItem['channel'], () => string> = {
  online: () => t('网上办理', 'Online'),
  window: () => t('窗口办理', 'At the window'),
  both: () => t('网上和窗口', 'Online or window'),
};
export const PHASES: Record<'accept' | 'review' | 'decide' | 'deliver', () => string> = {
  accept: () => t('受理', 'Acceptance'),
  review: () => t('审查', 'Review'),
  decide: () => t('决定', 'Decision'),
  deliver: () => t('送达', 'Delivery'),
};
export const APP_STATUSES: Record<TAppDetail['status'], { label: () => string; color: string }> = {
  submitted: { label: () => t('待受理', 'Awaiting acceptance'), color: 'purple' },
  not_accepted: { label: () => t('不予受理', 'Not accepted'), color: 'default' },
  in_progress: { label: () => t('审批中', 'Under review'), color: 'processing' },
  delivering: { label: () => t('待送达', 'To deliver'), color: 'gold' },
  completed: { label: () => t('已办结', 'Completed'), color: 'green' },
};
export const STEP_STATUSES: Record<TAppDetail['steps'][number]['status'], { label: () => string; color: string }> = {
  waiting: { label: () => t('未开始', 'Not started'), color: 'default' },
  pending: { label: () => t('待签收', 'To sign for'), color: 'blue' },
  signed: { label: () => t('办理中', 'Handling'), color: 'processing' },
  correction: { label: () => t('待补正', 'Awaiting materials'), color: 'orange' },
  done: { label: () => t('已完成', 'Done'), color: 'green' },
  cancelled: { label: () => t('已终止', 'Cancelled'), color: 'default' },
};
export const RESULTS: Record<'approved' | 'refused', { label: () => string; color: string }> = {
  approved: { label: () => t('准予', 'Approved'), color: 'green' },
  refused: { label: () => t('不予', 'Refused'), color: 'red' },
};
export const LIGHTS: Record<'green' | 'yellow' | 'red', { label: () => string; color: string }> = {
  green: { label: () => t('绿灯（正常）', 'Green'), color: '#52c41a' },
  yellow: { label: () => t('黄牌（用时达 90%）', 'Yellow (90% used)'), color: '#faad14' },
  red: { label: () => t('红牌（已超时）', 'Red (overdue)'), color: '#f5222d' },
};
export const LIGHT_REASONS: Record<string, () => string> = {
  overdue: () => t('办件超过承诺时限', 'Application overdue'),
  near_due: () => t('办件已用承诺时限 90%', 'Application at 90% of its time'),
  step_overdue: () => t('环节超时', 'A step is overdue'),
  step_near_due: () => t('环节临近时限', 'A step is near its limit'),
};
export const ANOMALIES: Record<string, () => string> = {
  refusal_no_reason: () => t('不予许可未说明理由', 'Refused without a reason'),
  out_of_order: () => t('环节顺序异常', 'Steps out of order'),
  refused_complete: () => t('材料齐全不予受理（投诉属实）', 'Complete application refused'),
};
export const COMPLAINT_KINDS: Record<'delay' | 'refused_complete' | 'attitude' | 'other', () => string> = {
  delay: () => t('办理超时', 'Delay'),
  refused_complete: () => t('材料齐全不予受理', 'Complete application refused'),
  attitude: () => t('服务态度', 'Attitude'),
  other: () => t('其他', 'Other'),
};
export const COMPLAINT_STATUSES: Record<
  'pending' | 'accepted' | 'declined' | 'resolved',
  { label: () => string; color: string }
> = {
  pending: { label: () => t('待决定是否受理', 'To decide'), color: 'orange' },
  accepted: { label: () => t('已受理', 'Accepted'), color: 'blue' },
  declined: { label: () => t('不予受理', 'Declined'), color: 'default' },
  resolved: { label: () => t('已办结', 'Resolved'), color: 'green' },
};
export const EVENT_KINDS: Record<string, () => string> = {
  file: () => t('申报', 'Filed'),
  accept: () => t('受理', 'Accepted'),
  correction: () => t('要求补正', 'Materials requested'),
  supplement: () => t('补正材料', 'Materials supplied'),
  sign: () => t('签收', 'Signed for'),
  approve: () => t('审批通过', 'Approved'),
  refuse_step: () => t('不予许可', 'Refused'),
  deliver: () => t('送达', 'Delivered'),
  refuse: () => t('不予许可/不予受理', 'Refused'),
  notice: () => t('下发监察建议书', 'Supervision notice'),
  complaint_accept: () => t('投诉受理', 'Complaint accepted'),
  complaint_decline: () => t('投诉不予受理', 'Complaint declined'),
  complaint_resolve: () => t('投诉办结', 'Complaint resolved'),
};
export const GRADES: Record<'excellent' | 'good' | 'pass' | 'fail', { label: () => string; color: string }> = {
  excellent: { label: () => t('优秀', 'Excellent'), color: 'green' },
  good: { label: () => t('良好', 'Good'), color: 'blue' },
  pass: { label: () => t('合格', 'Pass'), color: 'gold' },
  fail: { label: () => t('不合格', 'Fail'), color: 'red' },
};
