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

/**
 * 考核年度 / 考核方案: the one year picker, which is also the scheme switcher — each year's annual
 * scheme and the special ones beside it (专项考核, grouped under their year), with their status.
 */
export function YearPicker({ years, value, onChange, loading, width = 300, testId }: Props) {
  const label = (y: TYear) => `${y.name}（${nameOf(YEAR_STATUS_NAMES[y.status])}）`;
  const hasSpecial = years.some((y) => y.kind === 'special');
  const byYear = [...new Set(years.map((y) => y.year))];
  return (
    <>
      <Typography.Text strong>{hasSpecial ? t('考核方案', 'Scheme') : t('考核年度', 'Year')}</Typography.Text>
      <Select<number>
        style={{ width }}
        value={value?.id}
        loading={loading}
        onChange={onChange}
        options={
          hasSpecial
            ? byYear.map((n) => ({
                label: t(`${n} 年度`, `${n}`),
                options: years
                  .filter((y) => y.year === n)
                  .map((y) => ({
                    value: y.id,
                    label: y.kind === 'special' ? `${t('专项', 'Special')}｜${label(y)}` : label(y),
                  })),
              }))
            : years.map((y) => ({ value: y.id, label: label(y) }))
        }
        data-testid={testId}
      />
    </>
  );
}
