import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Upload } from 'antd';
import type { ReactNode } from 'react';
import { useAuth } from '../lib/auth';
import { t } from '../lib/i18n';

/** What the evidence stores accept (server: reporting's checkEvidenceFile). */
export const EVIDENCE_ACCEPT = '.pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.zip';

/**
 * A button that uploads one file to `action` (multipart field `file`, with the session's CSRF token),
 * shows the server's error when it is refused, and hands the stored file (the server's answer) to
 * `onUploaded`. The caller keeps and shows its own list.
 */
export function FileUploadButton<T = { id: number }>(props: {
  action: string;
  label: ReactNode;
  onUploaded: (stored: T, fileName: string) => void;
  accept?: string;
  testId?: string;
  buttonTestId?: string;
  style?: React.CSSProperties;
}) {
  const { me } = useAuth();
  const { message } = App.useApp();
  return (
    <Upload
      name="file"
      action={props.action}
      headers={{ 'X-CSRF-Token': me?.csrfToken ?? '' }}
      withCredentials
      showUploadList={false}
      accept={props.accept ?? EVIDENCE_ACCEPT}
      onChange={(info) => {
        if (info.file.status === 'done') props.onUploaded(info.file.response as T, info.file.name);
        if (info.file.status === 'error')
          message.error(
            (info.file.response as { error?: { message?: string } } | undefined)?.error?.message ??
              t('上传失败', 'Upload failed'),
          );
      }}
      data-testid={props.testId}
    >
      <Button icon={<UploadOutlined />} style={props.style} data-testid={props.buttonTestId}>
        {props.label}
      </Button>
    </Upload>
  );
}
