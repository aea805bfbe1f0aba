import { Alert, Button, Card, Space, Statistic } from 'antd';
import { useNavigate } from 'react-router';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { LightDot } from './MyReportingPage';
import { useReportingHome } from './api';

function useHome() {
  return useReportingHome();
}

/** Home card for reporters: what the unit still has to report, overdue, returned, red lights. */
export function ReporterWidget() {
  const home = useHome();
  const navigate = useNavigate();
  const r = home.data?.reporter;
  return (
    <Card
      title={t('数据填报', 'Data entry')}
      extra={
        <Button type="link" onClick={() => navigate('/reporting/my')}>
          {t('去填报', 'Open')}
        </Button>
      }
      loading={home.isLoading}
      data-testid="widget-reporter"
    >
      {home.error && <Alert type="error" showIcon title={errorText(home.error)} />}
      {r && (
        <Space size={32} wrap>
          <Statistic title={t('待填报', 'To do')} value={r.todo} />
          <Statistic
            title={t('已逾期', 'Overdue')}
            value={r.overdue}
            styles={{ content: { color: r.overdue ? '#cf1322' : undefined } }}
          />
          <Statistic
            title={t('被退回', 'Returned')}
            value={r.returned}
            styles={{ content: { color: r.returned ? '#d46b08' : undefined } }}
          />
          <Statistic
            title={
              <span>
                <LightDot light="red" size={10} /> {t('红灯指标', 'Red lights')}
              </span>
            }
            value={r.red}
            styles={{ content: { color: r.red ? '#cf1322' : undefined } }}
          />
        </Space>
      )}
    </Card>
  );
}

/** Home card for unit leaders: submissions waiting for their approval. */
export function LeaderWidget() {
  const home = useHome();
  const navigate = useNavigate();
  const l = home.data?.leader;
  return (
    <Card
      title={t('单位审核', 'Unit review')}
      extra={
        <Button type="link" onClick={() => navigate('/reporting/approve')}>
          {t('去审核', 'Open')}
        </Button>
      }
      loading={home.isLoading}
      data-testid="widget-leader"
    >
      {l && (
        <Statistic
          title={t('待审核的填报', 'Submissions to approve')}
          value={l.pendingApprovals}
          styles={{ content: { color: l.pendingApprovals ? '#d48806' : undefined } }}
        />
      )}
    </Card>
  );
}

/** Home card for the office: acceptance queue, revision requests, overdue and flagged data. */
export function OfficeWidget() {
  const home = useHome();
  const navigate = useNavigate();
  const o = home.data?.office;
  return (
    <Card
      title={t('数据审核', 'Data review')}
      extra={
        <Button type="link" onClick={() => navigate('/reporting/review')}>
          {t('去审核', 'Open')}
        </Button>
      }
      loading={home.isLoading}
      data-testid="widget-office"
    >
      {o && (
        <Space size={32} wrap>
          <Statistic title={t('待审核归档', 'To accept')} value={o.pendingAcceptance} />
          <Statistic title={t('修订申请', 'Revisions')} value={o.pendingRevisions} />
          <Statistic
            title={t('逾期未报', 'Overdue')}
            value={o.overdue}
            styles={{ content: { color: o.overdue ? '#cf1322' : undefined } }}
          />
          <Statistic title={t('异常提示', 'Flagged')} value={o.flagged} />
        </Space>
      )}
    </Card>
  );
}

/** Home card for assessing bodies: third-party values still to enter for last month. */
export function AssessorWidget() {
  const home = useHome();
  const navigate = useNavigate();
  const a = home.data?.assessor;
  return (
    <Card
      title={t('第三方数据', 'Third-party data')}
      extra={
        <Button type="link" onClick={() => navigate('/reporting/third-party')}>
          {t('去录入', 'Open')}
        </Button>
      }
      loading={home.isLoading}
      data-testid="widget-assessor"
    >
      {a && (
        <Space size={32}>
          <Statistic title={t('上月待录入', 'To enter (last month)')} value={a.toEnter} />
          <Statistic title={t('被退回', 'Returned')} value={a.returned} />
        </Space>
      )}
    </Card>
  );
}
