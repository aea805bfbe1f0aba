import { z } from 'zod';
import { CASE_STATUSES, DISPATCH_STATUSES } from './cases.machine.js';
import {
  ATTACHMENT_KINDS,
  CASE_TYPES,
  CHANNELS,
  DISPATCH_ROLES,
  ESCALATION_STATUSES,
  EVENT_ACTOR_ROLES,
  PUBLICATIONS,
  RATINGS,
  ROUTING_KINDS,
} from './cases.table.js';
import { nonEmptyPatch } from '../../lib/zod-patch.js';
import { URBAN_CLASSES } from '../../../../common/cases.js';

/** Event types written to case_events (common/: the web names them too). */
export { CASE_EVENT_TYPES, type CaseEventType } from '../../../../common/cases.js';

// ---------- shared pieces ----------

export const ZIdParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
export const ZAttachmentParam = ZIdParam.extend({
  attachmentId: z.coerce.number().int().positive().max(2_147_483_647),
});

const ZId = z.number().int().positive().max(2_147_483_647);
/** A mainland mobile number or a landline with area code. */
export const ZPhone = z
  .string()
  .trim()
  .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, 'phone');
const ZText = (min: number, max: number) => z.string().trim().min(min).max(max);
const ZQueryBool = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');

export const ZRequester = z.object({
  name: z.string().trim().max(50).default(''),
  phone: z.union([ZPhone, z.literal('')]).default(''),
  enterprise: z.boolean().default(false),
  enterpriseName: z.string().trim().max(100).default(''),
  /** The requester asks that the department does not learn who they are. */
  anonymous: z.boolean().default(false),
});
export type TRequester = z.infer<typeof ZRequester>;

export const ZDispatchInput = z.object({
  leadUnitId: ZId,
  assistUnitIds: z.array(ZId).max(10).default([]),
  /** Working days; the category's limit when omitted. */
  timeLimitDays: z.number().int().min(1).max(365).optional(),
  note: z.string().trim().max(1000).default(''),
});
export type TDispatchInput = z.infer<typeof ZDispatchInput>;

const latLng = {
  lat: z.number().min(-90).max(90).nullable().default(null),
  lng: z.number().min(-180).max(180).nullable().default(null),
};
function bothOrNeither(v: { lat: number | null; lng: number | null }, ctx: z.RefinementCtx) {
  if ((v.lat === null) !== (v.lng === null))
    ctx.addIssue({ code: 'custom', path: [v.lat === null ? 'lat' : 'lng'], message: 'lat and lng go together' });
}

/** Intake by an agent (hotline, community window, grid, deputies, city transfer). */
export const ZCaseIntake = z
  .object({
    channel: z.enum(CHANNELS),
    type: z.enum(CASE_TYPES),
    categoryId: ZId,
    requester: ZRequester.default({ name: '', phone: '', enterprise: false, enterpriseName: '', anonymous: false }),
    description: ZText(5, 4000),
    address: z.string().trim().max(200).default(''),
    ...latLng,
    externalRef: z.string().trim().max(100).nullable().default(null),
    /** Channel 'grid' (主动发现): the street or department whose grid workers found the problem. */
    foundByUnitId: ZId.nullable().optional(),
    /** Dispatch in the same step (Ctrl+Enter in the console). */
    dispatch: ZDispatchInput.optional(),
  })
  .superRefine(bothOrNeither)
  .superRefine((v, ctx) => {
    if (v.foundByUnitId != null && v.channel !== 'grid')
      ctx.addIssue({ code: 'custom', path: ['foundByUnitId'], message: 'only a grid-channel case names who found it' });
  });
export type TCaseIntake = z.input<typeof ZCaseIntake>;
export type TCaseIntakeParsed = z.infer<typeof ZCaseIntake>;

/** A citizen's submission on the public page (JSON or multipart form fields, hence the coercion). */
export const ZPublicCaseCreate = z
  .object({
    categoryId: z.coerce.number().int().positive().max(2_147_483_647),
    type: z.enum(CASE_TYPES).default('complaint'),
    description: ZText(10, 2000),
    address: ZText(2, 200),
    name: z.string().trim().max(50).default(''),
    phone: z.union([ZPhone, z.literal('')]).default(''),
    lat: z.coerce.number().min(-90).max(90).nullable().default(null),
    lng: z.coerce.number().min(-180).max(180).nullable().default(null),
  })
  .superRefine(bothOrNeither);
export type TPublicCaseCreate = z.infer<typeof ZPublicCaseCreate>;

export const ZCaseNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{1,6}\d{13}$/, 'number');
export const ZQueryPassword = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'password');
export const ZTrack = z.object({ number: ZCaseNumber, password: ZQueryPassword });
export type TTrack = z.infer<typeof ZTrack>;
export const ZPublicRate = ZTrack.extend({ rating: z.enum(RATINGS), comment: z.string().trim().max(500).default('') });
export type TPublicRate = z.infer<typeof ZPublicRate>;

const ZStatusList = z
  .string()
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(z.enum(CASE_STATUSES)).max(CASE_STATUSES.length));

export const AWAITING = ['dispatch', 'verify', 'feedback', 'review', 'extension'] as const;
export type Awaiting = (typeof AWAITING)[number];

export const CASE_LIST_SORTS = ['newest', 'oldest', 'deadline', 'deadline_desc'] as const;
export const ZCaseListQuery = z.object({
  status: ZStatusList.optional(),
  categoryId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  unitId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  channel: z.enum(CHANNELS).optional(),
  type: z.enum(CASE_TYPES).optional(),
  overdue: ZQueryBool.optional(),
  dueSoon: ZQueryBool.optional(),
  escalated: ZQueryBool.optional(),
  /** The handler's inbox: active work orders of the user's unit(s). */
  mine: ZQueryBool.optional(),
  awaiting: z.enum(AWAITING).optional(),
  q: z.string().trim().max(100).optional(),
  /** A text search looks at the last 90 days unless `from` is given or this is true. */
  searchAll: ZQueryBool.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  /** Place: the address contains this text (a street, road or community name). */
  place: z.string().trim().min(1).max(50).optional(),
  /** Order: newest (default), oldest, deadline (soonest first) or deadline_desc. */
  sort: z.enum(CASE_LIST_SORTS).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TCaseListQuery = z.infer<typeof ZCaseListQuery>;

export const ZMerge = z.object({ mainCaseId: ZId });
export const ZReason = z.object({ reason: ZText(2, 1000) });
export const ZNote = z.object({ note: ZText(1, 1000) });
export const ZVerify = z.object({ ok: z.boolean(), note: z.string().trim().max(1000).default('') });
export const ZFeedback = z.object({ rating: z.enum(RATINGS), comment: z.string().trim().max(500).default('') });
export const ZReview = z.object({ qualified: z.boolean(), note: ZText(2, 1000) });
export const ZExtensionRequest = z.object({ days: z.number().int().min(1).max(60), reason: ZText(2, 1000) });
export const ZExtensionDecide = z.object({
  approve: z.boolean(),
  /** Granted days; the requested days when omitted. */
  days: z.number().int().min(1).max(60).optional(),
  note: z.string().trim().max(1000).default(''),
  /** Which work order's request, when several are pending. */
  dispatchId: ZId.optional(),
});
export const ZReport = z.object({ result: ZText(2, 4000), attachmentIds: z.array(ZId).max(20).default([]) });
export const ZEscalationDecide = z.object({ approve: z.boolean(), note: z.string().trim().max(1000).default('') });
export const ZEscalationListQuery = z.object({ status: z.enum(ESCALATION_STATUSES).optional() });
export const ZNoticeListQuery = z.object({ unread: ZQueryBool.optional() });

export const ZDuplicateProbeQuery = z
  .object({
    categoryId: z.coerce.number().int().positive().max(2_147_483_647),
    address: z.string().trim().max(200).default(''),
    lat: z.coerce.number().min(-90).max(90).nullable().default(null),
    lng: z.coerce.number().min(-180).max(180).nullable().default(null),
  })
  .superRefine(bothOrNeither);
export const ZRoutingProbeQuery = z.object({
  categoryId: z.coerce.number().int().positive().max(2_147_483_647),
  description: z.string().trim().max(4000).default(''),
  address: z.string().trim().max(200).default(''),
});

// ---------- configuration ----------

const ZCode = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . and - only');

export const ZCategoryCreate = z.object({
  code: ZCode,
  name: ZText(1, 50),
  parentId: ZId.nullable().default(null),
  defaultUnitId: ZId.nullable().default(null),
  timeLimitDays: z.number().int().min(1).max(365).default(10),
  signHours: z.number().int().min(1).max(240).default(4),
  open311Code: ZCode.nullable().default(null),
  description: z.string().trim().max(500).default(''),
  active: z.boolean().default(true),
  sort: z.number().int().min(0).max(100000).default(0),
  publication: z.enum(PUBLICATIONS).default('public'),
  /** Digital urban management (0027): 部件 or 事件, with the standard's code. */
  urbanClass: z.enum(URBAN_CLASSES).nullable().default(null),
  urbanCode: z.string().trim().max(20).nullable().default(null),
});
export type TCategoryCreate = z.infer<typeof ZCategoryCreate>;
export const ZCategoryUpdate = nonEmptyPatch(
  z.object({
    code: ZCode.optional(),
    name: ZText(1, 50).optional(),
    parentId: ZId.nullable().optional(),
    defaultUnitId: ZId.nullable().optional(),
    timeLimitDays: z.number().int().min(1).max(365).optional(),
    signHours: z.number().int().min(1).max(240).optional(),
    open311Code: ZCode.nullable().optional(),
    description: z.string().trim().max(500).optional(),
    active: z.boolean().optional(),
    sort: z.number().int().min(0).max(100000).optional(),
    publication: z.enum(PUBLICATIONS).optional(),
    urbanClass: z.enum(URBAN_CLASSES).nullable().optional(),
    urbanCode: z.string().trim().max(20).nullable().optional(),
  }),
);
export type TCategoryUpdate = z.infer<typeof ZCategoryUpdate>;

export const ZCaseCategory = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  code: z.string(),
  name: z.string(),
  /** Full path, e.g. 市容环卫 / 占道经营. */
  path: z.string(),
  defaultUnitId: z.number().nullable(),
  /** The department used when routing: own default or the nearest ancestor's. */
  effectiveUnitId: z.number().nullable(),
  effectiveUnitName: z.string().nullable(),
  timeLimitDays: z.number(),
  signHours: z.number(),
  open311Code: z.string().nullable(),
  description: z.string(),
  active: z.boolean(),
  sort: z.number(),
  /** Its own publication rule on the public interface. */
  publication: z.enum(PUBLICATIONS),
  /** The rule that applies: the strictest along the chain to the root. */
  effectivePublication: z.enum(PUBLICATIONS),
  urbanClass: z.enum(URBAN_CLASSES).nullable(),
  urbanCode: z.string().nullable(),
});
export type TCaseCategory = z.infer<typeof ZCaseCategory>;

export const ZPublicCategory = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  name: z.string(),
  timeLimitDays: z.number(),
});
export type TPublicCategory = z.infer<typeof ZPublicCategory>;

export const ZRoutingRuleCreate = z.object({
  kind: z.enum(ROUTING_KINDS),
  pattern: ZText(1, 200),
  categoryId: ZId.nullable().default(null),
  unitId: ZId,
  priority: z.number().int().min(-1000).max(1000).default(0),
  note: z.string().trim().max(500).default(''),
  active: z.boolean().default(true),
});
export type TRoutingRuleCreate = z.infer<typeof ZRoutingRuleCreate>;
export const ZRoutingRuleUpdate = nonEmptyPatch(
  z.object({
    kind: z.enum(ROUTING_KINDS).optional(),
    pattern: ZText(1, 200).optional(),
    categoryId: ZId.nullable().optional(),
    unitId: ZId.optional(),
    priority: z.number().int().min(-1000).max(1000).optional(),
    note: z.string().trim().max(500).optional(),
    active: z.boolean().optional(),
  }),
);
export type TRoutingRuleUpdate = z.infer<typeof ZRoutingRuleUpdate>;
export const ZRoutingRule = z.object({
  id: z.number(),
  kind: z.enum(ROUTING_KINDS),
  pattern: z.string(),
  categoryId: z.number().nullable(),
  categoryName: z.string().nullable(),
  unitId: z.number(),
  unitName: z.string(),
  priority: z.number(),
  note: z.string(),
  active: z.boolean(),
});
export type TRoutingRule = z.infer<typeof ZRoutingRule>;

const ZPublication = z.enum(PUBLICATIONS);
/** Publication rule per case type; 举报 is never public. */
export const ZTypePublication = z.object({
  complaint: ZPublication,
  help: ZPublication,
  consultation: ZPublication,
  suggestion: ZPublication,
  report: z.literal('private'), // whistle-blowing cases are never public
  mediation: ZPublication,
});
export const ZCaseSettings = z.object({
  duplicateRadiusM: z.number().int().min(10).max(5000),
  duplicateDays: z.number().int().min(1).max(90),
  typePublication: ZTypePublication,
});
export type TCaseSettings = z.infer<typeof ZCaseSettings>;
/** A settings update: what is left out stays as it is. */
export const ZCaseSettingsUpdate = ZCaseSettings.partial({ typePublication: true });
export type TCaseSettingsUpdate = z.infer<typeof ZCaseSettingsUpdate>;

/** An agent marks a case confidential (or lifts it), saying why. */
export const ZConfidential = z.object({ confidential: z.boolean(), reason: ZText(2, 500) });
export type TConfidential = z.infer<typeof ZConfidential>;

// ---------- views ----------

const ZDueState = z.enum(['done', 'ok', 'due_soon', 'overdue']).nullable();

export const ZRequesterView = z.object({
  name: z.string(),
  phone: z.string(),
  enterprise: z.boolean(),
  enterpriseName: z.string(),
  anonymous: z.boolean(),
  /** True when name and phone are masked for this viewer. */
  masked: z.boolean(),
});
export type TRequesterView = z.infer<typeof ZRequesterView>;

export const ZDispatchView = z.object({
  id: z.number(),
  unitId: z.number(),
  unitName: z.string(),
  role: z.enum(DISPATCH_ROLES),
  round: z.number(),
  kind: z.enum(['dispatch', 'redo']),
  status: z.enum(DISPATCH_STATUSES),
  timeLimitDays: z.number(),
  dispatchedAt: z.string(),
  signDue: z.string(),
  signedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  deadline: z.string(),
  deadlineDate: z.string(),
  reportedAt: z.string().nullable(),
  result: z.string(),
  extensionCount: z.number(),
  extensionDays: z.number(),
  extensionRequest: z.object({ days: z.number(), reason: z.string(), at: z.string() }).nullable(),
  returned: z.boolean(),
  returnedAt: z.string().nullable(),
  returnReason: z.string(),
  dueState: ZDueState,
  signState: ZDueState,
});
export type TDispatchView = z.infer<typeof ZDispatchView>;

export const ZCaseListItem = z.object({
  id: z.number(),
  number: z.string(),
  status: z.enum(CASE_STATUSES),
  channel: z.enum(CHANNELS),
  type: z.enum(CASE_TYPES),
  categoryId: z.number(),
  categoryName: z.string(),
  summary: z.string(),
  address: z.string(),
  requesterName: z.string(),
  createdAt: z.string(),
  leadUnitId: z.number().nullable(),
  leadUnitName: z.string().nullable(),
  deadline: z.string().nullable(),
  signDue: z.string().nullable(),
  dueState: ZDueState,
  signState: ZDueState,
  escalated: z.boolean(),
  redoCount: z.number(),
  /** The handler's own work order on this case (inbox). */
  dispatch: ZDispatchView.nullable(),
});
export type TCaseListItem = z.infer<typeof ZCaseListItem>;

export const ZCaseList = z.object({
  items: z.array(ZCaseListItem),
  /** Exact up to 10,000; with totalCapped there are more ("10,000+"). */
  total: z.number(),
  totalCapped: z.boolean(),
  page: z.number(),
  pageSize: z.number(),
  /** The start (Beijing date) of the default window a text search looked in; null when none applied. */
  searchFrom: z.string().nullable(),
});
export type TCaseList = z.infer<typeof ZCaseList>;

export const ZCaseEventView = z.object({
  id: z.number(),
  type: z.string(),
  at: z.string(),
  actorName: z.string(),
  actorRole: z.enum(EVENT_ACTOR_ROLES),
  unitId: z.number().nullable(),
  unitName: z.string().nullable(),
  fromStatus: z.enum(CASE_STATUSES).nullable(),
  toStatus: z.enum(CASE_STATUSES).nullable(),
  note: z.string(),
  isPublic: z.boolean(),
  publicText: z.string(),
});
export type TCaseEventView = z.infer<typeof ZCaseEventView>;

export const ZAttachmentView = z.object({
  id: z.number(),
  kind: z.enum(ATTACHMENT_KINDS),
  filename: z.string(),
  mime: z.string(),
  size: z.number(),
  createdAt: z.string(),
  uploadedByName: z.string(),
  unitName: z.string().nullable(),
});
export type TAttachmentView = z.infer<typeof ZAttachmentView>;

export const ZEscalationView = z.object({
  id: z.number(),
  caseId: z.number(),
  caseNumber: z.string(),
  caseStatus: z.enum(CASE_STATUSES),
  caseSummary: z.string(),
  leadUnitName: z.string().nullable(),
  deadline: z.string().nullable(),
  dueState: ZDueState,
  status: z.enum(ESCALATION_STATUSES),
  reason: z.string(),
  requestedAt: z.string(),
  requestedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decisionNote: z.string(),
  followCount: z.number(),
  lastFollowAt: z.string().nullable(),
  lastFollowNote: z.string(),
});
export type TEscalationView = z.infer<typeof ZEscalationView>;

/** Buttons the current user may press on this case in its current state. */
export const CASE_UI_ACTIONS = [
  'dispatch',
  'reject',
  'merge',
  'sign',
  'start',
  'extension',
  'return',
  'report',
  'upload',
  'verify',
  'close',
  'feedback',
  'review',
  'escalate',
  'remind',
  'decide_extension',
  'decide_escalation',
  'follow_escalation',
  'confidential',
] as const;
export type CaseUiAction = (typeof CASE_UI_ACTIONS)[number];

export const ZCaseDetail = ZCaseListItem.extend({
  description: z.string(),
  requester: ZRequesterView,
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  externalRef: z.string().nullable(),
  timeLimitDays: z.number().nullable(),
  dispatchedAt: z.string().nullable(),
  signedAt: z.string().nullable(),
  reportedAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  workingDaysLeft: z.number().nullable(),
  result: z.string(),
  rejectReason: z.string(),
  feedback: z
    .object({ rating: z.enum(RATINGS), comment: z.string(), by: z.enum(['agent', 'citizen']), at: z.string() })
    .nullable(),
  reviewResult: z.enum(['qualified', 'unqualified']).nullable(),
  extensionCount: z.number(),
  returnCount: z.number(),
  mainCase: z.object({ id: z.number(), number: z.string(), status: z.enum(CASE_STATUSES) }).nullable(),
  mergedCases: z.array(z.object({ id: z.number(), number: z.string() })),
  dispatches: z.array(ZDispatchView),
  events: z.array(ZCaseEventView),
  attachments: z.array(ZAttachmentView),
  escalations: z.array(ZEscalationView),
  actions: z.array(z.enum(CASE_UI_ACTIONS)),
  /** Marked confidential by an agent: never public. */
  confidential: z.boolean(),
  /** What the public interface shows of the case (category, type and confidential mark together). */
  publication: z.enum(PUBLICATIONS),
});
export type TCaseDetail = z.infer<typeof ZCaseDetail>;

export const ZIntakeResult = z.object({
  id: z.number(),
  number: z.string(),
  status: z.enum(CASE_STATUSES),
  /** The query password: shown once, never stored in clear. */
  password: z.string(),
  timeLimitDays: z.number(),
});
export type TIntakeResult = z.infer<typeof ZIntakeResult>;

export const ZPublicCreated = z.object({ number: z.string(), password: z.string(), timeLimitDays: z.number() });
export type TPublicCreated = z.infer<typeof ZPublicCreated>;

export const ZTrackResult = z.object({
  number: z.string(),
  status: z.enum(CASE_STATUSES),
  type: z.enum(CASE_TYPES),
  categoryName: z.string(),
  description: z.string(),
  address: z.string(),
  createdAt: z.string(),
  timeLimitDays: z.number().nullable(),
  deadlineDate: z.string().nullable(),
  leadUnitName: z.string().nullable(),
  /** The verified result; empty before verification. */
  result: z.string(),
  rating: z.enum(RATINGS).nullable(),
  canRate: z.boolean(),
  requesterName: z.string(),
  requesterPhone: z.string(),
  mainCase: z.object({ number: z.string(), status: z.enum(CASE_STATUSES) }).nullable(),
  timeline: z.array(z.object({ at: z.string(), type: z.string(), text: z.string() })),
});
export type TTrackResult = z.infer<typeof ZTrackResult>;

export const ZDuplicate = z.object({
  id: z.number(),
  number: z.string(),
  status: z.enum(CASE_STATUSES),
  categoryName: z.string(),
  summary: z.string(),
  address: z.string(),
  createdAt: z.string(),
  reason: z.enum(['same_address', 'address_contains', 'nearby']),
  distanceM: z.number().nullable(),
});
export type TDuplicate = z.infer<typeof ZDuplicate>;

export const ZRoutingSuggestion = z.object({
  suggestions: z.array(
    z.object({
      unitId: z.number(),
      unitName: z.string(),
      source: z.enum(['rule', 'category']),
      ruleId: z.number().nullable(),
      matched: z.string(),
    }),
  ),
  timeLimitDays: z.number(),
  signHours: z.number(),
  /** Deadline and sign-for due if dispatched now. */
  deadlineDate: z.string(),
  signDue: z.string(),
});
export type TRoutingSuggestion = z.infer<typeof ZRoutingSuggestion>;

export const ZCaseCounts = z.object({
  awaitingDispatch: z.number(),
  awaitingVerify: z.number(),
  awaitingFeedback: z.number(),
  awaitingReview: z.number(),
  extensionRequests: z.number(),
  pendingEscalations: z.number(),
  overdue: z.number(),
  dueSoon: z.number(),
  toSign: z.number(),
  signOverdue: z.number(),
  inProgress: z.number(),
  unreadNotices: z.number(),
});
export type TCaseCounts = z.infer<typeof ZCaseCounts>;

export const ZNotice = z.object({
  id: z.number(),
  caseId: z.number(),
  caseNumber: z.string(),
  unitId: z.number(),
  kind: z.string(),
  text: z.string(),
  actorName: z.string(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type TNotice = z.infer<typeof ZNotice>;
