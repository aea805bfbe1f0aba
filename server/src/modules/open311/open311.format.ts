/**
 * GeoReport v2 wire formats (pure, no I/O): XML rendering by the spec's "Spark convention" (a JSON
 * array ⇄ a wrapper element with one child element per item), W3C date-times in Beijing time, and
 * parsing of the form fields clients send.
 */
import { beijingWallClock } from '../../engine/workdays.js';

export type Open311Format = 'xml' | 'json';

export const CONTENT_TYPES: Record<Open311Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** An error to answer in the spec's error format: HTTP status and a description for the client. */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 429 | 500,
    readonly zh: string,
    readonly en: string,
    /** Headers to send with the error (Retry-After on 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(en);
  }
}

/** The item element of each list element (services → service, service_requests → request, …). */
const ITEM_TAG: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  service_requests_updates: 'request_update',
  service_request_updates: 'request_update',
};

// XML 1.0 allows only these characters; anything else (control characters) is dropped.
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for XML element content. */
export function xmlEscape(s: string): string {
  return s
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function renderNode(tag: string, value: unknown, out: string[]): void {
  if (value === null || value === undefined) {
    out.push(`<${tag}/>`);
  } else if (Array.isArray(value)) {
    const item = ITEM_TAG[tag] ?? 'item';
    out.push(`<${tag}>`);
    for (const v of value) renderNode(item, v, out);
    out.push(`</${tag}>`);
  } else if (typeof value === 'object') {
    out.push(`<${tag}>`);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) renderNode(k, v, out);
    out.push(`</${tag}>`);
  } else {
    out.push(`<${tag}>${xmlEscape(String(value))}</${tag}>`);
  }
}

/** An XML document with the declaration the spec requires and `root` as the root element. */
export function toXml(root: string, value: unknown): string {
  const out: string[] = ['<?xml version="1.0" encoding="utf-8"?>\n'];
  renderNode(root, value, out);
  return out.join('');
}

/** The body in the requested format: JSON as is, XML under `root`. */
export function render(format: Open311Format, root: string, value: unknown): string {
  return format === 'json' ? JSON.stringify(value) : toXml(root, value);
}

/** The spec's error body: a list of { code, description }. */
export function errorBody(format: Open311Format, status: number, description: string): string {
  return render(format, 'errors', [{ code: status, description }]);
}

/** Splits "name.format" (the last dot); null when the format is not xml or json. */
export function splitFormat(resource: string): { name: string; format: Open311Format } | null {
  const i = resource.lastIndexOf('.');
  if (i <= 0) return null;
  const ext = resource.slice(i + 1).toLowerCase();
  if (ext !== 'xml' && ext !== 'json') return null;
  return { name: resource.slice(0, i), format: ext };
}

/** The format a URL asks for (by its extension), XML when it names none: errors use it too. */
export function formatOfUrl(url: string): Open311Format {
  const path = url.split('?')[0];
  return /\.json$/i.test(path) ? 'json' : 'xml';
}

/** A W3C date-time in Beijing time with its offset, e.g. 2026-03-05T14:30:00+08:00. */
export function w3cDate(d: Date): string {
  return `${beijingWallClock(d).slice(0, 19)}+08:00`;
}

const W3C = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Parses a W3C date-time as the spec asks for (a time needs a time zone: Z or ±hh:mm); a bare date
 * means midnight in Beijing. Null when malformed or impossible (2026-02-30).
 */
export function parseW3cDate(s: string): Date | null {
  const m = W3C.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', se = '00', frac = '', tz = '+08:00'] = m;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se), ms);
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(se) > 59
  ) {
    return null;
  }
  let offsetMin = 0;
  if (tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const [oh, om] = tz.slice(1).split(':').map(Number);
    if (oh > 14 || om > 59) return null;
    offsetMin = sign * (oh * 60 + om);
  }
  return new Date(utc - offsetMin * 60_000);
}

/** A form body or query string as the server parsed it (repeated keys give arrays). */
export type FormFields = Record<string, string | string[] | undefined>;

/** The first value of a field, trimmed; undefined when absent or empty ("optional" per the spec: empty = absent). */
export function field(f: FormFields, name: string): string | undefined {
  const v = f[name];
  const s = Array.isArray(v) ? v[0] : v;
  if (typeof s !== 'string') return undefined;
  const t = s.trim();
  return t === '' ? undefined : t;
}

/** A comma-separated list field (may also be repeated), trimmed, without empties. */
export function listField(f: FormFields, name: string): string[] | undefined {
  const v = f[name];
  const parts = (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).flatMap((x) => String(x).split(','));
  const out = parts.map((x) => x.trim()).filter(Boolean);
  return out.length ? out : undefined;
}

/**
 * The `attribute[code]=value` fields (and `attribute[code][]=v` for multi-value lists), by code.
 * Accepts both flat keys (as form parsers keep them) and an already nested `attribute` object.
 */
export function attributes(f: FormFields | Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (code: string, v: unknown) => {
    const values = (Array.isArray(v) ? v : [v])
      .filter((x): x is string | number => typeof x === 'string' || typeof x === 'number')
      .map((x) => String(x).trim());
    if (!values.length) return;
    (out[code] ??= []).push(...values.filter(Boolean));
  };
  for (const [k, v] of Object.entries(f)) {
    const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(k);
    if (m) add(m[1], v);
    else if (k === 'attribute' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [code, val] of Object.entries(v as Record<string, unknown>)) add(code, val);
    }
  }
  return out;
}
