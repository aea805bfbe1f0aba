import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { useUnits } from '../admin/api';
import { fmtTime, pts, type TDeduction } from './ScoreData';
import { performanceApi, SCORES_KEY, useDeductions, useScoreTable } from './api';
import { FormModal } from '../../components/FormModal';
import { useYearPeriod } from './ScorePage';
import { YearPicker } from '../../components/YearPicker';

type FormValues = { unitId: number; period: string; points: number; reason: string; documentNo: string };

/** 问责扣分: accountability deductions with their reason and document number, taken off after the base. */
export function ScoreDeductionsPage() {
  const { years, usable, year, set } = useYearPeriod();
  const { can } = useAuth();
  const manage = can('scores.publish') || can('indicators.manage');
  const qc = useQueryClient();
  const { message } = App.useApp();
  const list = useDeductions(year?.id ?? null);
  const [editing, setEditing] = useState<TDeduction | 'new' | null>(null);
  const remove = useMutation({
    mutationFn: (id: number) => performanceApi.deleteDeduction(id),
    onSuccess: async () => {
      message.success(t('已删除', 'Deleted'));
      await qc.invalidateQueries({ queryKey: SCORES_KEY });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const writable = manage && year?.status === 'in_force';

  if (years.data && !usable.length)
    return <Empty description={t('还没有已生效的考核年度', 'No assessment year in force yet')} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Card size="small">
        <Space wrap>
          <YearPicker years={usable} value={year} onChange={(id) => set({ year: String(id) })} />
        </Space>
      </Card>
      <Card
        title={t('问责扣分', 'Accountability deductions')}
        extra={
          writable && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
              data-testid="deduction-create"
            >
              {t('登记问责扣分', 'Record a deduction')}
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary">
          {t(
            '行政问责扣分在 100 分基础分（含加减分）之后扣除，须注明事由和问责文件文号；登记、修改、删除均记入审计日志，得分随即重新计算。',
            'Deductions come off after the base, bonus and deductions; each needs a reason and the document number, and is audited.',
          )}
        </Typography.Paragraph>
        {list.error && <Alert type="error" showIcon title={errorText(list.error)} />}
        <Table<TDeduction>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data ?? []}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          data-testid="deductions-table"
          columns={[
            { title: t('单位', 'Unit'), dataIndex: 'unitName', width: 160 },
            { title: t('月份', 'Month'), dataIndex: 'period', width: 90 },
            {
              title: t('扣分', 'Points'),
              dataIndex: 'points',
              width: 80,
              render: (v: number) => <Typography.Text type="danger">−{pts(v)}</Typography.Text>,
            },
            { title: t('事由', 'Reason'), dataIndex: 'reason' },
            { title: t('文号', 'Document No.'), dataIndex: 'documentNo', width: 180 },
            {
              title: t('登记', 'Recorded'),
              width: 200,
              render: (_, d) => `${d.createdByName} ${fmtTime(d.createdAt)}`,
            },
            ...(writable
              ? [
                  {
                    title: '',
                    width: 100,
                    render: (_: unknown, d: TDeduction) => (
                      <Space size={4}>
                        <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(d)} />
                        <Popconfirm
                          title={t('删除这条问责扣分？', 'Delete this deduction?')}
                          onConfirm={() => remove.mutate(d.id)}
                        >
                          <Button size="small" danger icon={<DeleteOutlined />} />
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {editing && year && (
        <DeductionModal yearId={year.id} year={year.year} editing={editing} onClose={() => setEditing(null)} />
      )}
    </Space>
  );
}

function DeductionModal({
  yearId,
  year,
  editing,
  onClose,
}: {
  yearId: number;
  year: number;
  editing: TDeduction | 'new';
  onClose: () => void;
}) {
  const table = useScoreTable(yearId, String(year));
  const units = useUnits();
  const scored = table.data?.rows ?? [];
  const options = scored.length
    ? scored.map((r) => ({ value: r.unitId, label: `${r.unitName}（${r.categoryName}）` }))
    : (units.data ?? []).map((u) => ({ value: u.id, label: u.name }));
  const months = Array.from({ length: 12 }, (_, m) => `${year}-${String(m + 1).padStart(2, '0')}`);
  return (
    <FormModal<FormValues, TDeduction>
      title={editing === 'new' ? t('登记问责扣分', 'Record a deduction') : t('修改问责扣分', 'Edit the deduction')}
      onClose={onClose}
      submit={(v) =>
        editing === 'new'
          ? performanceApi.createDeduction({ yearId, ...v })
          : performanceApi.updateDeduction(editing.id, {
              period: v.period,
              points: v.points,
              reason: v.reason,
              documentNo: v.documentNo,
            })
      }
      invalidate={[SCORES_KEY]}
      success={t('已保存，得分已重新计算', 'Saved; scores recomputed')}
      errorFields={['unitId', 'period', 'points', 'reason', 'documentNo']}
      okTestId="deduction-save"
      initialValues={
        editing === 'new'
          ? { period: months[0], points: 1, reason: '', documentNo: '' }
          : {
              unitId: editing.unitId,
              period: editing.period,
              points: editing.points,
              reason: editing.reason,
              documentNo: editing.documentNo,
            }
      }
    >
      <Form.Item
        name="unitId"
        label={t('单位', 'Unit')}
        rules={[{ required: true, message: t('请选择单位', 'Pick a unit') }]}
      >
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          options={options}
          disabled={editing !== 'new'}
          data-testid="deduction-unit"
        />
      </Form.Item>
      <Form.Item name="period" label={t('计入月份', 'Month')} rules={[{ required: true }]}>
        <Select options={months.map((m) => ({ value: m, label: m }))} />
      </Form.Item>
      <Form.Item
        name="points"
        label={t('扣分', 'Points')}
        rules={[{ required: true, message: t('请填写扣分', 'Enter the points') }]}
      >
        <InputNumber min={0.001} max={100} step={0.5} data-testid="deduction-points" />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t('事由', 'Reason')}
        rules={[{ required: true, whitespace: true, message: t('请填写问责事由', 'Give the reason') }]}
      >
        <Input.TextArea rows={2} maxLength={500} data-testid="deduction-reason" />
      </Form.Item>
      <Form.Item
        name="documentNo"
        label={t('问责文件文号', 'Document number')}
        rules={[{ required: true, whitespace: true, message: t('请填写文号', 'Give the document number') }]}
      >
        <Input maxLength={100} placeholder="如：汉纪发〔2026〕3号" data-testid="deduction-document" />
      </Form.Item>
    </FormModal>
  );
}
