import { z } from 'zod';
import { ANOMALY_CODES } from './reporting.anomaly.js';
import { FIELD_TYPES, ZFormDefinition } from './reporting.forms.js';
import { DEADLINE_MODES, REVISION_STATUSES, SUBMISSION_SOURCES, SUBMISSION_STATUSES } from './reporting.table.js';

export { ZFormDefinition, FIELD_TYPES };
export type { TFormDefinition, TFormField, TFormRule } from './reporting.forms.js';

const dbId = z.coerce.number().int().positive().max(2147483647);
const bodyId = z.number().int().positive().max(2147483647);

export const ZPeriod = z.string().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM (2000-2099)');
export const ZIdParam = z.object({ id: dbId });
export const ZIndicatorParam = z.object({ indicatorId: dbId });

export const ZFieldValue = z.union([z.number(), z.string(), z.array(z.string()), z.array(z.number()), z.null()]);
export const ZValues = z.record(z.string(), ZFieldValue);
/** Entered values as sent by a client: anything per key, checked against the form by the service. */
export const ZRawValues = z
  .record(z.string().max(60), z.unknown())
  .refine((v) => Object.keys(v).length <= 60, 'too many fields');

export const ZFlag = z.object({
  key: z.string(),
  code: z.enum(ANOMALY_CODES),
  field: z.string(),
  message: z.string(),
  value: z.number(),
  reference: z.number().nullable(),
  comment: z.string().nullable(),
  confirmedBy: z.string().nullable(),
  confirmedAt: z.string().nullable(),
});
export type TFlag = z.infer<typeof ZFlag>;

export const ZConfirmation = z.object({ key: z.string().min(1).max(80), comment: z.string().trim().min(1).max(500) });
const confirmations = z.array(ZConfirmation).max(20).default([]);

// ---------- settings, forms, deadlines ----------

export const ZDeadlineRule = z.object({
  mode: z.enum(DEADLINE_MODES),
  day: z.number().nullable(),
  workingDays: z.number().nullable(),
});
export type TDeadlineRule = z.infer<typeof ZDeadlineRule>;

export const ZReportingSettings = z.object({
  yearId: z.number(),
  year: z.number(),
  yearName: z.string(),
  yearStatus: z.string(),
  deadlineDay: z.number(),
  deadlineMode: z.enum(DEADLINE_MODES),
  deadlineWorkingDays: z.number(),
  /** 法定节假日顺延: a day-of-month deadline on a day off moves to the next working day. */
  deadlineRollsOver: z.boolean(),
  reminderDaysBefore: z.number(),
  jumpThresholdPct: z.number(),
  peerIqrFactor: z.number(),
  lightGreenMargin: z.number(),
  lightYellowMargin: z.number(),
});
export type TReportingSettings = z.infer<typeof ZReportingSettings>;

export const ZReportingSettingsUpdate = z
  .object({
    deadlineMode: z.enum(DEADLINE_MODES).optional(),
    deadlineWorkingDays: z.number().int().min(1).max(40).optional(),
    deadlineRollsOver: z.boolean().optional(),
    reminderDaysBefore: z.number().int().min(0).max(30).optional(),
    jumpThresholdPct: z.number().positive().max(10000).optional(),
    peerIqrFactor: z.number().positive().max(100).optional(),
    lightGreenMargin: z.number().min(0).max(100).optional(),
    lightYellowMargin: z.number().min(0).max(100).optional(),
  })
  .strict();
export type TReportingSettingsUpdate = z.infer<typeof ZReportingSettingsUpdate>;

export const ZYearQuery = z.object({ yearId: dbId.optional() });

export const ZFormSummary = z.object({
  indicatorId: z.number(),
  code: z.string(),
  name: z.string(),
  path: z.array(z.string()),
  dataSource: z.string(),
  unitOfMeasure: z.string(),
  designed: z.boolean(),
  version: z.number(),
  fieldCount: z.number(),
  deadline: ZDeadlineRule,
  deadlineOverridden: z.boolean(),
});
export type TFormSummary = z.infer<typeof ZFormSummary>;

export const ZForm = z.object({
  indicatorId: z.number(),
  yearId: z.number(),
  code: z.string(),
  name: z.string(),
  unitOfMeasure: z.string(),
  dataSource: z.string(),
  direction: z.string(),
  aggregate: z.string(),
  designed: z.boolean(),
  version: z.number(),
  definition: ZFormDefinition,
  deadline: ZDeadlineRule,
  deadlineOverridden: z.boolean(),
});
export type TForm = z.infer<typeof ZForm>;

export const ZDeadlineOverride = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('day'), day: z.number().int().min(1).max(28) }),
  z.object({ mode: z.literal('working_days'), workingDays: z.number().int().min(1).max(40) }),
]);
export type TDeadlineOverride = z.infer<typeof ZDeadlineOverride>;

export const ZRuleTest = z.object({
  definition: ZFormDefinition,
  expression: z.string().trim().min(1).max(1000),
  values: ZRawValues.default({}),
});
export const ZRuleTestResult = z.object({
  ok: z.boolean(),
  value: z.number().nullable(),
  passed: z.boolean().nullable(),
  message: z.string(),
});
export type TRuleTestResult = z.infer<typeof ZRuleTestResult>;

// ---------- submissions ----------

export const ZEvidence = z.object({
  id: z.number(),
  submissionId: z.number(),
  name: z.string(),
  size: z.number(),
  mime: z.string(),
  sha256: z.string(),
  uploadedByName: z.string(),
  uploadedAt: z.string(),
});
export type TEvidence = z.infer<typeof ZEvidence>;

export const ZEvent = z.object({
  id: z.number(),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  comment: z.string().nullable(),
  actorName: z.string(),
  at: z.string(),
});
export type TEvent = z.infer<typeof ZEvent>;

export const ZRevision = z.object({
  id: z.number(),
  submissionId: z.number(),
  revision: z.number(),
  value: z.number().nullable(),
  values: ZValues,
  flags: z.array(ZFlag),
  reason: z.string().nullable(),
  status: z.enum(REVISION_STATUSES),
  requestedByName: z.string(),
  requestedAt: z.string(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionComment: z.string().nullable(),
});
export type TRevision = z.infer<typeof ZRevision>;

export const ZSubmission = z.object({
  id: z.number(),
  yearId: z.number(),
  indicatorId: z.number(),
  indicatorCode: z.string(),
  indicatorName: z.string(),
  unitOfMeasure: z.string(),
  unitId: z.number(),
  unitCode: z.string(),
  unitName: z.string(),
  period: z.string(),
  source: z.enum(SUBMISSION_SOURCES),
  status: z.enum(SUBMISSION_STATUSES),
  returned: z.boolean(),
  returnReason: z.string().nullable(),
  returnedStage: z.string().nullable(),
  value: z.number().nullable(),
  values: ZValues,
  flags: z.array(ZFlag),
  revision: z.number(),
  enteredByName: z.string(),
  enteredAt: z.string(),
  firstSubmittedAt: z.string().nullable(),
  submittedAt: z.string().nullable(),
  leaderApprovedAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  deadline: z.string(),
  late: z.boolean(),
  pendingRevision: z.boolean(),
});
export type TSubmission = z.infer<typeof ZSubmission>;

export const ZAbilities = z.object({
  edit: z.boolean(),
  submit: z.boolean(),
  delete: z.boolean(),
  approve: z.boolean(),
  accept: z.boolean(),
  return: z.boolean(),
  requestRevision: z.boolean(),
  uploadEvidence: z.boolean(),
  deleteEvidence: z.boolean(),
});
export type TAbilities = z.infer<typeof ZAbilities>;

export const ZSubmissionDetail = ZSubmission.extend({
  form: ZFormDefinition,
  formVersion: z.number(),
  evidence: z.array(ZEvidence),
  events: z.array(ZEvent),
  revisions: z.array(ZRevision),
  abilities: ZAbilities,
});
export type TSubmissionDetail = z.infer<typeof ZSubmissionDetail>;

export const ZSubmissionQuery = z.object({
  yearId: dbId.optional(),
  unitId: dbId.optional(),
  indicatorId: dbId.optional(),
  period: ZPeriod.optional(),
  status: z.enum(SUBMISSION_STATUSES).optional(),
  queue: z.enum(['leader', 'office']).optional(),
  /** The unit's assessment category. */
  categoryId: dbId.optional(),
  /** Text in the unit's or the indicator's name or code, or the name of who entered it. */
  q: z.string().trim().min(1).max(50).optional(),
  /** Only rows with anomaly flags. */
  flagged: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === '1' || v === 'true')),
  /** Order: period (default: period, unit, indicator), unit, indicator, submitted (oldest first), submitted_desc. */
  sort: z.enum(['period', 'unit', 'indicator', 'submitted', 'submitted_desc']).optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
});
export type TSubmissionQuery = z.infer<typeof ZSubmissionQuery>;

export const ZSaveDraft = z.object({
  indicatorId: bodyId,
  unitId: bodyId,
  period: ZPeriod,
  values: ZRawValues,
  confirmations,
});
export type TSaveDraft = z.infer<typeof ZSaveDraft>;

export const ZUpdateDraft = z.object({ values: ZRawValues, confirmations });
export type TUpdateDraft = z.infer<typeof ZUpdateDraft>;

export const ZSubmitBody = z.object({ confirmations });
export type TSubmitBody = z.infer<typeof ZSubmitBody>;

export const ZReturnBody = z.object({ reason: z.string().trim().min(1).max(500) });
export const ZCommentBody = z.object({ comment: z.string().trim().max(500).optional() });
export const ZRejectBody = z.object({ comment: z.string().trim().min(1).max(500) });

export const ZBulkBody = z.object({ ids: z.array(bodyId).min(1).max(1000) });
export const ZBulkResult = z.object({
  done: z.array(z.number()),
  failed: z.array(z.object({ id: z.number(), message: z.string() })),
});
export type TBulkResult = z.infer<typeof ZBulkResult>;

export const ZRevisionRequest = z.object({
  reason: z.string().trim().min(1).max(500),
  values: ZRawValues,
  confirmations,
});
export type TRevisionRequest = z.infer<typeof ZRevisionRequest>;

export const ZRevisionItem = ZRevision.extend({
  unitId: z.number(),
  unitName: z.string(),
  indicatorId: z.number(),
  indicatorCode: z.string(),
  indicatorName: z.string(),
  period: z.string(),
  currentValue: z.number().nullable(),
  currentValues: ZValues,
});
export type TRevisionItem = z.infer<typeof ZRevisionItem>;

export const ZRevisionQuery = z.object({ status: z.enum(REVISION_STATUSES).default('requested') });

// ---------- views ----------

export const ZLightItem = z.object({
  indicatorId: z.number(),
  code: z.string(),
  name: z.string(),
  unitOfMeasure: z.string(),
  aggregate: z.string(),
  direction: z.string(),
  target: z.number().nullable(),
  actual: z.number().nullable(),
  timePct: z.number(),
  completionPct: z.number().nullable(),
  light: z.enum(['green', 'yellow', 'red', 'none']),
  overdue: z.boolean(),
});
export type TLightItem = z.infer<typeof ZLightItem>;

export const ZTodoItem = z.object({
  indicatorId: z.number(),
  code: z.string(),
  name: z.string(),
  unitOfMeasure: z.string(),
  period: z.string(),
  deadline: z.string(),
  workingDaysLeft: z.number(),
  submissionId: z.number().nullable(),
  status: z.enum(['missing', ...SUBMISSION_STATUSES]),
  returned: z.boolean(),
  returnReason: z.string().nullable(),
  late: z.boolean(),
  overdue: z.boolean(),
  pendingFlags: z.number(),
  value: z.number().nullable(),
  needsAction: z.boolean(),
});
export type TTodoItem = z.infer<typeof ZTodoItem>;

export const ZTodo = z.object({
  yearId: z.number(),
  year: z.number(),
  unitId: z.number(),
  unitName: z.string(),
  today: z.string(),
  currentPeriod: z.string(),
  items: z.array(ZTodoItem),
  lights: z.array(ZLightItem),
  counts: z.object({
    todo: z.number(),
    overdue: z.number(),
    returned: z.number(),
    red: z.number(),
    yellow: z.number(),
    green: z.number(),
  }),
});
export type TTodo = z.infer<typeof ZTodo>;

export const ZTodoQuery = z.object({ unitId: dbId.optional(), yearId: dbId.optional() });

/**
 * The submission matrix, compact: `cells[u]` has one character per indicator column —
 * '.' not applicable, '-' not yet due, 'o' overdue (nothing submitted by the deadline), 'd' draft,
 * 'r' returned, 's' submitted, 'l' approved by the unit leader, 'a' accepted; upper case S/L/A/R
 * when first submitted after the deadline. `flagged` lists [unit index, column index] of cells
 * with anomaly flags.
 */
export const ZMatrix = z.object({
  yearId: z.number(),
  period: z.string(),
  groups: z.array(z.object({ id: z.number(), code: z.string(), name: z.string() })),
  indicators: z.array(
    z.object({
      id: z.number(),
      code: z.string(),
      name: z.string(),
      groupId: z.number().nullable(),
      deadline: z.string(),
    }),
  ),
  units: z.array(z.object({ id: z.number(), code: z.string(), name: z.string(), categoryId: z.number().nullable() })),
  cells: z.array(z.string()),
  flagged: z.array(z.tuple([z.number(), z.number()])),
  counts: z.record(z.string(), z.number()),
});
export type TMatrix = z.infer<typeof ZMatrix>;

export const ZMatrixQuery = z.object({
  yearId: dbId.optional(),
  period: ZPeriod,
  categoryId: dbId.optional(),
  groupId: dbId.optional(),
  status: z
    .enum(['missing', 'overdue', 'draft', 'returned', 'submitted', 'leader_approved', 'accepted', 'late', 'flagged'])
    .optional(),
});
export type TMatrixQuery = z.infer<typeof ZMatrixQuery>;

export const ZOverdueItem = z.object({
  unitId: z.number(),
  unitCode: z.string(),
  unitName: z.string(),
  indicatorId: z.number(),
  code: z.string(),
  name: z.string(),
  period: z.string(),
  deadline: z.string(),
  daysOverdue: z.number(),
  status: z.enum(['missing', 'draft']),
  submissionId: z.number().nullable(),
});
export const ZOverdue = z.object({ total: z.number(), items: z.array(ZOverdueItem) });
export type TOverdue = z.infer<typeof ZOverdue>;
export const ZPeriodQuery = z.object({ yearId: dbId.optional(), period: ZPeriod.optional(), unitId: dbId.optional() });

export const ZAnomalyItem = z.object({
  submissionId: z.number(),
  unitId: z.number(),
  unitName: z.string(),
  indicatorId: z.number(),
  code: z.string(),
  name: z.string(),
  period: z.string(),
  status: z.enum(SUBMISSION_STATUSES),
  value: z.number().nullable(),
  flags: z.array(ZFlag),
});
export type TAnomalyItem = z.infer<typeof ZAnomalyItem>;

export const ZLateCount = z.object({ unitId: z.number(), period: z.string(), late: z.number(), missing: z.number() });
export type TLateCount = z.infer<typeof ZLateCount>;

export const ZHomeSummary = z.object({
  reporter: z
    .object({ unitId: z.number(), todo: z.number(), overdue: z.number(), returned: z.number(), red: z.number() })
    .nullable(),
  leader: z.object({ pendingApprovals: z.number() }).nullable(),
  office: z
    .object({ pendingAcceptance: z.number(), pendingRevisions: z.number(), overdue: z.number(), flagged: z.number() })
    .nullable(),
  assessor: z.object({ toEnter: z.number(), returned: z.number() }).nullable(),
});
export type THomeSummary = z.infer<typeof ZHomeSummary>;

// ---------- third-party entry ----------

export const ZThirdPartyGrid = z.object({
  yearId: z.number(),
  period: z.string(),
  indicators: z.array(
    z.object({
      id: z.number(),
      code: z.string(),
      name: z.string(),
      unitOfMeasure: z.string(),
      form: ZFormDefinition,
      unitIds: z.array(z.number()),
    }),
  ),
  units: z.array(z.object({ id: z.number(), code: z.string(), name: z.string() })),
  cells: z.array(
    z.object({
      indicatorId: z.number(),
      unitId: z.number(),
      submissionId: z.number(),
      status: z.enum(SUBMISSION_STATUSES),
      value: z.number().nullable(),
      values: ZValues,
      returnReason: z.string().nullable(),
      flags: z.array(ZFlag),
    }),
  ),
});
export type TThirdPartyGrid = z.infer<typeof ZThirdPartyGrid>;

export const ZThirdPartyQuery = z.object({ period: ZPeriod, yearId: dbId.optional() });
export const ZThirdPartySave = z.object({
  period: ZPeriod,
  entries: z
    .array(z.object({ indicatorId: bodyId, unitId: bodyId, values: ZRawValues, confirmations }))
    .min(1)
    .max(500),
});
export type TThirdPartySave = z.infer<typeof ZThirdPartySave>;
export const ZThirdPartyResult = z.object({
  saved: z.number(),
  unchanged: z.number(),
  submissionIds: z.array(z.number()),
});

// ---------- Excel ----------

export const ZExcelQuery = z.object({ unitId: dbId, period: ZPeriod });
export const ZExcelError = z.object({ row: z.number(), column: z.string(), message: z.string() });
export type TExcelError = z.infer<typeof ZExcelError>;
export const ZExcelResult = z.object({
  saved: z.number(),
  unchanged: z.number(),
  skipped: z.number(),
  flagged: z.number(),
  rows: z.number(),
  ms: z.object({ parse: z.number(), validate: z.number(), save: z.number() }),
});
export type TExcelResult = z.infer<typeof ZExcelResult>;

// ---------- notifications ----------

export const ZNotification = z.object({
  id: z.number(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export const ZNotifications = z.object({ unread: z.number(), items: z.array(ZNotification) });
export type TNotifications = z.infer<typeof ZNotifications>;
