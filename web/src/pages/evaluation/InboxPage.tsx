import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Result, Table, Tag } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import type { CampaignKind } from '@server/modules/evaluation/evaluation.schema';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { EV_KEY, evaluationApi, useInbox, useInboxForm } from './api';
import { KINDS } from './evaluationData';
import { SurveyForm } from './SurveyForm';
import { ProposalsToRate } from '../supervision/ProposalsToRate';

/** 我的评议: the campaigns the evaluator (deputy, member, special supervisor, leader) is invited to answer. */
export function InboxPage() {
  const list = useInbox();
  return (
    <Card title={t('我的评议', 'My evaluations')}>
      <ProposalsToRate />
      <Table
        rowKey="campaignId"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        locale={{ emptyText: <Empty description={t('暂无需要评议的活动', 'Nothing to answer')} /> }}
        onRow={() => ({ 'data-testid': 'inbox-row' }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('评议活动', 'Campaign'),
            dataIndex: 'title',
            render: (v: string, r) =>
              r.respondedOn || r.status !== 'open' ? v : <Link to={`/evaluation/inbox/${r.campaignId}`}>{v}</Link>,
          },
          { title: t('类型', 'Kind'), dataIndex: 'kind', width: 180, render: (k: CampaignKind) => KINDS[k]() },
          { title: t('被评单位', 'Units'), dataIndex: 'targets', width: 90 },
          { title: t('截止', 'Period ends'), dataIndex: 'periodTo', width: 120 },
          {
            title: t('状态', 'State'),
            width: 140,
            render: (_, r) =>
              r.respondedOn ? (
                <Tag color="green">{t(`已评议 ${r.respondedOn}`, `Answered ${r.respondedOn}`)}</Tag>
              ) : r.status === 'open' ? (
                <Tag color="orange">{t('待评议', 'To answer')}</Tag>
              ) : (
                <Tag>{t('已结束', 'Closed')}</Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}

export function InboxAnswerPage() {
  const id = Number(useParams().id);
  const form = useInboxForm(id);
  const qc = useQueryClient();
  const nav = useNavigate();
  const { message } = App.useApp();
  if (form.error) return <Alert type="error" message={errorText(form.error)} />;
  if (!form.data) return <Card loading />;
  if (form.data.answered)
    return (
      <Result
        status="success"
        title={t('您已提交本次评议，感谢！', 'You have answered; thank you!')}
        extra={<Button onClick={() => nav('/evaluation/inbox')}>{t('返回', 'Back')}</Button>}
      />
    );
  return (
    <Card title={form.data.title} style={{ maxWidth: 900 }}>
      {!form.data.open && (
        <Alert type="warning" message={t('本次评议已结束', 'This campaign is closed')} style={{ marginBottom: 12 }} />
      )}
      {form.data.kind === 'mutual' && (
        <Alert
          type="info"
          message={t('互评不评价本单位。', 'Your own unit is not listed.')}
          style={{ marginBottom: 12 }}
        />
      )}
      <SurveyForm
        form={form.data}
        onSubmit={async (answers) => {
          await evaluationApi.inboxRespond(id, { answers });
          await qc.invalidateQueries({ queryKey: EV_KEY });
          message.success(t('评议已提交', 'Submitted'));
          void nav('/evaluation/inbox');
        }}
      />
    </Card>
  );
}
