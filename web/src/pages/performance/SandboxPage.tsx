import { ArrowDownOutlined, ArrowUpOutlined, ExperimentOutlined, UndoOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  InputNumber,
  Modal,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import type { TScoringMethod } from '@server/engine/methods.schema';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { MethodEditor } from './MethodEditor';
import { buildIndicatorTree, METHOD_LABEL, type IndicatorNode, type TIndicator } from './perfData';
import { useIndicators, performanceApi } from './api';
import { pts, signed, type TSandboxResult } from './ScoreData';
import { useYearPeriod, YearPeriodPicker } from './ScorePage';

type Change = { points?: number; method?: TScoringMethod };
type SandboxRow = TSandboxResult['rows'][number];

/**
 * 模拟测算: change the points or the method of leaves in a sandbox and see totals, ranks and grades
 * move beside the real ones. Nothing real changes.
 */
export function SandboxPage() {
  const { years, usable, year, period, set } = useYearPeriod();
  const indicators = useIndicators(year?.id ?? null);
  const { message } = App.useApp();
  const [changes, setChanges] = useState<Record<number, Change>>({});
  const [editing, setEditing] = useState<TIndicator | null>(null);
  const [draftMethod, setDraftMethod] = useState<TScoringMethod | null>(null);
  // Leaves in tree order, each with the names of its ancestors.
  const leaves = useMemo(() => {
    const out: (TIndicator & { path: string })[] = [];
    const walk = (nodes: IndicatorNode[], path: string[]) => {
      for (const n of nodes) {
        if (n.children?.length) walk(n.children, [...path, n.name]);
        else out.push({ ...n, path: path.join(' / ') });
      }
    };
    walk(buildIndicatorTree(indicators.data ?? []), []);
    return out;
  }, [indicators.data]);
  const run = useMutation({
    mutationFn: () =>
      performanceApi.sandbox({
        yearId: year!.id,
        period,
        changes: Object.entries(changes).map(([id, c]) => ({ indicatorId: Number(id), ...c })),
      }),
    onError: (e) => message.error(errorText(e)),
  });
  const grades = year?.gradeRule.grades.map((g) => g.label) ?? [];
  const changedCount = Object.keys(changes).length;
  const sumPoints = leaves.reduce((s, l) => s + (changes[l.id]?.points ?? l.points), 0);
  const realSum = leaves.reduce((s, l) => s + l.points, 0);

  if (years.data && !usable.length)
    return <Empty description={t('还没有已生效的考核年度', 'No assessment year in force yet')} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Alert
        type="warning"
        showIcon
        title={t('模拟结果，不影响正式得分', 'Simulation only — real scores do not change')}
        description={t(
          '在此调整指标分值或计分方法，查看各单位得分、排名和等次的变化。模拟不保存任何数据。',
          'Change points or methods here and see totals, ranks and grades move. Nothing is saved.',
        )}
        data-testid="sandbox-banner"
      />
      <Card size="small">
        <YearPeriodPicker
          usable={usable}
          year={year}
          period={period}
          set={(p) => {
            set(p);
            run.reset();
          }}
          loading={years.isLoading}
        />
      </Card>
      <Card
        title={t('调整方案', 'Changes')}
        size="small"
        extra={
          <Space>
            <Button
              icon={<UndoOutlined />}
              disabled={!changedCount}
              onClick={() => {
                setChanges({});
                run.reset();
              }}
            >
              {t('全部还原', 'Reset')}
            </Button>
            <Button
              type="primary"
              icon={<ExperimentOutlined />}
              loading={run.isPending}
              disabled={!year}
              onClick={() => run.mutate()}
              data-testid="sandbox-run"
            >
              {t('开始测算', 'Run')}
            </Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">
          {t(
            `末级指标分值合计 ${pts(sumPoints)}（现行 ${pts(realSum)}）。分值调整后，各单位基础分按现行满分折算，即调整的是各指标的权重。`,
            `Leaf points add up to ${pts(sumPoints)} (now ${pts(realSum)}); bases are scaled back to the current full score, so changed points act as weights.`,
          )}
        </Typography.Paragraph>
        <Table<TIndicator>
          rowKey="id"
          size="small"
          loading={indicators.isLoading}
          dataSource={leaves}
          pagination={false}
          scroll={{ y: 420 }}
          data-testid="sandbox-leaves"
          rowClassName={(l) => (changes[l.id] ? 'ant-table-row-selected' : '')}
          columns={[
            {
              title: t('指标', 'Indicator'),
              render: (_, l) => (
                <span>
                  {l.name} <Typography.Text type="secondary">{l.code}</Typography.Text>
                  <br />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {(l as TIndicator & { path: string }).path}
                  </Typography.Text>
                </span>
              ),
            },
            { title: t('现行分值', 'Points'), dataIndex: 'points', width: 90 },
            {
              title: t('模拟分值', 'Sandbox points'),
              width: 130,
              render: (_, l) => (
                <InputNumber
                  size="small"
                  min={0}
                  max={10000}
                  value={changes[l.id]?.points ?? l.points}
                  onChange={(v) =>
                    setChanges((c) => updated(c, l, { points: v === null || v === l.points ? undefined : v }))
                  }
                  data-testid={`sandbox-points-${l.code}`}
                />
              ),
            },
            {
              title: t('计分方法', 'Method'),
              width: 220,
              render: (_, l) => {
                const m = changes[l.id]?.method ?? l.method;
                return (
                  <Space size={4}>
                    {m ? <Tag color={changes[l.id]?.method ? 'orange' : undefined}>{METHOD_LABEL[m.kind]()}</Tag> : '—'}
                    <Button
                      size="small"
                      type="link"
                      onClick={() => {
                        setEditing(l);
                        setDraftMethod(m ?? null);
                      }}
                      data-testid={`sandbox-method-${l.code}`}
                    >
                      {t('调整', 'Change')}
                    </Button>
                  </Space>
                );
              },
            },
          ]}
        />
      </Card>
      {run.data && <Results data={run.data} />}
      <Modal
        open={!!editing}
        title={editing ? t(`模拟计分方法 · ${editing.name}`, `Sandbox method · ${editing.name}`) : ''}
        width={760}
        onCancel={() => setEditing(null)}
        onOk={() => {
          if (editing)
            setChanges((c) =>
              updated(c, editing, {
                method:
                  draftMethod && JSON.stringify(draftMethod) !== JSON.stringify(editing.method)
                    ? draftMethod
                    : undefined,
              }),
            );
          setEditing(null);
        }}
        destroyOnHidden
      >
        {editing && (
          <MethodEditor
            value={draftMethod}
            onChange={setDraftMethod}
            points={changes[editing.id]?.points ?? editing.points}
            grades={grades}
          />
        )}
      </Modal>
    </Space>
  );
}

function updated(all: Record<number, Change>, leaf: TIndicator, patch: Change): Record<number, Change> {
  const next = { ...(all[leaf.id] ?? {}), ...patch };
  if (next.points === undefined) delete next.points;
  if (next.method === undefined) delete next.method;
  const out = { ...all };
  if (next.points === undefined && next.method === undefined) delete out[leaf.id];
  else out[leaf.id] = next;
  return out;
}

function Results({ data }: { data: TSandboxResult }) {
  return (
    <Card
      title={
        <Space>
          <span>{t(`测算结果 · ${data.window.label}`, `Results · ${data.window.label}`)}</span>
          <Tag color="orange">{t('模拟', 'Simulation')}</Tag>
        </Space>
      }
      data-testid="sandbox-results"
    >
      <Space size={40} style={{ marginBottom: 16 }}>
        <Statistic title={t('调整指标', 'Changed leaves')} value={data.changed.indicators} />
        <Statistic title={t('名次变化的单位', 'Units changing place')} value={data.changed.ranksMoved} />
        <Statistic title={t('等次变化的单位', 'Units changing grade')} value={data.changed.gradesChanged} />
      </Space>
      <Tabs
        items={data.categories.map((c) => ({
          key: String(c.id ?? 'none'),
          label: c.name,
          children: <SideBySide rows={data.rows.filter((r) => r.categoryId === c.id)} />,
        }))}
      />
    </Card>
  );
}

function SideBySide({ rows }: { rows: SandboxRow[] }) {
  const sorted = [...rows].sort(
    (a, b) => a.sandbox.rank - b.sandbox.rank || a.unitName.localeCompare(b.unitName, 'zh'),
  );
  return (
    <Table<SandboxRow>
      rowKey="unitId"
      size="small"
      dataSource={sorted}
      pagination={false}
      data-testid="sandbox-table"
      columns={[
        { title: t('单位', 'Unit'), dataIndex: 'unitName' },
        {
          title: t('正式', 'Real'),
          children: [
            { title: t('总分', 'Total'), width: 90, render: (_, r) => pts(r.real.total) },
            { title: t('名次', 'Rank'), width: 70, render: (_, r) => r.real.rank },
            { title: t('等次', 'Grade'), width: 90, render: (_, r) => r.real.grade ?? '—' },
          ],
        },
        {
          title: t('模拟', 'Sandbox'),
          children: [
            {
              title: t('总分', 'Total'),
              width: 90,
              render: (_, r) => <Typography.Text strong>{pts(r.sandbox.total)}</Typography.Text>,
            },
            {
              title: t('名次', 'Rank'),
              width: 70,
              render: (_, r) => <Typography.Text strong>{r.sandbox.rank}</Typography.Text>,
            },
            {
              title: t('等次', 'Grade'),
              width: 90,
              render: (_, r) =>
                r.gradeChanged ? <Tag color="orange">{r.sandbox.grade ?? '—'}</Tag> : (r.sandbox.grade ?? '—'),
            },
          ],
        },
        { title: t('分差', 'Δ total'), width: 90, render: (_, r) => signed(r.totalChange) },
        {
          title: t('名次变动', 'Places'),
          width: 100,
          render: (_, r) =>
            r.rankChange > 0 ? (
              <Typography.Text type="success">
                <ArrowUpOutlined /> {r.rankChange}
              </Typography.Text>
            ) : r.rankChange < 0 ? (
              <Typography.Text type="danger">
                <ArrowDownOutlined /> {-r.rankChange}
              </Typography.Text>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}
