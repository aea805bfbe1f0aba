/** The evaluation module's endpoints (questionnaires, campaigns, inbox, consultations, public surveys) as typed functions and query hooks. */
import { useQuery } from '@tanstack/react-query';
import type {
  CampaignKind,
  TAnswered,
  TAnswerInput,
  TCampaign,
  TCampaignInput,
  TCampaignQuery,
  TCampaignRow,
  TCloseResult,
  TConsultation,
  TConsultationSummaryInput,
  TDashboard,
  TEvaluator,
  TExclude,
  TForm,
  TFrameImported,
  TInboxRow,
  TPublicConsultation,
  TPublicConsultationRow,
  TQr,
  TQrScan,
  TQuestionnaire,
  TQuestionnaireInput,
  TResponsesPage,
  TResults,
  TSampleInput,
  TSamplePage,
  TSampleResult,
  TSentResult,
} from '@server/modules/evaluation/evaluation.schema';
import { api, http, qs } from '../../lib/api';
import { SAMPLED } from './evaluationData';

/** Query keys of the evaluation pages; every office write invalidates ['evaluation'] and the lists hanging off it. */
export const EV_KEY = ['evaluation'] as const;
export const QUESTIONNAIRES_KEY = [...EV_KEY, 'questionnaires'] as const;
export const INBOX_KEY = [...EV_KEY, 'inbox'] as const;
export const campaignKey = (id: number) => [...EV_KEY, 'campaign', id] as const;
export const consultationKey = (id: number) => [...EV_KEY, 'consultation', id] as const;
/** The public pages' keys (no login; nothing the office writes refreshes them). */
export const SURVEY_KEY = ['survey'] as const;
export const PUBLIC_CONSULTATIONS_KEY = ['public-consultations'] as const;

export type CampaignFilters = Partial<TCampaignQuery>;
export type SampleFilters = { unitId?: number; responded?: '1' | '0'; page: number; pageSize: number };
export type ResponseFilters = { flagged?: '1' | '0'; excluded?: '1' | '0'; page: number; pageSize: number };
export type Leaf = { id: number; code: string; name: string; dataSource: string; parentId: number | null };
export type SchemeOption = { id: number; year: number; name: string; kind: 'annual' | 'special' };

const campaign = (id: number) => `/api/evaluation/campaigns/${id}`;

export const evaluationApi = {
  questionnaires: () => http.get<TQuestionnaire[]>('/api/evaluation/questionnaires'),
  createQuestionnaire: (body: TQuestionnaireInput) => http.post<TQuestionnaire>('/api/evaluation/questionnaires', body),
  /** Saves a revision of a questionnaire as its next version (campaigns keep the version they were built on). */
  reviseQuestionnaire: (id: number, body: TQuestionnaireInput) =>
    http.post<TQuestionnaire>(`/api/evaluation/questionnaires/${id}/versions`, body),
  evaluators: (kind: CampaignKind) => http.get<TEvaluator[]>(`/api/evaluation/evaluators${qs({ kind })}`),

  campaigns: (f: CampaignFilters) => http.get<TCampaignRow[]>(`/api/evaluation/campaigns${qs(f)}`),
  campaign: (id: number) => http.get<TCampaign>(campaign(id)),
  createCampaign: (body: TCampaignInput) => http.post<TCampaign>('/api/evaluation/campaigns', body),
  updateCampaign: (id: number, body: TCampaignInput) => http.put<TCampaign>(campaign(id), body),
  dashboard: (id: number) => http.get<TDashboard>(`${campaign(id)}/dashboard`),
  sample: (id: number, f: SampleFilters) => http.get<TSamplePage>(`${campaign(id)}/sample${qs(f)}`),
  drawSample: (id: number, body: Omit<TSampleInput, 'sizes'>) =>
    http.post<TSampleResult>(`${campaign(id)}/sample`, body),
  /** Imports a sampling frame (.xlsx in a multipart form, field `file`). */
  importFrame: (id: number, form: FormData) => api<TFrameImported>('POST', `${campaign(id)}/frame`, form),
  /** The empty sampling-frame workbook (a download link). */
  frameTemplateUrl: (id: number) => `${campaign(id)}/frame.xlsx`,
  /** Opens a draft and sends the invitations not sent yet. */
  send: (id: number) => http.post<TSentResult>(`${campaign(id)}/send`),
  /** Reminds the sampled respondents who have not answered. */
  remind: (id: number) => http.post<TSentResult>(`${campaign(id)}/remind`),
  /** Closes (or recomputes) a campaign: results and the indicator inputs. */
  close: (id: number) => http.post<TCloseResult>(`${campaign(id)}/close`),
  publish: (id: number) => http.post<TCampaign>(`${campaign(id)}/publish`),
  responses: (id: number, f: ResponseFilters) => http.get<TResponsesPage>(`${campaign(id)}/responses${qs(f)}`),
  /** Excludes a response from the results or restores it, with the reason (audited). */
  setExcluded: (responseId: number, body: TExclude) =>
    http.post<{ ok: true }>(`/api/evaluation/responses/${responseId}/exclusion`, body),
  results: (id: number) => http.get<TResults>(`${campaign(id)}/results`),
  /** The results workbook (a download link). */
  resultsXlsxUrl: (id: number) => `${campaign(id)}/results.xlsx`,
  qr: (id: number, unitId: number) => http.get<TQr>(`${campaign(id)}/qr${qs({ unitId })}`),

  consultation: (id: number) => http.get<TConsultation>(`${campaign(id)}/consultation`),
  saveTopic: (id: number, background: string) =>
    http.put<TConsultation>(`${campaign(id)}/consultation/topic`, { background }),
  saveSummary: (id: number, body: TConsultationSummaryInput) =>
    http.put<TConsultation>(`${campaign(id)}/consultation/summary`, body),
  publishConsultation: (id: number) => http.post<TConsultation>(`${campaign(id)}/consultation/publish`),

  inbox: () => http.get<TInboxRow[]>('/api/evaluation/inbox'),
  inboxForm: (id: number) => http.get<TForm>(`/api/evaluation/inbox/${id}`),
  inboxRespond: (id: number, body: TAnswerInput) => http.post<TAnswered>(`/api/evaluation/inbox/${id}`, body),

  /** Pickers of the wizard: the schemes of a year and a scheme's indicators (performance's endpoints). */
  yearSchemes: (year: number) => http.get<SchemeOption[]>(`/api/schemes${qs({ year })}`),
  indicators: (schemeId: number) => http.get<Leaf[]>(`/api/years/${schemeId}/indicators`),

  /** The respondent's pages (no login). */
  publicForm: (token: string) => http.get<TForm>(`/api/public/surveys/${token}`),
  publicRespond: (token: string, body: TAnswerInput) => http.post<TAnswered>(`/api/public/surveys/${token}`, body),
  /** An on-site QR scan: a fresh one-time invitation. */
  scanQr: (code: string) => http.post<TQrScan>(`/api/public/surveys/qr/${code}`, {}),
  publicConsultations: () => http.get<TPublicConsultationRow[]>('/api/public/consultations'),
  publicConsultation: (id: string) => http.get<TPublicConsultation>(`/api/public/consultations/${id}`),
};

export const useCampaigns = (f: CampaignFilters) =>
  useQuery({ queryKey: [...EV_KEY, 'campaigns', f], queryFn: () => evaluationApi.campaigns(f) });
export const useCampaign = (id: number) =>
  useQuery({ queryKey: campaignKey(id), queryFn: () => evaluationApi.campaign(id) });
export const useDashboard = (id: number, enabled = true) =>
  useQuery({
    queryKey: [...EV_KEY, 'dashboard', id],
    queryFn: () => evaluationApi.dashboard(id),
    enabled,
    refetchInterval: 15_000,
  });
export const useSample = (id: number, f: SampleFilters) =>
  useQuery({ queryKey: [...EV_KEY, 'sample', id, f], queryFn: () => evaluationApi.sample(id, f) });
export const useResponses = (id: number, f: ResponseFilters) =>
  useQuery({ queryKey: [...EV_KEY, 'responses', id, f], queryFn: () => evaluationApi.responses(id, f) });
export const useResults = (id: number, enabled = true) =>
  useQuery({ queryKey: [...EV_KEY, 'results', id], queryFn: () => evaluationApi.results(id), enabled });
/** The QR code of one target unit (undefined: none chosen yet). */
export const useCampaignQr = (id: number, unitId: number | undefined) =>
  useQuery({
    queryKey: [...EV_KEY, 'qr', id, unitId],
    enabled: unitId !== undefined,
    queryFn: () => evaluationApi.qr(id, unitId!),
  });
export const useQuestionnaires = () =>
  useQuery({ queryKey: QUESTIONNAIRES_KEY, queryFn: evaluationApi.questionnaires });
export const useEvaluators = (kind: CampaignKind | undefined) =>
  useQuery({
    queryKey: [...EV_KEY, 'evaluators', kind],
    queryFn: () => evaluationApi.evaluators(kind!),
    enabled: !!kind && !SAMPLED.includes(kind),
  });
export const useInbox = () => useQuery({ queryKey: INBOX_KEY, queryFn: evaluationApi.inbox });
export const useInboxForm = (id: number) =>
  useQuery({ queryKey: [...INBOX_KEY, id], queryFn: () => evaluationApi.inboxForm(id) });
/** The units and categories: the one pair of hooks every module's pickers use (admin/api). */
export { useUnits, useUnitCategories as useCategories } from '../admin/api';
/** The schemes of a year (the annual one first), whose leaves a campaign can feed. */
export const useYearSchemes = (year: number | undefined) =>
  useQuery({
    queryKey: ['evaluation-schemes', year],
    enabled: !!year,
    queryFn: async () =>
      (await evaluationApi.yearSchemes(year!)).sort(
        (a, b) => (a.kind === 'annual' ? 0 : 1) - (b.kind === 'annual' ? 0 : 1) || a.id - b.id,
      ),
  });
/** The evaluation / third-party leaves of a scheme. */
export const useMappableLeaves = (schemeId: number | undefined) =>
  useQuery({
    queryKey: ['evaluation-leaves', schemeId],
    enabled: !!schemeId,
    queryFn: async () => {
      const all = await evaluationApi.indicators(schemeId!);
      const parents = new Set(all.map((i) => i.parentId));
      return all.filter((i) => !parents.has(i.id) && (i.dataSource === 'evaluation' || i.dataSource === 'third_party'));
    },
  });

/** A consultation's topic, summary and tallies (office). */
export const useConsultation = (id: number, enabled = true) =>
  useQuery({ queryKey: consultationKey(id), queryFn: () => evaluationApi.consultation(id), enabled });

/** The respondent's questionnaire behind a one-time link (an invalid link is not retried). */
export const usePublicForm = (token: string) =>
  useQuery({ queryKey: [...SURVEY_KEY, token], queryFn: () => evaluationApi.publicForm(token), retry: false });
export const usePublicConsultations = () =>
  useQuery({ queryKey: PUBLIC_CONSULTATIONS_KEY, queryFn: evaluationApi.publicConsultations });
export const usePublicConsultation = (id: string) =>
  useQuery({
    queryKey: ['public-consultation', id],
    queryFn: () => evaluationApi.publicConsultation(id),
    retry: false,
  });
