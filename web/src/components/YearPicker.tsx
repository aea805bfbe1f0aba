import { Select, Typography } from 'antd';
import type { TYear } from '@server/modules/performance/performance.schema';
import { YEAR_STATUS_NAMES } from '@common/performance';
import { t } from '../lib/i18n';
import { nameOf } from '../lib/names';

type Props = {
  years: readonly TYear[];
  value: TYear | null;
  onChange(id: number): void;
  loading?: boolean;
  width?: number;
  testId?: string;
};

/** 考核年度: the one year picker (label and a select showing each year's status). */
export function YearPicker({ years, value, onChange, loading, width = 260, testId }: Props) {
  return (
    <>
      <Typography.Text strong>{t('考核年度', 'Year')}</Typography.Text>
      <Select<number>
        style={{ width }}
        value={value?.id}
        loading={loading}
        onChange={onChange}
        options={years.map((y) => ({ value: y.id, label: `${y.name}（${nameOf(YEAR_STATUS_NAMES[y.status])}）` }))}
        data-testid={testId}
      />
    </>
  );
}
