/** Presentation of the mediation pages: dispute types and outcomes. Endpoints are in api.ts. */
import type { TCaseRow } from '@server/modules/mediation/mediation.schema';
import { t } from '../../lib/i18n';

export const DISPUTE_TYPES: Record<TCaseRow['disputeType'], () => string> = {
  labour: () => t('劳动争议', 'Labour'),
  neighbour: () => t('邻里纠纷', 'Neighbours'),
  consumer: () => t('消费纠纷', 'Consumer'),
  property: () => t('物业纠纷', 'Property management'),
  family: () => t('婚姻家庭', 'Family'),
  traffic: () => t('交通事故', 'Traffic accident'),
  contract: () => t('合同纠纷', 'Contract'),
  land: () => t('土地承包', 'Land'),
  other: () => t('其他', 'Other'),
};

export const MED_STATUS: Record<TCaseRow['status'], { label: () => string; color: string }> = {
  open: { label: () => t('调解中', 'In mediation'), color: 'processing' },
  agreed: { label: () => t('调解成功', 'Agreement'), color: 'green' },
  failed: { label: () => t('调解不成', 'Failed'), color: 'red' },
  arbitration: { label: () => t('转仲裁', 'To arbitration'), color: 'orange' },
  court: { label: () => t('转诉讼', 'To court'), color: 'purple' },
};
