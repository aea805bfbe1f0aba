/**
 * Soft checks on entered data (数据甄别): values that are allowed but look wrong are flagged for the
 * reporter to confirm with a comment and for the office to review — never changed silently.
 * Pure functions, no I/O.
 */
import { isNumericType, type FormValues, type TFormField } from './reporting.forms.js';

export const ANOMALY_CODES = ['cumulative_down', 'jump_prev', 'jump_last_year', 'peer_outlier'] as const;
export type AnomalyCode = (typeof ANOMALY_CODES)[number];

export type AnomalyConfig = {
  /** Flag a change beyond this percentage against last period / the same period last year. */
  jumpPct: number;
  /** Flag a value beyond this many IQRs outside the category's quartiles. */
  peerIqrFactor: number;
  /** Fewest peer values needed before the peer check applies. */
  minPeers: number;
};

export const DEFAULT_ANOMALY_CONFIG: AnomalyConfig = { jumpPct: 50, peerIqrFactor: 3, minPeers: 4 };

/** A flag; `key` identifies it for the reporter's confirmation. */
export type AnomalyFlag = {
  key: string;
  code: AnomalyCode;
  field: string;
  zh: string;
  en: string;
  value: number;
  reference: number | null;
};

/** A flag as stored with a submission: with the reporter's confirmation, if given. */
export type StoredFlag = AnomalyFlag & {
  comment: string | null;
  confirmedBy: string | null;
  confirmedAt: string | null;
};

export type AnomalyInput = {
  fields: readonly TFormField[];
  values: FormValues;
  /** The value that feeds the score, and its label for messages. */
  scoreValue: number | null;
  scoreLabel: string;
  /** The latest earlier period of the same year with data (for cumulative fields and the jump). */
  previous: { period: string; values: FormValues; scoreValue: number | null } | null;
  /** The same month last year (matched by indicator code). */
  lastYear: { period: string; scoreValue: number | null } | null;
  /** Score values of the other units in the unit's category for this indicator and period. */
  peers: readonly number[];
};

const fmt = (n: number) =>
  Number.isInteger(n)
    ? String(n)
    : n
        .toFixed(Math.min(6, Math.max(2, String(n).split('.')[1]?.length ?? 0)))
        .replace(/0+$/, '')
        .replace(/\.$/, '');

/** The relative change from `ref` to `v` in percent; null when `ref` is 0 (no meaningful ratio). */
export function changePct(v: number, ref: number): number | null {
  if (ref === 0) return null;
  return ((v - ref) / Math.abs(ref)) * 100;
}

/** Quartiles by linear interpolation between closest ranks (the common "type 7" definition). */
export function quartiles(values: readonly number[]): { q1: number; median: number; q3: number } {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.ceil(h);
    return s[lo] + (h - lo) * (s[hi] - s[lo]);
  };
  return { q1: at(0.25), median: at(0.5), q3: at(0.75) };
}

/**
 * The soft flags for entered values:
 * - cumulative_down: a cumulative field lower than in the previous period of the year;
 * - jump_prev / jump_last_year: the score value changed by more than `jumpPct` % against the last
 *   period / the same period last year (skipped when the reference is 0 or missing);
 * - peer_outlier: the score value lies beyond `peerIqrFactor` × IQR outside the quartiles of the
 *   category's values (needs `minPeers` values; skipped when the IQR is 0).
 */
export function detectAnomalies(input: AnomalyInput, cfg: AnomalyConfig = DEFAULT_ANOMALY_CONFIG): AnomalyFlag[] {
  const flags: AnomalyFlag[] = [];
  if (input.previous) {
    for (const f of input.fields) {
      if (!f.cumulative || !isNumericType(f.type)) continue;
      const v = input.values[f.key];
      const p = input.previous.values[f.key];
      if (typeof v === 'number' && typeof p === 'number' && v < p) {
        flags.push({
          key: `cumulative_down:${f.key}`,
          code: 'cumulative_down',
          field: f.key,
          zh: `${f.label}是累计值，本期 ${fmt(v)} 低于上期（${input.previous.period}）的 ${fmt(p)}`,
          en: `${f.label} is cumulative but ${fmt(v)} is below ${fmt(p)} of ${input.previous.period}`,
          value: v,
          reference: p,
        });
      }
    }
  }
  const v = input.scoreValue;
  if (v === null) return flags;
  const jump = (
    code: 'jump_prev' | 'jump_last_year',
    ref: { period: string; scoreValue: number | null } | null,
    zhWhat: string,
    enWhat: string,
  ) => {
    if (!ref || ref.scoreValue === null) return;
    const pct = changePct(v, ref.scoreValue);
    if (pct === null || Math.abs(pct) <= cfg.jumpPct) return;
    const dirZh = pct > 0 ? '增长' : '下降';
    flags.push({
      key: `${code}:score`,
      code,
      field: 'score',
      zh: `${input.scoreLabel}较${zhWhat}（${ref.period}：${fmt(ref.scoreValue)}）${dirZh} ${Math.abs(pct).toFixed(1)}%，超过 ${cfg.jumpPct}% 的提示阈值`,
      en: `${input.scoreLabel} changed ${pct.toFixed(1)}% against ${enWhat} (${ref.period}: ${fmt(ref.scoreValue)}), beyond ${cfg.jumpPct}%`,
      value: v,
      reference: ref.scoreValue,
    });
  };
  jump('jump_prev', input.previous, '上期', 'the last period');
  jump('jump_last_year', input.lastYear, '上年同期', 'the same period last year');
  if (input.peers.length >= cfg.minPeers) {
    const { q1, median, q3 } = quartiles(input.peers);
    const iqr = q3 - q1;
    if (iqr > 0) {
      const lo = q1 - cfg.peerIqrFactor * iqr;
      const hi = q3 + cfg.peerIqrFactor * iqr;
      if (v < lo || v > hi) {
        flags.push({
          key: 'peer_outlier:score',
          code: 'peer_outlier',
          field: 'score',
          zh: `${input.scoreLabel} ${fmt(v)} 明显${v > hi ? '高于' : '低于'}同类别单位（中位数 ${fmt(median)}，正常范围 ${fmt(lo)}～${fmt(hi)}）`,
          en: `${input.scoreLabel} ${fmt(v)} is far ${v > hi ? 'above' : 'below'} the category (median ${fmt(median)}, usual range ${fmt(lo)}–${fmt(hi)})`,
          value: v,
          reference: median,
        });
      }
    }
  }
  return flags;
}

/**
 * Carries confirmations over to a fresh set of flags: a flag keeps its comment when the same flag
 * (same key, value and reference) was confirmed before; new comments (by key) are applied on top.
 */
export function mergeConfirmations(
  fresh: readonly AnomalyFlag[],
  previous: readonly StoredFlag[],
  confirmations: readonly { key: string; comment: string }[],
  who: { name: string; at: Date },
): StoredFlag[] {
  const prev = new Map(previous.map((f) => [f.key, f]));
  const given = new Map(confirmations.map((c) => [c.key, c.comment.trim()]));
  return fresh.map((f) => {
    const c = given.get(f.key);
    if (c) return { ...f, comment: c, confirmedBy: who.name, confirmedAt: who.at.toISOString() };
    const p = prev.get(f.key);
    if (p && p.comment && p.value === f.value && p.reference === f.reference) {
      return { ...f, comment: p.comment, confirmedBy: p.confirmedBy, confirmedAt: p.confirmedAt };
    }
    return { ...f, comment: null, confirmedBy: null, confirmedAt: null };
  });
}

/** The flags still waiting for the reporter's confirmation. */
export function unconfirmed(flags: readonly StoredFlag[]): StoredFlag[] {
  return flags.filter((f) => !f.comment);
}
