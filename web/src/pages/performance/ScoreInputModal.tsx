import { Form, Input, InputNumber, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { t } from '../../lib/i18n';
import { fmtTime, INPUT_SOURCE_LABEL, type TScoreInput, type TTreeNode } from './ScoreData';
import { performanceApi, SCORES_KEY, useScoreInputs } from './api';
import { FormModal } from '../../components/FormModal';

type FormValues = { indicatorId: number; period: string; value: number | null; reason: string };

/**
 * 录入考核数据: the office enters or corrects a leaf's monthly value for a unit by hand (assessment
 * results, third-party figures received on paper). The value replaces what is there, with the office
 * as its source and the reason as its reference; the change is audited and scores follow at once.
 */
export function ScoreInputModal(props: {
  yearId: number;
  year: number;
  unitId: number;
  unitName: string;
  leaves: TTreeNode[];
  initialIndicatorId: number | null;
  onClose: () => void;
}) {
  const { yearId, year, unitId, unitName, leaves, initialIndicatorId, onClose } = props;
  const [indicatorId, setIndicatorId] = useState<number | null>(initialIndicatorId);
  const history = useScoreInputs({ yearId, unitId, indicatorId });
  const leaf = leaves.find((l) => l.indicatorId === indicatorId);
  const months = Array.from({ length: 12 }, (_, m) => `${year}-${String(m + 1).padStart(2, '0')}`);
  return (
    <FormModal<FormValues, TScoreInput>
      title={t(`录入考核数据 · ${unitName}`, `Enter a value · ${unitName}`)}
      onClose={onClose}
      submit={(v) => performanceApi.enterInput({ yearId, unitId, ...v })}
      invalidate={[SCORES_KEY]}
      success={t('已保存，得分已重新计算', 'Saved; scores recomputed')}
      errorFields={['indicatorId', 'period', 'value', 'reason']}
      okText={t('保存', 'Save')}
      okTestId="score-input-save"
      width={720}
      header={
        <Typography.Paragraph type="secondary">
          {t(
            '录入值将替换该月现有数据（来源记为“绩效办录入”），操作写入审计日志，得分立即重新计算。',
            'The value replaces the month’s current one (source: office entry); the change is audited and scores recompute.',
          )}
        </Typography.Paragraph>
      }
      initialValues={{ indicatorId: initialIndicatorId ?? undefined, period: months[0], value: null, reason: '' }}
      onValuesChange={(ch) => ch.indicatorId !== undefined && setIndicatorId(ch.indicatorId)}
    >
      <Form.Item
        name="indicatorId"
        label={t('指标', 'Indicator')}
        rules={[{ required: true, message: t('请选择指标', 'Pick an indicator') }]}
      >
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          options={leaves.map((l) => ({ value: l.indicatorId, label: `${l.code} ${l.name}` }))}
          data-testid="score-input-indicator"
        />
      </Form.Item>
      <Form.Item name="period" label={t('月份', 'Month')} rules={[{ required: true }]}>
        <Select options={months.map((m) => ({ value: m, label: m }))} data-testid="score-input-period" />
      </Form.Item>
      <Form.Item
        name="value"
        label={t(`数值${leaf?.unitOfMeasure ? `（${leaf.unitOfMeasure}）` : ''}`, 'Value')}
        rules={[{ required: true, message: t('请填写数值', 'Enter a value') }]}
      >
        <InputNumber style={{ width: 200 }} data-testid="score-input-value" />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t('依据 / 原因', 'Reason')}
        rules={[{ required: true, whitespace: true, message: t('请填写依据或原因', 'Give the reason') }]}
      >
        <Input
          maxLength={200}
          placeholder={t('如：第三方测评报告、年中考核结果', 'e.g. third-party survey report')}
          data-testid="score-input-reason"
        />
      </Form.Item>
      {indicatorId && (
        <Table<TScoreInput>
          size="small"
          rowKey="period"
          loading={history.isLoading}
          dataSource={history.data ?? []}
          pagination={false}
          title={() => t('已有数据', 'Current values')}
          columns={[
            { title: t('月份', 'Month'), dataIndex: 'period', width: 90 },
            {
              title: t('数值', 'Value'),
              dataIndex: 'value',
              width: 90,
              render: (v: number | null) => (v === null ? '—' : v),
            },
            { title: t('来源', 'Source'), width: 110, render: (_, r) => INPUT_SOURCE_LABEL[r.provenance.source]() },
            { title: t('录入人', 'By'), width: 100, render: (_, r) => r.provenance.enteredByName },
            { title: t('时间', 'At'), render: (_, r) => fmtTime(r.provenance.enteredAt) },
          ]}
        />
      )}
    </FormModal>
  );
}
