import type { TQuestionTally } from '@server/modules/evaluation/evaluation.schema';
import { t } from '../../lib/i18n';

const LEVELS_EN = ['Very satisfied', 'Satisfied', 'Fairly satisfied', 'Dissatisfied', 'Very dissatisfied'];

/** A count and its share as a plain bar (no chart library: the citizens' page shows it too). */
function Bar({ label, n, of }: { label: string; n: number; of: number }) {
  const pct = of ? Math.round((1000 * n) / of) / 10 : 0;
  return (
    <div style={{ margin: '6px 0' }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, fontSize: 14 }}>
        <span>{label}</span>
        <span style={{ color: 'rgba(0,0,0,.55)', whiteSpace: 'nowrap' }}>
          {n} · {pct}%
        </span>
      </div>
      <div style={{ height: 8, background: '#f0f0f0', borderRadius: 4, overflow: 'hidden' }}>
        <div style={{ width: `${pct}%`, height: '100%', background: '#c0392b' }} />
      </div>
    </div>
  );
}

/** The satisfaction levels keep their Chinese labels on the server; English readers get theirs. */
const labelOf = (q: TQuestionTally, i: number, l: string) =>
  q.type === 'satisfaction5' || (q.type === 'matrix' && q.labels.length === 5) ? t(l, LEVELS_EN[i] ?? l) : l;

/** The tallies of a consultation's closed questions: one block per question, bars per option. */
export function ConsultationTallies({ tallies }: { tallies: TQuestionTally[] }) {
  if (!tallies.length) return <p style={{ color: 'rgba(0,0,0,.45)' }}>{t('没有选择题', 'No closed questions')}</p>;
  return (
    <div>
      {tallies.map((q, k) => (
        <div key={q.key} style={{ marginBottom: 20 }} data-testid={`tally-${q.key}`}>
          <div style={{ fontWeight: 600, marginBottom: 4 }}>
            {k + 1}. {q.title}
            {q.type === 'multi' && (
              <span style={{ fontWeight: 400, color: 'rgba(0,0,0,.45)' }}>{t('（多选）', ' (multiple)')}</span>
            )}
          </div>
          <div style={{ color: 'rgba(0,0,0,.45)', fontSize: 13 }}>
            {t(`${q.answered} 人作答`, `${q.answered} answered`)}
            {q.type === 'scale10' && q.mean != null && ` · ${t('平均', 'mean')} ${q.mean} / 10`}
            {q.type === 'satisfaction5' &&
              q.satisfiedPct != null &&
              ` · ${t('满意率', 'satisfied')} ${q.satisfiedPct}%`}
          </div>
          {q.rows
            ? q.rows.map((r) => (
                <div key={r.label} style={{ marginTop: 8 }}>
                  <div style={{ fontSize: 13 }}>{r.label}</div>
                  {r.counts.map((n, i) => (
                    <Bar key={i} label={labelOf(q, i, q.labels[i])} n={n} of={q.answered} />
                  ))}
                </div>
              ))
            : q.type === 'scale10'
              ? // 0 … 10 in three bands: the 11 bars would be long on a phone.
                [
                  [t('0–4 分', '0–4'), 0, 4],
                  [t('5–7 分', '5–7'), 5, 7],
                  [t('8–10 分', '8–10'), 8, 10],
                ].map(([label, lo, hi]) => (
                  <Bar
                    key={label}
                    label={label as string}
                    n={q.counts.slice(lo as number, (hi as number) + 1).reduce((a, b) => a + b, 0)}
                    of={q.answered}
                  />
                ))
              : q.counts.map((n, i) => <Bar key={i} label={labelOf(q, i, q.labels[i])} n={n} of={q.answered} />)}
        </div>
      ))}
    </div>
  );
}
