import { ArrowDownOutlined, ArrowUpOutlined, EditOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { CompareCharts } from './CompareCharts';
import { METHOD_LABEL } from './perfData';
import { errorText } from '../../lib/api';
import { useUnits } from '../admin/api';
import { fmtTime, gradeColor, pts, signed, type ExplainTarget, type TTreeNode } from './ScoreData';
import { performanceApi, useComparison, useScoreTable, useUnitScores } from './api';
import { ScoreExplainDrawer } from './ScoreExplainDrawer';
import { ScoreInputModal } from './ScoreInputModal';
import { useYearPeriod, YearPeriodPicker } from './ScorePage';
import { PublishedToggle } from '../../components/PublishedToggle';
import { ExportButton, PrintButton, PrintTitle } from '../../components/TableTools';
import { GradeOrIncomplete, isIncomplete } from './Completeness';

type TreeRow = TTreeNode & { children?: TreeRow[] };

function toTree(nodes: TTreeNode[]): TreeRow[] {
  const byId = new Map<number, TreeRow>(nodes.map((n) => [n.indicatorId, { ...n }]));
  const roots: TreeRow[] = [];
  for (const n of nodes) {
    const row = byId.get(n.indicatorId)!;
    const parent = n.parentId === null ? undefined : byId.get(n.parentId);
    if (parent) (parent.children ??= []).push(row);
    else roots.push(row);
  }
  return roots;
}

/**
 * 单位得分: one unit's indicator tree with node and leaf scores (each opens its explanation), its
 * total and place, and charts against its category and its own last year. Unit users land on their
 * own unit; the office and leaders pick one.
 */
export function ScoreUnitPage() {
  const { unitId: param } = useParams();
  const { me, can } = useAuth();
  const navigate = useNavigate();
  const { years, usable, year, period, params, set } = useYearPeriod();
  const published = params.get('published') === '1';
  const pickable = useScoreTable(year?.id ?? null, year ? String(year.year) : null, false);
  const choices = (pickable.data?.rows ?? []).filter((r) => r.inScope);
  // Unit users open their own unit; the office and leaders the first unit they may open.
  const unitId =
    Number(param) || (choices.some((r) => r.unitId === me?.unitId) ? me!.unitId : (choices[0]?.unitId ?? null));
  const units = useUnits();
  const detail = useUnitScores(year?.id ?? null, unitId, period, published);
  const comparison = useComparison(published ? null : (year?.id ?? null), detail.data ? unitId : null);
  const [explain, setExplain] = useState<ExplainTarget | null>(null);
  const [entering, setEntering] = useState<{ indicatorId: number } | null>(null);
  const tree = useMemo(() => (detail.data ? toTree(detail.data.tree) : []), [detail.data]);
  // ?explain=<indicatorId> (the cockpit's drill-down) opens that indicator's explanation once the scores are in.
  const explainParam = Number(params.get('explain')) || null;
  const [explained, setExplained] = useState(false);

  const open = (indicatorId?: number) =>
    detail.data &&
    setExplain({
      yearId: detail.data.year.id,
      unitId: detail.data.row.unitId,
      indicatorId,
      period: detail.data.window.period,
      published,
    });
  useEffect(() => {
    if (!explainParam || explained || !detail.data) return;
    setExplained(true);
    setExplain({
      yearId: detail.data.year.id,
      unitId: detail.data.row.unitId,
      indicatorId: explainParam,
      period: detail.data.window.period,
      published,
    });
  }, [explainParam, explained, detail.data, published]);
  const d = detail.data;
  const unitName = d?.row.unitName ?? units.data?.find((u) => u.id === unitId)?.name ?? '';

  if (years.data && !usable.length)
    return <Empty description={t('还没有已生效的考核年度', 'No assessment year in force yet')} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Card size="small" className="xn-no-print">
        <Space wrap size={16}>
          <YearPeriodPicker usable={usable} year={year} period={period} set={set} loading={years.isLoading} />
          {choices.length > 1 && (
            <Select<number>
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: 220 }}
              value={unitId ?? undefined}
              placeholder={t('选择单位', 'Pick a unit')}
              onChange={(id) => navigate(`/performance/scores/unit/${id}?${params.toString()}`)}
              options={choices.map((r) => ({ value: r.unitId, label: `${r.unitName}（${r.categoryName}）` }))}
              data-testid="score-unit-select"
            />
          )}
          <PublishedToggle published={published} onChange={(p) => set({ published: p ? '1' : null })} />
          {unitId && (
            <ExportButton
              path={performanceApi.unitScoresExportUrl(unitId)}
              query={{ yearId: year?.id, period, published }}
              disabled={!d}
              testId="score-unit-export"
            />
          )}
          <PrintButton testId="score-unit-print" />
        </Space>
      </Card>
      {d && <PrintTitle>{`${d.row.unitName}${d.year.name}${d.window.label}绩效得分`}</PrintTitle>}
      {detail.isLoading && <Card loading data-testid="score-unit-loading" />}
      {d && isIncomplete(d.row) && (
        <Alert type="warning" showIcon data-testid="score-unit-incomplete" title={d.row.completeness!.text} />
      )}
      {detail.error && (
        <Alert type={published ? 'info' : 'warning'} showIcon title={`${unitName} ${errorText(detail.error)}`} />
      )}
      {d && (
        <>
          <Card
            title={
              <Space wrap>
                <span data-testid="score-unit-title">
                  {t(`${d.row.unitName} · ${d.window.label}`, `${d.row.unitName} · ${d.window.label}`)}
                </span>
                <Tag>{d.row.categoryName}</Tag>
                {d.published ? (
                  <Tag color="purple">{t(`已发布 ${fmtTime(d.published.publishedAt)}`, 'Published')}</Tag>
                ) : (
                  <Tag color="blue">{t('实时', 'Live')}</Tag>
                )}
              </Space>
            }
            extra={
              can('scores.publish') &&
              !published && (
                <Button
                  icon={<EditOutlined />}
                  onClick={() => setEntering({ indicatorId: 0 })}
                  data-testid="score-input-open"
                >
                  {t('录入考核数据', 'Enter a value')}
                </Button>
              )
            }
          >
            <Row gutter={[24, 16]}>
              <Col>
                <a onClick={() => open()} data-testid="score-unit-total">
                  <Statistic
                    title={t('总分（点击查看计算过程）', 'Total (click for the arithmetic)')}
                    value={pts(d.row.total)}
                  />
                </a>
              </Col>
              <Col>
                <Statistic title={t('同类排名', 'Rank in category')} value={d.row.rank} suffix={`/ ${d.row.of}`} />
              </Col>
              <Col>
                <Statistic
                  title={t('等次', 'Grade')}
                  valueRender={() =>
                    isIncomplete(d.row) ? (
                      <GradeOrIncomplete row={d.row} grades={5} />
                    ) : d.row.grade ? (
                      <Tag color={gradeColor(d.row.gradeIndex, 5)} style={{ fontSize: 18, padding: '4px 10px' }}>
                        {d.row.grade}
                      </Tag>
                    ) : (
                      '—'
                    )
                  }
                />
              </Col>
              <Col>
                <Statistic
                  title={t('上年同期', 'Last year')}
                  value={d.row.lastYearTotal === null ? '—' : pts(d.row.lastYearTotal)}
                  suffix={
                    d.row.change === null ? undefined : (
                      <Typography.Text type={d.row.change >= 0 ? 'success' : 'danger'} style={{ fontSize: 14 }}>
                        {d.row.change >= 0 ? <ArrowUpOutlined /> : <ArrowDownOutlined />} {signed(d.row.change)}
                      </Typography.Text>
                    )
                  }
                />
              </Col>
              {d.row.missing > 0 && (
                <Col>
                  <Statistic
                    title={t('缺少数据的指标', 'Leaves without data')}
                    value={d.row.missing}
                    styles={{ content: { color: '#d48806' } }}
                  />
                </Col>
              )}
            </Row>
            <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
              {d.steps.join('；')}
            </Typography.Paragraph>
          </Card>
          <Card title={t('指标得分（点击分数查看得分说明）', 'Indicator scores (click a score)')} size="small">
            <Table<TreeRow>
              rowKey="indicatorId"
              size="small"
              dataSource={tree}
              pagination={false}
              expandable={{ defaultExpandAllRows: true }}
              data-testid="score-unit-tree"
              columns={[
                {
                  title: t('指标', 'Indicator'),
                  render: (_, n) => (
                    <span style={{ fontWeight: n.isLeaf ? undefined : 600 }}>
                      {n.name} <Typography.Text type="secondary">{n.code}</Typography.Text>
                    </span>
                  ),
                },
                { title: t('分值', 'Points'), dataIndex: 'points', width: 80 },
                {
                  title: t('得分', 'Score'),
                  width: 100,
                  render: (_, n) =>
                    n.applicable ? (
                      <a onClick={() => open(n.indicatorId)} data-testid={`score-leaf-${n.code}`}>
                        {pts(n.score)}
                      </a>
                    ) : (
                      <Typography.Text type="secondary">{t('不适用', 'N/A')}</Typography.Text>
                    ),
                },
                { title: t('同类平均', 'Category avg'), dataIndex: 'categoryAvg', width: 100, render: pts },
                {
                  title: t('计分方法', 'Method'),
                  width: 150,
                  render: (_, n) =>
                    n.methodKind ? (
                      <Tag>{METHOD_LABEL[n.methodKind as keyof typeof METHOD_LABEL]?.() ?? n.methodKind}</Tag>
                    ) : null,
                },
                {
                  title: t('状态', 'Status'),
                  width: 110,
                  render: (_, n) =>
                    !n.applicable ? null : n.role === 'bonus' ? (
                      <Tag color="green">{t('加分项', 'Bonus')}</Tag>
                    ) : n.role === 'deduction' ? (
                      <Tag color="red">{t('扣分项', 'Deduction')}</Tag>
                    ) : n.role === 'veto' ? (
                      <Tag color={n.score ? 'red' : 'default'}>
                        {n.score ? t('已触发否决', 'Vetoed') : t('未触发', 'Not triggered')}
                      </Tag>
                    ) : n.isLeaf && n.score === null ? (
                      <Tag color="orange">{t('缺数据', 'No data')}</Tag>
                    ) : null,
                },
                ...(can('scores.publish') && !published
                  ? [
                      {
                        title: '',
                        width: 60,
                        render: (_: unknown, n: TreeRow) =>
                          n.isLeaf && n.applicable ? (
                            <Button
                              size="small"
                              type="link"
                              onClick={() => setEntering({ indicatorId: n.indicatorId })}
                              data-testid={`score-input-${n.code}`}
                            >
                              {t('录入', 'Enter')}
                            </Button>
                          ) : null,
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
          {comparison.data && <CompareCharts data={comparison.data} />}
          {comparison.error && <Alert type="warning" showIcon title={errorText(comparison.error)} />}
        </>
      )}
      <ScoreExplainDrawer target={explain} onClose={() => setExplain(null)} />
      {d && entering && (
        <ScoreInputModal
          yearId={d.year.id}
          year={d.year.year}
          unitId={d.row.unitId}
          unitName={d.row.unitName}
          leaves={d.tree.filter((n) => n.isLeaf && n.applicable)}
          initialIndicatorId={entering.indicatorId || null}
          onClose={() => setEntering(null)}
        />
      )}
    </Space>
  );
}
