import { DownloadOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Modal, Space, Table, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useAuth } from '../lib/auth';
import { t } from '../lib/i18n';
import { errorText } from '../lib/api';
import { UploadError, uploadWithProgress } from '../pages/reporting/reportingData';

/** A row/column problem of a refused import, and the counts of a saved one (server lib/xlsx-lists ZImportError, ZImportResult). */
type TImportError = { row: number; column: string; message: string };
type TImportResult = { created: number; updated: number; unchanged: number };

/**
 * Template / import / export buttons of a list kept in Excel (units, users): `base` is the API prefix
 * (`/api/units/excel`). A refused import shows its row/column report; nothing was saved then.
 */
export function ExcelListButtons(props: {
  base: string;
  testId: string;
  canImport: boolean;
  onImported: () => void | Promise<void>;
}) {
  const { me } = useAuth();
  const { message } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<{ message: string; errors: TImportError[] } | null>(null);

  const onFile = async (file: File) => {
    setBusy(true);
    try {
      const r = await uploadWithProgress<TImportResult>(
        `${props.base}/import`,
        file,
        () => undefined,
        me?.csrfToken ?? null,
      );
      message.success(
        t(
          `导入成功：新建 ${r.created}，更新 ${r.updated}，未变化 ${r.unchanged}`,
          `Imported: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged`,
        ),
      );
      await props.onImported();
    } catch (e) {
      setReport({ message: errorText(e), errors: e instanceof UploadError ? e.report : [] });
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <Space wrap>
      {props.canImport && (
        <Button icon={<FileExcelOutlined />} href={`${props.base}/template`} data-testid={`${props.testId}-template`}>
          {t('下载导入模板', 'Import template')}
        </Button>
      )}
      {props.canImport && (
        <Button
          icon={<UploadOutlined />}
          loading={busy}
          onClick={() => input.current?.click()}
          data-testid={`${props.testId}-import`}
        >
          {t('从 Excel 导入', 'Import from Excel')}
        </Button>
      )}
      <Button icon={<DownloadOutlined />} href={`${props.base}/export`} data-testid={`${props.testId}-export`}>
        {t('导出 Excel', 'Export to Excel')}
      </Button>
      <input
        ref={input}
        type="file"
        accept=".xlsx"
        style={{ display: 'none' }}
        data-testid={`${props.testId}-import-input`}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void onFile(f);
        }}
      />
      <Modal
        open={!!report}
        title={t('导入未完成', 'Import refused')}
        onCancel={() => setReport(null)}
        footer={null}
        width={720}
      >
        <Typography.Paragraph type="danger" data-testid={`${props.testId}-import-error`}>
          {report?.message}
        </Typography.Paragraph>
        {!!report?.errors.length && (
          <Table<TImportError>
            size="small"
            rowKey={(r) => `${r.row}-${r.column}-${r.message}`}
            dataSource={report.errors}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            data-testid={`${props.testId}-import-report`}
            columns={[
              { title: t('行', 'Row'), dataIndex: 'row', width: 70, render: (v: number) => (v > 0 ? v : '—') },
              { title: t('列', 'Column'), dataIndex: 'column', width: 70, render: (v: string) => v || '—' },
              { title: t('问题', 'Problem'), dataIndex: 'message' },
            ]}
          />
        )}
        <Typography.Text type="secondary">
          {t('未保存任何数据。请修改文件后重新导入。', 'Nothing was saved. Fix the file and import it again.')}
        </Typography.Text>
      </Modal>
    </Space>
  );
}
