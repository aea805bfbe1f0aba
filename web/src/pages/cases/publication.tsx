import { Tag } from 'antd';
import { PUBLICATION_NAMES, PUBLICATIONS, type Publication } from '@common/cases';
import { t } from '../../lib/i18n';
import { labelsOf } from '../../lib/names';

/** The publication rules of the public interface (Open311), as the admin chooses them (names in common/cases.ts). */
export const PUBLICATION_LABEL = labelsOf(PUBLICATION_NAMES);

export const publicationOptions = () => PUBLICATIONS.map((p) => ({ value: p, label: PUBLICATION_LABEL[p]() }));

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
