/** Presentation of evaluation: campaign kinds and statuses, satisfaction levels, quality flags, question types. Endpoints are in api.ts. */
import type { CampaignKind, CampaignStatus } from '@server/modules/evaluation/evaluation.schema';
import { t } from '../../lib/i18n';

export const KINDS: Record<CampaignKind, () => string> = {
  public_survey: () => t('群众满意度调查', 'Public survey'),
  enterprise_survey: () => t('企业满意度调查', 'Enterprise survey'),
  deputies: () => t('人大代表政协委员评议', "Deputies' evaluation"),
  special_supervisors: () => t('特约监察员明察暗访', "Special supervisors' visits"),
  leaders: () => t('领导评价', "Leaders' evaluation"),
  mutual: () => t('部门互评（协调配合）', 'Mutual evaluation'),
  service_recipients: () => t('服务对象满意度调查', 'Service-recipient survey'),
  expert_review: () => t('专家评审', 'Expert review'),
  consultation: () => t('协商征求意见', 'Public consultation'),
};
export const SAMPLED: CampaignKind[] = ['public_survey', 'enterprise_survey', 'service_recipients'];

export const STATUSES: Record<CampaignStatus, { label: () => string; color: string }> = {
  draft: { label: () => t('草稿', 'Draft'), color: 'default' },
  open: { label: () => t('进行中', 'Open'), color: 'processing' },
  closed: { label: () => t('已结束', 'Closed'), color: 'gold' },
  published: { label: () => t('已发布', 'Published'), color: 'green' },
};

export const LEVELS = () => [
  t('非常满意', 'Very satisfied'),
  t('满意', 'Satisfied'),
  t('基本满意', 'Fairly satisfied'),
  t('不满意', 'Dissatisfied'),
  t('非常不满意', 'Very dissatisfied'),
];

export const FLAGS: Record<string, () => string> = {
  same_ip: () => t('同一地址多份', 'Many from one address'),
  same_device: () => t('同一设备多份', 'Many from one device'),
  too_fast: () => t('作答过快', 'Too fast'),
  straight_lining: () => t('答案雷同', 'Straight-lining'),
};

export const QUESTION_TYPES: Record<string, () => string> = {
  single: () => t('单选', 'Single choice'),
  multi: () => t('多选', 'Multiple choice'),
  satisfaction5: () => t('五级满意度', '5-level satisfaction'),
  scale10: () => t('0–10 分', '0–10 scale'),
  matrix: () => t('矩阵', 'Matrix'),
  text: () => t('填空（意见建议）', 'Free text'),
};
