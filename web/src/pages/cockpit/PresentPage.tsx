import { Spin } from 'antd';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { useCockpit, useDrill, useStreetMap, type TCockpit, type TLightDrill, type TTaskDrill } from './api';
import {
  EvaluationPanel,
  HotlinePanel,
  KpiStrip,
  LightsPanel,
  Panel,
  PlacesPanel,
  RankingPanel,
  SupervisionPanel,
  TrendPanel,
} from './Panels';
import './cockpit.css';

const SLIDE_MS = 20_000;
const noop = () => undefined;

/** One unit's page in the presentation: its ranking, lights by level-1 indicator, red leaves and tasks. */
function UnitSlide({ data, unitId }: { data: TCockpit; unitId: number }) {
  const rank = data.rankings.rows.find((r) => r.unitId === unitId);
  const lights = data.lights.rows.find((r) => r.unitId === unitId);
  const red = useDrill({ kind: 'lights', title: '', q: { light: 'red', unitId } });
  const tasks = useDrill({ kind: 'tasks', title: '', q: { unitId } });
  const name = rank?.unitName ?? lights?.unitName ?? '';
  return (
    <div className="ck-body" style={{ gridTemplateColumns: '1fr 1.4fr 1fr' }} data-testid="ck-unit-slide">
      <div className="ck-col" style={{ gridTemplateRows: 'auto 1fr' }}>
        <Panel title={`${t('单位', 'Unit')} · ${name}`}>
          <div className="ck-stats" style={{ gridTemplateColumns: 'repeat(2, 1fr)' }}>
            <div className="ck-stat">
              <b style={{ color: '#36d1ff' }}>{rank ? rank.total.toFixed(2) : '—'}</b>
              {t('累计得分', 'Score')}
            </div>
            <div className="ck-stat">
              <b style={{ color: '#ffc53d' }}>{rank ? `${rank.rank}/${rank.of}` : '—'}</b>
              {rank?.categoryName ?? ''}
            </div>
            <div className="ck-stat">
              <b>{rank?.grade ?? '—'}</b>
              {t('等次', 'Grade')}
            </div>
            <div className="ck-stat">
              <b style={{ color: '#ff4d4f' }}>{lights?.red ?? 0}</b>
              {t('红灯', 'Red lights')}
            </div>
          </div>
        </Panel>
        <Panel title={t('一级指标预警', 'Lights by level-1 indicator')}>
          <table className="ck-table">
            <tbody>
              {(lights?.cells ?? []).map((c) => (
                <tr key={c.indicatorId}>
                  <td>
                    <span className={`ck-dot ${c.light}`} />
                  </td>
                  <td>{data.lights.indicators.find((i) => i.id === c.indicatorId)?.name}</td>
                  <td className="num">{t(`${c.leaves} 项`, `${c.leaves}`)}</td>
                  <td className="num" style={{ color: c.red ? '#ff4d4f' : undefined }}>
                    {c.red ? t(`红灯 ${c.red}`, `${c.red} red`) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      </div>
      <Panel title={t('红灯指标', 'Red-light indicators')}>
        <table className="ck-table">
          <thead>
            <tr>
              <th>{t('指标', 'Indicator')}</th>
              <th>{t('目标', 'Target')}</th>
              <th>{t('实际', 'Actual')}</th>
              <th>{t('完成/时间进度', 'Done / time')}</th>
            </tr>
          </thead>
          <tbody>
            {((red.data as TLightDrill | undefined)?.items ?? []).map((r) => (
              <tr key={r.indicatorId}>
                <td>
                  <span className="ck-name" style={{ maxWidth: 320 }}>
                    {r.code} {r.name}
                  </span>
                </td>
                <td className="num">{r.target ?? '—'}</td>
                <td className="num">{r.actual ?? '—'}</td>
                <td className="num">
                  {r.completionPct ?? '—'}% / {r.timePct}%
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {red.data && !(red.data as TLightDrill).items.length && (
          <div className="ck-empty">{t('没有红灯指标', 'No red lights')}</div>
        )}
      </Panel>
      <Panel title={t('督办事项', 'Supervision tasks')}>
        <table className="ck-table">
          <tbody>
            {((tasks.data as TTaskDrill | undefined)?.items ?? []).slice(0, 12).map((x) => (
              <tr key={x.id}>
                <td>
                  <span className={`ck-dot ${x.light ?? 'none'}`} />
                </td>
                <td>
                  <span className="ck-name" style={{ maxWidth: 260 }}>
                    {x.title}
                  </span>
                </td>
                <td style={{ color: x.overdue ? '#ff4d4f' : undefined }}>
                  {x.overdue ? t('逾期', 'overdue') : `${x.progress}%`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {tasks.data && !(tasks.data as TTaskDrill).items.length && (
          <div className="ck-empty">{t('没有督办事项', 'No tasks')}</div>
        )}
      </Panel>
    </div>
  );
}

/**
 * 汇报演示: full screen for the meeting-room display. Cycles through the cockpit's panels and the pages of
 * the units with the most red lights; → / PageDown / Space next, ← / PageUp back (presentation clickers send
 * these), P pauses, Esc leaves.
 */
export function PresentPage() {
  const { me, loading, can } = useAuth();
  const navigate = useNavigate();
  const q = useCockpit();
  const geo = useStreetMap();
  const [index, setIndex] = useState(0);
  const [paused, setPaused] = useState(false);
  const d = q.data;
  const slides = useMemo<{ title: string; render: () => ReactNode }[]>(() => {
    if (!d) return [];
    const units = d.lights.rows.filter((r) => r.red > 0).slice(0, 3);
    return [
      {
        title: t('绩效排名', 'Rankings'),
        render: () => (
          <div className="ck-body" style={{ gridTemplateColumns: '1.2fr 1fr' }}>
            <RankingPanel data={d} onInstruct={noop} limit={14} />
            <TrendPanel data={d} />
          </div>
        ),
      },
      {
        title: t('预警灯', 'Warning lights'),
        render: () => (
          <div className="ck-body" style={{ gridTemplateColumns: '1fr' }}>
            <LightsPanel data={d} onDrill={noop} />
          </div>
        ),
      },
      {
        title: t('12345 热线', 'Hotline'),
        render: () => (
          <div className="ck-body" style={{ gridTemplateColumns: '1fr 1fr' }}>
            <PlacesPanel data={d} geo={geo.data} onDrill={noop} />
            <HotlinePanel data={d} onDrill={noop} />
          </div>
        ),
      },
      {
        title: t('督查督办', 'Supervision'),
        render: () => (
          <div className="ck-body" style={{ gridTemplateColumns: '1fr' }}>
            <SupervisionPanel data={d} onDrill={noop} />
          </div>
        ),
      },
      {
        title: t('多元评价 · 好差评', 'Evaluation · ratings'),
        render: () => (
          <div className="ck-body" style={{ gridTemplateColumns: '1fr' }} data-testid="ck-evaluation-slide">
            <EvaluationPanel data={d} onDrill={noop} full />
          </div>
        ),
      },
      ...units.map((u) => ({ title: u.unitName, render: () => <UnitSlide data={d} unitId={u.unitId} /> })),
    ];
  }, [d, geo.data]);
  const n = slides.length;
  const go = useCallback((step: number) => setIndex((i) => (n ? (i + step + n) % n : 0)), [n]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter'].includes(e.key)) {
        e.preventDefault();
        go(1);
      } else if (['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace'].includes(e.key)) {
        e.preventDefault();
        go(-1);
      } else if (e.key === 'p' || e.key === 'P' || e.key === 'b' || e.key === '.') setPaused((p) => !p);
      else if (e.key === 'Escape') void navigate('/');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, navigate]);
  useEffect(() => {
    if (paused || n < 2) return;
    const id = setTimeout(() => go(1), SLIDE_MS);
    return () => clearTimeout(id);
  }, [paused, index, n, go]);
  if (loading) return <Spin />;
  if (!me) return <Navigate to="/login?next=%2Fpresent" replace />;
  if (!can('cockpit.read')) return <Navigate to="/" replace />;
  const slide = slides[Math.min(index, Math.max(0, n - 1))];
  return (
    <div
      className="ck-root ck-full"
      data-testid="ck-presentation"
      onDoubleClick={() => void document.documentElement.requestFullscreen?.().catch(noop)}
    >
      <header className="ck-head">
        <div className="ck-head-left">{d?.year?.name}</div>
        <h1 className="ck-title">{slide ? slide.title : t('领导驾驶舱', 'Leader cockpit')}</h1>
        <div className="ck-head-right">
          <span data-testid="ck-slide-no">
            {n ? index + 1 : 0} / {n}
          </span>
        </div>
      </header>
      {d ? <KpiStrip data={d} onDrill={noop} /> : <div />}
      {slide ? slide.render() : <Spin size="large" />}
      <div className="ck-hint" data-testid="ck-present-hint">
        {paused ? t('已暂停 · ', 'Paused · ') : ''}
        {t(
          '← → 翻页 · 空格下一页 · P 暂停 · Esc 退出 · 双击全屏',
          '← → page · Space next · P pause · Esc exit · double-click: full screen',
        )}
      </div>
    </div>
  );
}
