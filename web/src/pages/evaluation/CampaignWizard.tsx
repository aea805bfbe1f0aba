import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Steps, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import type { CampaignKind, TCampaign, TCampaignInput } from '@server/modules/evaluation/evaluation.schema';
import { errorText } from '../../lib/api';
import { applyFieldError } from '../../lib/forms';
import { t } from '../../lib/i18n';
import {
  EV_KEY,
  evaluationApi,
  useCategories,
  useConsultation,
  useEvaluators,
  useMappableLeaves,
  useYearSchemes,
  useQuestionnaires,
  useUnits,
} from './api';
import { KINDS, SAMPLED } from './evaluationData';

type Wizard = {
  kind: CampaignKind;
  title: string;
  /** A consultation's topic: the background of the decision consulted on. */
  background?: string;
  year: number;
  period: [Dayjs, Dayjs];
  anonymous: boolean;
  targetCategoryIds: number[];
  targetUnitIds: number[];
  questionnaireId: number;
  panelUserIds: number[];
  schemeId?: number;
  indicatorIds: number[];
  mode: 'mean' | 'satisfaction' | 'formula';
  levelWeights: number[];
  formula?: string;
  minSeconds: number;
  maxPerIp: number;
};

const STEP_FIELDS: (keyof Wizard)[][] = [
  ['kind', 'title', 'background', 'year', 'period', 'anonymous'],
  ['targetCategoryIds', 'targetUnitIds'],
  ['questionnaireId', 'panelUserIds'],
  ['schemeId', 'indicatorIds', 'mode', 'levelWeights', 'formula', 'minSeconds', 'maxPerIp'],
];

/** The wizard's values of a saved campaign (editing a draft). */
function valuesOf(c: TCampaign): Wizard {
  return {
    kind: c.kind,
    title: c.title,
    year: c.year,
    period: [dayjs(c.periodFrom), dayjs(c.periodTo)],
    anonymous: c.anonymous,
    targetCategoryIds: [],
    targetUnitIds: c.targetUnits.map((u) => u.id),
    questionnaireId: c.questionnaireId,
    panelUserIds: c.panel.map((p) => p.id),
    schemeId: c.mapping.schemeId ?? undefined,
    indicatorIds: c.mapping.indicatorIds,
    mode: c.mapping.mode,
    levelWeights: c.mapping.levelWeights,
    formula: c.mapping.formula ?? undefined,
    minSeconds: c.quality.minSeconds,
    maxPerIp: c.quality.maxPerIp,
  };
}

/**
 * 新建 / 编辑评议活动: kind and period → targets → questionnaire and panel → mapping to indicator leaves and
 * quality rules. With `campaign` (a draft) it opens on the saved values and saves them (PUT); the server
 * refuses once the campaign is open or closed.
 */
export function CampaignWizard({ onClose, campaign }: { onClose(): void; campaign?: TCampaign }) {
  const [form] = Form.useForm<Wizard>();
  const [step, setStep] = useState(0);
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const nav = useNavigate();
  const kind = Form.useWatch('kind', form);
  const year = Form.useWatch('year', form);
  const mode = Form.useWatch('mode', form);
  const units = useUnits();
  const cats = useCategories();
  const qns = useQuestionnaires();
  const evaluators = useEvaluators(kind);
  const schemes = useYearSchemes(year);
  const chosenScheme = Form.useWatch('schemeId', form);
  const schemeId = chosenScheme ?? schemes.data?.find((s) => s.kind === 'annual')?.id;
  const leaves = useMappableLeaves(schemeId);
  const sampled = !kind || SAMPLED.includes(kind);
  const consultation = kind === 'consultation';
  // Editing a consultation: its saved background.
  const topic = useConsultation(campaign?.id ?? 0, campaign?.kind === 'consultation');
  useEffect(() => {
    if (topic.data) form.setFieldValue('background', topic.data.background);
  }, [topic.data, form]);
  const save = async () => {
    await form.validateFields(STEP_FIELDS[step]);
    const v = form.getFieldsValue(true) as Wizard;
    setBusy(true);
    try {
      const body: TCampaignInput = {
        kind: v.kind,
        title: v.title,
        year: v.year,
        periodFrom: v.period[0].format('YYYY-MM-DD'),
        periodTo: v.period[1].format('YYYY-MM-DD'),
        anonymous: v.anonymous,
        targetCategoryIds: v.targetCategoryIds ?? [],
        targetUnitIds: v.targetUnitIds ?? [],
        questionnaireId: v.questionnaireId,
        panelUserIds: sampled ? [] : (v.panelUserIds ?? []),
        mapping: {
          schemeId: v.schemeId ?? null,
          // A consultation feeds no indicator.
          indicatorIds: v.kind === 'consultation' ? [] : (v.indicatorIds ?? []),
          mode: v.mode,
          levelWeights: v.levelWeights,
          formula: v.mode === 'formula' ? (v.formula ?? null) : null,
        },
        quality: {
          minSeconds: v.minSeconds,
          maxPerIp: v.maxPerIp,
          maxPerDevice: campaign?.quality.maxPerDevice ?? 1,
          straightLineMin: campaign?.quality.straightLineMin ?? 5,
        },
      };
      const c = campaign
        ? await evaluationApi.updateCampaign(campaign.id, body)
        : await evaluationApi.createCampaign(body);
      if (v.kind === 'consultation') await evaluationApi.saveTopic(c.id, v.background ?? '');
      await qc.invalidateQueries({ queryKey: EV_KEY });
      message.success(campaign ? t('已保存修改', 'Changes saved') : t('评议活动已创建', 'Campaign created'));
      onClose();
      if (!campaign) void nav(`/evaluation/campaigns/${c.id}`);
    } catch (e) {
      const err = e as { field?: string };
      const at = STEP_FIELDS.findIndex((fs) =>
        fs.some(
          (f) =>
            err.field?.startsWith(f) ||
            (err.field?.startsWith('period') && f === 'period') ||
            (err.field?.startsWith('mapping') && f === 'indicatorIds'),
        ),
      );
      if (at >= 0) setStep(at);
      if (!applyFieldError(form, e)) message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const now = dayjs();
  return (
    <Modal
      open
      width={820}
      title={
        campaign ? t(`编辑评议活动：${campaign.title}`, `Edit ${campaign.title}`) : t('新建评议活动', 'New campaign')
      }
      onCancel={onClose}
      footer={
        <Space>
          {step > 0 && <Button onClick={() => setStep(step - 1)}>{t('上一步', 'Back')}</Button>}
          {step < 3 ? (
            <Button
              type="primary"
              data-testid="wiz-next"
              onClick={async () => {
                await form.validateFields(STEP_FIELDS[step]);
                setStep(step + 1);
              }}
            >
              {t('下一步', 'Next')}
            </Button>
          ) : (
            <Button type="primary" loading={busy} onClick={save} data-testid="wiz-save">
              {campaign ? t('保存', 'Save') : t('创建', 'Create')}
            </Button>
          )}
        </Space>
      }
    >
      <Steps
        current={step}
        size="small"
        style={{ marginBottom: 16 }}
        items={[
          { title: t('基本信息', 'Basics') },
          { title: consultation ? t('承办单位', 'Department') : t('被评价单位', 'Targets') },
          { title: consultation ? t('问卷与参与人', 'Questionnaire') : t('问卷与评价人', 'Questionnaire') },
          { title: consultation ? t('答卷规则', 'Answer rules') : t('结果折算', 'Mapping') },
        ]}
      />
      {campaign?.sampling && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={t(
            '已抽取样本：修改评议类型、被评价单位或统计期会作废样本，需要重新抽取。',
            'A sample is drawn: changing the kind, targets or period discards it (draw again).',
          )}
        />
      )}
      <Form
        form={form}
        layout="vertical"
        preserve
        initialValues={
          campaign
            ? valuesOf(campaign)
            : {
                kind: 'public_survey',
                year: now.year(),
                period: [now.startOf('year'), now.endOf('month')],
                anonymous: true,
                mode: 'mean',
                levelWeights: [1, 1, 1, 0, 0],
                minSeconds: 20,
                maxPerIp: 5,
                targetCategoryIds: [],
                targetUnitIds: [],
                panelUserIds: [],
                indicatorIds: [],
              }
        }
      >
        <div style={{ display: step === 0 ? undefined : 'none' }}>
          <Form.Item name="kind" label={t('评议类型', 'Kind')} rules={[{ required: true }]}>
            <Select
              data-testid="wiz-kind"
              options={Object.entries(KINDS).map(([value, l]) => ({ value, label: l() }))}
            />
          </Form.Item>
          <Form.Item
            name="title"
            label={
              consultation ? t('协商议题（拟决策事项）', 'Topic (the decision consulted on)') : t('活动名称', 'Title')
            }
            rules={[{ required: true, message: t('请填写活动名称', 'Enter a title') }]}
          >
            <Input data-testid="wiz-title" />
          </Form.Item>
          {consultation && (
            <Form.Item
              name="background"
              label={t('议题背景', 'Background')}
              extra={t(
                '向参与者说明拟决策事项的背景和方案要点，显示在问卷上方和公开页面。',
                'Shown above the questionnaire and on the public page.',
              )}
              rules={[{ max: 5000 }]}
            >
              <Input.TextArea rows={4} showCount maxLength={5000} data-testid="wiz-background" />
            </Form.Item>
          )}
          <Space>
            <Form.Item name="year" label={t('考核年度', 'Year')} rules={[{ required: true }]}>
              <InputNumber min={2000} max={2100} />
            </Form.Item>
            <Form.Item
              name="period"
              label={consultation ? t('征求意见期', 'Consultation period') : t('统计期', 'Period')}
              rules={[{ required: true }]}
            >
              <DatePicker.RangePicker data-testid="wiz-period" />
            </Form.Item>
            <Form.Item name="anonymous" label={t('匿名', 'Anonymous')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        </div>
        <div style={{ display: step === 1 ? undefined : 'none' }}>
          <Form.Item name="targetCategoryIds" label={t('按单位类别', 'By category')}>
            <Select
              mode="multiple"
              allowClear
              options={(cats.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              data-testid="wiz-categories"
            />
          </Form.Item>
          <Form.Item
            name="targetUnitIds"
            label={consultation ? t('承办单位（决策部门）', 'Responsible department') : t('或指定单位', 'Or units')}
            extra={t(
              '两者合并；互评时每个单位不评价自己。',
              'Both are combined; in mutual evaluation a unit never rates itself.',
            )}
          >
            <Select
              mode="multiple"
              allowClear
              showSearch
              optionFilterProp="label"
              options={(units.data ?? [])
                .filter((u) => u.active && u.kind !== 'district')
                .map((u) => ({ value: u.id, label: u.name }))}
              data-testid="wiz-units"
            />
          </Form.Item>
        </div>
        <div style={{ display: step === 2 ? undefined : 'none' }}>
          <Form.Item
            name="questionnaireId"
            label={t('问卷', 'Questionnaire')}
            rules={[{ required: true, message: t('请选择问卷', 'Choose a questionnaire') }]}
          >
            <Select
              data-testid="wiz-questionnaire"
              showSearch
              optionFilterProp="label"
              options={(qns.data ?? [])
                .filter((q) => q.latest)
                .map((q) => ({ value: q.id, label: `${q.title}（v${q.version}）` }))}
            />
          </Form.Item>
          {consultation && (
            <p style={{ color: '#888' }}>
              {t(
                '公众通过现场扫码或公开链接参与；也可邀请代表、委员等参与人在系统内作答（可不选）。',
                'The public answers through the QR code / open link; invited participants (optional) answer in the app.',
              )}
            </p>
          )}
          {sampled ? (
            <p style={{ color: '#888' }}>
              {t(
                '抽样调查：创建后在「样本」中从已办结诉求或导入的名单分层随机抽样。',
                'A sampled survey: draw the sample after creating it.',
              )}
            </p>
          ) : (
            <Form.Item
              name="panelUserIds"
              label={
                kind === 'mutual'
                  ? t('评价人（各单位领导）', 'Evaluators (unit leaders)')
                  : consultation
                    ? t('邀请参与人', 'Invited participants')
                    : t('评价人（代表、委员、监察员、领导）', 'Evaluators')
              }
            >
              <Select
                mode="multiple"
                showSearch
                optionFilterProp="label"
                options={(evaluators.data ?? []).map((u) => ({
                  value: u.id,
                  label: `${u.name}${u.unitName ? ` · ${u.unitName}` : ''}`,
                }))}
              />
            </Form.Item>
          )}
        </div>
        <div style={{ display: step === 3 ? undefined : 'none' }}>
          {consultation && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              message={t(
                '协商征求意见不写入考核指标：结束后填写意见汇总与采纳情况并向社会公开。',
                'A consultation feeds no indicator: after closing, write the summary and publish it.',
              )}
            />
          )}
          <div style={{ display: consultation ? 'none' : undefined }}>
            <Form.Item
              name="schemeId"
              label={t('考核方案', 'Scheme')}
              extra={t(
                '默认为年度综合考核；专项考核的评议指标也可由此写入。',
                'The annual scheme unless a special one is chosen.',
              )}
            >
              <Select
                allowClear
                data-testid="wiz-scheme"
                placeholder={t('年度综合考核', 'Annual scheme')}
                options={(schemes.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
                onChange={() => form.setFieldValue('indicatorIds', [])}
              />
            </Form.Item>
            <Form.Item
              name="indicatorIds"
              label={t('对应考核指标（末级）', 'Indicator leaves fed')}
              extra={t(
                '结束评议时，按下面的方式把各单位结果写入这些指标的取值。',
                'Closing writes each unit’s mapped result into these leaves.',
              )}
            >
              <Select
                mode="multiple"
                allowClear
                showSearch
                optionFilterProp="label"
                data-testid="wiz-leaves"
                options={(leaves.data ?? []).map((l) => ({ value: l.id, label: `${l.code} ${l.name}` }))}
              />
            </Form.Item>
            <Form.Item name="mode" label={t('折算方式', 'Mapping')}>
              <Select
                options={[
                  { value: 'mean', label: t('百分制平均分', 'Mean on 100 points') },
                  { value: 'satisfaction', label: t('满意率（按等级权重）', 'Satisfaction rate (level weights)') },
                  { value: 'formula', label: t('公式', 'Formula') },
                ]}
              />
            </Form.Item>
            {mode === 'satisfaction' && (
              <Form.Item label={t('等级权重（非常满意 → 非常不满意）', 'Level weights')}>
                <Space>
                  {[0, 1, 2, 3, 4].map((i) => (
                    <Form.Item key={i} name={['levelWeights', i]} noStyle>
                      <InputNumber min={0} max={1} step={0.1} style={{ width: 70 }} />
                    </Form.Item>
                  ))}
                </Space>
              </Form.Item>
            )}
            {mode === 'formula' && (
              <Form.Item
                name="formula"
                label={t(
                  '公式（可用 mean、rate、n、invited、responseRate）',
                  'Formula (mean, rate, n, invited, responseRate)',
                )}
                rules={[{ required: true }]}
              >
                <Input placeholder="if(mean >= 85, 0, if(mean >= 75, 1, 2))" />
              </Form.Item>
            )}
          </div>
          <Space>
            <Form.Item name="minSeconds" label={t('最短作答时间（秒）', 'Minimum answering time (s)')}>
              <InputNumber min={0} max={3600} />
            </Form.Item>
            <Form.Item name="maxPerIp" label={t('同一地址答卷上限', 'Responses per address')}>
              <InputNumber min={1} max={10000} />
            </Form.Item>
          </Space>
        </div>
      </Form>
    </Modal>
  );
}
