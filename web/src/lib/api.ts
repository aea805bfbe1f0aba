/** The one HTTP client: JSON in and out, CSRF header on writes, uniform errors. */
export type ApiErrorBody = { error: { code: string; message: string; field?: string } };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The message to show for a failed call (the server's zh/en message for API errors). */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

export function currentLang(): 'zh' | 'en' {
  return localStorage.getItem('xn.lang') === 'en' ? 'en' : 'zh';
}

/** Calls the API; throws ApiError with the server's message on a non-2xx answer. */
export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'Accept-Language': currentLang() === 'en' ? 'en' : 'zh-CN' };
  if (body !== undefined && !(body instanceof FormData)) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('application/json') ? await res.json() : await res.text();
  if (!res.ok) {
    const e = (data as ApiErrorBody)?.error;
    throw new ApiError(res.status, e?.code ?? 'HTTP', e?.message ?? `HTTP ${res.status}`, e?.field);
  }
  return data as T;
}

export const http = {
  get: <T>(url: string) => api<T>('GET', url),
  post: <T>(url: string, body?: unknown) => api<T>('POST', url, body ?? {}),
  patch: <T>(url: string, body: unknown) => api<T>('PATCH', url, body),
  put: <T>(url: string, body: unknown) => api<T>('PUT', url, body),
  delete: <T>(url: string) => api<T>('DELETE', url),
};

/** Builds a query string from defined values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}
