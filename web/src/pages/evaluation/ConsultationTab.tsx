import { EditOutlined, LinkOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Space, Statistic, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type {
  TCampaign,
  TConsultationSummaryInput,
  TConsultationTopicInput,
} from '@server/modules/evaluation/evaluation.schema';
import { FormModal } from '../../components/FormModal';
import { errorText } from '../../lib/api';
import { applyFieldError } from '../../lib/forms';
import { t } from '../../lib/i18n';
import { fmtTime } from '../../lib/time';
import { EV_KEY, evaluationApi, useConsultation } from './api';
import { ConsultationTallies } from './ConsultationTallies';

/** The topic's background, editable until publication. */
function TopicModal({ id, background, onClose }: { id: number; background: string; onClose(): void }) {
  return (
    <FormModal<TConsultationTopicInput>
      title={t('议题背景', 'Background')}
      onClose={onClose}
      initialValues={{ background }}
      submit={(v) => evaluationApi.saveTopic(id, v.background)}
      invalidate={[EV_KEY]}
      success={t('已保存', 'Saved')}
      okTestId="cs-topic-ok"
    >
      <Form.Item name="background" noStyle>
        <Input.TextArea rows={6} maxLength={5000} showCount data-testid="cs-topic-text" />
      </Form.Item>
    </FormModal>
  );
}

/**
 * 意见汇总: a consultation's topic, the answers so far (live until published), and once closed the summary
 * editor (what was heard, what was adopted, what not and why) and publication to the public page.
 */
export function ConsultationTab({ c }: { c: TCampaign }) {
  const k = useConsultation(c.id);
  const [form] = Form.useForm<TConsultationSummaryInput>();
  const [editingTopic, setEditingTopic] = useState(false);
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null);
  const [dirty, setDirty] = useState(false);
  const qc = useQueryClient();
  const { message } = App.useApp();
  useEffect(() => {
    if (k.data) form.setFieldsValue(k.data.summary);
  }, [k.data, form]);
  if (k.error) return <Alert type="error" message={errorText(k.error)} />;
  if (!k.data) return <Card loading />;
  const d = k.data;
  const published = d.status === 'published';
  const run = async (what: 'save' | 'publish', fn: () => Promise<unknown>, done: string) => {
    setBusy(what);
    try {
      await fn();
      await qc.invalidateQueries({ queryKey: EV_KEY });
      setDirty(false);
      message.success(done);
    } catch (e) {
      if (!applyFieldError(form, e)) message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  const save = async () => {
    const v = await form.validateFields();
    await run('save', () => evaluationApi.saveSummary(c.id, v), t('意见汇总已保存（留痕）', 'Summary saved (audited)'));
  };
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 3fr) minmax(0, 2fr)', gap: 16 }}>
      <div>
        <Card
          size="small"
          title={t('议题背景', 'Background')}
          style={{ marginBottom: 16 }}
          extra={
            !published && (
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditingTopic(true)} data-testid="cs-topic">
                {t('编辑', 'Edit')}
              </Button>
            )
          }
        >
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
            {d.background || <Typography.Text type="secondary">{t('未填写', 'None')}</Typography.Text>}
          </Typography.Paragraph>
        </Card>
        <Card
          size="small"
          title={t('意见汇总与采纳情况', 'Summary: what was heard and adopted')}
          extra={
            d.summary.at && (
              <Typography.Text type="secondary">
                {d.summary.by} · {fmtTime(d.summary.at)}
              </Typography.Text>
            )
          }
        >
          {(d.status === 'draft' || d.status === 'open') && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              message={t(
                '征求意见结束后，在这里填写意见汇总与采纳情况，并向社会公开。',
                'After closing, write the summary here and publish it.',
              )}
            />
          )}
          {published && (
            <Alert
              type="success"
              showIcon
              style={{ marginBottom: 12 }}
              message={t(`已于 ${fmtTime(d.publishedAt)} 向社会公开`, `Published ${fmtTime(d.publishedAt)}`)}
              action={
                <Button size="small" icon={<LinkOutlined />} href={`/public/consultations/${c.id}`} target="_blank">
                  {t('公开页面', 'Public page')}
                </Button>
              }
            />
          )}
          <Form form={form} layout="vertical" disabled={d.status !== 'closed'} onValuesChange={() => setDirty(true)}>
            <Form.Item
              name="heard"
              label={t('意见汇总（收到哪些意见）', 'What was heard')}
              rules={[{ required: true, whitespace: true, message: t('请填写意见汇总', 'Write what was heard') }]}
            >
              <Input.TextArea rows={5} maxLength={10000} data-testid="cs-heard" />
            </Form.Item>
            <Form.Item name="adopted" label={t('采纳情况', 'What was adopted')}>
              <Input.TextArea rows={4} maxLength={10000} data-testid="cs-adopted" />
            </Form.Item>
            <Form.Item name="notAdopted" label={t('未采纳意见及理由', 'What was not adopted, and why')}>
              <Input.TextArea rows={4} maxLength={10000} data-testid="cs-not-adopted" />
            </Form.Item>
          </Form>
          {d.status === 'closed' && (
            <Space>
              <Button onClick={save} loading={busy === 'save'} data-testid="cs-save">
                {t('保存意见汇总', 'Save the summary')}
              </Button>
              <Popconfirm
                title={t(
                  '发布后意见汇总和问卷结果向社会公开，不能再修改。',
                  'Publishing shows the summary and the answers to the public; no more changes.',
                )}
                okButtonProps={{ id: 'cs-publish-ok' }}
                onConfirm={() =>
                  run('publish', () => evaluationApi.publishConsultation(c.id), t('已向社会公开', 'Published'))
                }
                disabled={dirty || !d.summary.heard}
              >
                <Button
                  type="primary"
                  loading={busy === 'publish'}
                  disabled={dirty || !d.summary.heard}
                  data-testid="cs-publish"
                >
                  {t('发布', 'Publish')}
                </Button>
              </Popconfirm>
              {(dirty || !d.summary.heard) && (
                <Typography.Text type="secondary">
                  {t('先保存意见汇总再发布', 'Save the summary first')}
                </Typography.Text>
              )}
            </Space>
          )}
        </Card>
      </div>
      <Card
        size="small"
        title={published ? t('问卷结果（已公开）', 'Answers (published)') : t('问卷结果（实时）', 'Answers (live)')}
      >
        <Statistic title={t('参与人数（有效答卷）', 'Participants (valid answers)')} value={d.participants} />
        <div style={{ marginTop: 12 }} data-testid="cs-tallies">
          <ConsultationTallies tallies={d.tallies} />
        </div>
      </Card>
      {editingTopic && <TopicModal id={c.id} background={d.background} onClose={() => setEditingTopic(false)} />}
    </div>
  );
}
