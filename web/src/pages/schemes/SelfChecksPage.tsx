import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { TSubmission } from '@server/modules/reporting/reporting.schema';
import { ExportButton } from '../../components/TableTools';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { SCHEMES_KEY, schemePeriodLabel, schemePeriods, schemesApi, useSpecialSchemes } from './api';

const STATUS: Record<string, { zh: string; en: string; color: string }> = {
  draft: { zh: '草稿', en: 'Draft', color: 'default' },
  submitted: { zh: '待单位领导审核', en: 'Submitted', color: 'gold' },
  leader_approved: { zh: '待绩效办审核', en: 'Approved by the unit', color: 'blue' },
  accepted: { zh: '已通过', en: 'Accepted', color: 'green' },
};

/**
 * 自查: the units' self-check reports of a special scheme — the scheme's self-report leaves, filled
 * through data collection (the unit's form with evidence), listed here with their scores and summaries.
 */
export function SelfChecksPage() {
  const schemes = useSpecialSchemes();
  const [picked, setPicked] = useState<number | null>(null);
  const scheme = schemes.data.find((s) => s.id === picked) ?? schemes.data[0] ?? null;
  const [search, setSearch] = useState('');
  const [period, setPeriod] = useState<string | null>(null);
  const navigate = useNavigate();
  const tree = useQuery({
    queryKey: [...SCHEMES_KEY, 'tree', scheme?.id],
    queryFn: () => schemesApi.indicators(scheme!.id),
    enabled: !!scheme,
  });
  const leaves = (tree.data ?? []).filter(
    (n) => n.dataSource === 'self_report' && !(tree.data ?? []).some((c) => c.parentId === n.id),
  );
  const [leafPick, setLeafPick] = useState<number | null>(null);
  const leaf = leaves.find((l) => l.id === leafPick) ?? leaves[0] ?? null;
  const subs = useQuery({
    queryKey: [...SCHEMES_KEY, 'self-checks', scheme?.id, leaf?.id],
    queryFn: () => schemesApi.submissions(scheme!.id, leaf!.id),
    enabled: !!scheme && !!leaf,
  });
  if (!schemes.isLoading && !scheme) return <Empty description={t('还没有专项考核', 'No special scheme yet')} />;
  const every = scheme?.periods ?? 'month';
  const label = (p: string) => schemePeriodLabel(p, every);
  const rows = (subs.data ?? []).filter(
    (s) => (!search || s.unitName.includes(search)) && (!period || s.period === period),
  );
  const text = (s: TSubmission, key: string) => {
    const v = (s.values as Record<string, unknown>)[key];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
  };
  return (
    <Card
      title={t('自查报告', 'Self-check reports')}
      extra={
        <Space wrap>
          <Select
            style={{ width: 300 }}
            value={scheme?.id}
            onChange={setPicked}
            options={schemes.data.map((s) => ({ value: s.id, label: s.name }))}
          />
          {leaves.length > 1 && (
            <Select
              style={{ width: 220 }}
              value={leaf?.id}
              onChange={setLeafPick}
              options={leaves.map((l) => ({ value: l.id, label: l.name }))}
            />
          )}
          {scheme && (
            <Select
              allowClear
              style={{ width: 150 }}
              data-testid="self-check-period"
              placeholder={t('全部考核期', 'All periods')}
              value={period}
              onChange={(v?: string) => setPeriod(v ?? null)}
              options={schemePeriods(scheme).map((p) => ({ value: p, label: label(p) }))}
            />
          )}
          <Select
            showSearch
            allowClear
            style={{ width: 200 }}
            placeholder={t('按单位筛选', 'Filter by unit')}
            onSearch={setSearch}
            onChange={(v?: string) => setSearch(v ?? '')}
            options={[...new Set((subs.data ?? []).map((s) => s.unitName))].map((n) => ({ value: n, label: n }))}
          />
          {scheme && leaf && (
            <ExportButton
              path={schemesApi.selfChecksExportUrl(scheme.id)}
              query={{ indicatorId: leaf.id, period }}
              testId="self-checks-export"
            />
          )}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        {t(
          '自查报告是该专项考核“自查”指标的填报表单（自评得分、自查总结和台账材料），按考核方案的考核期报送（半年考核：上半年报 6 月、下半年报 12 月），经单位领导和绩效办审核通过后计入得分。点击一行查看报告和台账材料。',
          'A self-check report is the data-collection form of the scheme’s self-check leaf (score, summary, evidence), reported per the scheme’s periods (half-years: June and December); accepted reports count. Click a row to open it.',
        )}
      </Typography.Paragraph>
      {subs.error && <Alert type="error" showIcon title={errorText(subs.error)} />}
      {!leaf && !tree.isLoading && <Empty description={t('该方案没有自查指标', 'The scheme has no self-check leaf')} />}
      {leaf && (
        <Table<TSubmission>
          rowKey="id"
          size="small"
          loading={subs.isLoading}
          dataSource={rows}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="self-checks-table"
          onRow={(s) => ({ onClick: () => navigate(`/reporting/submissions/${s.id}`), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('单位', 'Unit'), dataIndex: 'unitName', width: 160 },
            { title: t('考核期', 'Period'), dataIndex: 'period', width: 110, render: (p: string) => label(p) },
            {
              title: t('自评得分', 'Self score'),
              dataIndex: 'value',
              width: 90,
              sorter: (a, b) => (a.value ?? 0) - (b.value ?? 0),
            },
            { title: t('自查总结', 'Summary'), render: (_, s) => text(s, 'summary') },
            {
              title: t('状态', 'Status'),
              dataIndex: 'status',
              width: 120,
              render: (v: string) => (
                <Tag color={STATUS[v]?.color}>{STATUS[v] ? t(STATUS[v].zh, STATUS[v].en) : v}</Tag>
              ),
            },
            {
              title: t('报送时间', 'Submitted'),
              dataIndex: 'submittedAt',
              width: 110,
              render: (v: string | null) => v?.slice(0, 10) ?? '—',
            },
          ]}
        />
      )}
    </Card>
  );
}
