/** Presentation of the assistance pages: request kinds, statuses, satisfaction and event names. Endpoints are in api.ts. */
import type { TRequestRow } from '@server/modules/assistance/assistance.schema';
import { t } from '../../lib/i18n';

export const KINDS: Record<TRequestRow['kind'], () => string> = {
  relief: () => t('社会救助', 'Social relief'),
  wage: () => t('劳动维权（欠薪）', 'Unpaid wages'),
  legal_aid: () => t('法律援助', 'Legal aid'),
  disability: () => t('残疾人帮扶', 'Disability'),
  women: () => t('妇女儿童维权', "Women's and children's rights"),
  elderly: () => t('养老服务', 'Elderly care'),
  housing: () => t('住房保障', 'Housing'),
  medical: () => t('医疗救助', 'Medical aid'),
  other: () => t('其他求助', 'Other'),
};

export const AST_STATUS: Record<TRequestRow['status'], { label: () => string; color: string }> = {
  registered: { label: () => t('已登记', 'Registered'), color: 'default' },
  referred: { label: () => t('已转办', 'Referred'), color: 'blue' },
  signed: { label: () => t('已签收', 'Signed for'), color: 'cyan' },
  answered: { label: () => t('已答复', 'Answered'), color: 'gold' },
  closed: { label: () => t('已回访', 'Called back'), color: 'green' },
};

export const SATISFACTION: Record<NonNullable<TRequestRow['satisfaction']>, () => string> = {
  satisfied: () => t('满意', 'Satisfied'),
  basic: () => t('基本满意', 'Fairly satisfied'),
  unsatisfied: () => t('不满意', 'Unsatisfied'),
};

export const EVENT_KINDS: Record<string, () => string> = {
  register: () => t('登记', 'Registered'),
  refer: () => t('转办', 'Referred'),
  sign: () => t('签收', 'Signed for'),
  urge: () => t('督办', 'Urged'),
  answer: () => t('答复', 'Answered'),
  feedback: () => t('回访', 'Called back'),
};
