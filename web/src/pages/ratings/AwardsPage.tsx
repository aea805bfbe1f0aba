import { FileWordOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  Radio,
  Space,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { useState } from 'react';
import type { TCandidate, TRound } from '@server/modules/awards/awards.schema';
import { FormModal } from '../../components/FormModal';
import { ExportButton } from '../../components/TableTools';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { AWARDS_KEY, awardsApi, useAwardIndicatorTree, useAwardRounds } from './api';

type NewRound = { year: number; sharePercent: number; threshold?: number | null; indicatorId?: number | null };

/** 新建评选: the year, the 先进 share or threshold, and the 单项绩效奖 indicator picked from the year's tree. */
function NewRoundModal(props: { onClose(): void }) {
  const [form] = Form.useForm<NewRound>();
  const year = Form.useWatch('year', form);
  const tree = useAwardIndicatorTree(year);
  return (
    <FormModal<NewRound, TRound>
      form={form}
      title={t('新建评选（按年度考核结果计算候选）', 'New award round')}
      onClose={props.onClose}
      initialValues={{ year: new Date().getFullYear() - 1, sharePercent: 30 }}
      submit={(v) =>
        awardsApi.createRound({
          year: v.year,
          sharePercent: v.sharePercent,
          threshold: v.threshold ?? null,
          indicatorId: v.indicatorId ?? null,
        })
      }
      invalidate={[AWARDS_KEY]}
      success={t('已计算候选单位', 'Candidates computed')}
      onValuesChange={(changed) => {
        if ('year' in changed) form.setFieldValue('indicatorId', null);
      }}
    >
      <Form.Item name="year" label={t('年度', 'Year')} rules={[{ required: true }]}>
        <InputNumber min={2000} max={2100} />
      </Form.Item>
      <Form.Item name="sharePercent" label={t('先进比例（%）', 'Share (%)')}>
        <InputNumber min={1} max={100} />
      </Form.Item>
      <Form.Item name="threshold" label={t('或分数线（填写则按分数线）', 'Or a threshold')}>
        <InputNumber min={0} max={1000} />
      </Form.Item>
      <Form.Item
        name="indicatorId"
        label={t('单项绩效奖指标', 'Indicator of the single-indicator award')}
        extra={t(
          '从该年度指标体系中选择末级指标（或一级指标）；该指标得分全区最高的单位为候选。不选则不评单项奖。',
          'Pick a leaf (or level-1) indicator of the year; the unit with the best score on it is the candidate. Leave empty for none.',
        )}
      >
        <TreeSelect<number>
          allowClear
          showSearch
          treeDefaultExpandAll
          loading={tree.isLoading}
          treeNodeFilterProp="title"
          placeholder={
            tree.data?.length === 0 ? t('该年度没有指标', 'The year has no indicators') : t('选择指标', 'Choose')
          }
          treeData={tree.data ?? []}
          data-testid="award-indicator"
          popupMatchSelectWidth={false}
          styles={{ popup: { root: { maxHeight: 420, overflow: 'auto' } } }}
        />
      </Form.Item>
    </FormModal>
  );
}
const KIND: Record<TCandidate['kind'], () => string> = {
  advanced: () => t('先进单位', 'Advanced unit'),
  improvement: () => t('绩效改进奖', 'Most improved'),
  single: () => t('单项绩效奖', 'Single-indicator award'),
};
const DECISION: Record<TCandidate['decision'], { label: () => string; color: string }> = {
  pending: { label: () => t('待确认', 'Pending'), color: 'orange' },
  awarded: { label: () => t('授予', 'Awarded'), color: 'green' },
  declined: { label: () => t('不授予', 'Declined'), color: 'default' },
};

/** 评先评优: the year's award rounds, candidates with their basis, the office's decisions, publication and certificates. */
export function AwardsPage() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useAwardRounds();
  const [creating, setCreating] = useState(false);
  const [deciding, setDeciding] = useState<TCandidate | null>(null);
  const publish = useMutation({
    mutationFn: awardsApi.publish,
    onSuccess: () => qc.invalidateQueries({ queryKey: AWARDS_KEY }),
    onError: (e) => message.error(errorText(e)),
  });
  const rounds = [...(q.data ?? [])].reverse();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('评先评优', 'Award rounds')}
        </Typography.Title>
        <Space className="no-print">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('新建评选', 'New round')}
          </Button>
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('打印', 'Print')}
          </Button>
        </Space>
      </Space>
      {!q.isLoading && !rounds.length && <Empty description={t('尚无评选', 'No award rounds yet')} />}
      {rounds.map((r) => (
        <Card
          key={r.id}
          size="small"
          data-testid="award-round"
          title={
            <Space>
              {t(`${r.year}年度评先评优`, `${r.year} awards`)}
              <Tag color={r.status === 'published' ? 'green' : 'orange'}>
                {r.status === 'published' ? t('已发布', 'Published') : t('确认中', 'Being decided')}
              </Tag>
              <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                {r.threshold === null
                  ? t(`先进：各类别前 ${r.sharePercent}%`, `Top ${r.sharePercent}% per category`)
                  : t(`先进：总分 ≥ ${r.threshold}`, `Total ≥ ${r.threshold}`)}
                {r.indicatorName && ` · ${t('单项', 'Single')}：${r.indicatorName}`}
              </Typography.Text>
            </Space>
          }
          extra={
            <Space>
              <ExportButton path={awardsApi.candidatesExportUrl(r.id)} testId={`award-export-${r.year}`} />
              {r.status === 'draft' && (
                <Button
                  type="primary"
                  size="small"
                  loading={publish.isPending}
                  disabled={r.candidates.some((c) => c.decision === 'pending')}
                  onClick={() => publish.mutate(r.id)}
                >
                  {t('发布结果', 'Publish')}
                </Button>
              )}
            </Space>
          }
        >
          <Table<TCandidate>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={r.candidates}
            locale={{ emptyText: t('没有候选单位', 'No candidates') }}
            columns={[
              { title: t('奖项', 'Award'), width: 110, render: (_, c) => KIND[c.kind]() },
              { title: t('类别', 'Category'), dataIndex: 'category', width: 120 },
              { title: t('单位', 'Unit'), dataIndex: 'unitName', width: 190 },
              { title: t('名次', 'Rank'), dataIndex: 'rank', width: 60 },
              { title: t('得分', 'Score'), dataIndex: 'score', width: 70 },
              { title: t('依据', 'Basis'), dataIndex: 'basis', ellipsis: true },
              {
                title: t('结论', 'Decision'),
                width: 200,
                render: (_, c) => (
                  <Space size={4}>
                    <Tag color={DECISION[c.decision].color}>{DECISION[c.decision].label()}</Tag>
                    <Typography.Text type="secondary" ellipsis style={{ maxWidth: 120 }}>
                      {c.reason}
                    </Typography.Text>
                  </Space>
                ),
              },
              {
                title: t('操作', 'Actions'),
                width: 110,
                className: 'no-print',
                render: (_, c) =>
                  r.status === 'draft' ? (
                    <Button size="small" onClick={() => setDeciding(c)}>
                      {t('确认', 'Decide')}
                    </Button>
                  ) : (
                    c.decision === 'awarded' && (
                      <Button size="small" icon={<FileWordOutlined />} href={awardsApi.certificateUrl(c.id)}>
                        {t('证书', 'Certificate')}
                      </Button>
                    )
                  ),
              },
            ]}
          />
        </Card>
      ))}
      {creating && <NewRoundModal onClose={() => setCreating(false)} />}
      {deciding && (
        <FormModal<{ award: boolean; reason: string }, TRound>
          title={t(`确认：${deciding.unitName} · ${KIND[deciding.kind]()}`, `Decide: ${deciding.unitName}`)}
          onClose={() => setDeciding(null)}
          initialValues={{ award: true, reason: deciding.basis }}
          submit={(v) => awardsApi.decide(deciding.id, v)}
          invalidate={[AWARDS_KEY]}
          success={t('已确认', 'Decided')}
        >
          <Form.Item name="award" label={t('结论', 'Decision')}>
            <Radio.Group
              options={[
                { value: true, label: t('授予', 'Award') },
                { value: false, label: t('不授予', 'Decline') },
              ]}
            />
          </Form.Item>
          <Form.Item name="reason" label={t('理由', 'Reason')} rules={[{ required: true, min: 2 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </FormModal>
      )}
    </Space>
  );
}
