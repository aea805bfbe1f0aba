import { ArrowLeftOutlined, FileExcelOutlined, FileWordOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Spin } from 'antd';
import { useEffect } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { TAnalysis } from '@server/modules/reports/reports.schema';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { fmtTime } from '../../lib/time';
import { reportsApi, useReport } from './api';
import './report-print.css';

const CN = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const fmt = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '—' : x.toFixed(d));
const signed = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(2)}`;

function Tbl({ head, rows }: { head: string[]; rows: (string | number)[][] }) {
  return (
    <table className="xn-doc-table">
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) => (
              <td key={j}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Chart({ a, k }: { a: TAnalysis; k: string }) {
  const c = a.charts.find((x) => x.key === k);
  if (!c) return null;
  return (
    <figure className="xn-doc-chart">
      <img alt={c.title} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(c.svg)}`} />
      <figcaption>图：{c.title}</figcaption>
    </figure>
  );
}

/** 七、评价情况: the same parts as the .docx (a report kept before evaluation was connected shows its note). */
function EvaluationPart({ e }: { e: TAnalysis['evaluation'] }) {
  if (!e.available) return <p>{e.note}</p>;
  const r = e.ratings;
  return (
    <div data-testid="report-evaluation">
      <h3>（一）多元评价</h3>
      {e.campaigns.length ? (
        <>
          <p>已发布评议活动 {e.campaigns.length} 项，各项结果及得分最低的单位如下。</p>
          <Tbl
            head={['评议活动', '评议期', '有效问卷', '平均分', '满意率（%）', '得分最低单位']}
            rows={e.campaigns.map((c) => [
              c.title,
              `${c.periodFrom}至${c.periodTo}`,
              c.valid,
              fmt(c.mean),
              fmt(c.satisfactionRate),
              c.lowest.map((u) => `${u.unitName}（${fmt(u.mean)}）`).join('、') || '—',
            ])}
          />
        </>
      ) : (
        <p>截至本期末尚无已发布的评议结果。</p>
      )}
      <h3>（二）政务服务好差评</h3>
      {!r || !r.rated ? (
        <p>本期没有收到好差评评价。</p>
      ) : (
        <>
          <p>
            本期评价 {r.rated} 次，满意率 {fmt(r.goodRate, 1)}%，差评 {r.bad} 件；差评整改未销号 {r.rectifications.open}{' '}
            件，其中逾期 {r.rectifications.overdue} 件，已销号 {r.rectifications.done} 件。
          </p>
          <Tbl head={r.levels.map((l) => l.label)} rows={[r.levels.map((l) => l.count)]} />
          {r.topBadUnits.length > 0 && (
            <>
              <p>差评较多的单位：</p>
              <Tbl head={['单位', '差评', '评价']} rows={r.topBadUnits.map((u) => [u.unitName, u.bad, u.rated])} />
            </>
          )}
        </>
      )}
    </div>
  );
}

/** The report as a 公文-style page (the same parts as the .docx), printable on A4 without the menu. */
export function ReportDocument({ a }: { a: TAnalysis }) {
  const unit = a.scope.kind === 'unit';
  let s = 0;
  const H1 = ({ children }: { children: string }) => <h2>{`${CN[s++]}、${children}`}</h2>;
  return (
    <article className="xn-doc" data-testid="report-document">
      <h1>{a.title}</h1>
      <p className="xn-doc-sub">
        （考核期：{a.periodLabel}
        {a.comparedWith ? `；对比：${a.comparedWith}` : ''}；数据版本 {a.scoreVersion}；生成于 {fmtTime(a.generatedAt)}
        ）
      </p>
      <H1>总体情况</H1>
      {a.summary.paragraphs.map((p) => (
        <p key={p}>{p}</p>
      ))}
      <Tbl
        head={['类别', '单位数', '平均分', '最高分', '最低分', '前三名']}
        rows={a.summary.categories.map((c) => [
          c.name,
          c.units,
          fmt(c.average),
          fmt(c.max),
          fmt(c.min),
          c.top.map((x) => `${x.unitName}（${fmt(x.total)}）`).join('、'),
        ])}
      />
      <Chart a={a} k="categories" />
      {a.summary.topNodes.length > 0 && (
        <Tbl
          head={['指标', '分值', unit ? '本单位得分' : '全区平均得分', unit ? '同类平均' : '平均得分率（%）']}
          rows={a.summary.topNodes.map((n) => [
            `${n.code} ${n.name}`,
            fmt(n.points, 1),
            fmt(n.score),
            unit ? fmt(n.categoryAvg) : n.score === null || !n.points ? '—' : ((n.score / n.points) * 100).toFixed(1),
          ])}
        />
      )}
      <Chart a={a} k="nodes" />
      <H1>得分变动情况</H1>
      {!a.comparedWith ? (
        <p>本期没有可比较的上期数据，不作变动分析。</p>
      ) : (
        a.movement.map((m, k) => (
          <section key={m.categoryName}>
            <h3>{`（${CN[k]}）${m.categoryName}`}</h3>
            {m.gains.length + m.losses.length === 0 ? (
              <p>本类别单位得分没有变化。</p>
            ) : (
              <Tbl
                head={['单位', '本期', '上期', '变动', '主要原因（指标得分变化）']}
                rows={[...m.gains, ...m.losses].map((x) => [
                  x.unitName,
                  fmt(x.total),
                  fmt(x.previous),
                  signed(x.delta),
                  x.causes.map((c) => `${c.code} ${c.name}（${signed(c.delta)}）`).join('；') || '—',
                ])}
              />
            )}
          </section>
        ))
      )}
      <H1>{unit ? '短板指标' : '排名靠后单位及短板指标'}</H1>
      {a.behind.map((b, k) => (
        <section key={b.categoryName}>
          {!unit && <h3>{`（${CN[k]}）${b.categoryName}`}</h3>}
          {b.units.map((u) => (
            <div key={u.unitId}>
              <p>
                {u.unitName}：得分 {fmt(u.total)} 分，排名 {u.rank}/{u.of}。
              </p>
              <Tbl
                head={['指标', '分值', '得分', '同类平均', '差距（百分点）']}
                rows={u.weakest.map((l) => [
                  `${l.code} ${l.name}`,
                  fmt(l.points, 1),
                  l.score === null ? '无数据' : fmt(l.score),
                  fmt(l.categoryAvg),
                  fmt(l.gap, 1),
                ])}
              />
            </div>
          ))}
        </section>
      ))}
      <H1>预警灯与数据报送</H1>
      <p>
        截至生成时，红灯 {a.lights.red} 个，黄灯 {a.lights.yellow} 个，绿灯 {a.lights.green} 个；本考核期应报未报{' '}
        {a.missingReports.missing} 项，迟报 {a.missingReports.late} 项。
      </p>
      {a.lights.units.length > 0 && (
        <Tbl
          head={['单位', '红灯', '黄灯', '绿灯']}
          rows={a.lights.units.map((u) => [u.unitName, u.red, u.yellow, u.green])}
        />
      )}
      {a.missingReports.units.length > 0 && (
        <Tbl
          head={['单位', '未报', '迟报']}
          rows={a.missingReports.units.map((u) => [u.unitName, u.missing, u.late])}
        />
      )}
      <H1>督查督办</H1>
      {a.supervision.available ? (
        <>
          <p>
            督办事项共 {a.supervision.total} 项，逾期未办结 {a.supervision.overdue} 项，亮红灯 {a.supervision.red} 项。
          </p>
          {a.supervision.tasks.length > 0 && (
            <Tbl
              head={['事项', '牵头单位', '期限', '逾期天数']}
              rows={a.supervision.tasks.map((x) => [x.title, x.leadUnitName, x.deadline, x.daysOverdue])}
            />
          )}
        </>
      ) : (
        <p>{a.supervision.note}</p>
      )}
      <H1>12345 热线诉求</H1>
      <p>
        本期派单 {a.cases.totals.dispatched} 件，办结 {a.cases.totals.closed} 件，督办件 {a.cases.totals.escalated}{' '}
        件；按时办结率 {fmt(a.cases.totals.onTimeRate)}%，满意率 {fmt(a.cases.totals.satisfactionRate)}%。
      </p>
      <Chart a={a} k="cases" />
      {a.cases.topCategories.length > 0 && (
        <Tbl
          head={['诉求类别', '受理', '办结']}
          rows={a.cases.topCategories.map((c) => [c.name, c.created, c.closed])}
        />
      )}
      {(a.cases.streets ?? []).length > 0 && (
        <>
          <p>热点街道（按受理量，按诉求地点归入街道）：</p>
          <Tbl
            head={['街道', '受理', '主要诉求类别', '该类受理']}
            rows={(a.cases.streets ?? []).map((x) => [x.name, x.cases, x.topCategory ?? '—', x.topCategoryCases])}
          />
        </>
      )}
      {a.cases.units.length > 0 && (
        <Tbl
          head={['单位', '派单', '办结', '按时办结率（%）', '满意率（%）']}
          rows={a.cases.units.map((u) => [
            u.unitName,
            u.dispatched,
            u.closed,
            fmt(u.onTimeRate),
            fmt(u.satisfactionRate),
          ])}
        />
      )}
      <H1>评价情况</H1>
      <EvaluationPart e={a.evaluation} />
      <H1>改进建议</H1>
      {a.suggestions.length === 0 && <p>各短板指标与同类单位均值差距均在 5 个百分点以内，本期不提出专项建议。</p>}
      {a.suggestions.map((x, k) => (
        <p key={k}>
          <b>{k + 1}. </b>
          {x.unitName}：{x.finding}。{x.advice}。
        </p>
      ))}
      <section className="xn-doc-annex">
        <h2>附表</h2>
        <Tbl
          head={['类别', '单位', '得分', '排名', '等次', '上期', '变动']}
          rows={a.ranking.map((r) => [
            r.categoryName,
            r.unitName,
            fmt(r.total),
            `${r.rank}/${r.of}`,
            r.grade ?? '—',
            fmt(r.previous),
            r.delta === null ? '—' : signed(r.delta),
          ])}
        />
      </section>
    </article>
  );
}

/** /reports/:id — the report page; `?print=1` opens the browser's print dialog once it is drawn. */
export function ReportViewPage() {
  const id = Number(useParams().id);
  const [params] = useSearchParams();
  const q = useReport(id);
  const autoPrint = params.get('print') === '1';
  useEffect(() => {
    if (autoPrint && q.data) {
      const h = setTimeout(() => window.print(), 300);
      return () => clearTimeout(h);
    }
  }, [autoPrint, q.data]);
  if (q.isLoading) return <Spin style={{ display: 'block', margin: 80 }} />;
  if (q.error || !q.data) return <Alert type="error" showIcon title={errorText(q.error)} />;
  const r = q.data.report;
  return (
    <div className="xn-report-page">
      <Space className="xn-no-print" style={{ marginBottom: 12 }} wrap>
        <Link to="/reports">
          <ArrowLeftOutlined /> {t('分析报告', 'Reports')}
        </Link>
        <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="report-print">
          {t('打印', 'Print')}
        </Button>
        <Button icon={<FileWordOutlined />} href={reportsApi.docxUrl(r.id)}>
          {t('下载 Word', 'Word')}
        </Button>
        <Button icon={<FileExcelOutlined />} href={reportsApi.xlsxUrl(r.id)}>
          {t('下载 Excel', 'Excel')}
        </Button>
      </Space>
      <ReportDocument a={q.data.analysis} />
    </div>
  );
}
