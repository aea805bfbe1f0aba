import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { t } from '../lib/i18n';

/**
 * 导出 Excel of a table: the server writes exactly the rows the page's filters show (the export route
 * takes the list's own query). `path` is the export URL without its query; `query` the page's filters.
 */
export function ExportButton(props: {
  path: string;
  query?: Record<string, string | number | boolean | null | undefined>;
  testId: string;
  disabled?: boolean;
}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(props.query ?? {}))
    if (v !== null && v !== undefined && v !== '' && v !== false) q.set(k, String(v === true ? 1 : v));
  const href = q.size ? `${props.path}?${q.toString()}` : props.path;
  return (
    <Button
      className="xn-no-print"
      icon={<DownloadOutlined />}
      href={props.disabled ? undefined : href}
      disabled={props.disabled}
      data-testid={props.testId}
    >
      {t('导出 Excel', 'Export to Excel')}
    </Button>
  );
}

/** 打印: the print stylesheet (styles/print.css) prints the page's content on A4, without the menu. */
export function PrintButton(props: { testId: string; label?: string }) {
  return (
    <Button
      className="xn-no-print"
      icon={<PrinterOutlined />}
      onClick={() => window.print()}
      data-testid={props.testId}
    >
      {props.label ?? t('打印', 'Print')}
    </Button>
  );
}

/** A heading that shows only on paper (what the printed page is, e.g. 绩效考核结果通报). */
export function PrintTitle(props: { children: React.ReactNode }) {
  return <div className="xn-print-only xn-print-title">{props.children}</div>;
}
