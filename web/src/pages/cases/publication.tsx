import { Tag } from 'antd';
import type { Publication } from '@server/modules/cases/cases.table';
import { t } from '../../lib/i18n';

/** The publication rules of the public interface (Open311), as the admin chooses them. */
export const PUBLICATION_LABEL: Record<Publication, () => string> = {
  public: () => t('公开（个人信息打码）', 'Public (personal data masked)'),
  limited: () => t('仅公开状态（不含内容，坐标约 100 米）', 'Status only (no text, ~100 m location)'),
  private: () => t('不公开', 'Not public'),
};

export const publicationOptions = () => (Object.keys(PUBLICATION_LABEL) as Publication[]).map((p) => ({ value: p, label: PUBLICATION_LABEL[p]() }));

const COLOR: Record<Publication, string> = { public: 'green', limited: 'gold', private: 'default' };
const SHORT: Record<Publication, () => string> = {
  public: () => t('公开', 'Public'),
  limited: () => t('仅状态', 'Status only'),
  private: () => t('不公开', 'Not public'),
};

/** A short tag for a publication rule. */
export function PublicationTag({ value }: { value: Publication }) {
  return <Tag color={COLOR[value]}>{SHORT[value]()}</Tag>;
}
