import { EyeOutlined, NotificationOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { publishDefaults } from '../../lib/periods';
import { fmtTime, PERIOD_KIND_LABEL, periodOptions, type PeriodKind, type TPublication } from './ScoreData';
import { SCORES_KEY, useCompleteness, usePublications, performanceApi } from './api';
import { ExportButton } from '../../components/TableTools';
import { useYearPeriod } from './ScorePage';
import { YearPicker } from '../../components/YearPicker';

/**
 * 结果发布: the office freezes a period's results (ranking and everything needed to explain each
 * number later); units and leaders open published results. Published results never change.
 */
export function PublishPage() {
  const { years, usable, year, set } = useYearPeriod();
  const pubs = usePublications(year?.id ?? null);
  const { can } = useAuth();
  const navigate = useNavigate();
  const [publishing, setPublishing] = useState(false);

  if (years.data && !usable.length)
    return <Empty description={t('还没有已生效的考核年度', 'No assessment year in force yet')} />;
  const openPub = (p: TPublication) => navigate(`/performance/scores?year=${p.yearId}&period=${p.period}&published=1`);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Card size="small">
        <Space wrap>
          <YearPicker years={usable} value={year} onChange={(id) => set({ year: String(id) })} />
        </Space>
      </Card>
      <Card
        title={t('已发布的考核结果', 'Published results')}
        extra={
          <Space>
            <ExportButton
              path={performanceApi.publicationsExportUrl()}
              query={{ yearId: year?.id }}
              disabled={!year}
              testId="publications-export"
            />
            {can('scores.publish') && (
              <Button
                type="primary"
                icon={<NotificationOutlined />}
                disabled={!year}
                onClick={() => setPublishing(true)}
                data-testid="publish-button"
              >
                {t('发布考核结果', 'Publish results')}
              </Button>
            )}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">
          {t(
            '发布即冻结该期全部单位的得分、排名、等次，以及解释每一个分数所需的原始数据、录入人和计分规则；此后指标或数据如有变化，已发布结果保持不变。同一期可重新发布，以最新一次为准，历次发布均保留。',
            'Publishing freezes every unit’s score, rank and grade with everything needed to explain them; later changes do not alter it. A period can be re-published; the latest counts and all are kept.',
          )}
        </Typography.Paragraph>
        {pubs.error && <Alert type="error" showIcon title={errorText(pubs.error)} />}
        <Table<TPublication>
          rowKey="id"
          size="small"
          loading={pubs.isLoading}
          dataSource={pubs.data ?? []}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          data-testid="publications-table"
          columns={[
            {
              title: t('考核期', 'Period'),
              render: (_, p) => (
                <Space>
                  {p.windowLabel}
                  <Typography.Text type="secondary">{p.period}</Typography.Text>
                  {p.fullYear && <Tag color="gold">{t('年度', 'Annual')}</Tag>}
                </Space>
              ),
            },
            { title: t('发布时间', 'Published at'), width: 170, render: (_, p) => fmtTime(p.publishedAt) },
            { title: t('发布人', 'By'), dataIndex: 'publishedByName', width: 110 },
            { title: t('单位数', 'Units'), dataIndex: 'unitCount', width: 80 },
            { title: t('说明', 'Note'), dataIndex: 'note' },
            { title: t('数据版本', 'Version'), dataIndex: 'scoreVersion', width: 90 },
            {
              title: '',
              width: 200,
              fixed: 'right',
              render: (_, p) => (
                <Space size={4}>
                  <Button
                    size="small"
                    icon={<EyeOutlined />}
                    onClick={() => openPub(p)}
                    data-testid={`publication-open-${p.id}`}
                  >
                    {t('查看/打印通报', 'Open / print')}
                  </Button>
                  <Button size="small" type="link" href={performanceApi.publicationExportUrl(p.id)}>
                    Excel
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {publishing && year && (
        <PublishModal
          yearId={year.id}
          year={year.year}
          every={year.periods}
          closed={year.status === 'closed'}
          onClose={() => setPublishing(false)}
        />
      )}
    </Space>
  );
}

function PublishModal({
  yearId,
  year,
  every,
  closed,
  onClose,
}: {
  yearId: number;
  year: number;
  /** The scheme's periods: a half-year scheme publishes half-years and the year. */
  every: 'month' | 'quarter' | 'half';
  closed: boolean;
  onClose: () => void;
}) {
  // The dialog opens on the latest complete period of the scheme's kind: the whole year once it is
  // closed, else (by the last month whose reporting deadline has passed, which the year-to-date results
  // run through) the latest such month, or for a half-year (quarterly) scheme the latest complete half (quarter).
  const ytd = useCompleteness(yearId, String(year));
  const defaults = publishDefaults({
    year,
    every,
    latestMonth: ytd.data ? ytd.data.window.end + 1 : null,
    closed,
  });
  const latestMonth = ytd.data && every === 'month' ? defaults.period : null;
  const [chosenKind, setKind] = useState<PeriodKind | null>(null);
  const kind = chosenKind ?? defaults.kind;
  const [picked, setPeriod] = useState<string | null>(null);
  const period = picked ?? defaults.period;
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const completeness = useCompleteness(yearId, period);
  const incomplete = completeness.data?.incomplete ?? [];
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const publish = useMutation({
    mutationFn: () =>
      performanceApi.publish({ yearId, period, note, incompleteReason: incomplete.length ? reason : undefined }),
    onSuccess: async (p) => {
      message.success(t(`已发布：${p.windowLabel}`, `Published: ${p.windowLabel}`));
      await qc.invalidateQueries({ queryKey: SCORES_KEY });
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });
  const label = periodOptions(year, kind).find((o) => o.value === period)?.label ?? period;
  const blocked = incomplete.length > 0 && (!confirmed || !reason.trim());
  const confirm = () =>
    modal.confirm({
      title: t(`确认发布 ${year} 年「${label}」考核结果？`, `Publish ${label} ${year}?`),
      content: t('发布后结果不可修改，各单位即可查看。', 'Published results cannot change; units will see them.'),
      okText: t('确认发布', 'Publish'),
      okButtonProps: { 'data-testid': 'publish-confirm' },
      onOk: () => publish.mutateAsync(),
    });
  return (
    <Modal
      open
      title={t('发布考核结果', 'Publish results')}
      onCancel={onClose}
      onOk={confirm}
      okText={t('发布', 'Publish')}
      okButtonProps={{
        loading: publish.isPending,
        disabled: blocked || completeness.isLoading,
        'data-testid': 'publish-submit',
      }}
      width={640}
    >
      <Form layout="vertical">
        <Form.Item label={t('考核期类型', 'Kind')}>
          <Radio.Group
            value={kind}
            optionType="button"
            onChange={(e) => {
              const k = e.target.value as PeriodKind;
              setKind(k);
              setPeriod(
                k === defaults.kind
                  ? defaults.period
                  : k === 'month' && latestMonth
                    ? latestMonth
                    : periodOptions(year, k)[0].value,
              );
              setConfirmed(false);
            }}
            data-testid="publish-kind"
            options={defaults.kinds.map((k) => ({
              value: k,
              label: PERIOD_KIND_LABEL[k](),
            }))}
          />
        </Form.Item>
        {kind !== 'year' ? (
          <Form.Item label={t('考核期', 'Period')}>
            <Select
              value={period}
              onChange={(p) => {
                setPeriod(p);
                setConfirmed(false);
              }}
              options={periodOptions(year, kind)}
              data-testid="publish-period"
            />
          </Form.Item>
        ) : (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={
              closed
                ? t('发布全年考核结果（年度结果将显示在公开页面）', 'The whole year (shown on the public page)')
                : t(
                    '年度尚未结束：发布的是截至最新数据月份的累计结果',
                    'The year runs: this publishes the year to date',
                  )
            }
          />
        )}
        {completeness.isLoading && <Alert type="info" title={t('正在检查数据完整性…', 'Checking completeness…')} />}
        {completeness.data && !incomplete.length && (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="publish-complete"
            title={t(
              `${completeness.data.units} 个单位的计划均已批准、数据完整`,
              `All ${completeness.data.units} units have approved plans and complete data`,
            )}
          />
        )}
        {incomplete.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="publish-incomplete"
            title={t(
              `${incomplete.length} 个单位数据不完整，发布后将在结果中标注「数据不完整」`,
              `${incomplete.length} unit(s) have incomplete data; the results will mark them so`,
            )}
            description={
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Table
                  size="small"
                  rowKey="unitId"
                  dataSource={incomplete}
                  pagination={incomplete.length > 8 ? { pageSize: 8, size: 'small' } : false}
                  columns={[
                    { title: t('单位', 'Unit'), dataIndex: 'unitName', width: 140 },
                    { title: t('缺少什么', 'What is missing'), render: (_, x) => x.completeness.text },
                  ]}
                />
                <Checkbox
                  checked={confirmed}
                  onChange={(e) => setConfirmed(e.target.checked)}
                  data-testid="publish-incomplete-confirm"
                >
                  {t('我已知晓上述单位数据不完整，仍要发布', 'I know these units are incomplete and publish anyway')}
                </Checkbox>
                <Input.TextArea
                  rows={2}
                  maxLength={500}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  placeholder={t('发布理由（必填，记入审计日志）', 'Reason (required, audited)')}
                  data-testid="publish-incomplete-reason"
                />
              </Space>
            }
          />
        )}
        <Form.Item label={t('说明', 'Note')}>
          <Input.TextArea
            rows={2}
            maxLength={500}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t('如：2026年第一季度绩效考核通报', 'e.g. Q1 bulletin')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
