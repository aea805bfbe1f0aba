import { Card, Select, Space, Statistic, Tag } from 'antd';
import type { TCaseRow } from '@server/modules/mediation/mediation.schema';
import { DeskLedger } from '../../components/DeskLedger';
import { LabelSelect, StatusTag, UnitSelect } from '../../components/ListFilters';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { money } from '../../lib/format';
import { CaseDrawer, CaseForm } from './CaseDrawer';
import { mediationApi, useCases, type MedFilters } from './api';
import { DISPUTE_TYPES, MED_STATUS } from './mediationData';

/** 调解台账: the desk's (or a unit's joint) disputes, with filters, search, export and the case drawer. */
export function MediationPage() {
  const { can } = useAuth();
  return (
    <DeskLedger<TCaseRow, MedFilters>
      title={t('调解台账', 'Mediation ledger')}
      testId="med"
      useList={useCases}
      exportPath={mediationApi.casesExportPath}
      searchPlaceholder={t('搜索事项、编号、当事人', 'Search title, number, party')}
      filters={(filters, set) => (
        <>
          <Select
            allowClear
            placeholder={t('月份', 'Month')}
            style={{ width: 90 }}
            value={filters.month}
            onChange={(v) => set({ month: v })}
            options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1}月` }))}
          />
          <LabelSelect
            labels={DISPUTE_TYPES}
            placeholder={t('纠纷类型', 'Dispute type')}
            style={{ width: 130 }}
            value={filters.disputeType}
            onChange={(v) => set({ disputeType: v })}
          />
          <LabelSelect
            labels={MED_STATUS}
            placeholder={t('结果', 'Outcome')}
            style={{ width: 110 }}
            value={filters.status}
            onChange={(v) => set({ status: v })}
          />
          <UnitSelect
            allowClear
            placeholder={t('单位（主持或联合）', 'Unit (host or joint)')}
            style={{ width: 190 }}
            value={filters.unitId}
            onChange={(v) => set({ unitId: v })}
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
        </>
      )}
      summary={(page) => (
        <Space wrap size={16}>
          <Card size="small">
            <Statistic
              title={t('符合条件的纠纷', 'Disputes')}
              value={page?.total ?? 0}
              suffix={page?.totalCapped ? '+' : ''}
            />
          </Card>
        </Space>
      )}
      emptyText={t('没有符合条件的纠纷', 'No disputes match')}
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
          render: (_, r) => <StatusTag status={MED_STATUS[r.status]} />,
        },
      ]}
      drawer={(id, onClose) => <CaseDrawer id={id} onClose={onClose} />}
      create={
        can('mediation.manage')
          ? {
              label: t('登记纠纷', 'Register a dispute'),
              form: (onClose, onSaved) => <CaseForm onClose={onClose} onSaved={onSaved} />,
            }
          : undefined
      }
    />
  );
}
