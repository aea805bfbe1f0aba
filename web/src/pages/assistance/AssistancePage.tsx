import { Checkbox, DatePicker, Form, Input, InputNumber, Space, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TRequestDetail, TRequestRow } from '@server/modules/assistance/assistance.schema';
import { DeskLedger } from '../../components/DeskLedger';
import { FormModal } from '../../components/FormModal';
import { LabelSelect, StatusTag, UnitSelect } from '../../components/ListFilters';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { money } from '../../lib/format';
import { totalLabel } from '../../lib/lists';
import { RequestDrawer } from './RequestDrawer';
import { assistanceApi, AST_KEY, useRequests, type AstFilters } from './api';
import { AST_STATUS, KINDS, SATISFACTION } from './assistanceData';

/** 求助转办: the desk's register of requests (a unit: those referred to it), filters, export, the request drawer. */
export function AssistancePage() {
  const { can } = useAuth();
  const desk = can('assistance.manage');
  return (
    <DeskLedger<TRequestRow, AstFilters>
      title={
        desk ? t('求助登记与转办', 'Assistance requests') : t('转办给本单位的求助', 'Requests referred to my unit')
      }
      testId="ast"
      useList={useRequests}
      exportPath={assistanceApi.requestsExportPath}
      searchPlaceholder={t('搜索编号、求助人、事项', 'Search number, name, text')}
      filters={(filters, set) => (
        <>
          <LabelSelect
            labels={KINDS}
            placeholder={t('求助类别', 'Kind')}
            style={{ width: 150 }}
            value={filters.kind}
            onChange={(v) => set({ kind: v })}
          />
          <LabelSelect
            labels={AST_STATUS}
            placeholder={t('状态', 'Status')}
            style={{ width: 110 }}
            value={filters.status}
            onChange={(v) => set({ status: v })}
          />
          {desk && (
            <UnitSelect
              allowClear
              placeholder={t('承办单位', 'Unit')}
              style={{ width: 190 }}
              value={filters.unitId}
              onChange={(v) => set({ unitId: v })}
            />
          )}
          <Checkbox
            checked={filters.overdue === '1'}
            onChange={(e) => set({ overdue: e.target.checked ? '1' : undefined })}
          >
            {t('只看超期', 'Overdue only')}
          </Checkbox>
        </>
      )}
      emptyText={t('没有符合条件的求助', 'No requests match')}
      showTotal={(page) => totalLabel(page, '件', 'requests')}
      columns={[
        { title: t('编号', 'No.'), dataIndex: 'number', width: 120 },
        { title: t('登记日期', 'Received'), dataIndex: 'receivedOn', width: 100 },
        { title: t('类别', 'Kind'), width: 130, render: (_, r) => KINDS[r.kind]() },
        { title: t('求助人', 'Requester'), dataIndex: 'requesterName', width: 80 },
        {
          title: t('求助事项', 'Request'),
          ellipsis: true,
          render: (_, r) => <span data-testid="ast-row">{r.description}</span>,
        },
        { title: t('承办单位', 'Unit'), width: 150, ellipsis: true, render: (_, r) => r.unitName ?? '—' },
        {
          title: t('答复时限', 'Due'),
          width: 110,
          render: (_, r) =>
            r.dueOn ? <span style={{ color: r.overdue ? '#f5222d' : undefined }}>{r.dueOn}</span> : '—',
        },
        {
          title: t('状态', 'Status'),
          width: 150,
          render: (_, r) => (
            <Space size={2} wrap>
              <StatusTag status={AST_STATUS[r.status]} />
              {r.overdue && <Tag color="red">{t('超期', 'Overdue')}</Tag>}
              {r.urgeCount > 0 && <Tag color="orange">{t(`督办${r.urgeCount}`, `Urged ×${r.urgeCount}`)}</Tag>}
              {r.satisfaction && <Tag>{SATISFACTION[r.satisfaction]()}</Tag>}
            </Space>
          ),
        },
        {
          title: t('追回(元)', 'Recovered'),
          width: 90,
          align: 'right',
          render: (_, r) => (r.amountRecovered ? money(r.amountRecovered) : ''),
        },
      ]}
      drawer={(id, onClose) => <RequestDrawer id={id} onClose={onClose} />}
      create={
        desk
          ? {
              label: t('登记求助', 'Register a request'),
              form: (onClose, onSaved) => <RegisterForm onClose={onClose} onSaved={onSaved} />,
            }
          : undefined
      }
    />
  );
}

type RegisterValues = {
  kind: TRequestRow['kind'];
  requesterName: string;
  requesterPhone?: string;
  requesterAddress?: string;
  people: number;
  amountClaimed: number;
  description: string;
  receivedOn: Dayjs;
  referNow: boolean;
  unitId?: number;
  dueDays: number;
};

function RegisterForm({ onClose, onSaved }: { onClose(): void; onSaved(id: number): void }) {
  const [form] = Form.useForm<RegisterValues>();
  const referNow = Form.useWatch('referNow', form);
  return (
    <FormModal<RegisterValues, TRequestDetail>
      form={form}
      title={t('登记求助', 'Register a request')}
      width={680}
      onClose={onClose}
      okTestId="ast-register-ok"
      initialValues={{ kind: 'wage', people: 1, amountClaimed: 0, receivedOn: dayjs(), referNow: true, dueDays: 5 }}
      submit={(v) =>
        assistanceApi.register({
          kind: v.kind,
          requesterName: v.requesterName,
          requesterPhone: v.requesterPhone ?? '',
          requesterAddress: v.requesterAddress ?? '',
          people: v.people,
          amountClaimed: v.amountClaimed ?? 0,
          description: v.description,
          receivedOn: v.receivedOn.format('YYYY-MM-DD'),
          refer: v.referNow && v.unitId ? { unitId: v.unitId, dueDays: v.dueDays } : undefined,
        })
      }
      invalidate={[AST_KEY]}
      success={(r) => t(`已登记 ${r.number}`, `Registered ${r.number}`)}
      onSaved={(r) => onSaved(r.id)}
    >
      <Space wrap align="start">
        <Form.Item name="kind" label={t('求助类别', 'Kind')} rules={[{ required: true }]}>
          <LabelSelect labels={KINDS} allowClear={false} style={{ width: 170 }} />
        </Form.Item>
        <Form.Item name="requesterName" label={t('求助人', 'Requester')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={50} style={{ width: 120 }} data-testid="ast-name" />
        </Form.Item>
        <Form.Item name="requesterPhone" label={t('联系电话', 'Phone')}>
          <Input maxLength={20} style={{ width: 150 }} data-testid="ast-phone" />
        </Form.Item>
        <Form.Item name="receivedOn" label={t('登记日期', 'Received')} rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
      </Space>
      <Form.Item name="requesterAddress" label={t('住址', 'Address')}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="description" label={t('求助事项', 'What is asked')} rules={[{ required: true, min: 5 }]}>
        <Input.TextArea rows={3} maxLength={4000} data-testid="ast-description" />
      </Form.Item>
      <Space wrap>
        <Form.Item name="people" label={t('涉及人数', 'People')}>
          <InputNumber min={1} max={100000} />
        </Form.Item>
        <Form.Item name="amountClaimed" label={t('诉求金额（元）', 'Amount claimed (¥)')}>
          <InputNumber min={0} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="referNow" valuePropName="checked" label={t('分流', 'Refer')}>
          <Checkbox>{t('登记后立即转办', 'Refer at once')}</Checkbox>
        </Form.Item>
      </Space>
      {referNow && (
        <Space wrap>
          <Form.Item name="unitId" label={t('承办单位', 'Responsible unit')} rules={[{ required: true }]}>
            <UnitSelect style={{ width: 240 }} data-testid="ast-unit" />
          </Form.Item>
          <Form.Item name="dueDays" label={t('答复时限（工作日）', 'Answer within (working days)')}>
            <InputNumber min={1} max={60} />
          </Form.Item>
        </Space>
      )}
    </FormModal>
  );
}
