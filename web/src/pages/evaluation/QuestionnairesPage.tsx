import { DeleteOutlined, MobileOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Drawer,
  Empty,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import type { TQuestion, TQuestionnaire } from '@server/modules/evaluation/evaluation.schema';
import { errorText } from '../../lib/api';
import { applyFieldError } from '../../lib/forms';
import { t } from '../../lib/i18n';
import { evaluationApi, QUESTIONNAIRES_KEY, useQuestionnaires } from './api';
import { QUESTION_TYPES } from './evaluationData';
import { SurveyForm } from './SurveyForm';

type Draft = { title: string; intro: string; questions: (TQuestion & { optionsText?: string; rowsText?: string })[] };

const lines = (s?: string) =>
  (s ?? '')
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);
const toInput = (d: Draft) => ({
  title: d.title,
  intro: d.intro ?? '',
  questions: (d.questions ?? []).map((q, i) => ({
    key: q.key || `q${i + 1}`,
    type: q.type,
    title: q.title,
    required: q.required ?? false,
    ...(q.type === 'single' || q.type === 'multi' ? { options: lines(q.optionsText) } : {}),
    ...(q.type === 'matrix'
      ? {
          rowsAreTargets: !!q.rowsAreTargets,
          rows: q.rowsAreTargets ? undefined : lines(q.rowsText),
          scale: q.scale ?? 'satisfaction5',
        }
      : {}),
  })),
});

/** The questionnaire builder: questions of every type, required flags, and the phone-size preview. */
function Builder({ from, onClose }: { from: TQuestionnaire | 'new'; onClose(): void }) {
  const [form] = Form.useForm<Draft>();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const values = Form.useWatch([], form) as Draft | undefined;
  const initial: Draft =
    from === 'new'
      ? {
          title: '',
          intro: '',
          questions: [
            {
              key: 'q1',
              type: 'satisfaction5',
              title: t('您对本单位工作的总体满意度', 'Overall satisfaction'),
              required: true,
            },
          ],
        }
      : {
          title: from.title,
          intro: from.intro,
          questions: from.questions.map((q) => ({
            ...q,
            optionsText: (q.options ?? []).join('\n'),
            rowsText: (q.rows ?? []).join('\n'),
          })),
        };
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const body = toInput(v);
      if (from === 'new') await evaluationApi.createQuestionnaire(body);
      else await evaluationApi.reviseQuestionnaire(from.id, body);
      await qc.invalidateQueries({ queryKey: QUESTIONNAIRES_KEY });
      message.success(from === 'new' ? t('问卷已保存', 'Saved') : t('已保存为新版本', 'Saved as a new version'));
      onClose();
    } catch (e) {
      if (!applyFieldError(form, e)) message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const preview = values ? toInput({ ...initial, ...values }) : toInput(initial);
  return (
    <Drawer
      open
      width={1180}
      onClose={onClose}
      title={
        from === 'new'
          ? t('新建问卷', 'New questionnaire')
          : t(`修订问卷（将保存为第 ${from.version + 1} 版）`, `Revise (saved as version ${from.version + 1})`)
      }
      extra={
        <Button type="primary" loading={busy} onClick={save} data-testid="qn-save">
          {t('保存', 'Save')}
        </Button>
      }
    >
      <Row gutter={16}>
        <Col flex="auto">
          <Form form={form} layout="vertical" initialValues={initial}>
            <Form.Item name="title" label={t('问卷标题', 'Title')} rules={[{ required: true }]}>
              <Input data-testid="qn-title" />
            </Form.Item>
            <Form.Item name="intro" label={t('卷首语', 'Introduction')}>
              <Input.TextArea rows={2} />
            </Form.Item>
            <Form.List name="questions">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f, i) => {
                    const type = values?.questions?.[i]?.type;
                    return (
                      <Card
                        key={f.key}
                        size="small"
                        style={{ marginBottom: 8 }}
                        title={`${t('第', 'Q')}${i + 1}${t('题', '')}`}
                        extra={<Button size="small" icon={<DeleteOutlined />} onClick={() => remove(f.name)} />}
                      >
                        <Space wrap align="start">
                          <Form.Item name={[f.name, 'type']} label={t('题型', 'Type')} rules={[{ required: true }]}>
                            <Select
                              style={{ width: 160 }}
                              options={Object.entries(QUESTION_TYPES).map(([value, l]) => ({ value, label: l() }))}
                              data-testid={`qn-type-${i}`}
                            />
                          </Form.Item>
                          <Form.Item
                            name={[f.name, 'key']}
                            label={t('编号', 'Key')}
                            rules={[
                              {
                                required: true,
                                pattern: /^[a-z][a-z0-9_]{0,29}$/,
                                message: t('小写字母开头', 'lower-case letter first'),
                              },
                            ]}
                          >
                            <Input style={{ width: 100 }} />
                          </Form.Item>
                          <Form.Item name={[f.name, 'required']} valuePropName="checked" label={t('必答', 'Required')}>
                            <Checkbox />
                          </Form.Item>
                        </Space>
                        <Form.Item name={[f.name, 'title']} label={t('题目', 'Question')} rules={[{ required: true }]}>
                          <Input data-testid={`qn-title-${i}`} />
                        </Form.Item>
                        {(type === 'single' || type === 'multi') && (
                          <Form.Item
                            name={[f.name, 'optionsText']}
                            label={t('选项（每行一个）', 'Options (one a line)')}
                            rules={[{ required: true }]}
                          >
                            <Input.TextArea rows={3} />
                          </Form.Item>
                        )}
                        {type === 'matrix' && (
                          <Space wrap align="start">
                            <Form.Item
                              name={[f.name, 'rowsAreTargets']}
                              valuePropName="checked"
                              label={t('行为被评价单位', 'Rows are the target units')}
                            >
                              <Checkbox />
                            </Form.Item>
                            <Form.Item name={[f.name, 'scale']} label={t('量表', 'Scale')} initialValue="satisfaction5">
                              <Select
                                style={{ width: 140 }}
                                options={[
                                  { value: 'satisfaction5', label: t('五级满意度', '5 levels') },
                                  { value: 'scale10', label: '0–10' },
                                ]}
                              />
                            </Form.Item>
                            {!values?.questions?.[i]?.rowsAreTargets && (
                              <Form.Item
                                name={[f.name, 'rowsText']}
                                label={t('评价方面（每行一个）', 'Aspects (one a line)')}
                              >
                                <Input.TextArea rows={3} style={{ width: 260 }} />
                              </Form.Item>
                            )}
                          </Space>
                        )}
                      </Card>
                    );
                  })}
                  <Button
                    icon={<PlusOutlined />}
                    onClick={() =>
                      add({ key: `q${fields.length + 1}`, type: 'satisfaction5', title: '', required: true })
                    }
                    data-testid="qn-add"
                  >
                    {t('添加题目', 'Add a question')}
                  </Button>
                </>
              )}
            </Form.List>
          </Form>
        </Col>
        <Col flex="420px">
          <Typography.Text type="secondary">
            <MobileOutlined /> {t('手机预览（390×844）', 'Phone preview (390×844)')}
          </Typography.Text>
          <div
            data-testid="qn-preview"
            style={{
              width: 390,
              height: 844,
              overflowY: 'auto',
              border: '10px solid #222',
              borderRadius: 28,
              background: '#f5f5f5',
              marginTop: 8,
            }}
          >
            <div style={{ background: '#8e1414', color: '#fff', padding: '12px 14px', fontWeight: 600 }}>
              {preview.title || t('问卷标题', 'Title')}
            </div>
            <div style={{ padding: 10 }}>
              <SurveyForm
                preview
                form={{
                  intro: preview.intro,
                  questions: preview.questions as TQuestion[],
                  targets: [
                    { id: 1, name: t('示例单位甲', 'Unit A') },
                    { id: 2, name: t('示例单位乙', 'Unit B') },
                  ],
                }}
              />
            </div>
          </div>
        </Col>
      </Row>
    </Drawer>
  );
}

export function QuestionnairesPage() {
  const list = useQuestionnaires();
  const [editing, setEditing] = useState<TQuestionnaire | 'new' | null>(null);
  return (
    <Card
      title={t('问卷管理', 'Questionnaires')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="qn-new">
          {t('新建问卷', 'New questionnaire')}
        </Button>
      }
    >
      <Table
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        locale={{ emptyText: <Empty description={t('还没有问卷', 'No questionnaires yet')} /> }}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('问卷', 'Questionnaire'), dataIndex: 'title' },
          {
            title: t('版本', 'Version'),
            dataIndex: 'version',
            width: 90,
            render: (v: number, r) => (
              <Space>
                v{v}
                {r.latest && <Tag color="blue">{t('最新', 'latest')}</Tag>}
              </Space>
            ),
          },
          { title: t('题数', 'Questions'), width: 80, render: (_, r) => r.questions.length },
          { title: t('使用的活动', 'Used by'), dataIndex: 'usedBy', width: 100 },
          {
            title: t('创建时间', 'Created'),
            dataIndex: 'createdAt',
            width: 180,
            render: (v: string) => new Date(v).toLocaleString(),
          },
          {
            title: '',
            width: 120,
            render: (_, r) => (
              <Button size="small" onClick={() => setEditing(r)}>
                {t('修订为新版本', 'Revise')}
              </Button>
            ),
          },
        ]}
      />
      {editing && <Builder from={editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}
