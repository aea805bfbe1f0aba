import { DeleteOutlined, ExperimentOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, InputNumber, Radio, Select, Space, Table, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import type { MethodKind, TScoringMethod } from '@server/engine/methods.schema';
import { ApiError } from '../../lib/api';
import { t } from '../../lib/i18n';
import { defaultMethod, fmt, formulaVariables, METHOD_KINDS, METHOD_LABEL } from './perfData';
import { performanceApi } from './api';

type Props = {
  value?: TScoringMethod | null;
  onChange?: (m: TScoringMethod | null) => void;
  /** The leaf's points, for sensible defaults. */
  points: number;
  /** Grade labels of the year (for veto caps). */
  grades: string[];
  disabled?: boolean;
};

const METHOD_HELP: Record<MethodKind, () => string> = {
  ratio: () =>
    t(
      '得分 = 分值 × 实际值 ÷ 目标值（逆向指标为目标值 ÷ 实际值），限定在[下限, 上限]比例内。',
      'Score = points × actual ÷ target (inverse for negative indicators), within [floor, cap].',
    ),
  bands: () =>
    t(
      '按完成率（1 = 100%）或原始值所在区间[下限, 上限)给分；开口端留空。',
      'Points by the band [min, max) the completion (1 = 100 %) or raw value falls in; leave open ends empty.',
    ),
  increments: () =>
    t(
      '完成目标得基础分；每超过一个步长加分，每低于一个步长减分，限定在[最低分, 最高分]。',
      'Base points on target; each full step over adds, each under subtracts, within [min, max].',
    ),
  rank: () =>
    t(
      '在同类别单位中按数值排名：第一名得满分，每后移一位减去名次分差，不低于最低分。',
      'Rank within the category: first gets full points, each place lower loses the step, not below the minimum.',
    ),
  benchmark: () =>
    t(
      '得分 = 分值 × (实际值 − 基准值) ÷ (标杆值 − 基准值)，限定在 0 至分值之间。',
      'Score = points × (value − baseline) ÷ (benchmark − baseline), clamped to [0, points].',
    ),
  qualitative: () =>
    t(
      '考评主体评定等次，每个等次对应分值的一定比例。',
      'The assessing body picks a grade; each grade is a share of the points.',
    ),
  deduction: () =>
    t(
      '从满分起，每发生一次扣除一定分值，最多扣至上限（扣完为止）。分值为 0 时为基础分之外的扣分项。',
      'Starts at full points; each occurrence deducts, up to the maximum. With 0 points it deducts outside the base.',
    ),
  bonus: () =>
    t(
      '从 0 起，每发生一次加分，最多加到上限（基础分之外加分）。',
      'Starts at 0; each occurrence adds, up to the maximum (outside the base).',
    ),
  veto: () =>
    t(
      '发生即触发：限定单位年度等次不高于指定等次，或得分记为 0。',
      'Any occurrence caps the unit’s grade or zeroes its total.',
    ),
  formula: () =>
    t(
      '可用变量：value（实际值）、target（目标值）、challenge（挑战值）、points（分值）、填报表单字段名、其他指标编码；函数：if、min、max、sum、avg、abs、round、ifnull。',
      'Variables: value, target, challenge, points, form field names, other indicator codes; functions: if, min, max, sum, avg, abs, round, ifnull.',
    ),
};

function Field({ label, children, help }: { label: string; children: ReactNode; help?: string }) {
  return (
    <div style={{ display: 'inline-flex', flexDirection: 'column', marginRight: 16, marginBottom: 8 }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {label}
      </Typography.Text>
      {children}
      {help && (
        <Typography.Text type="secondary" style={{ fontSize: 11 }}>
          {help}
        </Typography.Text>
      )}
    </div>
  );
}

/** The scoring-method editor of a leaf: the kind, then that kind's parameters. */
export function MethodEditor({ value, onChange, points, grades, disabled }: Props) {
  const m = value ?? null;
  const set = (patch: Partial<TScoringMethod>) => m && onChange?.({ ...m, ...patch } as TScoringMethod);
  const num = (v: number | null, fallback = 0) => (v === null || Number.isNaN(v) ? fallback : v);

  const params = (): ReactNode => {
    if (!m) return null;
    switch (m.kind) {
      case 'ratio':
        return (
          <>
            <Field
              label={t('上限比例', 'Cap')}
              help={t('1 = 100%，1.2 允许超额 20%', '1 = 100 %, 1.2 credits 20 % over')}
            >
              <InputNumber
                value={m.cap}
                min={0}
                max={10}
                step={0.1}
                disabled={disabled}
                onChange={(v) => set({ cap: num(v, 1) })}
                data-testid="method-cap"
              />
            </Field>
            <Field
              label={t('下限比例', 'Floor')}
              help={t('有数据时的最低得分比例', 'Minimum share once any value exists')}
            >
              <InputNumber
                value={m.floor}
                min={0}
                max={1}
                step={0.1}
                disabled={disabled}
                onChange={(v) => set({ floor: num(v) })}
              />
            </Field>
          </>
        );
      case 'bands':
        return (
          <>
            <Field label={t('比较对象', 'Compare')}>
              <Radio.Group
                value={m.on}
                disabled={disabled}
                onChange={(e) => set({ on: e.target.value as 'value' | 'completion' })}
                options={[
                  { value: 'completion', label: t('完成率（实际÷目标）', 'Completion (actual ÷ target)') },
                  { value: 'value', label: t('原始值', 'Raw value') },
                ]}
              />
            </Field>
            <Table
              size="small"
              pagination={false}
              rowKey={(_, i) => String(i)}
              dataSource={m.bands}
              data-testid="method-bands"
              columns={[
                {
                  title: t('下限（含）', 'Min (incl.)'),
                  render: (_, b, i) => (
                    <InputNumber
                      value={b.min}
                      placeholder={t('不限', 'open')}
                      disabled={disabled}
                      onChange={(v) => set({ bands: m.bands.map((x, k) => (k === i ? { ...x, min: v } : x)) })}
                    />
                  ),
                },
                {
                  title: t('上限（不含）', 'Max (excl.)'),
                  render: (_, b, i) => (
                    <InputNumber
                      value={b.max}
                      placeholder={t('不限', 'open')}
                      disabled={disabled}
                      onChange={(v) => set({ bands: m.bands.map((x, k) => (k === i ? { ...x, max: v } : x)) })}
                    />
                  ),
                },
                {
                  title: t('得分', 'Points'),
                  render: (_, b, i) => (
                    <InputNumber
                      value={b.points}
                      disabled={disabled}
                      onChange={(v) => set({ bands: m.bands.map((x, k) => (k === i ? { ...x, points: num(v) } : x)) })}
                    />
                  ),
                },
                {
                  width: 48,
                  render: (_, _b, i) =>
                    m.bands.length > 1 && !disabled ? (
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('删除', 'Remove')}
                        onClick={() => set({ bands: m.bands.filter((_x, k) => k !== i) })}
                      />
                    ) : null,
                },
              ]}
            />
            {!disabled && m.bands.length < 50 && (
              <Button
                type="dashed"
                size="small"
                icon={<PlusOutlined />}
                style={{ marginTop: 8 }}
                onClick={() => set({ bands: [...m.bands, { min: null, max: null, points: 0 }] })}
              >
                {t('添加区间', 'Add band')}
              </Button>
            )}
          </>
        );
      case 'increments':
        return (
          <>
            <Field label={t('基础分', 'Base')}>
              <InputNumber value={m.base} disabled={disabled} onChange={(v) => set({ base: num(v) })} />
            </Field>
            <Field label={t('偏差计算', 'Deviation')}>
              <Select
                value={m.deviation}
                disabled={disabled}
                style={{ width: 170 }}
                onChange={(v) => set({ deviation: v })}
                options={[
                  { value: 'relative', label: t('相对目标的百分比', '% of the target') },
                  { value: 'absolute', label: t('绝对差（原单位）', 'Absolute difference') },
                ]}
              />
            </Field>
            <Field label={t('步长', 'Step')}>
              <InputNumber
                value={m.stepPercent}
                min={0.0001}
                disabled={disabled}
                onChange={(v) => set({ stepPercent: num(v, 1) })}
              />
            </Field>
            <Field label={t('每步加分', 'Points per step over')}>
              <InputNumber
                value={m.stepPoints}
                min={0}
                disabled={disabled}
                onChange={(v) => set({ stepPoints: num(v) })}
              />
            </Field>
            <Field label={t('每步减分', 'Points per step under')}>
              <InputNumber
                value={m.stepPointsUnder}
                min={0}
                disabled={disabled}
                onChange={(v) => set({ stepPointsUnder: num(v) })}
              />
            </Field>
            <Field label={t('最低分', 'Min')}>
              <InputNumber value={m.min} disabled={disabled} onChange={(v) => set({ min: num(v) })} />
            </Field>
            <Field label={t('最高分', 'Max')}>
              <InputNumber value={m.max} disabled={disabled} onChange={(v) => set({ max: num(v, points) })} />
            </Field>
          </>
        );
      case 'rank':
        return (
          <>
            <Field label={t('名次分差', 'Points per place')}>
              <InputNumber
                value={m.stepPoints}
                min={0}
                step={0.1}
                disabled={disabled}
                onChange={(v) => set({ stepPoints: num(v) })}
              />
            </Field>
            <Field label={t('最低得分', 'Minimum points')}>
              <InputNumber
                value={m.minPoints}
                min={0}
                disabled={disabled}
                onChange={(v) => set({ minPoints: num(v) })}
              />
            </Field>
          </>
        );
      case 'benchmark':
        return (
          <>
            <Field label={t('基准值（得 0 分）', 'Baseline (0 points)')}>
              <InputNumber value={m.baseline} disabled={disabled} onChange={(v) => set({ baseline: num(v) })} />
            </Field>
            <Field label={t('标杆值（得满分）', 'Benchmark (full points)')}>
              <InputNumber value={m.benchmark} disabled={disabled} onChange={(v) => set({ benchmark: num(v) })} />
            </Field>
          </>
        );
      case 'qualitative':
        return (
          <>
            <Table
              size="small"
              pagination={false}
              rowKey={(_, i) => String(i)}
              dataSource={m.grades}
              data-testid="method-grades"
              columns={[
                {
                  title: t('等次', 'Grade'),
                  render: (_, g, i) => (
                    <Input
                      value={g.label}
                      maxLength={20}
                      disabled={disabled}
                      onChange={(e) =>
                        set({ grades: m.grades.map((x, k) => (k === i ? { ...x, label: e.target.value } : x)) })
                      }
                    />
                  ),
                },
                {
                  title: t('得分比例（0–1）', 'Share (0–1)'),
                  render: (_, g, i) => (
                    <InputNumber
                      value={g.share}
                      min={0}
                      max={1}
                      step={0.05}
                      disabled={disabled}
                      onChange={(v) => set({ grades: m.grades.map((x, k) => (k === i ? { ...x, share: num(v) } : x)) })}
                    />
                  ),
                },
                { title: t('折合分值', 'Points'), render: (_, g) => fmt(g.share * points) },
                {
                  width: 48,
                  render: (_, _g, i) =>
                    m.grades.length > 1 && !disabled ? (
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('删除', 'Remove')}
                        onClick={() => set({ grades: m.grades.filter((_x, k) => k !== i) })}
                      />
                    ) : null,
                },
              ]}
            />
            {!disabled && m.grades.length < 10 && (
              <Button
                type="dashed"
                size="small"
                icon={<PlusOutlined />}
                style={{ marginTop: 8 }}
                onClick={() => set({ grades: [...m.grades, { label: '', share: 0 }] })}
              >
                {t('添加等次', 'Add grade')}
              </Button>
            )}
          </>
        );
      case 'deduction':
      case 'bonus':
        return (
          <>
            <Field
              label={
                m.kind === 'deduction' ? t('每次扣分', 'Points per occurrence') : t('每次加分', 'Points per occurrence')
              }
            >
              <InputNumber
                value={m.perOccurrence}
                min={0}
                step={0.5}
                disabled={disabled}
                onChange={(v) => set({ perOccurrence: num(v) })}
              />
            </Field>
            <Field label={m.kind === 'deduction' ? t('最多扣分', 'Maximum total') : t('最多加分', 'Maximum total')}>
              <InputNumber
                value={m.maxTotal}
                min={0}
                disabled={disabled}
                onChange={(v) => set({ maxTotal: num(v) })}
                data-testid="method-max-total"
              />
            </Field>
          </>
        );
      case 'veto':
        return (
          <>
            <Field label={t('否决效果', 'Effect')}>
              <Radio.Group
                value={m.effect}
                disabled={disabled}
                onChange={(e) =>
                  set({
                    effect: e.target.value as 'cap_grade' | 'zero_score',
                    capGrade: e.target.value === 'cap_grade' ? (m.capGrade ?? grades[grades.length - 2]) : undefined,
                  })
                }
                options={[
                  { value: 'cap_grade', label: t('限定最高等次', 'Cap the grade') },
                  { value: 'zero_score', label: t('得分记为 0', 'Zero the score') },
                ]}
              />
            </Field>
            {m.effect === 'cap_grade' && (
              <Field label={t('最高等次', 'Best grade allowed')}>
                <Select
                  value={m.capGrade}
                  disabled={disabled}
                  style={{ width: 140 }}
                  onChange={(v) => set({ capGrade: v })}
                  options={grades.map((g) => ({ value: g, label: g }))}
                />
              </Field>
            )}
          </>
        );
      case 'formula':
        return (
          <FormulaEditor
            expression={m.expression}
            disabled={disabled}
            points={points}
            onChange={(expression) => set({ expression })}
          />
        );
    }
  };

  return (
    <div data-testid="method-editor">
      <Space align="center" style={{ marginBottom: 8 }} wrap>
        <Select<MethodKind | ''>
          value={m?.kind ?? ''}
          style={{ width: 200 }}
          disabled={disabled}
          showSearch={{ optionFilterProp: 'label' }}
          listHeight={360}
          data-testid="method-kind"
          onChange={(k) => onChange?.(k ? defaultMethod(k, points, grades) : null)}
          options={[
            { value: '', label: t('（未设置）', '(not set)') },
            ...METHOD_KINDS.map((k) => ({ value: k, label: METHOD_LABEL[k]() })),
          ]}
        />
        {m && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {METHOD_HELP[m.kind]()}
          </Typography.Text>
        )}
      </Space>
      <div>{params()}</div>
    </div>
  );
}

type EvalResult = { value: number } | { error: string; position: number | null };

/** Formula textarea with a 试算 panel: values for the variables, evaluated by the server's formula engine. */
function FormulaEditor({
  expression,
  onChange,
  disabled,
  points,
}: {
  expression: string;
  onChange: (e: string) => void;
  disabled?: boolean;
  points: number;
}) {
  const vars = useMemo(() => formulaVariables(expression), [expression]);
  const [values, setValues] = useState<Record<string, number | null>>({
    points,
    target: 100,
    value: 90,
    challenge: 110,
  });
  const [result, setResult] = useState<EvalResult | null>(null);
  const [busy, setBusy] = useState(false);

  const test = async () => {
    setBusy(true);
    try {
      const variables: Record<string, number> = {};
      for (const v of vars) if (values[v] !== null && values[v] !== undefined) variables[v] = values[v] as number;
      const r = await performanceApi.evaluateFormula(expression, variables);
      setResult({ value: r.value });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const pos = /第\s*(\d+)\s*个字符/.exec(msg) ?? /character\s+(\d+)/i.exec(msg);
      setResult({
        error:
          e instanceof ApiError && e.status === 404
            ? t('试算服务暂不可用', 'The formula service is not available')
            : msg,
        position: pos ? Number(pos[1]) - 1 : null,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <Input.TextArea
        value={expression}
        onChange={(e) => {
          onChange(e.target.value);
          setResult(null);
        }}
        autoSize={{ minRows: 2, maxRows: 6 }}
        maxLength={2000}
        disabled={disabled}
        style={{ fontFamily: 'monospace' }}
        data-testid="method-expression"
      />
      <Card size="small" style={{ marginTop: 8, background: '#fafafa' }} title={t('试算', 'Try it')}>
        <Space wrap>
          {vars.map((v) => (
            <Field key={v} label={v}>
              <InputNumber
                value={values[v] ?? null}
                onChange={(x) => setValues({ ...values, [v]: x })}
                data-testid={`formula-var-${v}`}
              />
            </Field>
          ))}
          <Button
            icon={<ExperimentOutlined />}
            onClick={() => void test()}
            loading={busy}
            disabled={!expression.trim()}
            data-testid="formula-test"
          >
            {t('试算', 'Evaluate')}
          </Button>
        </Space>
        {result && (
          <div data-testid="formula-result" style={{ marginTop: 8 }}>
            {'value' in result ? (
              <Alert
                type="success"
                showIcon
                title={t(`计算结果：${fmt(result.value)}`, `Result: ${fmt(result.value)}`)}
              />
            ) : (
              <Alert
                type="error"
                showIcon
                title={result.error}
                description={
                  result.position !== null && result.position <= expression.length ? (
                    <pre style={{ margin: 0, fontFamily: 'monospace', whiteSpace: 'pre-wrap' }}>
                      {expression}
                      {'\n'}
                      {' '.repeat(result.position)}^
                    </pre>
                  ) : undefined
                }
              />
            )}
          </div>
        )}
      </Card>
    </div>
  );
}
