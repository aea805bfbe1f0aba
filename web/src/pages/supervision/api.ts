/**
 * The supervision module's endpoints (the ledger and a task's flow, field checks and reconciliation rounds,
 * issued documents, proposals, investment projects, the Excel import) as typed functions and query hooks.
 * Pages write no URL: downloads, uploads and file links also come from here.
 */
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  TLedger,
  TLedgerQuery,
  TTaskDetail,
  ZAccept,
  ZApply,
  ZInstructionCreate,
  ZMerge,
  ZNote,
  ZPlan,
  ZReason,
  ZReport,
  ZReview,
  ZTaskCreate,
} from '@server/modules/supervision/supervision.schema';
import type {
  TCheckList,
  TChecksQuery,
  TPointRow,
  TRound,
  TRoundDetail,
  TTaskChecks,
  ZCheckCreate,
  ZPointAccept,
  ZPointAnswer,
  ZPointReturn,
  ZRoundClose,
  ZRoundCreate,
  ZRowConfirm,
  ZRowResolve,
} from '@server/modules/supervision/supervision.fieldwork.schema';
import type {
  TDeputy,
  TDocContent,
  TDocDetail,
  TDocRow,
  TInvestment,
  TInvestmentQuery,
  TProposalDetail,
  TProposalList,
  TProposalQuery,
  TProposalStats,
  ZDocDraft,
  ZInvestmentCreate,
  ZInvestmentStage,
  ZProposalCreate,
  ZProposalRate,
  ZProposalReply,
} from '@server/modules/supervision/supervision.docs.schema';
import type { TLeaderOption, TReminders } from '@server/modules/supervision/supervision.ledger.schema';
import { http, qs } from '../../lib/api';

/** A request body as the client sends it (fields with a server default may be left out). */
type In<S extends z.ZodType> = z.input<S>;

/** Query keys of the supervision pages; every write invalidates SUP_KEY or a list below it. */
export const SUP_KEY = ['supervision'] as const;
export const FIELD_KEY = [...SUP_KEY, 'fieldwork'] as const;
export const PROPOSALS_KEY = [...SUP_KEY, 'proposals'] as const;
export const INVESTMENTS_KEY = [...SUP_KEY, 'investments'] as const;
export const DOCUMENTS_KEY = [...SUP_KEY, 'documents'] as const;
export const taskKey = (id: number | null) => [...SUP_KEY, 'task', id] as const;
export const proposalKey = (id: number | null) => [...SUP_KEY, 'proposal', id] as const;

export type LedgerFilters = Partial<Omit<TLedgerQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };
export type ProposalFilters = Partial<Omit<TProposalQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };
export type ChecksFilters = Partial<TChecksQuery>;
export type DocKind = TDocRow['kind'];

/** A step of a task's flow and the body it takes (POST /api/supervision/tasks/:id/<path>). */
export type TaskActionBody = {
  accept: In<typeof ZAccept>;
  merge: In<typeof ZMerge>;
  decline: In<typeof ZReason>;
  sign: In<typeof ZNote>;
  submitPlan: In<typeof ZPlan>;
  approvePlan: In<typeof ZNote>;
  returnPlan: In<typeof ZReason>;
  report: In<typeof ZReport>;
  applyCompletion: In<typeof ZApply>;
  rejectCompletion: In<typeof ZReason>;
  review: In<typeof ZReview>;
};
export type TaskAction = TTaskDetail['actions'][number];
const TASK_ACTION_PATH = {
  accept: 'accept',
  merge: 'merge',
  decline: 'decline',
  sign: 'sign',
  submitPlan: 'plan',
  approvePlan: 'plan/approve',
  returnPlan: 'plan/return',
  report: 'reports',
  applyCompletion: 'completion',
  rejectCompletion: 'completion/reject',
  review: 'review',
} as const satisfies Record<TaskAction, string>;

/** A rectification point's step and its body (POST /api/supervision/check-points/:id/<step>). */
export type PointStepBody = {
  answer: In<typeof ZPointAnswer>;
  accept: In<typeof ZPointAccept>;
  return: In<typeof ZPointReturn>;
};

type Query = Record<string, string | number | boolean | undefined | null>;
/** Filters of a list without its paging (the Excel exports take every row). */
const unpaged = (f: Query) => ({ ...f, page: undefined, pageSize: undefined });

export const supervisionApi = {
  // ---------- the ledger and a task's flow ----------
  ledger: (f: LedgerFilters) => http.get<TLedger>(`/api/supervision/tasks${qs(f)}`),
  ledgerExportUrl: (f: LedgerFilters) => `/api/supervision/tasks.xlsx${qs(unpaged(f))}`,
  task: (id: number) => http.get<TTaskDetail>(`/api/supervision/tasks/${id}`),
  createTask: (body: In<typeof ZTaskCreate>) => http.post<TTaskDetail>('/api/supervision/tasks', body),
  instruct: (body: In<typeof ZInstructionCreate>) => http.post<TTaskDetail>('/api/supervision/instructions', body),
  act: <A extends TaskAction>(id: number, action: A, body: TaskActionBody[A]) =>
    http.post<TTaskDetail>(`/api/supervision/tasks/${id}/${TASK_ACTION_PATH[action]}`, body),
  /** Where a task's evidence, photos and answers are uploaded (multipart `file`). */
  taskFilesUrl: (taskId: number) => `/api/supervision/tasks/${taskId}/files`,
  fileUrl: (fileId: number) => `/api/supervision/files/${fileId}`,
  leaders: () => http.get<TLeaderOption[]>('/api/supervision/leaders'),
  reminders: (days: number) => http.get<TReminders>(`/api/supervision/reminders${qs({ days })}`),
  ledgerTemplateUrl: '/api/supervision/ledger/template.xlsx',
  /** The Excel import (multipart `file`; all or nothing, a refused file answers 400 with its problems). */
  ledgerImportUrl: '/api/supervision/ledger/import',

  // ---------- field checks ----------
  taskChecks: (taskId: number) => http.get<TTaskChecks>(`/api/supervision/tasks/${taskId}/checks`),
  createCheck: (taskId: number, body: In<typeof ZCheckCreate>) =>
    http.post<TTaskChecks>(`/api/supervision/tasks/${taskId}/checks`, body),
  checks: (f: ChecksFilters) => http.get<TCheckList>(`/api/supervision/checks${qs(f)}`),
  checksExportUrl: (f: ChecksFilters) => `/api/supervision/checks.xlsx${qs(unpaged(f))}`,
  points: (state: 'to_answer' | 'to_decide') => http.get<TPointRow[]>(`/api/supervision/check-points${qs({ state })}`),
  pointStep: <S extends keyof PointStepBody>(pointId: number, step: S, body: PointStepBody[S]) =>
    http.post<TTaskChecks>(`/api/supervision/check-points/${pointId}/${step}`, body),

  // ---------- reconciliation rounds ----------
  rounds: () => http.get<TRound[]>('/api/supervision/rounds'),
  round: (id: number) => http.get<TRoundDetail>(`/api/supervision/rounds/${id}`),
  openRound: (body: In<typeof ZRoundCreate>) => http.post<TRoundDetail>('/api/supervision/rounds', body),
  roundRecordUrl: (id: number) => `/api/supervision/rounds/${id}/record.xlsx`,
  confirmAll: (roundId: number) => http.post<TRoundDetail>(`/api/supervision/rounds/${roundId}/confirm-all`, {}),
  closeRound: (roundId: number, body: In<typeof ZRoundClose>) =>
    http.post<TRoundDetail>(`/api/supervision/rounds/${roundId}/close`, body),
  confirmRow: (rowId: number, body: In<typeof ZRowConfirm>) =>
    http.post<TRoundDetail>(`/api/supervision/round-rows/${rowId}/confirm`, body),
  resolveRow: (rowId: number, body: In<typeof ZRowResolve>) =>
    http.post<TRoundDetail>(`/api/supervision/round-rows/${rowId}/resolve`, body),

  // ---------- issued documents (专报 / 通报) ----------
  documents: (kind?: DocKind) => http.get<TDocRow[]>(`/api/supervision/documents${qs({ kind })}`),
  document: (id: number) => http.get<TDocDetail>(`/api/supervision/documents/${id}`),
  documentDocxUrl: (id: number) => `/api/supervision/documents/${id}/docx`,
  previewDocument: (body: In<typeof ZDocDraft>) => http.post<TDocContent>('/api/supervision/documents/preview', body),
  issueDocument: (body: In<typeof ZDocDraft>) => http.post<TDocDetail>('/api/supervision/documents', body),

  // ---------- proposals (议案 / 提案) ----------
  proposals: (f: Partial<TProposalQuery>) => http.get<TProposalList>(`/api/supervision/proposals${qs(f)}`),
  proposalsExportUrl: (f: Partial<TProposalQuery>) => `/api/supervision/proposals.xlsx${qs(unpaged(f))}`,
  proposal: (id: number) => http.get<TProposalDetail>(`/api/supervision/proposals/${id}`),
  proposalStats: (ym: { year: number; month: number }) =>
    http.get<TProposalStats[]>(`/api/supervision/proposals/stats${qs(ym)}`),
  deputies: () => http.get<TDeputy[]>('/api/supervision/proposals/deputies'),
  createProposal: (body: In<typeof ZProposalCreate>) => http.post<TProposalDetail>('/api/supervision/proposals', body),
  replyProposal: (id: number, body: In<typeof ZProposalReply>) =>
    http.post<TProposalDetail>(`/api/supervision/proposals/${id}/reply`, body),
  rateProposal: (id: number, body: In<typeof ZProposalRate>) =>
    http.post<TProposalDetail>(`/api/supervision/proposals/${id}/rate`, body),
  proposalFilesUrl: (id: number) => `/api/supervision/proposals/${id}/files`,
  proposalFileUrl: (fileId: number) => `/api/supervision/proposal-files/${fileId}`,

  // ---------- investment projects ----------
  investments: (f: TInvestmentQuery) => http.get<TInvestment[]>(`/api/supervision/investments${qs(f)}`),
  investmentsExportUrl: (f: TInvestmentQuery) => `/api/supervision/investments.xlsx${qs(f)}`,
  createInvestment: (body: In<typeof ZInvestmentCreate>) =>
    http.post<TInvestment>('/api/supervision/investments', body),
  recordStage: (id: number, body: In<typeof ZInvestmentStage>) =>
    http.post<TInvestment>(`/api/supervision/investments/${id}/stages`, body),
};

// ---------- query hooks ----------

export function useLedger(f: LedgerFilters) {
  return useQuery({ queryKey: [...SUP_KEY, 'ledger', f], queryFn: () => supervisionApi.ledger(f) });
}

export function useTask(id: number | null) {
  return useQuery({ queryKey: taskKey(id), queryFn: () => supervisionApi.task(id!), enabled: id !== null });
}

/** The leaders a task may name (the ledger's leader filter). */
export function useLeaders() {
  return useQuery({ queryKey: [...SUP_KEY, 'leaders'], queryFn: supervisionApi.leaders, staleTime: 60_000 });
}

/** The reminders (催办) that reach the signed-in user: their unit's, and those of tasks in their charge. */
export function useReminders(days = 30) {
  return useQuery({ queryKey: [...SUP_KEY, 'reminders', days], queryFn: () => supervisionApi.reminders(days) });
}

export function useTaskChecks(taskId: number | null) {
  return useQuery({
    queryKey: [...FIELD_KEY, 'task', taskId],
    queryFn: () => supervisionApi.taskChecks(taskId!),
    enabled: taskId !== null,
  });
}

export function useChecks(f: ChecksFilters) {
  return useQuery({ queryKey: [...FIELD_KEY, 'checks', f], queryFn: () => supervisionApi.checks(f) });
}

export function usePoints(state: 'to_answer' | 'to_decide', enabled = true) {
  return useQuery({ queryKey: [...FIELD_KEY, 'points', state], queryFn: () => supervisionApi.points(state), enabled });
}

export function useRounds() {
  return useQuery({ queryKey: [...FIELD_KEY, 'rounds'], queryFn: supervisionApi.rounds });
}

export function useRound(id: number) {
  return useQuery({ queryKey: [...FIELD_KEY, 'round', id], queryFn: () => supervisionApi.round(id) });
}

export function useDocuments(kind: DocKind | undefined) {
  return useQuery({ queryKey: [...DOCUMENTS_KEY, kind], queryFn: () => supervisionApi.documents(kind) });
}

export function useDocument(id: number | null) {
  return useQuery({
    queryKey: [...SUP_KEY, 'document', id],
    queryFn: () => supervisionApi.document(id!),
    enabled: id !== null,
  });
}

export function useProposals(f: ProposalFilters) {
  return useQuery({ queryKey: [...PROPOSALS_KEY, f], queryFn: () => supervisionApi.proposals(f) });
}

/** How many of the deputy's proposals have a reply awaiting their rating (the evaluator's inbox). */
export function useProposalsToRate(enabled: boolean) {
  return useQuery({
    queryKey: [...PROPOSALS_KEY, 'to-rate'],
    queryFn: () => supervisionApi.proposals({ mine: '1', status: 'replied', pageSize: 1 }),
    enabled,
  });
}

export function useProposal(id: number | null) {
  return useQuery({ queryKey: proposalKey(id), queryFn: () => supervisionApi.proposal(id!), enabled: id !== null });
}

export function useProposalStats(ym: { year: number; month: number }) {
  return useQuery({ queryKey: [...SUP_KEY, 'proposal-stats', ym], queryFn: () => supervisionApi.proposalStats(ym) });
}

export function useDeputies() {
  return useQuery({ queryKey: [...SUP_KEY, 'deputies'], queryFn: supervisionApi.deputies });
}

export function useInvestments(f: TInvestmentQuery) {
  return useQuery({ queryKey: [...INVESTMENTS_KEY, f], queryFn: () => supervisionApi.investments(f) });
}
