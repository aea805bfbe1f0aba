import { SUBMISSION_STATUS_NAMES } from '@common/reporting';
import type { TExcelError, TFormField, TLightItem, TSubmission } from '@server/modules/reporting/reporting.schema';
import { ApiError, currentLang } from '../../lib/api';
import { t } from '../../lib/i18n';
import { nameOf } from '../../lib/names';

export type {
  TAnomalyItem,
  TBulkResult,
  TExcelError,
  TExcelResult,
  TFlag,
  TForm,
  TFormDefinition,
  TFormField,
  TFormSummary,
  THomeSummary,
  TLightItem,
  TMatrix,
  TNotifications,
  TOverdue,
  TReportingSettings,
  TRevisionItem,
  TSubmission,
  TSubmissionDetail,
  TThirdPartyGrid,
  TTodo,
  TTodoItem,
} from '@server/modules/reporting/reporting.schema';

type Status = TSubmission['status'] | 'missing';

const STATUS_COLOR: Record<Status, string> = {
  missing: 'default',
  draft: 'gold',
  submitted: 'blue',
  leader_approved: 'geekblue',
  accepted: 'green',
};
export const STATUS: Record<Status, { label: () => string; color: string }> = Object.fromEntries(
  (Object.keys(STATUS_COLOR) as Status[]).map((k) => [
    k,
    { label: () => nameOf(SUBMISSION_STATUS_NAMES[k]), color: STATUS_COLOR[k] },
  ]),
) as Record<Status, { label: () => string; color: string }>;

/** Status label of a submission, naming third-party data waiting for the office. */
export function statusLabel(s: { status: Status; source?: TSubmission['source'] }): string {
  if (s.status === 'submitted' && s.source === 'third_party') return t('待绩效办审核', 'Awaiting office');
  return STATUS[s.status].label();
}

export const LIGHT: Record<TLightItem['light'], { label: () => string; color: string }> = {
  green: { label: () => t('绿灯：进度正常', 'Green: on track'), color: '#52c41a' },
  yellow: { label: () => t('黄灯：进度滞后', 'Yellow: behind'), color: '#faad14' },
  red: { label: () => t('红灯：严重滞后或逾期', 'Red: far behind or overdue'), color: '#f5222d' },
  none: { label: () => t('无目标或尚无数据', 'No target or no data'), color: '#d9d9d9' },
};

/** The matrix cell codes (see ZMatrix on the server). */
export const CELL: Record<string, { label: () => string; bg: string; fg?: string }> = {
  '.': { label: () => t('不适用', 'Not applicable'), bg: '#f5f5f5', fg: '#bfbfbf' },
  '-': { label: () => t('未到期', 'Not yet due'), bg: '#ffffff' },
  o: { label: () => t('逾期未报', 'Overdue'), bg: '#ff7875', fg: '#fff' },
  d: { label: () => t('草稿', 'Draft'), bg: '#fff1b8' },
  r: { label: () => t('已退回', 'Returned'), bg: '#ffd591' },
  s: { label: () => t('待单位审核', 'Submitted'), bg: '#bae0ff' },
  l: { label: () => t('待绩效办审核', 'Unit approved'), bg: '#adc6ff' },
  a: { label: () => t('已归档', 'Accepted'), bg: '#b7eb8f' },
};

export function cellInfo(ch: string) {
  const base = CELL[ch.toLowerCase()] ?? CELL['-'];
  const late = ch !== ch.toLowerCase();
  return { ...base, late, label: () => base.label() + (late ? t('（迟报）', ' (late)') : '') };
}

export const ACTION_LABEL: Record<string, () => string> = {
  save: () => t('保存草稿', 'Saved'),
  submit: () => t('提交', 'Submitted'),
  leader_approve: () => t('单位领导审核通过', 'Approved by unit leader'),
  accept: () => t('绩效办审核归档', 'Accepted by office'),
  return: () => t('退回', 'Returned'),
  import: () => t('Excel 导入', 'Imported from Excel'),
  third_party_submit: () => t('考评主体录入', 'Entered by assessing body'),
  revision_request: () => t('申请修订', 'Revision requested'),
  revision_approve: () => t('修订获批', 'Revision approved'),
  revision_reject: () => t('修订被驳回', 'Revision rejected'),
  evidence_add: () => t('上传附件', 'Evidence added'),
  evidence_remove: () => t('删除附件', 'Evidence removed'),
};

export const fmtNum = (n: number | null | undefined, digits = 4): string => {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  const f = 10 ** digits;
  return String(Math.round(n * f) / f);
};

export { fmtTime } from '../../lib/time';

/** A field value for display (choices by label). */
export function showValue(f: TFormField | undefined, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (!f) return Array.isArray(v) ? v.join('、') : String(v);
  if (f.type === 'single_choice') return f.options.find((o) => o.value === v)?.label ?? String(v);
  if (f.type === 'multi_choice' && Array.isArray(v))
    return v.map((x) => f.options.find((o) => o.value === x)?.label ?? String(x)).join('、');
  if (f.type === 'file' && Array.isArray(v)) return t(`${v.length} 个附件`, `${v.length} file(s)`);
  return `${String(v)}${f.unit ? ` ${f.unit}` : ''}`;
}

export function isConfirmationError(e: unknown): e is ApiError {
  return e instanceof ApiError && !!e.field && /(^|\.)confirmations\./.test(e.field);
}

/** The flag key named in a confirmation error field (…confirmations.<key>). */
export function flagKeyOf(e: ApiError): string {
  return (e.field ?? '').replace(/^.*confirmations\./, '');
}

export type UploadProgress = { phase: 'upload' | 'server'; percent: number };

/**
 * Uploads a file with multipart/form-data through XMLHttpRequest, reporting upload progress and
 * then the server's processing phase. Resolves with the JSON body (2xx) or rejects with ApiError
 * carrying the body (the Excel error report rides along in `details`).
 */
export function uploadWithProgress<T>(
  url: string,
  file: File,
  onProgress: (p: UploadProgress) => void,
  csrfToken: string | null,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept-Language', currentLang() === 'en' ? 'en' : 'zh-CN');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress({ phase: 'upload', percent: Math.round((e.loaded / e.total) * 100) });
    };
    xhr.upload.onload = () => onProgress({ phase: 'server', percent: 100 });
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', t('网络错误，上传失败', 'Network error; the upload failed')));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null; // a non-JSON answer (proxy error page): reported below by status
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      const err = (body as { error?: { code: string; message: string; field?: string } } | null)?.error;
      const e = new UploadError(
        xhr.status,
        err?.code ?? 'HTTP',
        err?.message ?? `HTTP ${xhr.status}`,
        err?.field,
        (body as { errors?: TExcelError[] } | null)?.errors ?? [],
      );
      reject(e);
    };
    const fd = new FormData();
    fd.append('file', file);
    xhr.send(fd);
  });
}

export class UploadError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    field: string | undefined,
    readonly report: TExcelError[],
  ) {
    super(status, code, message, field);
  }
}
