import { Tag, Tooltip, Typography } from 'antd';
import { t } from '../../lib/i18n';
import { gradeColor, type TScoreRow } from './ScoreData';

/** Whether a row's data are incomplete (plan not approved, leaves without a score). */
export const isIncomplete = (r: Pick<TScoreRow, 'completeness'>) => !!r.completeness && !r.completeness.complete;

/**
 * The grade of a row, or 数据不完整 with what is missing when the unit's plan is not approved or data
 * are missing — never a plain 不达标 that hides why. The grade on the data so far stays beside, grey.
 */
export function GradeOrIncomplete({ row, grades }: { row: TScoreRow; grades: number }) {
  if (isIncomplete(row))
    return (
      <Tooltip title={row.completeness!.text}>
        <span data-testid={`incomplete-${row.unitCode}`}>
          <Tag color="orange">{t('数据不完整', 'Incomplete')}</Tag>
          {row.grade && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(`（现有数据：${row.grade}）`, `(so far: ${row.grade})`)}
            </Typography.Text>
          )}
        </span>
      </Tooltip>
    );
  return row.grade ? <Tag color={gradeColor(row.gradeIndex, grades)}>{row.grade}</Tag> : <>—</>;
}
