import { TrophyOutlined } from '@ant-design/icons';
import { Button, Card, Col, List, Row, Space, Statistic, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { pickYear } from './perfData';
import { useScoreTable, useUnitScoreSummary, useYears } from './api';
import { pts, signed, type TScoreRow } from './ScoreData';
import { GradeOrIncomplete } from './Completeness';

/** The year the home cards show: the newest year that is not a draft. */
function useCurrentYear() {
  const years = useYears();
  return pickYear(
    (years.data ?? []).filter((y) => y.status !== 'draft'),
    null,
  );
}

function useCurrentTable() {
  const year = useCurrentYear();
  const table = useScoreTable(year?.id ?? null, year ? String(year.year) : null);
  return { year, table };
}

/** Home card of a unit user: the unit's total, place in its category and grade, year to date (its own row only). */
export function UnitScoreWidget() {
  const { me } = useAuth();
  const navigate = useNavigate();
  const year = useCurrentYear();
  const summary = useUnitScoreSummary(year?.id ?? null, me?.unitId ?? null);
  const data = summary.data;
  if (!year || !data) return null;
  const row = data.row;
  return (
    <Card
      size="small"
      title={
        <Space>
          <TrophyOutlined />
          {t(`${year.name} · 本单位得分（${data.window.label}）`, `${year.name} · our score (${data.window.label})`)}
        </Space>
      }
      extra={
        <Button type="link" onClick={() => navigate(`/performance/scores/unit/${row.unitId}?year=${year.id}`)}>
          {t('查看明细', 'Details')}
        </Button>
      }
      data-testid="widget-unit-score"
    >
      <Space size={40} wrap>
        <Statistic title={t('总分', 'Total')} value={pts(row.total)} />
        <Statistic
          title={t(`同类排名（${row.categoryName}）`, `Rank (${row.categoryName})`)}
          value={row.rank}
          suffix={`/ ${row.of}`}
        />
        <Statistic
          title={t('等次', 'Grade')}
          valueRender={() => <GradeOrIncomplete row={row} grades={data.grades.length} />}
        />
        {row.change !== null && (
          <Statistic
            title={t('较上年同期', 'vs last year')}
            value={signed(row.change)}
            styles={{ content: { color: row.change >= 0 ? '#389e0d' : '#cf1322' } }}
          />
        )}
      </Space>
    </Card>
  );
}

/** Home card of leaders and the office: the first and last units of each category, year to date. */
export function LeaderScoreWidget() {
  const navigate = useNavigate();
  const { year, table } = useCurrentTable();
  const data = table.data;
  if (!year || !data || !data.rows.length) return null;
  const line = (r: TScoreRow) => (
    <List.Item style={{ padding: '2px 0' }}>
      <Space>
        <Typography.Text type="secondary" style={{ width: 28, display: 'inline-block' }}>
          {r.rank}
        </Typography.Text>
        <span>{r.unitName}</span>
        <Typography.Text strong>{pts(r.total)}</Typography.Text>
        <GradeOrIncomplete row={r} grades={data.grades.length} />
      </Space>
    </List.Item>
  );
  return (
    <Card
      size="small"
      title={
        <Space>
          <TrophyOutlined />
          {t(`${year.name} · 各类别排名（${data.window.label}）`, `${year.name} · rankings (${data.window.label})`)}
        </Space>
      }
      extra={
        <Button type="link" onClick={() => navigate(`/performance/scores?year=${year.id}`)}>
          {t('全部得分', 'All scores')}
        </Button>
      }
      data-testid="widget-leader-scores"
    >
      <Row gutter={[16, 8]}>
        {data.categories.map((c) => {
          const rows = data.rows.filter((r) => r.categoryId === c.id).sort((a, b) => a.rank - b.rank);
          const top = rows.slice(0, 3);
          const bottom = rows.length > 6 ? rows.slice(-3) : rows.slice(3);
          return (
            <Col key={String(c.id)} xs={24} md={12} xl={8}>
              <Typography.Text strong>{c.name}</Typography.Text>
              <List size="small" split={false} dataSource={top} renderItem={line} />
              {bottom.length > 0 && (
                <>
                  {rows.length > 6 && <Typography.Text type="secondary">…</Typography.Text>}
                  <List size="small" split={false} dataSource={bottom} renderItem={line} />
                </>
              )}
            </Col>
          );
        })}
      </Row>
    </Card>
  );
}
