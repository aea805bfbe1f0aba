import { Descriptions, Tag } from 'antd';
import type { TRoundDetail, TRoundRow } from '@server/modules/supervision/supervision.fieldwork.schema';
import { t } from '../../lib/i18n';
import { fmtDate } from '../../lib/time';
import { ROUND_KIND, STAGES } from './fieldworkData';
import { STATUSES } from './supervisionData';

/** The round's facts, shown on the office's and the unit's pages. */
export function RoundHeader({ round: r }: { round: TRoundDetail }) {
  return (
    <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
      <Descriptions.Item label={t('类型', 'Kind')}>{ROUND_KIND[r.kind]()}</Descriptions.Item>
      <Descriptions.Item label={t('截止日期', 'As of')}>{r.asOf}</Descriptions.Item>
      <Descriptions.Item label={t('状态', 'Status')}>
        {r.status === 'open' ? <Tag color="processing">{t('进行中', 'Open')}</Tag> : <Tag>{t('已结束', 'Closed')}</Tag>}
      </Descriptions.Item>
      <Descriptions.Item label={t('发起', 'Opened')}>
        {r.openedByName} {fmtDate(r.openedAt)}
      </Descriptions.Item>
      {r.closedAt && (
        <Descriptions.Item label={t('结束', 'Closed')}>
          {r.closedByName} {fmtDate(r.closedAt)}
        </Descriptions.Item>
      )}
      {r.closeNote && <Descriptions.Item label={t('结束说明', 'Note')}>{r.closeNote}</Descriptions.Item>}
    </Descriptions>
  );
}

export const stageText = (row: TRoundRow) => {
  const label = STATUSES[row.snapStatus as keyof typeof STATUSES]?.label() ?? row.snapStatus;
  const stage = STAGES[row.snapStage]();
  // The units' stage only where it says something the status does not (待报方案 → 未启动).
  return label === stage ? label : `${label}（${stage}）`;
};
