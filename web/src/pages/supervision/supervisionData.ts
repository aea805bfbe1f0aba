/** Labels and colours of the ledger and task pages (the endpoints and query hooks are in api.ts). */
import type { TTaskRow } from '@server/modules/supervision/supervision.schema';
import { t } from '../../lib/i18n';

/** The units: the one hook every module's pickers use (admin/api). */
export { useUnits } from '../admin/api';

export const SOURCES: Record<TTaskRow['source'], () => string> = {
  work_report: () => t('政府工作报告', 'Government work report'),
  executive_meeting: () => t('常务会议决定', 'Executive meeting'),
  instruction: () => t('领导批示', 'Leader instruction'),
  higher_level: () => t('上级交办', 'Higher-level transfer'),
  npc_proposal: () => t('人大议案', 'NPC proposal'),
  cppcc_proposal: () => t('政协提案', 'CPPCC proposal'),
  investment: () => t('招商引资', 'Investment project'),
  annual_target: () => t('年度目标', 'Annual target'),
  lagging_indicator: () => t('滞后指标', 'Lagging indicator'),
};

export const STATUSES: Record<TTaskRow['status'], { label: () => string; color: string }> = {
  proposed: { label: () => t('待立项', 'Awaiting acceptance'), color: 'purple' },
  declined: { label: () => t('不予立项', 'Declined'), color: 'default' },
  merged: { label: () => t('已合并', 'Merged'), color: 'default' },
  assigned: { label: () => t('待签收', 'To sign for'), color: 'blue' },
  signed: { label: () => t('待报方案', 'Plan due'), color: 'cyan' },
  plan_submitted: { label: () => t('方案待审', 'Plan submitted'), color: 'geekblue' },
  in_progress: { label: () => t('推进中', 'In progress'), color: 'processing' },
  completion_applied: { label: () => t('办结待审', 'Completion applied'), color: 'gold' },
  completed: { label: () => t('已办结', 'Completed'), color: 'green' },
};

export const LIGHTS: Record<'green' | 'yellow' | 'red', { label: () => string; color: string }> = {
  green: { label: () => t('绿灯', 'Green'), color: '#52c41a' },
  yellow: { label: () => t('黄灯', 'Yellow'), color: '#faad14' },
  red: { label: () => t('红灯', 'Red'), color: '#f5222d' },
};

export const LIGHT_REASONS: Record<string, () => string> = {
  milestone_overdue: () => t('节点逾期', 'Milestone overdue'),
  deadline_overdue: () => t('超过完成时限', 'Deadline passed'),
  report_missing: () => t('进展未按期报送', 'Report missing'),
  due_soon: () => t('临近节点或时限', 'Due soon'),
  progress_lag: () => t('进度滞后于时序', 'Progress lags time'),
};

export const COMPLETIONS: Record<NonNullable<TTaskRow['completion']>, () => string> = {
  on_time: () => t('按时办结', 'On time'),
  overdue: () => t('逾期办结', 'Overdue'),
  not_done: () => t('未办结', 'Not done'),
};

export const QUALITIES: Record<NonNullable<TTaskRow['quality']>, () => string> = {
  excellent: () => t('优', 'Excellent'),
  good: () => t('良', 'Good'),
  fair: () => t('中', 'Fair'),
  poor: () => t('差', 'Poor'),
};

export const CADENCES: Record<'daily' | 'weekly' | 'monthly', () => string> = {
  daily: () => t('每日', 'Daily'),
  weekly: () => t('每周', 'Weekly'),
  monthly: () => t('每月', 'Monthly'),
};

export const EVENT_KINDS: Record<string, () => string> = {
  create: () => t('建账立项', 'Entered in the ledger'),
  instruct: () => t('领导批示', 'Leader instruction'),
  accept: () => t('立项交办', 'Accepted'),
  merge: () => t('合并办理', 'Merged'),
  decline: () => t('不予立项', 'Declined'),
  sign: () => t('签收', 'Signed for'),
  submitPlan: () => t('报送方案', 'Plan submitted'),
  approvePlan: () => t('方案审定', 'Plan approved'),
  returnPlan: () => t('方案退回', 'Plan returned'),
  report: () => t('进展报告', 'Progress report'),
  applyCompletion: () => t('办结申请', 'Completion applied'),
  rejectCompletion: () => t('办结退回', 'Completion rejected'),
  review: () => t('办结评定', 'Rated'),
  remind: () => t('亮灯催办', 'Reminder (red light)'),
  fieldCheck: () => t('实地督查', 'Field check'),
  checkAnswer: () => t('整改答复', 'Rectification answered'),
  checkAccept: () => t('整改通过', 'Rectification accepted'),
  checkReturn: () => t('整改退回', 'Rectification returned'),
  reconcile: () => t('对账更新进度', 'Progress reconciled'),
};

export const PRIORITY_LABELS: Record<TTaskRow['priority'], { label: () => string; color: string }> = {
  normal: { label: () => t('一般', 'Normal'), color: 'default' },
  high: { label: () => t('重点', 'High'), color: 'orange' },
  urgent: { label: () => t('紧急', 'Urgent'), color: 'red' },
};
