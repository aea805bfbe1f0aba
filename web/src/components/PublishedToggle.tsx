import { Radio } from 'antd';
import { t } from '../lib/i18n';

/** Live scores or the published results: the one switch between the two. */
export function PublishedToggle({
  published,
  onChange,
  testId,
}: {
  published: boolean;
  onChange(published: boolean): void;
  testId?: string;
}) {
  return (
    <Radio.Group
      value={published ? 'published' : 'live'}
      optionType="button"
      buttonStyle="solid"
      onChange={(e) => onChange(e.target.value === 'published')}
      options={[
        { value: 'live', label: t('实时得分', 'Live') },
        { value: 'published', label: t('已发布结果', 'Published') },
      ]}
      data-testid={testId}
    />
  );
}
