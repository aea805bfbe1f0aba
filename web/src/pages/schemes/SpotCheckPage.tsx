import { CheckCircleOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Result,
  Select,
  Slider,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ExportButton } from '../../components/TableTools';
import { ApiError, errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { SCHEMES_KEY, schemesApi, useSpecialSchemes, useSpotChecks } from './api';

type Values = {
  indicatorId: number;
  unitId: number;
  checkedOn: Dayjs;
  location: string;
  findings: string;
  score: number;
};

/**
 * 不定期抽查 on a phone: the assessing body picks the unit, writes what it found and a score; the
 * month's average feeds the scheme's spot-check leaf at once.
 */
export function SpotCheckPage() {
  const [params, setParams] = useSearchParams();
  const schemes = useSpecialSchemes();
  const inForce = schemes.data.filter((s) => s.status === 'in_force');
  const schemeId = Number(params.get('scheme')) || inForce[0]?.id || null;
  const scheme = inForce.find((s) => s.id === schemeId) ?? null;
  const setup = useQuery({
    queryKey: [...SCHEMES_KEY, 'setup', schemeId],
    queryFn: () => schemesApi.setup(schemeId!),
    enabled: schemeId !== null,
  });
  const list = useSpotChecks(schemeId);
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (v: Values) =>
      schemesApi.createSpotCheck({ ...v, schemeId, checkedOn: v.checkedOn.format('YYYY-MM-DD') }),
    onSuccess: async (r) => {
      setSaved(`${r.unitName}：${r.score} ${t('分', 'points')}`);
      form.resetFields(['unitId', 'location', 'findings']);
      await qc.invalidateQueries({ queryKey: SCHEMES_KEY });
      await qc.invalidateQueries({ queryKey: ['scores'] });
    },
    onError: (e) => {
      if (e instanceof ApiError && e.field) form.setFields([{ name: e.field as keyof Values, errors: [e.message] }]);
      message.error(errorText(e));
    },
  });

  if (schemes.isLoading) return <Spin />;
  if (!inForce.length) return <Empty description={t('没有生效的专项考核', 'No special scheme in force')} />;
  const leaves = setup.data?.leaves ?? [];

  return (
    <div style={{ maxWidth: 560, margin: '0 auto' }} data-testid="spot-check-page">
      <Card size="small" title={t('不定期抽查录入', 'Record a spot check')} styles={{ body: { padding: 12 } }}>
        <Space direction="vertical" style={{ width: '100%' }} size={8}>
          <Select
            style={{ width: '100%' }}
            value={schemeId ?? undefined}
            onChange={(v) => setParams({ scheme: String(v) }, { replace: true })}
            options={inForce.map((s) => ({ value: s.id, label: s.name }))}
            data-testid="spot-scheme"
          />
          {setup.error && <Alert type="error" showIcon title={errorText(setup.error)} />}
          {saved && (
            <Result
              status="success"
              icon={<CheckCircleOutlined />}
              title={t('抽查结果已保存', 'Spot check saved')}
              subTitle={saved}
              style={{ padding: 8 }}
              data-testid="spot-saved"
            />
          )}
          {setup.data && (
            <Form<Values>
              form={form}
              layout="vertical"
              requiredMark={false}
              onFinish={(v) => save.mutate(v)}
              onValuesChange={() => setSaved(null)}
              initialValues={{ indicatorId: leaves[0]?.id, checkedOn: dayjs(), score: 90 }}
            >
              {leaves.length > 1 && (
                <Form.Item name="indicatorId" label={t('抽查指标', 'Leaf')} rules={[{ required: true }]}>
                  <Select options={leaves.map((l) => ({ value: l.id, label: l.name }))} />
                </Form.Item>
              )}
              {leaves.length === 1 && (
                <Form.Item name="indicatorId" hidden>
                  <Input />
                </Form.Item>
              )}
              <Form.Item
                name="unitId"
                label={t('被抽查单位', 'Unit checked')}
                rules={[{ required: true, message: t('请选择单位', 'Choose the unit') }]}
              >
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  size="large"
                  placeholder={t('搜索街道、乡镇或部门', 'Search a unit')}
                  options={setup.data.units.map((u) => ({ value: u.id, label: u.name }))}
                  data-testid="spot-unit"
                />
              </Form.Item>
              <Form.Item name="checkedOn" label={t('抽查日期', 'Date')} rules={[{ required: true }]}>
                <DatePicker size="large" style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item
                name="location"
                label={t('抽查地点', 'Location')}
                rules={[{ required: true, whitespace: true, message: t('请填写地点', 'Where') }]}
              >
                <Input size="large" prefix={<EnvironmentOutlined />} maxLength={200} data-testid="spot-location" />
              </Form.Item>
              <Form.Item
                name="findings"
                label={t('发现问题', 'Findings')}
                rules={[{ required: true, whitespace: true, message: t('请填写发现的问题', 'What was found') }]}
              >
                <Input.TextArea rows={4} maxLength={4000} showCount data-testid="spot-findings" />
              </Form.Item>
              <Form.Item label={t('得分（百分制）', 'Score (of 100)')} required>
                <Space.Compact style={{ width: '100%' }}>
                  <Form.Item name="score" noStyle rules={[{ required: true }]}>
                    <InputNumber
                      min={0}
                      max={100}
                      step={1}
                      size="large"
                      style={{ width: 110 }}
                      data-testid="spot-score"
                    />
                  </Form.Item>
                </Space.Compact>
                <Form.Item name="score" noStyle>
                  <Slider min={0} max={100} marks={{ 60: '60', 80: '80', 90: '90' }} />
                </Form.Item>
              </Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                size="large"
                block
                loading={save.isPending}
                data-testid="spot-save"
              >
                {t('保存抽查结果', 'Save')}
              </Button>
            </Form>
          )}
        </Space>
      </Card>
      <Card
        size="small"
        title={t('最近的抽查', 'Recent checks')}
        style={{ marginTop: 12 }}
        styles={{ body: { padding: 8 } }}
      >
        <List
          loading={list.isLoading}
          dataSource={(list.data ?? []).slice(0, 10)}
          locale={{ emptyText: t('暂无抽查记录', 'No checks yet') }}
          data-testid="spot-list"
          renderItem={(c) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <Space>
                    {c.unitName}
                    <Tag color={c.score >= 90 ? 'green' : c.score >= 70 ? 'gold' : 'red'}>{c.score}</Tag>
                  </Space>
                }
                description={
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {c.checkedOn} · {c.location} · {c.findings}
                  </Typography.Text>
                }
              />
            </List.Item>
          )}
        />
      </Card>
      {schemeId !== null && (
        <div style={{ marginTop: 8 }}>
          <ExportButton path={schemesApi.spotChecksExportUrl()} query={{ schemeId }} testId="spot-export" />
        </div>
      )}
      {scheme && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
          {t(
            '同一单位同月多次抽查取平均分，计入「不定期抽查」指标。',
            'Several checks of a unit in a month count as their average.',
          )}
        </Typography.Paragraph>
      )}
    </div>
  );
}
