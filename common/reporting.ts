/** Vocabulary of data collection (填报), shared by the server and the web app. */
import type { Names } from './names.js';

export const SUBMISSION_STATUSES = ['draft', 'submitted', 'leader_approved', 'accepted'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/** Status names as the web app shows them ('missing': nothing entered yet, a state of no row). */
export const SUBMISSION_STATUS_NAMES = {
  missing: { zh: '未填报', en: 'Not entered' },
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '待单位审核', en: 'Submitted' },
  leader_approved: { zh: '待绩效办审核', en: 'Approved by unit' },
  accepted: { zh: '已归档', en: 'Accepted' },
} as const satisfies Record<SubmissionStatus | 'missing', Names>;

export const SUBMISSION_SOURCES = ['self_report', 'third_party'] as const;
export type SubmissionSource = (typeof SUBMISSION_SOURCES)[number];

export const REVISION_STATUSES = ['requested', 'approved', 'rejected'] as const;
export type RevisionStatus = (typeof REVISION_STATUSES)[number];

export const DEADLINE_MODES = ['day', 'working_days'] as const;
export type DeadlineMode = (typeof DEADLINE_MODES)[number];

export const FIELD_TYPES = [
  'integer',
  'decimal',
  'percent',
  'money',
  'date',
  'text',
  'single_choice',
  'multi_choice',
  'file',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FIELD_TYPE_NAMES = {
  integer: { zh: '整数', en: 'Integer' },
  decimal: { zh: '小数', en: 'Decimal' },
  percent: { zh: '百分比', en: 'Percent' },
  money: { zh: '金额', en: 'Money' },
  date: { zh: '日期', en: 'Date' },
  text: { zh: '文本', en: 'Text' },
  single_choice: { zh: '单选', en: 'Single choice' },
  multi_choice: { zh: '多选', en: 'Multiple choice' },
  file: { zh: '附件', en: 'File' },
} as const satisfies Record<FieldType, Names>;

/** Field types that hold numbers. */
export const NUMERIC_FIELD_TYPES: readonly FieldType[] = ['integer', 'decimal', 'percent', 'money'];
