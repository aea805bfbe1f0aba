import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { CaseStatus } from '@server/modules/cases/cases.machine';
import type { TCaseCategory, TCaseCounts, TPublicCategory } from '@server/modules/cases/cases.schema';
import type { TUnit } from '@server/modules/units/units.schema';
import { http } from '../../lib/api';
import { t } from '../../lib/i18n';

/** Query keys of the cases pages; every write invalidates ['cases'] and the lists hanging off it. */
export const CASES_KEY = ['cases'] as const;
export const caseKey = (id: number) => ['cases', 'detail', id] as const;

export type { CaseStatus };
type Label = () => string;

export const STATUS_LABEL: Record<CaseStatus, Label> = {
  accepted: () => t('已受理待派单', 'Awaiting dispatch'),
  rejected: () => t('不予受理', 'Rejected'),
  merged: () => t('已合并', 'Merged'),
  dispatched: () => t('已派单待签收', 'Awaiting sign-for'),
  signed: () => t('已签收', 'Signed for'),
  in_progress: () => t('办理中', 'In progress'),
  reported: () => t('已办结待核查', 'Awaiting verification'),
  verified: () => t('已核查待回访', 'Awaiting feedback'),
  review: () => t('专业评价中', 'Professional review'),
  returned: () => t('已退单待重派', 'Returned'),
  closed: () => t('已办结', 'Closed'),
};
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
export const CASE_STATUSES = Object.keys(STATUS_LABEL) as CaseStatus[];

export type Channel = 'hotline' | 'web' | 'community' | 'city_transfer' | 'grid' | 'deputy' | 'petition' | 'open311';
export const CHANNEL_LABEL: Record<Channel, Label> = {
  hotline: () => t('热线电话', 'Hotline'),
  web: () => t('网上受理', 'Web'),
  community: () => t('社区受理', 'Community window'),
  city_transfer: () => t('市级平台转办', 'City platform'),
  grid: () => t('网格员上报', 'Grid worker'),
  deputy: () => t('人大代表、政协委员', 'Deputies'),
  petition: () => t('来信来访', 'Letters & visits'),
  open311: () => t('开放接口', 'Open311'),
};
export const CHANNELS = Object.keys(CHANNEL_LABEL) as Channel[];

export type CaseType = 'complaint' | 'help' | 'consultation' | 'suggestion' | 'report' | 'mediation';
export const TYPE_LABEL: Record<CaseType, Label> = {
  complaint: () => t('投诉', 'Complaint'),
  help: () => t('求助', 'Help'),
  consultation: () => t('咨询', 'Consultation'),
  suggestion: () => t('建议', 'Suggestion'),
  report: () => t('举报', 'Report'),
  mediation: () => t('调解', 'Mediation'),
};
export const CASE_TYPES = Object.keys(TYPE_LABEL) as CaseType[];

export type Rating = 'satisfied' | 'basic' | 'unsatisfied';
export const RATING_LABEL: Record<Rating, Label> = {
  satisfied: () => t('满意', 'Satisfied'),
  basic: () => t('基本满意', 'Basically satisfied'),
  unsatisfied: () => t('不满意', 'Unsatisfied'),
};

export const EVENT_LABEL: Record<string, Label> = {
  created: () => t('受理', 'Accepted'),
  dispatched: () => t('派单', 'Dispatched'),
  rejected: () => t('不予受理', 'Rejected'),
  merged: () => t('合并', 'Merged'),
  merge_absorbed: () => t('合并重复诉求', 'Absorbed a duplicate'),
  signed: () => t('签收', 'Signed for'),
  started: () => t('开始办理', 'Started'),
  returned: () => t('退单', 'Returned'),
  reported: () => t('办结上报', 'Reported'),
  verified: () => t('核查通过', 'Verified'),
  verify_failed: () => t('核查未通过', 'Verification failed'),
  feedback: () => t('回访评价', 'Feedback'),
  review: () => t('专业评价', 'Professional review'),
  redo: () => t('退回重办', 'Redo'),
  closed: () => t('办结', 'Closed'),
  assist_signed: () => t('协办签收', 'Assist signed for'),
  assist_started: () => t('协办开始办理', 'Assist started'),
  assist_returned: () => t('协办退单', 'Assist returned'),
  assist_reported: () => t('协办上报', 'Assist reported'),
  extension_requested: () => t('申请延期', 'Extension requested'),
  extension_approved: () => t('同意延期', 'Extension approved'),
  extension_refused: () => t('不同意延期', 'Extension refused'),
  escalation_requested: () => t('申请督办', 'Escalation requested'),
  escalation_approved: () => t('列为督办件', 'Escalation approved'),
  escalation_rejected: () => t('督办申请未批准', 'Escalation rejected'),
  escalation_followed: () => t('督办意见', 'Supervision note'),
  reminded: () => t('催办', 'Reminder'),
  attachment_added: () => t('上传附件', 'Attachment'),
  main_completed: () => t('主办件办结', 'Main case completed'),
  confidential_changed: () => t('保密设置', 'Confidentiality'),
  comment_added: () => t('补充说明（开放接口）', 'Comment (Open311)'),
  intake_flagged: () => t('接口数据待核实', 'Open311 data to check'),
};
export const eventLabel = (type: string) => (EVENT_LABEL[type] ? EVENT_LABEL[type]() : type);

export const ROLE_LABEL: Record<string, Label> = {
  agent: () => t('二级平台', 'Level 2'),
  handler: () => t('承办单位', 'Department'),
  supervisor: () => t('督办', 'Level 1'),
  citizen: () => t('市民', 'Citizen'),
  system: () => t('系统', 'System'),
};

export type DueState = 'done' | 'ok' | 'due_soon' | 'overdue';

export function useCaseCategories(enabled = true) {
  return useQuery({ queryKey: ['case-categories'], queryFn: () => http.get<TCaseCategory[]>('/api/case-categories'), enabled, staleTime: 60_000 });
}

export function usePublicCategories() {
  return useQuery({ queryKey: ['public-case-categories'], queryFn: () => http.get<TPublicCategory[]>('/api/public/case-categories'), staleTime: 300_000 });
}

export function useUnitList(enabled = true) {
  return useQuery({ queryKey: ['units'], queryFn: () => http.get<TUnit[]>('/api/units'), enabled, staleTime: 60_000 });
}

export function useCaseCounts(enabled = true) {
  return useQuery({ queryKey: ['cases', 'counts'], queryFn: () => http.get<TCaseCounts>('/api/cases/counts'), enabled, refetchInterval: 60_000 });
}

/** Invalidates every cached case list, detail and counter after a write. */
export function useRefreshCases() {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: CASES_KEY }), qc.invalidateQueries({ queryKey: ['escalations'] }), qc.invalidateQueries({ queryKey: ['case-notices'] })]);
}

export type CascaderOption = { value: number; label: string; children?: CascaderOption[] };

/** The flat category list as a cascader tree (active ones only when asked). */
export function categoryOptions(cats: readonly { id: number; parentId: number | null; name: string; active?: boolean }[], activeOnly = true): CascaderOption[] {
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
export function categoryPathIds(cats: readonly { id: number; parentId: number | null }[], id: number | null | undefined): number[] {
  if (!id) return [];
  const byId = new Map(cats.map((c) => [c.id, c]));
  const out: number[] = [];
  for (let c = byId.get(id); c && !out.includes(c.id); c = c.parentId === null ? undefined : byId.get(c.parentId)) out.unshift(c.id);
  return out;
}

export { errorText } from '../../lib/api';

export { fmtDate, fmtTime } from '../../lib/time';
