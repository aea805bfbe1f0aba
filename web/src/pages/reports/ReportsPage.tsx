import {
  FileTextOutlined,
  FileWordOutlined,
  FileExcelOutlined,
  PlusOutlined,
  PrinterOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Modal, Radio, Select, Space, Steps, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { TReportRow } from '@server/modules/reports/reports.schema';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { fmtTime } from '../../lib/time';
import { useUnits } from '../admin/api';
import { useYears } from '../performance/api';
import { KINDS, periodOptions, REPORTS_KEY, reportsApi, TRIGGERS, useReports, type ListFilters } from './api';

const kb = (n: number) => `${Math.max(1, Math.round(n / 1024))} KB`;

/** 分析报告: the kept reports (district and units' special reports) and the generate dialog. */
export function ReportsPage() {
  const { can } = useAuth();
  const [filters, setFilters] = useState<ListFilters>({ page: 1, pageSize: 20 });
  const [dialog, setDialog] = useState(false);
  const q = useReports(filters);
  const years = useYears();
  const set = (patch: Partial<ListFilters>) => setFilters((f) => ({ ...f, ...patch, page: 1 }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('综合分析报告', 'Analysis reports')}
        </Typography.Title>
        {can('reports.generate') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog(true)} data-testid="report-generate">
            {t('生成分析报告', 'Generate a report')}
          </Button>
        )}
      </Space>
      <Space wrap>
        <Select
          allowClear
          placeholder={t('考核年度', 'Year')}
          style={{ width: 180 }}
          value={filters.yearId}
          onChange={(v) => set({ yearId: v })}
          options={(years.data ?? []).map((y) => ({ value: y.id, label: y.name }))}
        />
        <Select
          allowClear
          placeholder={t('报告周期', 'Period kind')}
          style={{ width: 140 }}
          value={filters.kind}
          onChange={(v) => set({ kind: v })}
          options={Object.entries(KINDS).map(([k, l]) => ({ value: k as keyof typeof KINDS, label: l() }))}
        />
        <Select
          allowClear
          placeholder={t('报告类型', 'Report type')}
          style={{ width: 180 }}
          value={filters.scope}
          onChange={(v) => set({ scope: v })}
          options={[
            { value: 'district' as const, label: t('全区综合分析报告', 'District report') },
            { value: 'unit' as const, label: t('单位专项分析报告', 'Unit special report') },
          ]}
        />
      </Space>
      <Table<TReportRow>
        rowKey="id"
        size="middle"
        loading={q.isLoading}
        dataSource={q.data?.rows ?? []}
        locale={{ emptyText: q.isLoading ? ' ' : t('还没有分析报告', 'No reports yet') }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: q.data?.total ?? 0,
          showSizeChanger: true,
          onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
        }}
        scroll={{ x: 1400 }}
        columns={[
          {
            title: t('报告', 'Report'),
            key: 'title',
            width: 330,
            render: (_, r) => (
              <Link to={`/reports/${r.id}`} data-testid="report-title">
                <FileTextOutlined /> {r.title}
              </Link>
            ),
          },
          { title: t('考核期', 'Period'), dataIndex: 'periodLabel', width: 140 },
          {
            title: t('周期', 'Kind'),
            dataIndex: 'periodKind',
            width: 80,
            render: (k: keyof typeof KINDS) => KINDS[k](),
          },
          {
            title: t('范围', 'Scope'),
            key: 'scope',
            width: 150,
            render: (_, r) =>
              r.unitId === null ? <Tag color="blue">{t('全区', 'District')}</Tag> : <Tag>{r.unitName}</Tag>,
          },
          {
            title: t('语言', 'Language'),
            dataIndex: 'lang',
            width: 70,
            render: (l: TReportRow['lang']) =>
              l === 'en' ? <Tag color="purple">{t('英文', 'English')}</Tag> : <Tag>{t('中文', 'Chinese')}</Tag>,
          },
          {
            title: t('状态', 'Status'),
            key: 'status',
            width: 150,
            render: (_, r) => (
              <Space size={4}>
                <Tag color="green">{t('已印发', 'Issued')}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {TRIGGERS[r.trigger]()}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('数据版本', 'Data version'), dataIndex: 'scoreVersion', width: 90 },
          {
            title: t('生成时间', 'Issued at'),
            dataIndex: 'createdAt',
            width: 150,
            render: (v: string) => fmtTime(v),
          },
          {
            title: t('下载', 'Download'),
            key: 'files',
            fixed: 'right',
            width: 230,
            render: (_, r) => (
              <Space size={4}>
                <Button
                  size="small"
                  icon={<FileWordOutlined />}
                  href={reportsApi.docxUrl(r.id)}
                  data-testid="report-docx"
                >
                  Word <span style={{ color: '#999' }}>{kb(r.docxBytes)}</span>
                </Button>
                <Button size="small" icon={<FileExcelOutlined />} href={reportsApi.xlsxUrl(r.id)}>
                  Excel
                </Button>
                <Link to={`/reports/${r.id}?print=1`} title={t('打印', 'Print')}>
                  <PrinterOutlined />
                </Link>
              </Space>
            ),
          },
        ]}
      />
      {dialog && <GenerateDialog onClose={() => setDialog(false)} />}
    </Space>
  );
}

type Kind = keyof typeof KINDS;

/** The generate dialog: year, kind, period, district or a unit; shows the steps while the server works. */
function GenerateDialog({ onClose }: { onClose(): void }) {
  const { me, can, hasRole } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const years = useYears();
  const units = useUnits();
  const officeWide = hasRole('office');
  const usable = (years.data ?? []).filter((y) => y.status !== 'draft');
  const [yearId, setYearId] = useState<number | undefined>();
  const [kind, setKind] = useState<Kind>('month');
  const [period, setPeriod] = useState<string | undefined>();
  const [scope, setScope] = useState<'district' | 'unit'>(officeWide ? 'district' : 'unit');
  const [unitId, setUnitId] = useState<number | undefined>(officeWide ? undefined : me?.unitId);
  const [step, setStep] = useState(0);
  const year = usable.find((y) => y.id === yearId) ?? usable.find((y) => y.status === 'in_force') ?? usable[0];
  useEffect(() => {
    if (year && yearId === undefined) setYearId(year.id);
  }, [year, yearId]);
  const options = useMemo(() => (year ? periodOptions(year.year, kind) : []), [year, kind]);
  useEffect(() => setPeriod(undefined), [kind, yearId]);
  const m = useMutation({
    mutationFn: () =>
      reportsApi.generate({ yearId: year!.id, period: period!, unitId: scope === 'unit' ? unitId : undefined }),
    onSuccess: (r) => {
      setStep(3);
      void qc.invalidateQueries({ queryKey: REPORTS_KEY });
      message.success(t('分析报告已生成', 'The report was generated'));
      onClose();
      void navigate(`/reports/${r.report.id}`);
    },
  });
  // The server works in one request: the steps advance on a timer while it runs (gather → analyse → render).
  useEffect(() => {
    if (!m.isPending) return;
    setStep(0);
    const ids = [setTimeout(() => setStep(1), 600), setTimeout(() => setStep(2), 1500)];
    return () => ids.forEach(clearTimeout);
  }, [m.isPending]);
  const ready = !!year && !!period && (scope === 'district' || !!unitId);
  return (
    <Modal
      open
      title={t('生成分析报告', 'Generate an analysis report')}
      onCancel={onClose}
      okText={t('生成', 'Generate')}
      okButtonProps={{ disabled: !ready, loading: m.isPending, 'data-testid': 'report-generate-ok' } as never}
      onOk={() => m.mutate()}
      maskClosable={!m.isPending}
      closable={!m.isPending}
      width={560}
    >
      <Form layout="vertical">
        <Form.Item label={t('考核年度', 'Year')}>
          <Select
            value={year?.id}
            onChange={setYearId}
            options={usable.map((y) => ({ value: y.id, label: y.name }))}
            loading={years.isLoading}
          />
        </Form.Item>
        <Form.Item label={t('报告周期', 'Period kind')}>
          <Radio.Group
            value={kind}
            onChange={(e) => setKind(e.target.value)}
            options={Object.entries(KINDS).map(([k, l]) => ({ value: k, label: l() }))}
            optionType="button"
          />
        </Form.Item>
        <Form.Item label={t('考核期', 'Period')} required>
          <Select
            value={period}
            onChange={setPeriod}
            options={options}
            data-testid="report-period"
            placeholder={t('请选择', 'Choose')}
          />
        </Form.Item>
        <Form.Item label={t('报告范围', 'Scope')}>
          <Radio.Group value={scope} onChange={(e) => setScope(e.target.value)}>
            <Radio value="district" disabled={!officeWide}>
              {t('全区综合分析报告', 'District report')}
            </Radio>
            <Radio value="unit" disabled={!can('reports.generate')}>
              {t('单位专项分析报告', 'A unit’s special report')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        {scope === 'unit' && (
          <Form.Item label={t('单位', 'Unit')} required>
            <Select
              showSearch
              optionFilterProp="label"
              value={unitId}
              onChange={setUnitId}
              disabled={!officeWide}
              options={(units.data ?? [])
                .filter((u) => u.kind !== 'district' && (officeWide || u.id === me?.unitId))
                .map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
        )}
      </Form>
      {(m.isPending || m.isSuccess) && (
        <Steps
          size="small"
          current={step}
          items={[
            { title: t('汇集数据', 'Gathering') },
            { title: t('分析', 'Analysing') },
            { title: t('生成 Word/Excel', 'Rendering') },
          ]}
        />
      )}
      {m.isError && <Alert type="error" showIcon title={errorText(m.error)} style={{ marginTop: 12 }} />}
    </Modal>
  );
}
