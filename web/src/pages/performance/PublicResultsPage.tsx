import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Select, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import type { TPublicScores } from '@server/modules/scoring/scoring.schema';
import { PublicFrame, publicLinks } from '../../components/PublicFrame';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { fmtDate } from '../../lib/time';
import { performanceApi, usePublicScoreYears } from './api';

type Row = TPublicScores['categories'][number]['rows'][number];

/** 绩效结果公开: the annual results the office published, by category, for anyone (no login). */
export function PublicResultsPage() {
  const [params, setParams] = useSearchParams();
  const years = usePublicScoreYears();
  const yearId = Number(params.get('year')) || years.data?.[0]?.yearId;
  const results = useQuery({
    queryKey: ['public-scores', yearId],
    queryFn: () => performanceApi.publicScores(yearId!),
    enabled: yearId !== undefined,
  });

  return (
    <PublicFrame
      title={t('汉江区绩效考评结果公开', 'Hanjiang performance results')}
      links={[publicLinks.results(), publicLinks.submit()]}
      footer={t(
        '结果由区绩效办发布，以正式通报为准',
        'Published by the district performance office; the official notice prevails',
      )}
    >
      {years.isLoading ? (
        <Spin style={{ display: 'block', margin: 48 }} />
      ) : years.error ? (
        <Alert type="error" showIcon message={errorText(years.error)} />
      ) : !years.data?.length ? (
        <Card>
          <Empty description={t('暂无公开发布的年度考评结果', 'No annual results have been published yet')} />
        </Card>
      ) : (
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          <Card size="small">
            <Space wrap>
              <Typography.Text strong>{t('考核年度', 'Year')}</Typography.Text>
              <Select
                aria-label={t('考核年度', 'Year')}
                style={{ minWidth: 200 }}
                value={yearId}
                options={years.data.map((y) => ({ value: y.yearId, label: y.name }))}
                onChange={(v: number) => setParams({ year: String(v) })}
              />
              {results.data && (
                <Typography.Text type="secondary">
                  {t('发布于', 'Published')} {fmtDate(results.data.publishedAt)} · {results.data.windowLabel}
                </Typography.Text>
              )}
            </Space>
          </Card>
          {results.isLoading && <Spin style={{ display: 'block', margin: 48 }} />}
          {results.error && <Alert type="error" showIcon message={errorText(results.error)} />}
          {results.data?.categories.map((c) => (
            <Card key={c.name} size="small" title={c.name}>
              <Table<Row>
                size="small"
                rowKey={(r) => `${r.rank}:${r.unitName}`}
                pagination={false}
                dataSource={c.rows}
                columns={[
                  {
                    title: t('名次', 'Rank'),
                    dataIndex: 'rank',
                    width: 64,
                    render: (v: number) => (v <= 3 ? <Typography.Text strong>{v}</Typography.Text> : v),
                  },
                  { title: t('单位', 'Unit'), dataIndex: 'unitName' },
                  {
                    title: t('得分', 'Score'),
                    dataIndex: 'total',
                    width: 90,
                    align: 'right',
                    render: (v: number) => v.toFixed(2),
                  },
                  {
                    title: t('等次', 'Grade'),
                    dataIndex: 'grade',
                    width: 120,
                    render: (g: string | null, r: Row) =>
                      r.incomplete ? (
                        <Tooltip title={r.incomplete}>
                          <Tag color="orange">{t('数据不完整', 'Incomplete')}</Tag>
                        </Tooltip>
                      ) : g ? (
                        <Tag color="geekblue">{g}</Tag>
                      ) : (
                        '—'
                      ),
                  },
                ]}
              />
            </Card>
          ))}
        </Space>
      )}
    </PublicFrame>
  );
}
