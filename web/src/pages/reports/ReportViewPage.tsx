import { ArrowLeftOutlined, FileExcelOutlined, FileWordOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Spin } from 'antd';
import { useEffect } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { reportHead } from '@common/reports';
import type { TAnalysis } from '@server/modules/reports/reports.schema';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { fmtTime } from '../../lib/time';
import { reportsApi, useReport } from './api';
import './report-print.css';

const CN = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];
const fmt = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '—' : x.toFixed(d));
const signed = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(2)}`;
/** "1 rating", "3 ratings" (the .docx's English counts). */
const countOf = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;

/** `L(中文, English)`: the text in the REPORT's language (not the UI's), the same wording as its .docx. */
type Pick = (zh: string, en: string) => string;
const pick =
  (a: TAnalysis): Pick =>
  (zh, en) =>
    a.lang === 'en' ? en : zh;

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

function Chart({ a, k, L }: { a: TAnalysis; k: string; L: Pick }) {
  const c = a.charts.find((x) => x.key === k);
  if (!c) return null;
  return (
    <figure className="xn-doc-chart">
      <img alt={c.title} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(c.svg)}`} />
      <figcaption>
        {L('图：', 'Figure: ')}
        {c.title}
      </figcaption>
    </figure>
  );
}

/** A second-level heading: （一）… / (1) …; `k` counts from 0. */
const subHeading = (k: number, text: string, L: Pick) => L(`（${CN[k]}）${text}`, `(${k + 1}) ${text}`);

/** 七、评价情况: the same parts as the .docx (a report kept before evaluation was connected shows its note). */
function EvaluationPart({ e, L }: { e: TAnalysis['evaluation']; L: Pick }) {
  if (!e.available) return <p>{e.note}</p>;
  const r = e.ratings;
  return (
    <div data-testid="report-evaluation">
      <h3>{subHeading(0, L('多元评价', 'Evaluation campaigns'), L)}</h3>
      {e.campaigns.length ? (
        <>
          <p>
            {L(
              `已发布评议活动 ${e.campaigns.length} 项，各项结果及得分最低的单位如下。`,
              `${countOf(e.campaigns.length, 'published campaign')}; results and lowest-scoring units:`,
            )}
          </p>
          <Tbl
            head={reportHead('campaigns', L)}
            rows={e.campaigns.map((c) => [
              c.title,
              `${c.periodFrom}${L('至', ' to ')}${c.periodTo}`,
              c.valid,
              fmt(c.mean),
              fmt(c.satisfactionRate),
              c.lowest
                .map((u) => L(`${u.unitName}（${fmt(u.mean)}）`, `${u.unitName} (${fmt(u.mean)})`))
                .join(L('、', ', ')) || '—',
            ])}
          />
        </>
      ) : (
        <p>{L('截至本期末尚无已发布的评议结果。', 'No published campaign results by the end of the period.')}</p>
      )}
      <h3>{subHeading(1, L('政务服务好差评', 'Government service ratings'), L)}</h3>
      {!r || !r.rated ? (
        <p>{L('本期没有收到好差评评价。', 'No service ratings were received in the period.')}</p>
      ) : (
        <>
          <p>
            {L(
              `本期评价 ${r.rated} 次，满意率 ${fmt(r.goodRate, 1)}%，差评 ${r.bad} 件；差评整改未销号 ${r.rectifications.open} 件，其中逾期 ${r.rectifications.overdue} 件，已销号 ${r.rectifications.done} 件。`,
              `${countOf(r.rated, 'rating')} in the period, satisfaction rate ${fmt(r.goodRate, 1)}%, ${countOf(r.bad, 'bad rating')}; rectifications of bad ratings: ${r.rectifications.open} open, ${r.rectifications.overdue} of them overdue, ${r.rectifications.done} closed.`,
            )}
          </p>
          <Tbl head={r.levels.map((l) => l.label)} rows={[r.levels.map((l) => l.count)]} />
          {r.topBadUnits.length > 0 && (
            <>
              <p>{L('差评较多的单位：', 'Units with most bad ratings:')}</p>
              <Tbl
                head={reportHead('badRatingUnits', L)}
                rows={r.topBadUnits.map((u) => [u.unitName, u.bad, u.rated])}
              />
            </>
          )}
        </>
      )}
    </div>
  );
}

/**
 * The report as a 公文-style page (the same parts as the .docx), printable on A4 without the menu. Its headings,
 * sentences and table headers are in the report's language (English: I., II. … and (1), (2) … as in the .docx).
 */
export function ReportDocument({ a }: { a: TAnalysis }) {
  const L = pick(a);
  const unit = a.scope.kind === 'unit';
  /** Items of a list: 、 in Chinese, a comma in English. */
  const list = (xs: string[]) => xs.join(L('、', ', '));
  /** A figure in brackets after a name: 甲局（88.00） / 甲局 (88.00). */
  const paren = (name: string, x: string) => L(`${name}（${x}）`, `${name} (${x})`);
  let s = 0;
  const H1 = ({ children }: { children: string }) => {
    const n = s++;
    return <h2>{L(`${CN[n]}、${children}`, `${ROMAN[n]}. ${children}`)}</h2>;
  };
  const ct = a.cases.totals;
  return (
    <article className="xn-doc" data-testid="report-document" lang={a.lang === 'en' ? 'en' : undefined}>
      <h1>{a.title}</h1>
      <p className="xn-doc-sub">
        {L(
          `（考核期：${a.periodLabel}${a.comparedWith ? `；对比：${a.comparedWith}` : ''}；数据版本 ${a.scoreVersion}；生成于 ${fmtTime(a.generatedAt)}）`,
          `(Period: ${a.periodLabel}${a.comparedWith ? `; compared with: ${a.comparedWith}` : ''}; data version ${a.scoreVersion}; generated ${fmtTime(a.generatedAt)})`,
        )}
      </p>
      <H1>{L('总体情况', 'Overview')}</H1>
      {a.summary.paragraphs.map((p) => (
        <p key={p}>{p}</p>
      ))}
      <Tbl
        head={reportHead('categories', L)}
        rows={a.summary.categories.map((c) => [
          c.name,
          c.units,
          fmt(c.average),
          fmt(c.max),
          fmt(c.min),
          list(c.top.map((x) => paren(x.unitName, fmt(x.total)))),
        ])}
      />
      <Chart a={a} k="categories" L={L} />
      {a.summary.topNodes.length > 0 && (
        <Tbl
          head={[
            L('指标', 'Indicator'),
            L('分值', 'Points'),
            unit ? L('本单位得分', 'Unit’s score') : L('全区平均得分', 'District average'),
            unit ? L('同类平均', 'Average of similar units') : L('平均得分率（%）', 'Average score rate (%)'),
          ]}
          rows={a.summary.topNodes.map((n) => [
            `${n.code} ${n.name}`,
            fmt(n.points, 1),
            fmt(n.score),
            unit ? fmt(n.categoryAvg) : n.score === null || !n.points ? '—' : ((n.score / n.points) * 100).toFixed(1),
          ])}
        />
      )}
      <Chart a={a} k="nodes" L={L} />
      <H1>{L('得分变动情况', 'Changes in scores')}</H1>
      {!a.comparedWith ? (
        <p>
          {L(
            '本期没有可比较的上期数据，不作变动分析。',
            'There is no earlier period to compare with, so no changes are analysed.',
          )}
        </p>
      ) : (
        a.movement.map((m, k) => (
          <section key={m.categoryName}>
            <h3>{subHeading(k, m.categoryName, L)}</h3>
            {m.gains.length + m.losses.length === 0 ? (
              <p>{L('本类别单位得分没有变化。', 'No unit of this category changed its score.')}</p>
            ) : (
              <Tbl
                head={reportHead('movers', L)}
                rows={[...m.gains, ...m.losses].map((x) => [
                  x.unitName,
                  fmt(x.total),
                  fmt(x.previous),
                  signed(x.delta),
                  x.causes.map((c) => paren(`${c.code} ${c.name}`, signed(c.delta))).join(L('；', '; ')) || '—',
                ])}
              />
            )}
          </section>
        ))
      )}
      <H1>
        {unit
          ? L('短板指标', 'Weak indicators')
          : L('排名靠后单位及短板指标', 'Lowest-ranked units and weak indicators')}
      </H1>
      {a.behind.map((b, k) => (
        <section key={b.categoryName}>
          {!unit && <h3>{subHeading(k, b.categoryName, L)}</h3>}
          {b.units.map((u) => (
            <div key={u.unitId}>
              <p>
                {L(
                  `${u.unitName}：得分 ${fmt(u.total)} 分，排名 ${u.rank}/${u.of}。`,
                  `${u.unitName}: ${fmt(u.total)} points, ranked ${u.rank}/${u.of}.`,
                )}
              </p>
              <Tbl
                head={reportHead('weakLeaves', L)}
                rows={u.weakest.map((l) => [
                  `${l.code} ${l.name}`,
                  fmt(l.points, 1),
                  l.score === null ? L('无数据', 'no data') : fmt(l.score),
                  fmt(l.categoryAvg),
                  fmt(l.gap, 1),
                ])}
              />
            </div>
          ))}
        </section>
      ))}
      <H1>{L('预警灯与数据报送', 'Warning lights and data submission')}</H1>
      <p>
        {L(
          `截至生成时，红灯 ${a.lights.red} 个，黄灯 ${a.lights.yellow} 个，绿灯 ${a.lights.green} 个；本考核期应报未报 ${a.missingReports.missing} 项，迟报 ${a.missingReports.late} 项。`,
          `At the time of generation: ${countOf(a.lights.red, 'red light')}, ${a.lights.yellow} yellow, ${a.lights.green} green. Submissions of this period: ${a.missingReports.missing} missing, ${a.missingReports.late} late.`,
        )}
      </p>
      {a.lights.units.length > 0 && (
        <Tbl head={reportHead('lights', L)} rows={a.lights.units.map((u) => [u.unitName, u.red, u.yellow, u.green])} />
      )}
      {a.missingReports.units.length > 0 && (
        <Tbl
          head={reportHead('missingReports', L)}
          rows={a.missingReports.units.map((u) => [u.unitName, u.missing, u.late])}
        />
      )}
      <H1>{L('督查督办', 'Supervision tasks')}</H1>
      {a.supervision.available ? (
        <>
          <p>
            {L(
              `督办事项共 ${a.supervision.total} 项，逾期未办结 ${a.supervision.overdue} 项，亮红灯 ${a.supervision.red} 项。`,
              `Supervision tasks: ${a.supervision.total} in all, ${a.supervision.overdue} overdue and not completed, ${a.supervision.red} on a red light.`,
            )}
          </p>
          {a.supervision.tasks.length > 0 && (
            <Tbl
              head={reportHead('overdueTasks', L)}
              rows={a.supervision.tasks.map((x) => [x.title, x.leadUnitName, x.deadline, x.daysOverdue])}
            />
          )}
        </>
      ) : (
        <p>{a.supervision.note}</p>
      )}
      <H1>{L('12345 热线诉求', '12345 hotline requests')}</H1>
      <p>
        {L(
          `本期派单 ${ct.dispatched} 件，办结 ${ct.closed} 件，督办件 ${ct.escalated} 件；按时办结率 ${fmt(ct.onTimeRate)}%，满意率 ${fmt(ct.satisfactionRate)}%。`,
          `Cases of this period: ${ct.dispatched} dispatched, ${ct.closed} closed, ${ct.escalated} escalated; on-time closing rate ${fmt(ct.onTimeRate)}%, satisfaction rate ${fmt(ct.satisfactionRate)}%.`,
        )}
      </p>
      <Chart a={a} k="cases" L={L} />
      {a.cases.topCategories.length > 0 && (
        <Tbl
          head={reportHead('caseCategories', L)}
          rows={a.cases.topCategories.map((c) => [c.name, c.created, c.closed])}
        />
      )}
      {(a.cases.streets ?? []).length > 0 && (
        <>
          <p>
            {L(
              '热点街道（按受理量，按诉求地点归入街道）：',
              'Hot-spot streets (by cases received, placed on streets by the request’s location):',
            )}
          </p>
          <Tbl
            head={reportHead('caseStreets', L)}
            rows={(a.cases.streets ?? []).map((x) => [x.name, x.cases, x.topCategory ?? '—', x.topCategoryCases])}
          />
        </>
      )}
      {a.cases.units.length > 0 && (
        <Tbl
          head={reportHead('caseUnits', L)}
          rows={a.cases.units.map((u) => [
            u.unitName,
            u.dispatched,
            u.closed,
            fmt(u.onTimeRate),
            fmt(u.satisfactionRate),
          ])}
        />
      )}
      <H1>{L('评价情况', 'Evaluations')}</H1>
      <EvaluationPart e={a.evaluation} L={L} />
      <H1>{L('改进建议', 'Suggestions for improvement')}</H1>
      {a.suggestions.length === 0 && (
        <p>
          {L(
            '各短板指标与同类单位均值差距均在 5 个百分点以内，本期不提出专项建议。',
            'Every weak indicator is within 5 percentage points of the average of similar units; no specific suggestion this period.',
          )}
        </p>
      )}
      {a.suggestions.map((x, k) => (
        <p key={k}>
          <b>{k + 1}. </b>
          {L(`${x.unitName}：${x.finding}。${x.advice}。`, `${x.unitName}: ${x.finding}. ${x.advice}.`)}
        </p>
      ))}
      <section className="xn-doc-annex">
        <h2>{L('附表', 'Appendix')}</h2>
        <Tbl
          head={reportHead('ranking', L)}
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
