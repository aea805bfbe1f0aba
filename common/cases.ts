/** Vocabulary of the public service platform (12345 cases), shared by the server and the web app. */
import type { Names } from './names.js';

/** The case life cycle's states (the transitions are in the server's cases.machine.ts). */
export const CASE_STATUSES = [
  'accepted',
  'rejected',
  'merged',
  'dispatched',
  'signed',
  'in_progress',
  'reported',
  'verified',
  'review',
  'returned',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_STATUS_NAMES = {
  accepted: { zh: '已受理待派单', en: 'Awaiting dispatch' },
  rejected: { zh: '不予受理', en: 'Rejected' },
  merged: { zh: '已合并', en: 'Merged' },
  dispatched: { zh: '已派单待签收', en: 'Awaiting sign-for' },
  signed: { zh: '已签收', en: 'Signed for' },
  in_progress: { zh: '办理中', en: 'In progress' },
  reported: { zh: '已办结待核查', en: 'Awaiting verification' },
  verified: { zh: '已核查待回访', en: 'Awaiting feedback' },
  review: { zh: '专业评价中', en: 'Professional review' },
  returned: { zh: '已退单待重派', en: 'Returned' },
  closed: { zh: '已办结', en: 'Closed' },
} as const satisfies Record<CaseStatus, Names>;

/** Where a case came in (受理渠道). */
export const CHANNELS = [
  'hotline',
  'web',
  'community',
  'city_transfer',
  'grid',
  'deputy',
  'petition',
  'open311',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_NAMES = {
  hotline: { zh: '热线电话', en: 'Hotline' },
  web: { zh: '网上受理', en: 'Web' },
  community: { zh: '社区受理', en: 'Community window' },
  city_transfer: { zh: '市级平台转办', en: 'City platform' },
  grid: { zh: '网格员上报', en: 'Grid worker' },
  deputy: { zh: '人大代表、政协委员', en: 'Deputies' },
  petition: { zh: '来信来访', en: 'Letters & visits' },
  open311: { zh: '开放接口', en: 'Open311' },
} as const satisfies Record<Channel, Names>;

export const CASE_TYPES = ['complaint', 'help', 'consultation', 'suggestion', 'report', 'mediation'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_TYPE_NAMES = {
  complaint: { zh: '投诉', en: 'Complaint' },
  help: { zh: '求助', en: 'Help' },
  consultation: { zh: '咨询', en: 'Consultation' },
  suggestion: { zh: '建议', en: 'Suggestion' },
  report: { zh: '举报', en: 'Report' },
  mediation: { zh: '调解', en: 'Mediation' },
} as const satisfies Record<CaseType, Names>;

/** Publication rule on the public interface (Open311, per category and case type): as filed (masked),
 *  without text and with coordinates rounded to ~100 m, or never. */
export const PUBLICATIONS = ['public', 'limited', 'private'] as const;
export type Publication = (typeof PUBLICATIONS)[number];

export const PUBLICATION_NAMES = {
  public: { zh: '公开（个人信息打码）', en: 'Public (personal data masked)' },
  limited: { zh: '仅公开状态（不含内容，坐标约 100 米）', en: 'Status only (no text, ~100 m location)' },
  private: { zh: '不公开', en: 'Not public' },
} as const satisfies Record<Publication, Names>;

/** The requester's feedback (回访评价). */
export const RATINGS = ['satisfied', 'basic', 'unsatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

export const RATING_NAMES = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basic: { zh: '基本满意', en: 'Basically satisfied' },
  unsatisfied: { zh: '不满意', en: 'Unsatisfied' },
} as const satisfies Record<Rating, Names>;

/** Who acted on a case, as recorded on its timeline. */
export const EVENT_ACTOR_ROLES = ['agent', 'handler', 'supervisor', 'citizen', 'system', 'reviewer'] as const;
export type EventActorRole = (typeof EVENT_ACTOR_ROLES)[number];

export const EVENT_ACTOR_ROLE_NAMES = {
  agent: { zh: '二级平台', en: 'Level 2' },
  handler: { zh: '承办单位', en: 'Department' },
  supervisor: { zh: '督办', en: 'Level 1' },
  citizen: { zh: '市民', en: 'Citizen' },
  system: { zh: '系统', en: 'System' },
  reviewer: { zh: '专业评价', en: 'Professional review' },
} as const satisfies Record<EventActorRole, Names>;

/** A case escalation's (督办) states. */
export const ESCALATION_STATUSES = ['pending', 'approved', 'rejected', 'closed'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

export const ESCALATION_STATUS_NAMES = {
  pending: { zh: '待审批', en: 'Pending' },
  approved: { zh: '督办中', en: 'Escalated' },
  rejected: { zh: '未批准', en: 'Rejected' },
  closed: { zh: '已结束', en: 'Ended' },
} as const satisfies Record<EscalationStatus, Names>;

/** What happens on a case's timeline. Status changes and side events (extensions, escalations, reminders, uploads). */
export const CASE_EVENT_TYPES = [
  'created',
  'dispatched',
  'rejected',
  'merged',
  'merge_absorbed',
  'signed',
  'started',
  'returned',
  'reported',
  'verified',
  'verify_failed',
  'feedback',
  'review',
  'redo',
  'closed',
  'assist_signed',
  'assist_started',
  'assist_returned',
  'assist_reported',
  'extension_requested',
  'extension_approved',
  'extension_refused',
  'escalation_requested',
  'escalation_approved',
  'escalation_rejected',
  'escalation_followed',
  'reminded',
  'attachment_added',
  'main_completed',
  'confidential_changed',
  'comment_added',
  'intake_flagged',
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

export const CASE_EVENT_NAMES = {
  created: { zh: '受理', en: 'Accepted' },
  dispatched: { zh: '派单', en: 'Dispatched' },
  rejected: { zh: '不予受理', en: 'Rejected' },
  merged: { zh: '合并', en: 'Merged' },
  merge_absorbed: { zh: '合并重复诉求', en: 'Absorbed a duplicate' },
  signed: { zh: '签收', en: 'Signed for' },
  started: { zh: '开始办理', en: 'Started' },
  returned: { zh: '退单', en: 'Returned' },
  reported: { zh: '办结上报', en: 'Reported' },
  verified: { zh: '核查通过', en: 'Verified' },
  verify_failed: { zh: '核查未通过', en: 'Verification failed' },
  feedback: { zh: '回访评价', en: 'Feedback' },
  review: { zh: '专业评价', en: 'Professional review' },
  redo: { zh: '退回重办', en: 'Redo' },
  closed: { zh: '办结', en: 'Closed' },
  assist_signed: { zh: '协办签收', en: 'Assist signed for' },
  assist_started: { zh: '协办开始办理', en: 'Assist started' },
  assist_returned: { zh: '协办退单', en: 'Assist returned' },
  assist_reported: { zh: '协办上报', en: 'Assist reported' },
  extension_requested: { zh: '申请延期', en: 'Extension requested' },
  extension_approved: { zh: '同意延期', en: 'Extension approved' },
  extension_refused: { zh: '不同意延期', en: 'Extension refused' },
  escalation_requested: { zh: '申请督办', en: 'Escalation requested' },
  escalation_approved: { zh: '列为督办件', en: 'Escalation approved' },
  escalation_rejected: { zh: '督办申请未批准', en: 'Escalation rejected' },
  escalation_followed: { zh: '督办意见', en: 'Escalation note' },
  reminded: { zh: '催办', en: 'Reminder' },
  attachment_added: { zh: '上传附件', en: 'Attachment' },
  main_completed: { zh: '主办件办结', en: 'Main case completed' },
  confidential_changed: { zh: '保密设置', en: 'Confidentiality' },
  comment_added: { zh: '补充说明（开放接口）', en: 'Comment (Open311)' },
  intake_flagged: { zh: '接口数据待核实', en: 'Open311 data to check' },
} as const satisfies Record<CaseEventType, Names>;

/** Digital urban-management classes of a case category (数字化城市管理): 部件 (components) and 事件 (events). */
export const URBAN_CLASSES = ['component', 'event'] as const;
export type UrbanClass = (typeof URBAN_CLASSES)[number];

export const URBAN_CLASS_NAMES = {
  component: { zh: '部件', en: 'Component' },
  event: { zh: '事件', en: 'Event' },
} as const satisfies Record<UrbanClass, Names>;

/** What the supervision centre records against a department on a case. */
export const CASE_MARK_KINDS = ['mis_sign', 'mis_close', 'reply_complaint'] as const;
export type CaseMarkKind = (typeof CASE_MARK_KINDS)[number];

export const CASE_MARK_NAMES = {
  mis_sign: { zh: '误签', en: 'Wrong sign-for' },
  mis_close: { zh: '误结', en: 'Wrong closure' },
  reply_complaint: { zh: '群众对回复的投诉', en: 'Complaint about the reply' },
} as const satisfies Record<CaseMarkKind, Names>;
