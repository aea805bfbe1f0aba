import { DownloadOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Progress, Select, Space, Table, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import {
  UploadError,
  uploadWithProgress,
  type TExcelError,
  type TExcelResult,
  type UploadProgress,
} from './reportingData';
import { errorText } from '../../lib/api';
import { reportingApi } from './api';

/** Excel template download and upload for a unit and month, with upload progress and the row-level error report. */
export function ExcelPanel({ unitId, periods }: { unitId: number; periods: string[] }) {
  const { me } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [period, setPeriod] = useState<string | undefined>(periods[periods.length - 1]);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [report, setReport] = useState<TExcelError[] | null>(null);
  const [result, setResult] = useState<TExcelResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const p = period ?? periods[periods.length - 1];

  const onFile = async (file: File) => {
    setReport(null);
    setResult(null);
    setError(null);
    setProgress({ phase: 'upload', percent: 0 });
    try {
      const r = await uploadWithProgress<TExcelResult>(
        reportingApi.excelUploadUrl(unitId, p),
        file,
        setProgress,
        me?.csrfToken ?? null,
      );
      setResult(r);
      message.success(
        t(
          `导入成功：保存 ${r.saved} 项，未变化 ${r.unchanged} 项`,
          `Imported: ${r.saved} saved, ${r.unchanged} unchanged`,
        ),
      );
      await qc.invalidateQueries({ queryKey: ['reporting'] });
    } catch (e) {
      setError(errorText(e));
      if (e instanceof UploadError && e.report.length) setReport(e.report);
    } finally {
      setProgress(null);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <Card
      size="small"
      title={
        <Space>
          <FileExcelOutlined />
          {t('Excel 批量填报', 'Excel entry')}
        </Space>
      }
    >
      <Space wrap>
        <Select
          style={{ width: 130 }}
          value={p}
          onChange={setPeriod}
          options={periods.map((x) => ({ value: x, label: x }))}
          data-testid="excel-period"
        />
        <Button
          icon={<DownloadOutlined />}
          href={reportingApi.excelTemplateUrl(unitId, p)}
          data-testid="excel-template"
        >
          {t('下载填报模板', 'Download template')}
        </Button>
        <Button icon={<UploadOutlined />} type="primary" disabled={!!progress} onClick={() => input.current?.click()}>
          {t('上传填好的模板', 'Upload the filled template')}
        </Button>
        <input
          ref={input}
          type="file"
          accept=".xlsx"
          style={{ display: 'none' }}
          data-testid="excel-upload-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void onFile(f);
          }}
        />
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t(
          '模板每行对应一个指标字段，只需填写“填报值”列；整个文件全部校验通过才会保存（保存为草稿，仍需提交），有任何错误都不会改动数据。',
          'One row per field; fill the 填报值 column. The file is saved (as drafts) only if every row is valid.',
        )}
      </Typography.Paragraph>
      {progress && (
        <div style={{ marginTop: 12 }} data-testid="excel-progress">
          <Progress percent={progress.percent} status="active" />
          <Typography.Text type="secondary">
            {progress.phase === 'upload'
              ? t('正在上传文件…', 'Uploading…')
              : t(
                  '上传完成，服务器正在解析、校验并保存数据，请稍候…',
                  'Uploaded; the server is parsing, checking and saving…',
                )}
          </Typography.Text>
        </div>
      )}
      {result && (
        <Alert
          style={{ marginTop: 12 }}
          type="success"
          showIcon
          title={t(
            `共 ${result.rows} 行：保存 ${result.saved} 项，未变化 ${result.unchanged} 项，空白 ${result.skipped} 项；${result.flagged} 项有异常提示，提交时需说明（用时 ${result.ms.parse + result.ms.validate + result.ms.save} 毫秒）`,
            `${result.rows} rows: ${result.saved} saved, ${result.unchanged} unchanged, ${result.skipped} blank; ${result.flagged} flagged (${result.ms.parse + result.ms.validate + result.ms.save} ms)`,
          )}
        />
      )}
      {error && <Alert style={{ marginTop: 12 }} type="error" showIcon title={error} />}
      {report && (
        <Table
          style={{ marginTop: 12 }}
          size="small"
          rowKey={(r) => `${r.row}-${r.column}-${r.message}`}
          dataSource={report}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          data-testid="excel-errors"
          columns={[
            { title: t('行', 'Row'), dataIndex: 'row', width: 70, render: (n: number) => (n ? n : '—') },
            { title: t('列', 'Column'), dataIndex: 'column', width: 70, render: (c: string) => c || '—' },
            { title: t('问题', 'Problem'), dataIndex: 'message' },
          ]}
        />
      )}
    </Card>
  );
}
