import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Form, Input, Radio, Select, Space, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { TCheckCreate } from '@server/modules/supervision/supervision.fieldwork.schema';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { beijingToday } from '../../lib/time';
import { SUP_KEY, supervisionApi, useLedger, useTask } from './api';
import { METHODS, MODES } from './fieldworkData';

type Values = {
  taskId?: number;
  checkedOn: string;
  people: string;
  methods: TCheckCreate['methods'];
  mode: 'open' | 'covert';
  findings: string;
  points?: { requirement?: string; dueOn?: string }[];
};

/** 录入实地督查: one column, large controls, camera upload — made for the office's phone on site (390 px wide). */
export function FieldCheckEntryPage() {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const { me } = useAuth();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const preset = Number(new URLSearchParams(window.location.search).get('task')) || undefined;
  const [search, setSearch] = useState('');
  const taskId = Form.useWatch('taskId', form) ?? preset;
  const [photos, setPhotos] = useState<UploadFile[]>([]);
  const tasks = useLedger({ q: search || undefined, pageSize: 20, page: 1 });
  const presetTask = useTask(preset ?? null);
  const options = [
    ...(presetTask.data ? [presetTask.data] : []),
    ...(tasks.data?.rows ?? []).filter(
      (r) => r.id !== preset && !['proposed', 'declined', 'merged'].includes(r.status),
    ),
  ].map((r) => ({ value: r.id, label: `#${r.id} ${r.title}（${r.leadUnitName ?? '—'}）` }));
  const m = useMutation({
    mutationFn: (v: Values & { taskId: number }) =>
      supervisionApi.createCheck(v.taskId, {
        checkedOn: v.checkedOn,
        people: v.people,
        methods: v.methods,
        mode: v.mode,
        findings: v.findings,
        photoIds: photos.filter((p) => p.status === 'done').map((p) => (p.response as { id: number }).id),
        points: (v.points ?? [])
          .filter((p) => p.requirement?.trim())
          .map((p) => ({ requirement: p.requirement ?? '', dueOn: p.dueOn || null })),
      }),
    onSuccess: (r, v) => {
      message.success(`${t('已保存', 'Saved')}：${r.checks.at(-1)?.label ?? ''}`);
      void qc.invalidateQueries({ queryKey: SUP_KEY });
      void navigate(`/supervision/ledger?task=${v.taskId}`);
    },
    onError: (e) => message.error(errorText(e)),
  });
  const big = { size: 'large' as const };
  return (
    <div style={{ maxWidth: 560, margin: '0 auto' }}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('录入实地督查', 'Record a field check')}
      </Typography.Title>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ taskId: preset, checkedOn: beijingToday(), methods: ['look'], mode: 'open', points: [] }}
        onFinish={(v) => {
          const id = v.taskId ?? preset;
          if (id) m.mutate({ ...v, taskId: id });
        }}
        requiredMark={false}
      >
        <Form.Item
          name="taskId"
          label={t('督办事项', 'Task')}
          rules={[{ required: true, message: t('请选择事项', 'Choose a task') }]}
        >
          <Select
            {...big}
            showSearch
            filterOption={false}
            onSearch={setSearch}
            options={options}
            loading={tasks.isLoading}
            placeholder={t('搜索事项名称', 'Search a task')}
            data-testid="chk-task"
          />
        </Form.Item>
        <Form.Item name="checkedOn" label={t('督查日期', 'Date')} rules={[{ required: true }]}>
          <Input {...big} type="date" max={beijingToday()} data-testid="chk-date" />
        </Form.Item>
        <Form.Item
          name="people"
          label={t('督查人员', 'People')}
          rules={[{ required: true, whitespace: true, message: t('请填写督查人员', 'Who checked?') }]}
        >
          <Input
            {...big}
            maxLength={300}
            placeholder={t('如：督查室 王建国、李敏', 'e.g. office staff names')}
            data-testid="chk-people"
          />
        </Form.Item>
        <Form.Item
          name="methods"
          label={t('督查方式', 'Methods')}
          rules={[{ required: true, message: t('至少选择一种方式', 'Choose at least one') }]}
        >
          <Checkbox.Group
            options={Object.entries(METHODS).map(([value, l]) => ({
              value,
              label: <span style={{ fontSize: 16, padding: '0 6px' }}>{l()}</span>,
            }))}
            data-testid="chk-methods"
          />
        </Form.Item>
        <Form.Item name="mode" label={t('明察 / 暗访', 'Announced / unannounced')}>
          <Radio.Group
            buttonStyle="solid"
            {...big}
            optionType="button"
            options={Object.entries(MODES).map(([value, l]) => ({ value, label: l() }))}
          />
        </Form.Item>
        <Form.Item
          name="findings"
          label={t('发现问题', 'Findings')}
          rules={[{ required: true, whitespace: true, message: t('请填写发现的问题', 'Describe the findings') }]}
        >
          <Input.TextArea rows={5} maxLength={5000} showCount data-testid="chk-findings" />
        </Form.Item>
        <Form.Item
          label={t('现场照片', 'Photos')}
          extra={taskId ? undefined : t('先选择事项再上传照片', 'Choose the task first')}
        >
          <Upload
            name="file"
            listType="picture-card"
            accept="image/*"
            multiple
            disabled={!taskId}
            action={taskId ? supervisionApi.taskFilesUrl(taskId) : ''}
            headers={{ 'X-CSRF-Token': me?.csrfToken ?? '' }}
            fileList={photos}
            onChange={(info) => {
              setPhotos(info.fileList);
              if (info.file.status === 'error')
                message.error(
                  (info.file.response as { error?: { message?: string } })?.error?.message ??
                    t('上传失败', 'Upload failed'),
                );
            }}
          >
            {photos.length < 20 && <div data-testid="chk-photo">{t('拍照 / 上传', 'Photo')}</div>}
          </Upload>
        </Form.Item>
        <Typography.Text strong>{t('整改要求', 'Rectification points')}</Typography.Text>
        <Form.List name="points">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Card
                  key={f.key}
                  size="small"
                  style={{ margin: '8px 0' }}
                  title={`${t('整改要求', 'Point')} ${i + 1}`}
                  extra={<Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} />}
                >
                  <Form.Item
                    name={[f.name, 'requirement']}
                    rules={[
                      { required: true, whitespace: true, message: t('请填写整改要求', 'Write the requirement') },
                    ]}
                    style={{ marginBottom: 8 }}
                  >
                    <Input.TextArea
                      rows={2}
                      maxLength={2000}
                      placeholder={t('单位须整改的内容', 'What the unit must correct')}
                      data-testid={`chk-point-${i}`}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'dueOn']}
                    label={t('整改期限（可选）', 'Due (optional)')}
                    style={{ marginBottom: 0 }}
                  >
                    <Input type="date" {...big} />
                  </Form.Item>
                </Card>
              ))}
              <Button
                block
                {...big}
                icon={<PlusOutlined />}
                onClick={() => add({})}
                style={{ margin: '8px 0 16px' }}
                data-testid="chk-add-point"
              >
                {t('添加整改要求', 'Add a point')}
              </Button>
            </>
          )}
        </Form.List>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Button type="primary" htmlType="submit" block {...big} loading={m.isPending} data-testid="chk-submit">
            {t('保存督查记录', 'Save the check')}
          </Button>
          <Button block {...big} onClick={() => navigate(-1)}>
            {t('取消', 'Cancel')}
          </Button>
        </Space>
      </Form>
    </div>
  );
}
