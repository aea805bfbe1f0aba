import { FileExcelOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Modal, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import type { TLedgerImportError, TLedgerImportResult } from '@server/modules/supervision/supervision.ledger.schema';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { UploadError, uploadWithProgress } from '../reporting/reportingData';
import { SUP_KEY, supervisionApi } from './api';

/**
 * 年初建账: the template download and the upload dialog of the Excel ledger import. The import is all or
 * nothing: a refused file lists its problems by row and column, and nothing was saved.
 */
export function LedgerImportButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<UploadOutlined />} onClick={() => setOpen(true)} data-testid="sup-import">
        {t('Excel 建账', 'Import from Excel')}
      </Button>
      {open && <LedgerImportDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function LedgerImportDialog({ onClose }: { onClose: () => void }) {
  const { me } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<{ message: string; errors: TLedgerImportError[] } | null>(null);

  const send = async (file: File) => {
    setBusy(true);
    setRefused(null);
    try {
      const r = await uploadWithProgress<TLedgerImportResult>(
        supervisionApi.ledgerImportUrl,
        file,
        () => undefined,
        me?.csrfToken ?? null,
      );
      message.success(t(`导入成功：新建 ${r.created} 项督办事项`, `Imported: ${r.created} task(s) created`));
      await qc.invalidateQueries({ queryKey: SUP_KEY });
      onClose();
    } catch (e) {
      setRefused({
        message: errorText(e),
        errors: e instanceof UploadError ? (e.report as unknown as TLedgerImportError[]) : [],
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={800}
      title={t('从 Excel 导入台账（年初建账）', 'Import the ledger from Excel')}
      onCancel={onClose}
      footer={<Button onClick={onClose}>{t('关闭', 'Close')}</Button>}
    >
      <Space orientation="vertical" style={{ width: '100%' }} size={12}>
        <Typography.Paragraph style={{ margin: 0 }}>
          {t(
            '按模板填写事项（每行一项；分解到单位的子任务在「上级事项」列填写上级事项名称）。每一行都按手工新增事项的规则校验，全部通过才会保存；有任何错误时不保存任何数据，并列出出错的行和列。导入的事项为「待签收」状态。',
            'Fill in the template, one task per row (a sub-task names its parent task). Every row is checked as a task entered by hand; the file is saved only when every row passes, otherwise nothing is saved and the problems are listed by row and column. Imported tasks await signing by their units.',
          )}
        </Typography.Paragraph>
        <Button icon={<FileExcelOutlined />} href={supervisionApi.ledgerTemplateUrl} data-testid="sup-import-template">
          {t('下载导入模板', 'Download the template')}
        </Button>
        <Upload.Dragger
          accept=".xlsx"
          multiple={false}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(file) => {
            void send(file);
            return false;
          }}
          data-testid="sup-import-input"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">
            {busy
              ? t('正在导入…', 'Importing…')
              : t('点击或拖入填好的 .xlsx 文件', 'Click or drop the filled .xlsx file')}
          </p>
        </Upload.Dragger>
        {refused && (
          <>
            <Alert
              type="error"
              showIcon
              title={refused.message}
              description={t(
                '未保存任何数据。请修改文件后重新导入。',
                'Nothing was saved. Fix the file and import it again.',
              )}
              data-testid="sup-import-error"
            />
            {!!refused.errors.length && (
              <Table<TLedgerImportError>
                size="small"
                rowKey={(r) => `${r.row}-${r.column}-${r.zh}`}
                dataSource={refused.errors}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                data-testid="sup-import-report"
                columns={[
                  { title: t('行', 'Row'), dataIndex: 'row', width: 70, render: (v: number) => (v > 0 ? v : '—') },
                  { title: t('列', 'Column'), dataIndex: 'column', width: 70, render: (v: string) => v || '—' },
                  { title: t('问题', 'Problem'), render: (_, r) => t(r.zh, r.en) },
                ]}
              />
            )}
          </>
        )}
      </Space>
    </Modal>
  );
}
