import {
  DownloadOutlined,
  EditOutlined,
  FileDoneOutlined,
  MinusCircleOutlined,
  PlusOutlined,
  ScheduleOutlined,
} from '@ant-design/icons';
import {
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Spin,
  Timeline,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import type { TCaseDetail } from '@server/modules/mediation/mediation.schema';
import { FormModal } from '../../components/FormModal';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { LabelSelect, StatusTag, UnitSelect } from '../../components/ListFilters';
import { money } from '../../lib/format';
import { MED_KEY, mediationApi, useCase, useMediators } from './api';
import { DISPUTE_TYPES, MED_STATUS } from './mediationData';

type CaseValues = {
  disputeType: TCaseDetail['disputeType'];
  title: string;
  facts?: string;
  hostUnitId: number;
  receivedOn: Dayjs;
  parties: { side: 'applicant' | 'respondent'; name: string; contact?: string; address?: string }[];
  mediatorIds: number[];
  jointUnitIds?: number[];
  people: number;
  amountClaimed: number;
};

/** 登记纠纷 / 修改: parties, type, host unit, mediators, joint units. */
export function CaseForm({
  initial,
  onClose,
  onSaved,
}: {
  initial?: TCaseDetail;
  onClose(): void;
  onSaved?(id: number): void;
}) {
  const { me } = useAuth();
  const mediators = useMediators(true);
  const init: Partial<CaseValues> = initial
    ? {
        disputeType: initial.disputeType,
        title: initial.title,
        facts: initial.facts,
        hostUnitId: initial.hostUnitId,
        receivedOn: dayjs(initial.receivedOn),
        parties: initial.parties,
        mediatorIds: initial.mediators.map((m) => m.id),
        jointUnitIds: initial.jointUnits.map((u) => u.id),
        people: initial.people,
        amountClaimed: initial.amountClaimed,
      }
    : {
        disputeType: 'labour',
        hostUnitId: me?.unitId,
        receivedOn: dayjs(),
        parties: [
          { side: 'applicant', name: '' },
          { side: 'respondent', name: '' },
        ],
        mediatorIds: me ? [me.id] : [],
        people: 1,
        amountClaimed: 0,
      };
  return (
    <FormModal<CaseValues, TCaseDetail>
      title={initial ? t(`修改 ${initial.number}`, `Edit ${initial.number}`) : t('登记纠纷', 'Register a dispute')}
      width={760}
      onClose={onClose}
      initialValues={init}
      okTestId="med-case-ok"
      submit={(v) => {
        const body = {
          ...v,
          facts: v.facts ?? '',
          receivedOn: v.receivedOn.format('YYYY-MM-DD'),
          jointUnitIds: v.jointUnitIds ?? [],
          parties: v.parties.map((p) => ({ ...p, contact: p.contact ?? '', address: p.address ?? '' })),
        };
        return initial ? mediationApi.update(initial.id, body) : mediationApi.create(body);
      }}
      invalidate={[MED_KEY]}
      success={(c) => t(`已保存 ${c.number}`, `Saved ${c.number}`)}
      onSaved={(c) => onSaved?.(c.id)}
    >
      <Space wrap style={{ width: '100%' }} align="start">
        <Form.Item name="disputeType" label={t('纠纷类型', 'Dispute type')} rules={[{ required: true }]}>
          <LabelSelect labels={DISPUTE_TYPES} allowClear={false} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="receivedOn" label={t('受理日期', 'Received on')} rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="people" label={t('涉及人数', 'People involved')} rules={[{ required: true }]}>
          <InputNumber min={1} max={100000} data-testid="med-people" />
        </Form.Item>
        <Form.Item name="amountClaimed" label={t('争议金额（元）', 'Amount in dispute (¥)')}>
          <InputNumber min={0} style={{ width: 150 }} data-testid="med-claimed" />
        </Form.Item>
      </Space>
      <Form.Item name="title" label={t('纠纷事项', 'Dispute')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={200} data-testid="med-title" />
      </Form.Item>
      <Form.Item name="facts" label={t('纠纷主要事实、争议事项', 'Facts and matters in dispute')}>
        <Input.TextArea rows={3} maxLength={5000} data-testid="med-facts" />
      </Form.Item>
      <Typography.Text strong>{t('当事人', 'Parties')}</Typography.Text>
      <Form.List name="parties">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f) => (
              <Space key={f.key} align="baseline" wrap>
                <Form.Item name={[f.name, 'side']} rules={[{ required: true }]}>
                  <Select
                    style={{ width: 100 }}
                    options={[
                      { value: 'applicant', label: t('申请人', 'Applicant') },
                      { value: 'respondent', label: t('被申请人', 'Respondent') },
                    ]}
                  />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'name']}
                  rules={[{ required: true, whitespace: true, message: t('请填写姓名或名称', 'Name needed') }]}
                >
                  <Input
                    placeholder={t('姓名或单位名称', 'Name')}
                    maxLength={100}
                    data-testid={`med-party-${f.name}`}
                  />
                </Form.Item>
                <Form.Item name={[f.name, 'contact']}>
                  <Input placeholder={t('联系方式', 'Contact')} maxLength={100} style={{ width: 140 }} />
                </Form.Item>
                <Form.Item name={[f.name, 'address']}>
                  <Input placeholder={t('住所', 'Address')} maxLength={200} style={{ width: 180 }} />
                </Form.Item>
                {fields.length > 2 && <MinusCircleOutlined onClick={() => remove(f.name)} />}
              </Space>
            ))}
            <Button
              type="dashed"
              size="small"
              icon={<PlusOutlined />}
              onClick={() => add({ side: 'applicant', name: '' })}
            >
              {t('添加当事人', 'Add a party')}
            </Button>
          </>
        )}
      </Form.List>
      <Space wrap style={{ width: '100%', marginTop: 12 }} align="start">
        <Form.Item name="hostUnitId" label={t('主持调解单位', 'Host unit')} rules={[{ required: true }]}>
          <UnitSelect style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="mediatorIds" label={t('调解员', 'Mediators')} rules={[{ required: true }]}>
          <Select
            mode="multiple"
            style={{ width: 240 }}
            optionFilterProp="label"
            options={(mediators.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
          />
        </Form.Item>
        <Form.Item name="jointUnitIds" label={t('联合调解单位', 'Joint units')}>
          <UnitSelect<number[]> mode="multiple" style={{ width: 240 }} data-testid="med-joint" />
        </Form.Item>
      </Space>
    </FormModal>
  );
}

type SessionValues = { heldOn: Dayjs; place: string; note: string };
type OutcomeValues = {
  outcome: 'agreed' | 'failed' | 'arbitration' | 'court';
  outcomeOn: Dayjs;
  note?: string;
  agreement?: string;
  performance?: string;
  amountRecovered?: number;
};

/** One dispute: parties, mediators, joint units, the session log, the outcome and the agreement. */
export function CaseDrawer({ id, onClose }: { id: number | null; onClose(): void }) {
  const q = useCase(id);
  const [dialog, setDialog] = useState<'edit' | 'session' | 'outcome' | null>(null);
  const c = q.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={720}
      title={c ? `${c.number} ${c.title}` : t('调解案件', 'Dispute')}
    >
      {q.isLoading || !c ? (
        <Spin />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} size={16}>
          <Space wrap>
            <StatusTag status={MED_STATUS[c.status]} testId="med-status" />
            {c.canManage && c.status === 'open' && (
              <>
                <Button icon={<ScheduleOutlined />} onClick={() => setDialog('session')} data-testid="med-add-session">
                  {t('记录调解', 'Record a session')}
                </Button>
                <Button icon={<FileDoneOutlined />} onClick={() => setDialog('outcome')} data-testid="med-conclude">
                  {t('调解结案', 'Conclude')}
                </Button>
                <Button icon={<EditOutlined />} onClick={() => setDialog('edit')}>
                  {t('修改', 'Edit')}
                </Button>
              </>
            )}
            {c.status === 'agreed' && (
              <Button
                type="primary"
                icon={<DownloadOutlined />}
                href={mediationApi.agreementUrl(c.id)}
                data-testid="med-agreement"
              >
                {t('下载调解协议书', 'Download the agreement')}
              </Button>
            )}
          </Space>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('纠纷类型', 'Type')}>{DISPUTE_TYPES[c.disputeType]()}</Descriptions.Item>
            <Descriptions.Item label={t('受理日期', 'Received')}>{c.receivedOn}</Descriptions.Item>
            <Descriptions.Item label={t('主持单位', 'Host unit')}>{c.hostUnitName}</Descriptions.Item>
            <Descriptions.Item label={t('联合调解单位', 'Joint units')}>
              {c.jointUnitNames.join('、') || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('调解员', 'Mediators')}>{c.mediatorNames.join('、')}</Descriptions.Item>
            <Descriptions.Item label={t('涉及人数', 'People')}>{c.people}</Descriptions.Item>
            <Descriptions.Item label={t('争议金额', 'In dispute')}>{money(c.amountClaimed)} 元</Descriptions.Item>
            <Descriptions.Item label={t('追回/兑现金额', 'Recovered')}>{money(c.amountRecovered)} 元</Descriptions.Item>
            {c.parties.map((p) => (
              <Descriptions.Item
                key={p.id}
                span={2}
                label={p.side === 'applicant' ? t('申请人', 'Applicant') : t('被申请人', 'Respondent')}
              >
                {p.name} {p.contact} {p.address}
              </Descriptions.Item>
            ))}
            <Descriptions.Item span={2} label={t('纠纷事实', 'Facts')}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                {c.facts || '—'}
              </Typography.Paragraph>
            </Descriptions.Item>
            {c.status !== 'open' && (
              <Descriptions.Item span={2} label={t('调解结果', 'Outcome')}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="med-outcome">
                  {c.outcomeOn} {MED_STATUS[c.status].label()}
                  {c.agreement && `\n${c.agreement}`}
                  {c.performance && `\n${t('履行方式', 'Performance')}：${c.performance}`}
                  {c.outcomeNote && `\n${c.outcomeNote}`}
                </Typography.Paragraph>
              </Descriptions.Item>
            )}
          </Descriptions>
          <Typography.Title level={5}>{t('调解记录', 'Session log')}</Typography.Title>
          {c.sessionLog.length ? (
            <Timeline
              data-testid="med-sessions"
              items={c.sessionLog.map((s) => ({
                key: s.id,
                children: (
                  <>
                    <Typography.Text strong>
                      {s.heldOn} {s.place}
                    </Typography.Text>
                    <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                      {' '}
                      {s.recordedByName}
                    </Typography.Text>
                    <div style={{ whiteSpace: 'pre-wrap' }}>{s.note}</div>
                  </>
                ),
              }))}
            />
          ) : (
            <Empty description={t('尚未记录调解', 'No session yet')} />
          )}
        </Space>
      )}
      {c && dialog === 'edit' && <CaseForm initial={c} onClose={() => setDialog(null)} />}
      {c && dialog === 'session' && (
        <FormModal<SessionValues, TCaseDetail>
          title={t('记录调解', 'Record a session')}
          onClose={() => setDialog(null)}
          initialValues={{ heldOn: dayjs(), place: t('区政务服务中心调解室', 'Mediation room') }}
          okTestId="med-session-ok"
          submit={(v) => mediationApi.addSession(c.id, { ...v, heldOn: v.heldOn.format('YYYY-MM-DD') })}
          invalidate={[MED_KEY]}
          success={t('已记录', 'Recorded')}
        >
          <Form.Item name="heldOn" label={t('调解日期', 'Date')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="place" label={t('地点', 'Place')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="note" label={t('调解情况', 'What happened')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={4} maxLength={5000} data-testid="med-session-note" />
          </Form.Item>
        </FormModal>
      )}
      {c && dialog === 'outcome' && <OutcomeForm c={c} onClose={() => setDialog(null)} />}
    </Drawer>
  );
}

function OutcomeForm({ c, onClose }: { c: TCaseDetail; onClose(): void }) {
  const [form] = Form.useForm<OutcomeValues>();
  const outcome = Form.useWatch('outcome', form);
  return (
    <FormModal<OutcomeValues, TCaseDetail>
      form={form}
      title={t('调解结案', 'Conclude the mediation')}
      width={640}
      onClose={onClose}
      initialValues={{ outcome: 'agreed', outcomeOn: dayjs(), amountRecovered: 0 }}
      okTestId="med-outcome-ok"
      submit={(v) =>
        mediationApi.conclude(c.id, {
          outcome: v.outcome,
          outcomeOn: v.outcomeOn.format('YYYY-MM-DD'),
          note: v.note ?? '',
          agreement: v.agreement ?? '',
          performance: v.performance ?? '',
          amountRecovered: v.outcome === 'agreed' ? (v.amountRecovered ?? 0) : 0,
        })
      }
      invalidate={[MED_KEY]}
      success={t('已结案', 'Concluded')}
    >
      <Space wrap>
        <Form.Item name="outcome" label={t('调解结果', 'Outcome')} rules={[{ required: true }]}>
          <Select
            style={{ width: 160 }}
            data-testid="med-outcome-kind"
            options={(['agreed', 'failed', 'arbitration', 'court'] as const).map((o) => ({
              value: o,
              label: MED_STATUS[o].label(),
            }))}
          />
        </Form.Item>
        <Form.Item name="outcomeOn" label={t('结案日期', 'Date')} rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        {outcome === 'agreed' && (
          <Form.Item name="amountRecovered" label={t('追回/兑现金额（元）', 'Amount recovered (¥)')}>
            <InputNumber min={0} style={{ width: 160 }} data-testid="med-recovered" />
          </Form.Item>
        )}
      </Space>
      {outcome === 'agreed' ? (
        <>
          <Form.Item
            name="agreement"
            label={t('协议内容', 'Terms agreed')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input.TextArea rows={4} maxLength={5000} data-testid="med-agreement-text" />
          </Form.Item>
          <Form.Item name="performance" label={t('履行方式、时限', 'How and when performed')}>
            <Input maxLength={2000} data-testid="med-performance" />
          </Form.Item>
        </>
      ) : (
        <Form.Item name="note" label={t('说明', 'Note')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      )}
    </FormModal>
  );
}
