import { Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { roleName } from '../admin/adminData';
import { useCockpit, useStreetMap, type Drill } from './api';
import { DrillDrawer, InstructModal } from './DrillDrawer';
import {
  EvaluationPanel,
  HotlinePanel,
  KpiStrip,
  LightsPanel,
  PlacesPanel,
  RankingPanel,
  SupervisionPanel,
  TrendPanel,
  type Instruct,
} from './Panels';
import './cockpit.css';

function Clock() {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(id);
  }, []);
  return <span>{now.toLocaleString('zh-CN', { hour12: false, dateStyle: 'long', timeStyle: 'short' })}</span>;
}

/** The leader cockpit (领导驾驶舱): the home of district leaders and the office, one screen. */
export function CockpitPage() {
  const { me } = useAuth();
  const navigate = useNavigate();
  const q = useCockpit();
  const geo = useStreetMap();
  const [drill, setDrill] = useState<Drill | null>(null);
  const [instruct, setInstruct] = useState<Parameters<Instruct>[0] | null>(null);
  const d = q.data;
  return (
    <div className="ck-root ck-page" data-testid="cockpit">
      <header className="ck-head">
        <div className="ck-head-left">
          <span data-testid="home-title">
            {me?.displayName} · {me?.roles.map((r) => roleName(r)).join('、')}
          </span>
          {d && (
            <span>
              {d.scope.all
                ? t(`全区 ${d.scope.units} 个单位`, `All ${d.scope.units} units`)
                : t(`分管 ${d.scope.units} 个单位`, `${d.scope.units} units in charge`)}
            </span>
          )}
        </div>
        <h1 className="ck-title">{t('领导驾驶舱', 'Leader cockpit')}</h1>
        <div className="ck-head-right">
          <Clock />
          <button type="button" className="ck-btn" onClick={() => void q.refetch()}>
            {t('刷新', 'Refresh')}
          </button>
          <button type="button" className="ck-btn" data-testid="ck-present" onClick={() => navigate('/present')}>
            {t('汇报演示', 'Present')}
          </button>
          <button type="button" className="ck-btn" onClick={() => navigate('/?workbench=1')}>
            {t('工作台', 'Workbench')}
          </button>
        </div>
      </header>
      {q.isLoading ? (
        <div style={{ gridRow: '2 / 4', display: 'grid', placeItems: 'center' }}>
          <Spin size="large" />
        </div>
      ) : q.error || !d ? (
        <div className="ck-empty" style={{ gridRow: '2 / 4' }}>
          {errorText(q.error)}
        </div>
      ) : (
        <>
          <KpiStrip data={d} onDrill={setDrill} />
          <div className="ck-body">
            <div className="ck-col" style={{ gridTemplateRows: '1.6fr 1fr' }}>
              <RankingPanel data={d} onInstruct={setInstruct} />
              <TrendPanel data={d} />
            </div>
            <div className="ck-col" style={{ gridTemplateRows: '1.1fr 1fr' }}>
              <PlacesPanel data={d} geo={geo.data} onDrill={setDrill} />
              <LightsPanel data={d} onDrill={setDrill} />
            </div>
            <div className="ck-col" style={{ gridTemplateRows: '1.1fr 1fr auto' }}>
              <SupervisionPanel data={d} onDrill={setDrill} />
              <HotlinePanel data={d} onDrill={setDrill} />
              <EvaluationPanel data={d} onDrill={setDrill} />
            </div>
          </div>
        </>
      )}
      <DrillDrawer drill={drill} onClose={() => setDrill(null)} onInstruct={setInstruct} />
      <InstructModal target={instruct} onClose={() => setInstruct(null)} />
    </div>
  );
}
