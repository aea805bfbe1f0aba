/**
 * Publication snapshots: everything needed to show and explain a published result exactly, long
 * after indicators, targets or inputs have changed — the engine's model input (methods, points,
 * targets, every monthly value), the metadata (names, tree), the provenance of each input used, the
 * accountability deductions with their reasons, and the published leaf and node scores.
 *
 * Typed arrays travel as base64 of their bytes (exact, NaN-safe); the JSON is gzipped into bytea.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FieldInput, IndicatorInput, ModelInput } from '../../engine/index.js';
import type { ScoringMeta } from './scoring.model.js';
import type { TDeduction, TProvenance } from './scoring.schema.js';

const b64 = (a: Float64Array | Uint8Array | null | undefined): string | null =>
  a ? Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64') : null;

function f64(s: string | null): Float64Array | null {
  if (s === null) return null;
  const buf = Buffer.from(s, 'base64');
  const out = new Float64Array(buf.byteLength / 8);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

function u8(s: string | null): Uint8Array | null {
  return s === null ? null : new Uint8Array(Buffer.from(s, 'base64'));
}

type SerialIndicator = Omit<IndicatorInput, 'applies' | 'values' | 'fields' | 'targets' | 'challenges'> & {
  applies: string | null;
  values: string | null;
  fields: { name: string; values: string; aggregate?: FieldInput['aggregate'] }[];
  targets: string | null;
  challenges: string | null;
};
type SerialInput = Omit<ModelInput, 'indicators' | 'accountability' | 'lastYearTotals'> & {
  indicators: SerialIndicator[];
  accountability: string | null;
  lastYearTotals: string | null;
};

export type SnapshotDeduction = Pick<TDeduction, 'id' | 'unitId' | 'period' | 'points' | 'reason' | 'documentNo'>;

export type Snapshot = {
  input: ModelInput;
  meta: ScoringMeta;
  /** The published window (engine window index). */
  window: number;
  /** Provenance by the engine's inputKey(indicatorId, unitId, month index, field). */
  provenance: Map<string, TProvenance>;
  deductions: SnapshotDeduction[];
  /** Published scores `[indicatorIndex * U + unitIndex]` of the window (NaN = none). */
  scores: Float64Array;
};

type SerialSnapshot = {
  v: 1;
  input: SerialInput;
  meta: ScoringMeta;
  window: number;
  provenance: [string, TProvenance][];
  deductions: SnapshotDeduction[];
  scores: string;
};

function serializeInput(input: ModelInput): SerialInput {
  return {
    ...input,
    indicators: input.indicators.map((ind) => ({
      ...ind,
      applies: b64(ind.applies),
      values: b64(ind.values),
      fields: (ind.fields ?? []).map((f) => ({
        name: f.name,
        values: b64(f.values)!,
        ...(f.aggregate ? { aggregate: f.aggregate } : {}),
      })),
      targets: b64(ind.targets),
      challenges: b64(ind.challenges),
    })),
    accountability: b64(input.accountability),
    lastYearTotals: b64(input.lastYearTotals),
  };
}

function deserializeInput(s: SerialInput): ModelInput {
  return {
    ...s,
    indicators: s.indicators.map((ind) => ({
      ...ind,
      applies: u8(ind.applies),
      values: f64(ind.values),
      fields: ind.fields.map((f) => ({
        name: f.name,
        values: f64(f.values)!,
        ...(f.aggregate ? { aggregate: f.aggregate } : {}),
      })),
      targets: f64(ind.targets),
      challenges: f64(ind.challenges),
    })),
    accountability: f64(s.accountability),
    lastYearTotals: f64(s.lastYearTotals),
  };
}

/** Compresses a snapshot; returns the bytes and their SHA-256 (hex). */
export function encodeSnapshot(s: Snapshot): { bytes: Buffer; sha256: string } {
  const serial: SerialSnapshot = {
    v: 1,
    input: serializeInput(s.input),
    meta: s.meta,
    window: s.window,
    provenance: [...s.provenance],
    deductions: s.deductions,
    scores: b64(s.scores)!,
  };
  const bytes = gzipSync(Buffer.from(JSON.stringify(serial), 'utf8'), { level: 6 });
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Reads a snapshot back (fresh arrays: the caller may build a model on them). */
export function decodeSnapshot(bytes: Buffer): Snapshot {
  const serial = JSON.parse(gunzipSync(bytes).toString('utf8')) as SerialSnapshot;
  if (serial.v !== 1) throw new Error(`unknown snapshot version ${String(serial.v)}`);
  return {
    input: deserializeInput(serial.input),
    meta: serial.meta,
    window: serial.window,
    provenance: new Map(serial.provenance),
    deductions: serial.deductions,
    scores: f64(serial.scores)!,
  };
}
