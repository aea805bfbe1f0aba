import { DownloadOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Input, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { TCaseRow } from '@server/modules/mediation/mediation.schema';
import { qs } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { CaseDrawer, CaseForm } from './CaseDrawer';
import { DISPUTE_TYPES, MED_STATUS, THIS_YEAR, money, useCases, useUnits, type MedFilters } from './mediationData';

/** 调解台账: the desk's (or a unit's joint) disputes, with filters, search, export and the case drawer. */
export function MediationPage() {
  const { can } = useAuth();
  const [filters, setFilters] = useState<MedFilters>({ page: 1, pageSize: 20, year: THIS_YEAR });
  const [open, setOpen] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const q = useCases(filters);
  const units = useUnits();
  const set = (patch: Partial<MedFilters>) => setFilters((f) => ({ ...f, ...patch, page: 1 }));
  const exportUrl = `/api/mediation/cases.xlsx${qs({ ...filters, page: undefined, pageSize: undefined })}`;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('调解台账', 'Mediation ledger')}
        </Typography.Title>
        <Space wrap className="no-print">
          {can('mediation.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="med-new">
              {t('登记纠纷', 'Register a dispute')}
            </Button>
          )}
          <Button icon={<DownloadOutlined />} href={exportUrl}>
            {t('导出 Excel', 'Export .xlsx')}
          </Button>
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('打印', 'Print')}
          </Button>
        </Space>
      </Space>
      <Space wrap className="no-print">
        <Input.Search
          allowClear
          placeholder={t('搜索事项、编号、当事人', 'Search title, number, party')}
          style={{ width: 240 }}
          onSearch={(v) => set({ q: v || undefined })}
          data-testid="med-search"
        />
        <Select
          style={{ width: 100 }}
          value={filters.year}
          onChange={(v) => set({ year: v })}
          options={[THIS_YEAR, THIS_YEAR - 1].map((y) => ({ value: y, label: `${y}年` }))}
        />
        <Select
          allowClear
          placeholder={t('月份', 'Month')}
          style={{ width: 90 }}
          value={filters.month}
          onChange={(v) => set({ month: v })}
          options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1}月` }))}
        />
        <Select
          allowClear
          placeholder={t('纠纷类型', 'Dispute type')}
          style={{ width: 130 }}
          value={filters.disputeType}
          onChange={(v) => set({ disputeType: v })}
          options={Object.entries(DISPUTE_TYPES).map(([value, l]) => ({
            value: value as TCaseRow['disputeType'],
            label: l(),
          }))}
        />
        <Select
          allowClear
          placeholder={t('结果', 'Outcome')}
          style={{ width: 110 }}
          value={filters.status}
          onChange={(v) => set({ status: v })}
          options={Object.entries(MED_STATUS).map(([value, s]) => ({
            value: value as TCaseRow['status'],
            label: s.label(),
          }))}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('单位（主持或联合）', 'Unit (host or joint)')}
          style={{ width: 190 }}
          value={filters.unitId}
          onChange={(v) => set({ unitId: v })}
          options={(units.data ?? []).filter((u) => u.kind !== 'district').map((u) => ({ value: u.id, label: u.name }))}
        />
        <Select
          allowClear
          placeholder={t('联合调解', 'Joint')}
          style={{ width: 110 }}
          value={filters.joint}
          onChange={(v) => set({ joint: v })}
          options={[
            { value: '1', label: t('联合调解', 'Joint') },
            { value: '0', label: t('单独调解', 'Single') },
          ]}
        />
      </Space>
      <Space wrap size={16}>
        <Card size="small">
          <Statistic
            title={t('符合条件的纠纷', 'Disputes')}
            value={q.data?.total ?? 0}
            suffix={q.data?.totalCapped ? '+' : ''}
          />
        </Card>
      </Space>
      <Table<TCaseRow>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.rows}
        locale={{ emptyText: t('没有符合条件的纠纷', 'No disputes match') }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: q.data?.total,
          showSizeChanger: true,
          onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
        }}
        columns={[
          { title: t('编号', 'No.'), dataIndex: 'number', width: 120 },
          { title: t('受理日期', 'Received'), dataIndex: 'receivedOn', width: 100 },
          { title: t('类型', 'Type'), width: 90, render: (_, r) => DISPUTE_TYPES[r.disputeType]() },
          {
            title: t('纠纷事项', 'Dispute'),
            render: (_, r) => (
              <span data-testid="med-row">
                {r.title}
                {r.jointUnitNames.length > 0 && (
                  <Tag color="blue" style={{ marginLeft: 4 }}>
                    {t('联合', 'joint')}
                  </Tag>
                )}
              </span>
            ),
          },
          {
            title: t('当事人', 'Parties'),
            width: 200,
            ellipsis: true,
            render: (_, r) => `${r.applicants.join('、')} / ${r.respondents.join('、')}`,
          },
          { title: t('主持单位', 'Host'), dataIndex: 'hostUnitName', width: 140, ellipsis: true },
          { title: t('调解次数', 'Sessions'), dataIndex: 'sessions', width: 80, align: 'right' },
          { title: t('人数', 'People'), dataIndex: 'people', width: 60, align: 'right' },
          { title: t('追回(元)', 'Recovered'), width: 100, align: 'right', render: (_, r) => money(r.amountRecovered) },
          {
            title: t('结果', 'Outcome'),
            width: 100,
            render: (_, r) => <Tag color={MED_STATUS[r.status].color}>{MED_STATUS[r.status].label()}</Tag>,
          },
        ]}
      />
      <CaseDrawer id={open} onClose={() => setOpen(null)} />
      {creating && <CaseForm onClose={() => setCreating(false)} onSaved={(id) => setOpen(id)} />}
    </Space>
  );
}
