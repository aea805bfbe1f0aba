/** Stable error codes with their HTTP status and their Chinese and English messages. */
export const ERRORS = {
  VALIDATION: { status: 400, zh: '输入有误', en: 'Invalid input' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  BAD_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '登录失败次数过多，账号已临时锁定，请稍后再试',
    en: 'Too many failed sign-ins; the account is locked for a while',
  },
  ACCOUNT_INACTIVE: { status: 403, zh: '账号已停用', en: 'The account is deactivated' },
  CSRF: { status: 403, zh: '请求校验失败，请刷新页面后重试', en: 'CSRF token missing or invalid; reload the page' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, zh: '请先修改初始密码', en: 'Change your initial password first' },
  CROSS_ORIGIN: { status: 403, zh: '请求来源不是本站，已拒绝', en: 'Request from another site refused' },
  FORBIDDEN: { status: 403, zh: '没有执行此操作的权限', en: 'You are not allowed to do this' },
  NOT_FOUND: { status: 404, zh: '记录不存在或无权访问', en: 'Not found' },
  CONFLICT: { status: 409, zh: '与现有数据冲突', en: 'Conflicts with existing data' },
  DUPLICATE: { status: 409, zh: '已存在相同编码或名称的记录', en: 'A record with the same code or name exists' },
  IN_USE: {
    status: 409,
    zh: '该记录已有关联数据，不能删除，请改为停用',
    en: 'The record has data attached; deactivate it instead of deleting',
  },
  INVALID_STATE: { status: 409, zh: '当前状态不允许此操作', en: 'This action is not allowed in the current state' },
  IMMUTABLE: {
    status: 409,
    zh: '已归档的数据受保护，不能修改或删除',
    en: 'Protected history cannot be changed or deleted',
  },
  TOO_MANY_REQUESTS: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '文件过大', en: 'File too large' },
  STORAGE_UNAVAILABLE: {
    status: 503,
    zh: '文件存储暂不可用，请稍后重试',
    en: 'File storage is unavailable; try again later',
  },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;

export type Lang = 'zh' | 'en';

/** A domain error: a stable code, a status, a message per language and optionally the field at fault. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field?: string;
  readonly zh: string;
  readonly en: string;

  constructor(code: ErrorCode, opts: { field?: string; zh?: string; en?: string } = {}) {
    const def = ERRORS[code];
    super(opts.en ?? def.en);
    this.code = code;
    this.status = def.status;
    this.field = opts.field;
    this.zh = opts.zh ?? def.zh;
    this.en = opts.en ?? def.en;
  }

  message_(lang: Lang): string {
    return lang === 'en' ? this.en : this.zh;
  }
}

/** Shorthand for a 400 naming the field, with both languages. */
export function invalid(field: string, zh: string, en: string): AppError {
  return new AppError('VALIDATION', { field, zh, en });
}

/**
 * The path (`a.b.0`) of the first string in a value (a request body) that holds a NUL character,
 * which PostgreSQL cannot store, or null. Binary values (uploaded files) are not searched.
 */
export function nulPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return null;
  for (const [k, v] of Object.entries(value)) {
    const p = nulPath(v, path ? `${path}.${k}` : k);
    if (p !== null) return p;
  }
  return null;
}

/** Refuses text with a NUL character, naming its field, before the database would. */
export function refuseNul(value: unknown): void {
  const field = nulPath(value);
  if (field !== null)
    throw invalid(
      field || 'body',
      '内容含有无法保存的空字符（\\u0000）',
      'The text contains a NUL character, which cannot be stored',
    );
}

export const notFound = (): AppError => new AppError('NOT_FOUND');
export const forbidden = (): AppError => new AppError('FORBIDDEN');

/** Picks the response language from Accept-Language: English when it asks for en first, else Chinese. */
export function langOf(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  return /^\s*en\b/i.test(acceptLanguage) ? 'en' : 'zh';
}

/**
 * The PostgreSQL SQLSTATE of a database error. Drizzle wraps driver errors (DrizzleQueryError) and
 * keeps the driver's error as `cause`, so look down the cause chain.
 */
export function sqlStateOf(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(?=.*\d)[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** True for a foreign-key refusal: the row is still referenced (23503, or 23001 for ON DELETE RESTRICT on newer PostgreSQL). */
export function isStillReferenced(err: unknown): boolean {
  const code = sqlStateOf(err);
  return code === '23503' || code === '23001';
}
