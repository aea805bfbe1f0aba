/**
 * Tallies of the closed questions of a questionnaire over a set of stored (checked) answers: counts per
 * option, satisfaction level, 0–10 score or matrix row. Free-text answers are never tallied (a public page
 * shows no one's words). Pure; tested in evaluation.tally.test.ts.
 */
import { LEVELS } from './evaluation.logic.js';
import type { Question, QuestionTally } from './evaluation.table.js';

const SCALE10 = Array.from({ length: 11 }, (_, i) => String(i));
const round1 = (v: number) => Math.round(v * 10) / 10;

const labelsOf = (scale: 'satisfaction5' | 'scale10') => (scale === 'satisfaction5' ? [...LEVELS] : SCALE10);

function bump(counts: number[], v: unknown): boolean {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= counts.length) return false;
  counts[v] += 1;
  return true;
}

/** The tallies of every closed question (single, multi, satisfaction5, scale10, matrix with named rows), in questionnaire order. */
export function tallyAnswers(
  questions: readonly Question[],
  answers: readonly Record<string, unknown>[],
): QuestionTally[] {
  const out: QuestionTally[] = [];
  for (const q of questions) {
    if (q.type === 'text' || (q.type === 'matrix' && q.rowsAreTargets)) continue;
    const base = { key: q.key, type: q.type, title: q.title };
    if (q.type === 'matrix') {
      const labels = labelsOf(q.scale ?? 'satisfaction5');
      const rows = (q.rows ?? []).map((label) => ({ label, counts: labels.map(() => 0) }));
      let answered = 0;
      for (const a of answers) {
        const cells = a[q.key];
        if (!cells || typeof cells !== 'object' || Array.isArray(cells)) continue;
        answered += 1;
        rows.forEach((r, i) => bump(r.counts, (cells as Record<string, unknown>)[String(i)]));
      }
      out.push({ ...base, labels, counts: [], rows, answered });
      continue;
    }
    const labels = q.type === 'single' || q.type === 'multi' ? [...(q.options ?? [])] : labelsOf(q.type);
    const counts = labels.map(() => 0);
    let answered = 0;
    for (const a of answers) {
      const v = a[q.key];
      if (q.type === 'multi') {
        if (!Array.isArray(v)) continue;
        answered += 1;
        for (const x of v) bump(counts, x);
      } else if (bump(counts, v)) answered += 1;
    }
    const t: QuestionTally = { ...base, labels, counts, answered };
    if (q.type === 'scale10') t.mean = answered ? round1(counts.reduce((s, n, i) => s + n * i, 0) / answered) : null;
    if (q.type === 'satisfaction5')
      t.satisfiedPct = answered ? round1((100 * (counts[0] + counts[1] + counts[2])) / answered) : null;
    out.push(t);
  }
  return out;
}
