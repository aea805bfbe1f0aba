import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  ExperimentOutlined,
  PlusOutlined,
  SaveOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { YearRulesCard } from './YearRulesCard';
import { FormFields, type Values } from './FormFields';
import { type TForm, type TFormDefinition, type TFormField, type TFormSummary } from './reportingData';
import { reportingApi, useForm, useForms } from './api';

const TYPES: { value: TFormField['type']; label: () => string }[] = [
  { value: 'integer', label: () => t('整数', 'Integer') },
  { value: 'decimal', label: () => t('小数', 'Decimal') },
  { value: 'percent', label: () => t('百分比', 'Percent') },
  { value: 'money', label: () => t('金额', 'Money') },
  { value: 'date', label: () => t('日期', 'Date') },
  { value: 'text', label: () => t('文本', 'Text') },
  { value: 'single_choice', label: () => t('单选', 'Single choice') },
  { value: 'multi_choice', label: () => t('多选', 'Multiple choice') },
  { value: 'file', label: () => t('附件', 'File') },
];
const NUMERIC = new Set(['integer', 'decimal', 'percent', 'money']);

const newField = (n: number): TFormField => ({
  key: `field${n}`,
  label: t(`字段${n}`, `Field ${n}`),
  type: 'decimal',
  required: false,
  min: null,
  max: null,
  unit: '',
  help: '',
  cumulative: false,
  options: [],
});

/** 表单设计: the office designs each leaf's data-entry form and deadline for the year. */
export function FormDesignerPage() {
  const list = useForms();
  const [selected, setSelected] = useState<number | null>(null);
  useEffect(() => {
    if (!selected && list.data?.length) setSelected(list.data[0].indicatorId);
  }, [list.data, selected]);
  if (list.error) return <Alert type="error" showIcon title={errorText(list.error)} />;
  return (
    <Row gutter={16}>
      <Col xs={24} xl={9}>
        <YearRulesCard />
        <Card title={t('需要填报的末级指标', 'Leaves with data entry')} size="small">
          <Table<TFormSummary>
            size="small"
            rowKey="indicatorId"
            loading={list.isLoading}
            dataSource={list.data ?? []}
            pagination={false}
            onRow={(r) => ({
              onClick: () => setSelected(r.indicatorId),
              style: { cursor: 'pointer', background: r.indicatorId === selected ? '#fff1f0' : undefined },
            })}
            data-testid="forms-list"
            columns={[
              { title: t('指标', 'Indicator'), render: (_, r) => <span>{`${r.code} ${r.name}`}</span> },
              {
                title: t('来源', 'Source'),
                width: 70,
                render: (_, r) =>
                  r.dataSource === 'third_party' ? (
                    <Tag color="cyan">{t('第三方', '3rd')}</Tag>
                  ) : (
                    <Tag>{t('自报', 'Self')}</Tag>
                  ),
              },
              {
                title: t('表单', 'Form'),
                width: 80,
                render: (_, r) =>
                  r.designed ? <Tag color="green">v{r.version}</Tag> : <Tag>{t('默认', 'Default')}</Tag>,
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={15}>
        {selected ? <FormEditor key={selected} indicatorId={selected} /> : <Empty />}
      </Col>
    </Row>
  );
}

function FormEditor({ indicatorId }: { indicatorId: number }) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const form = useForm(indicatorId);
  const [def, setDef] = useState<TFormDefinition | null>(null);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [preview, setPreview] = useState<Values>({});
  useEffect(() => {
    if (form.data) setDef(structuredClone(form.data.definition));
  }, [form.data]);

  const save = useMutation({
    mutationFn: () => reportingApi.saveForm(indicatorId, def!),
    onSuccess: async (f) => {
      qc.setQueryData(['reporting', 'form', indicatorId], f);
      setError(null);
      message.success(t(`表单已保存（第 ${f.version} 版）`, `Saved (version ${f.version})`));
      await qc.invalidateQueries({ queryKey: ['reporting', 'forms'] });
    },
    onError: (e) => setError({ field: e instanceof ApiError ? e.field : undefined, message: errorText(e) }),
  });
  const reset = useMutation({
    mutationFn: () => reportingApi.resetForm(indicatorId),
    onSuccess: async (f) => {
      qc.setQueryData(['reporting', 'form', indicatorId], f);
      await qc.invalidateQueries({ queryKey: ['reporting', 'forms'] });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const deadline = useMutation({
    mutationFn: (v: { mode: 'year' } | { mode: 'day'; day: number } | { mode: 'working_days'; workingDays: number }) =>
      v.mode === 'year' ? reportingApi.clearDeadline(indicatorId) : reportingApi.setDeadline(indicatorId, v),
    onSuccess: async (f) => {
      qc.setQueryData(['reporting', 'form', indicatorId], { ...f, definition: form.data?.definition ?? f.definition });
      message.success(t('截止规则已更新', 'Deadline updated'));
      await qc.invalidateQueries({ queryKey: ['reporting', 'forms'] });
    },
    onError: (e) => message.error(errorText(e)),
  });

  if (form.error) return <Alert type="error" showIcon title={errorText(form.error)} />;
  if (!def || !form.data) return <Card loading />;
  const f = form.data;
  const setField = (i: number, patch: Partial<TFormField>) =>
    setDef({ ...def, fields: def.fields.map((x, k) => (k === i ? { ...x, ...patch } : x)) });
  const move = (i: number, d: number) => {
    const fields = [...def.fields];
    const [x] = fields.splice(i, 1);
    fields.splice(i + d, 0, x);
    setDef({ ...def, fields });
  };
  const bad = (path: string) => (error?.field === path ? 'error' : undefined);
  const numericKeys = def.fields.filter((x) => NUMERIC.has(x.type)).map((x) => x.key);

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Card
        size="small"
        title={`${f.code} ${f.name}`}
        extra={
          <Space>
            {f.designed && (
              <Button icon={<UndoOutlined />} onClick={() => reset.mutate()}>
                {t('恢复默认表单', 'Back to default')}
              </Button>
            )}
            <Button
              type="primary"
              icon={<SaveOutlined />}
              loading={save.isPending}
              onClick={() => save.mutate()}
              data-testid="form-save"
            >
              {t('保存表单', 'Save form')}
            </Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {f.designed
            ? t(`已设计（第 ${f.version} 版）`, `Designed (version ${f.version})`)
            : t('尚未设计：使用默认的单值表单', 'Not designed: the default one-value form applies')}
          {' · '}
          {t('计量单位', 'Unit')}：{f.unitOfMeasure || '—'} · {t('汇总方式', 'Aggregate')}：
          {f.aggregate === 'sum'
            ? t('逐月累加', 'sum of months')
            : f.aggregate === 'last'
              ? t('取最新月份值（累计值）', 'latest month')
              : t('月度平均', 'average')}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 8 }} />}
        <Space orientation="vertical" style={{ width: '100%' }}>
          {def.fields.map((x, i) => (
            <Card key={i} size="small" type="inner" data-testid={`designer-field-${i}`}>
              <Row gutter={8}>
                <Col span={5}>
                  <Input
                    addonBefore={t('编码', 'Key')}
                    value={x.key}
                    status={bad(`fields.${i}.key`)}
                    onChange={(e) => setField(i, { key: e.target.value })}
                  />
                </Col>
                <Col span={7}>
                  <Input
                    addonBefore={t('名称', 'Label')}
                    value={x.label}
                    onChange={(e) => setField(i, { label: e.target.value })}
                  />
                </Col>
                <Col span={5}>
                  <Select
                    style={{ width: '100%' }}
                    value={x.type}
                    onChange={(type) => setField(i, { type })}
                    options={TYPES.map((o) => ({ value: o.value, label: o.label() }))}
                  />
                </Col>
                <Col span={4}>
                  <Input
                    addonBefore={t('单位', 'Unit')}
                    value={x.unit}
                    onChange={(e) => setField(i, { unit: e.target.value })}
                  />
                </Col>
                <Col span={3} style={{ textAlign: 'right' }}>
                  <Space size={0}>
                    <Button
                      size="small"
                      type="text"
                      icon={<ArrowUpOutlined />}
                      disabled={i === 0}
                      onClick={() => move(i, -1)}
                    />
                    <Button
                      size="small"
                      type="text"
                      icon={<ArrowDownOutlined />}
                      disabled={i === def.fields.length - 1}
                      onClick={() => move(i, 1)}
                    />
                    <Button
                      size="small"
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      disabled={def.fields.length === 1}
                      onClick={() => setDef({ ...def, fields: def.fields.filter((_, k) => k !== i) })}
                    />
                  </Space>
                </Col>
              </Row>
              <Row gutter={8} style={{ marginTop: 8 }}>
                <Col span={4}>
                  <Space>
                    <Switch size="small" checked={x.required} onChange={(v) => setField(i, { required: v })} />{' '}
                    {t('必填', 'Required')}
                  </Space>
                </Col>
                {NUMERIC.has(x.type) && (
                  <>
                    <Col span={5}>
                      <InputNumber
                        style={{ width: '100%' }}
                        addonBefore={t('最小', 'Min')}
                        value={x.min}
                        status={bad(`fields.${i}.min`)}
                        onChange={(v) => setField(i, { min: v ?? null })}
                      />
                    </Col>
                    <Col span={5}>
                      <InputNumber
                        style={{ width: '100%' }}
                        addonBefore={t('最大', 'Max')}
                        value={x.max}
                        onChange={(v) => setField(i, { max: v ?? null })}
                      />
                    </Col>
                    <Col span={4}>
                      <Space>
                        <Switch size="small" checked={x.cumulative} onChange={(v) => setField(i, { cumulative: v })} />{' '}
                        {t('累计值', 'Cumulative')}
                      </Space>
                    </Col>
                  </>
                )}
                <Col flex="auto">
                  <Input
                    placeholder={t('填写说明（帮助文字）', 'Help text')}
                    value={x.help}
                    onChange={(e) => setField(i, { help: e.target.value })}
                  />
                </Col>
              </Row>
              {(x.type === 'single_choice' || x.type === 'multi_choice') && (
                <Select
                  mode="tags"
                  style={{ width: '100%', marginTop: 8 }}
                  status={bad(`fields.${i}.options`)}
                  placeholder={t(
                    '选项：输入“值=名称”后回车，如 done=已完成',
                    'Options: type value=label and press Enter',
                  )}
                  value={x.options.map((o) => `${o.value}=${o.label}`)}
                  onChange={(vals: string[]) =>
                    setField(i, {
                      options: vals.map((s) => {
                        const [v, ...rest] = s.split('=');
                        return { value: v.trim(), label: (rest.join('=') || v).trim() };
                      }),
                    })
                  }
                />
              )}
            </Card>
          ))}
          <Button
            icon={<PlusOutlined />}
            onClick={() => setDef({ ...def, fields: [...def.fields, newField(def.fields.length + 1)] })}
            data-testid="designer-add-field"
          >
            {t('添加字段', 'Add a field')}
          </Button>
        </Space>
      </Card>

      <Card size="small" title={t('计分取值', 'Value for scoring')}>
        <Radio.Group
          value={def.scoreFormula !== null ? 'formula' : 'field'}
          onChange={(e) =>
            setDef({
              ...def,
              scoreFormula: e.target.value === 'formula' ? (def.scoreFormula ?? '') : null,
              scoreField: e.target.value === 'field' ? (def.scoreField ?? numericKeys[0] ?? null) : def.scoreField,
            })
          }
        >
          <Radio value="field">{t('取某个数值字段', 'A numeric field')}</Radio>
          <Radio value="formula">{t('按公式计算', 'A formula over the fields')}</Radio>
        </Radio.Group>
        <div style={{ marginTop: 8 }}>
          {def.scoreFormula !== null ? (
            <Space.Compact style={{ width: '100%' }}>
              <Input
                status={bad('scoreFormula')}
                value={def.scoreFormula}
                placeholder="round(closed / received * 100, 1)"
                onChange={(e) => setDef({ ...def, scoreFormula: e.target.value })}
                data-testid="score-formula"
              />
              <Button icon={<ExperimentOutlined />} onClick={() => setTesting(def.scoreFormula)}>
                {t('测试', 'Test')}
              </Button>
            </Space.Compact>
          ) : (
            <Select
              style={{ width: 260 }}
              status={bad('scoreField')}
              value={def.scoreField ?? undefined}
              onChange={(v) => setDef({ ...def, scoreField: v })}
              options={numericKeys.map((k) => ({ value: k, label: def.fields.find((x) => x.key === k)?.label ?? k }))}
            />
          )}
        </div>
      </Card>

      <Card
        size="small"
        title={t('跨字段校验规则', 'Cross-field rules')}
        extra={
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setDef({ ...def, rules: [...def.rules, { expression: '', message: '' }] })}
          >
            {t('添加规则', 'Add a rule')}
          </Button>
        }
      >
        {!def.rules.length && (
          <Typography.Text type="secondary">
            {t(
              '规则是必须成立的表达式，例如 closed <= received；不成立时以提示语拒绝保存。',
              'A rule is an expression that must hold, e.g. closed <= received.',
            )}
          </Typography.Text>
        )}
        {def.rules.map((r, i) => (
          <Space.Compact key={i} style={{ width: '100%', marginBottom: 8 }}>
            <Input
              style={{ width: '45%' }}
              status={bad(`rules.${i}.expression`)}
              placeholder={t('表达式，如 closed <= received', 'Expression')}
              value={r.expression}
              onChange={(e) =>
                setDef({ ...def, rules: def.rules.map((x, k) => (k === i ? { ...x, expression: e.target.value } : x)) })
              }
              data-testid={`rule-expression-${i}`}
            />
            <Input
              placeholder={t('不成立时的提示', 'Message when false')}
              value={r.message}
              onChange={(e) =>
                setDef({ ...def, rules: def.rules.map((x, k) => (k === i ? { ...x, message: e.target.value } : x)) })
              }
            />
            <Button
              icon={<ExperimentOutlined />}
              onClick={() => setTesting(r.expression)}
              data-testid={`rule-test-${i}`}
            >
              {t('测试', 'Test')}
            </Button>
            <Button
              danger
              icon={<DeleteOutlined />}
              onClick={() => setDef({ ...def, rules: def.rules.filter((_, k) => k !== i) })}
            />
          </Space.Compact>
        ))}
      </Card>

      <DeadlineCard form={f} onChange={(v) => deadline.mutate(v)} />

      <Card size="small" title={t('填报预览', 'Preview')}>
        <FormFields def={def} values={preview} onChange={setPreview} />
      </Card>
      <RuleTestModal expression={testing} def={def} onClose={() => setTesting(null)} />
    </Space>
  );
}

function DeadlineCard({
  form,
  onChange,
}: {
  form: TForm;
  onChange: (
    v: { mode: 'year' } | { mode: 'day'; day: number } | { mode: 'working_days'; workingDays: number },
  ) => void;
}) {
  const [mode, setMode] = useState<'year' | 'day' | 'working_days'>(
    form.deadlineOverridden ? form.deadline.mode : 'year',
  );
  const [n, setN] = useState<number>(form.deadline.day ?? form.deadline.workingDays ?? 15);
  return (
    <Card size="small" title={t('报送截止规则', 'Deadline')}>
      <Space wrap>
        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)}>
          <Radio value="year">{t('按年度统一规则', "The year's rule")}</Radio>
          <Radio value="day">{t('次月第 N 日', 'Day N of next month')}</Radio>
          <Radio value="working_days">{t('月末后 N 个工作日', 'N working days after month end')}</Radio>
        </Radio.Group>
        {mode !== 'year' && (
          <InputNumber min={1} max={mode === 'day' ? 28 : 40} value={n} onChange={(v) => setN(v ?? 1)} />
        )}
        <Button
          onClick={() =>
            onChange(mode === 'year' ? { mode } : mode === 'day' ? { mode, day: n } : { mode, workingDays: n })
          }
        >
          {t('应用', 'Apply')}
        </Button>
        <Typography.Text type="secondary">
          {t('当前：', 'Now: ')}
          {form.deadline.mode === 'day'
            ? t(
                `次月 ${form.deadline.day} 日（遇节假日按年度规则顺延）`,
                `day ${form.deadline.day} (a day off moves as the year says)`,
              )
            : t(`月末后 ${form.deadline.workingDays} 个工作日`, `${form.deadline.workingDays} working days`)}
          {form.deadlineOverridden ? t('（本指标单独设置）', ' (own rule)') : t('（年度规则）', " (year's rule)")}
        </Typography.Text>
      </Space>
    </Card>
  );
}

function RuleTestModal({
  expression,
  def,
  onClose,
}: {
  expression: string | null;
  def: TFormDefinition;
  onClose: () => void;
}) {
  const [values, setValues] = useState<Record<string, number | null>>({});
  const test = useMutation({ mutationFn: () => reportingApi.testRule({ definition: def, expression, values }) });
  const { reset } = test;
  useEffect(() => reset(), [expression, reset]);
  return (
    <Modal open={expression !== null} title={t('测试表达式', 'Test the expression')} onCancel={onClose} footer={null}>
      <Typography.Paragraph code>{expression}</Typography.Paragraph>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {def.fields
          .filter((x) => NUMERIC.has(x.type))
          .map((x) => (
            <InputNumber
              key={x.key}
              style={{ width: '100%' }}
              addonBefore={`${x.label}（${x.key}）`}
              value={values[x.key] ?? null}
              onChange={(v) => setValues({ ...values, [x.key]: v })}
            />
          ))}
        <Button
          type="primary"
          icon={<ExperimentOutlined />}
          loading={test.isPending}
          onClick={() => test.mutate()}
          data-testid="rule-test-run"
        >
          {t('计算', 'Evaluate')}
        </Button>
        {test.data && (
          <Alert
            type={!test.data.ok ? 'error' : test.data.passed ? 'success' : 'warning'}
            showIcon
            title={test.data.message}
            data-testid="rule-test-result"
          />
        )}
        {test.error && <Alert type="error" showIcon title={errorText(test.error)} />}
      </Space>
    </Modal>
  );
}
