import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { CampaignKind } from '@server/modules/evaluation/evaluation.schema';
import { t } from '../../lib/i18n';
import { useAuth } from '../../lib/auth';
import { CampaignWizard } from './CampaignWizard';
import { useCampaigns, type CampaignFilters } from './api';
import { KINDS, STATUSES } from './evaluationData';

/** 评议活动: the office's list (with the wizard); a unit's users see the published campaigns about them. */
export function CampaignsPage() {
  const { can } = useAuth();
  const office = can('evaluation.manage');
  const [f, setF] = useState<CampaignFilters>({});
  const [wizard, setWizard] = useState(false);
  const list = useCampaigns(f);
  return (
    <Card
      title={office ? t('评议活动', 'Evaluation campaigns') : t('评议结果', 'Evaluation results')}
      extra={
        office && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setWizard(true)} data-testid="ev-new">
            {t('新建评议活动', 'New campaign')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <InputNumber
          placeholder={t('年度', 'Year')}
          min={2000}
          max={2100}
          value={f.year}
          onChange={(v) => setF({ ...f, year: v ?? undefined })}
        />
        <Select
          allowClear
          placeholder={t('类型', 'Kind')}
          style={{ width: 200 }}
          value={f.kind}
          onChange={(v) => setF({ ...f, kind: v })}
          options={Object.entries(KINDS).map(([value, l]) => ({ value, label: l() }))}
        />
        <Select
          allowClear
          placeholder={t('状态', 'Status')}
          style={{ width: 120 }}
          value={f.status}
          onChange={(v) => setF({ ...f, status: v })}
          options={Object.entries(STATUSES).map(([value, s]) => ({ value, label: s.label() }))}
        />
        <Input.Search
          allowClear
          placeholder={t('搜索活动', 'Search')}
          onSearch={(q) => setF({ ...f, q: q || undefined })}
          style={{ width: 220 }}
        />
      </Space>
      <Table
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        locale={{ emptyText: <Empty description={t('没有评议活动', 'No campaigns')} /> }}
        pagination={{ pageSize: 20 }}
        onRow={() => ({ 'data-testid': 'ev-row' }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('活动', 'Campaign'),
            dataIndex: 'title',
            render: (v: string, r) => (
              <Link to={office ? `/evaluation/campaigns/${r.id}` : `/evaluation/campaigns/${r.id}/results`}>{v}</Link>
            ),
          },
          { title: t('类型', 'Kind'), dataIndex: 'kind', width: 170, render: (k: CampaignKind) => KINDS[k]() },
          { title: t('统计期', 'Period'), width: 200, render: (_, r) => `${r.periodFrom} ~ ${r.periodTo}` },
          { title: t('被评单位', 'Targets'), dataIndex: 'targets', width: 90 },
          {
            title: t('邀请/回收', 'Invited / answered'),
            width: 120,
            render: (_, r) => `${r.invited} / ${r.responded}`,
          },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            width: 90,
            render: (s: keyof typeof STATUSES) => <Tag color={STATUSES[s].color}>{STATUSES[s].label()}</Tag>,
          },
        ]}
      />
      {wizard && <CampaignWizard onClose={() => setWizard(false)} />}
    </Card>
  );
}
