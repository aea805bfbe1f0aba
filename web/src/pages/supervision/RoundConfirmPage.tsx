import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { TRoundDetail, TRoundRow } from '@server/modules/supervision/supervision.fieldwork.schema';
import { FormModal } from '../../components/FormModal';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { FIELD_KEY, supervisionApi } from './api';
import { RESOLUTION, ROW_STATE, STAGES } from './fieldworkData';
import { RoundHeader, stageText } from './roundParts';

/** 单位对账确认: the unit's rows of a round — confirm each as snapshotted, or state the difference it sees. */
export function RoundConfirmView({ round: r }: { round: TRoundDetail }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [differ, setDiffer] = useState<TRoundRow | null>(null);
  // Confirm one row as snapshotted (a row id) or every pending row of the round (no id).
  const m = useMutation({
    mutationFn: (rowId: number | null) =>
      rowId === null ? supervisionApi.confirmAll(r.id) : supervisionApi.confirmRow(rowId, { agrees: true }),
    onSuccess: () => {
      message.success(t('已确认', 'Confirmed'));
      void qc.invalidateQueries({ queryKey: FIELD_KEY });
    },
    onError: (e) => message.error(errorText(e)),
  });
  const pending = r.rows.filter((x) => x.state === 'pending' && x.actions.includes('confirm')).length;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <Link to="/supervision/rounds">{t('对账查账', 'Rounds')}</Link> / {r.title}
        </Typography.Title>
        {pending > 0 && (
          <Popconfirm
            title={t(
              `将 ${pending} 项未确认事项全部确认为与台账一致？`,
              `Confirm all ${pending} pending rows as in the ledger?`,
            )}
            onConfirm={() => m.mutate(null)}
          >
            <Button type="primary" data-testid="round-confirm-all">
              {t('全部确认无误', 'Confirm all')}
            </Button>
          </Popconfirm>
        )}
      </Space>
      <RoundHeader round={r} />
      <Typography.Text type="secondary">
        {t(
          '请逐项核对台账记录的状态和进度：一致的点“确认”，不一致的点“报差异”并说明单位掌握的情况，由督查室核实处理。',
          'Check each task: confirm it when the ledger is right, or state the difference for the office to resolve.',
        )}
      </Typography.Text>
      <Card size="small">
        <Table<TRoundRow>
          rowKey="id"
          size="small"
          dataSource={r.rows}
          pagination={false}
          scroll={{ x: 800 }}
          columns={[
            { title: t('事项', 'Task'), render: (_, x) => `#${x.taskId} ${x.title}` },
            { title: t('完成时限', 'Deadline'), dataIndex: 'snapDeadline', width: 110 },
            { title: t('台账状态', 'Ledger'), width: 170, render: (_, x) => stageText(x) },
            { title: t('台账进度', 'Progress'), dataIndex: 'snapProgress', width: 90, render: (p: number) => `${p}%` },
            {
              title: t('确认', 'State'),
              width: 220,
              render: (_, x) => (
                <div>
                  <Tag color={ROW_STATE[x.state].color}>{ROW_STATE[x.state].label()}</Tag>
                  {x.state === 'differs' && (
                    <div style={{ fontSize: 12 }}>
                      {t('单位所报', 'Claimed')}：{x.claimedStatus ? STAGES[x.claimedStatus]() : '—'}{' '}
                      {x.claimedProgress ?? ''}
                      {x.claimedProgress !== null && '%'}；{x.note}
                    </div>
                  )}
                  {x.resolution && (
                    <div style={{ fontSize: 12 }}>
                      {RESOLUTION[x.resolution]()} {x.resolutionReason}
                    </div>
                  )}
                </div>
              ),
            },
            {
              title: t('操作', 'Actions'),
              width: 170,
              render: (_, x) =>
                x.actions.includes('confirm') && (
                  <Space>
                    <Button size="small" onClick={() => m.mutate(x.id)} data-testid="round-row-confirm">
                      {t('确认', 'Confirm')}
                    </Button>
                    <Button size="small" onClick={() => setDiffer(x)} data-testid="round-row-differ">
                      {t('报差异', 'Differs')}
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      {differ && <DifferModal row={differ} onClose={() => setDiffer(null)} />}
    </Space>
  );
}

type DifferValues = { claimedStatus?: TRoundRow['claimedStatus']; claimedProgress?: number | null; note: string };

function DifferModal({ row, onClose }: { row: TRoundRow; onClose: () => void }) {
  return (
    <FormModal<DifferValues, TRoundDetail>
      title={t('报送差异', 'State a difference')}
      onClose={onClose}
      submit={(v) =>
        supervisionApi.confirmRow(row.id, {
          agrees: false,
          claimedStatus: v.claimedStatus ?? null,
          claimedProgress: v.claimedProgress ?? null,
          note: v.note,
        })
      }
      invalidate={[FIELD_KEY]}
      success={t('差异已报送督查室', 'Sent to the office')}
      initialValues={{
        claimedStatus: row.claimedStatus ?? row.snapStage,
        claimedProgress: row.claimedProgress ?? row.snapProgress,
        note: row.note,
      }}
      header={
        <Typography.Paragraph>
          #{row.taskId} {row.title}
          <br />
          {t('台账', 'Ledger')}：{stageText(row)} {row.snapProgress}%
        </Typography.Paragraph>
      }
      modalProps={{ okButtonProps: { id: 'round-differ-ok' } }}
    >
      <Form.Item name="claimedStatus" label={t('单位掌握的状态', 'Stage')}>
        <Select options={Object.entries(STAGES).map(([value, l]) => ({ value, label: l() }))} />
      </Form.Item>
      <Form.Item name="claimedProgress" label={t('单位掌握的进度（%）', 'Progress (%)')}>
        <InputNumber min={0} max={100} data-testid="round-claim-progress" />
      </Form.Item>
      <Form.Item
        name="note"
        label={t('差异说明', 'Explanation')}
        rules={[{ required: true, whitespace: true, message: t('请说明差异情况', 'Explain the difference') }]}
      >
        <Input.TextArea rows={3} maxLength={2000} data-testid="round-claim-note" />
      </Form.Item>
    </FormModal>
  );
}
