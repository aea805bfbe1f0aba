import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Card, InputNumber, Radio, Skeleton, Space, Switch, Typography } from 'antd';
import { errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { reportingApi, useReportingSettings } from './api';

/**
 * 年度报送规则: the year's deadline rule for every leaf without its own (day N of the next month, or N
 * working days after month end) and 法定节假日顺延 (a day-of-month deadline on a day off moves to the next
 * working day of the calendar), with the reminder lead time.
 */
export function YearRulesCard() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const s = useReportingSettings();
  const save = useMutation({
    mutationFn: (patch: Parameters<typeof reportingApi.saveSettings>[1]) =>
      reportingApi.saveSettings(s.data!.yearId, patch),
    onSuccess: (v) => {
      qc.setQueryData(['reporting', 'settings'], v);
      void qc.invalidateQueries({ queryKey: ['reporting'] });
      message.success(t('已保存', 'Saved'));
    },
    onError: (e) => message.error(errorText(e)),
  });
  const d = s.data;
  return (
    <Card
      size="small"
      title={t('年度报送规则', "The year's deadline rule")}
      style={{ marginBottom: 16 }}
      data-testid="year-rules"
    >
      {!d ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Radio.Group
            value={d.deadlineMode}
            disabled={save.isPending}
            onChange={(e) => save.mutate({ deadlineMode: e.target.value })}
          >
            <Radio value="day">{t(`次月 ${d.deadlineDay} 日前`, `By day ${d.deadlineDay} of the next month`)}</Radio>
            <Radio value="working_days">
              {t('月末后', 'Working days after month end:')}{' '}
              <InputNumber
                size="small"
                min={1}
                max={40}
                value={d.deadlineWorkingDays}
                disabled={d.deadlineMode !== 'working_days' || save.isPending}
                onChange={(v) => v && save.mutate({ deadlineWorkingDays: v })}
                style={{ width: 64 }}
              />{' '}
              {t('个工作日', '')}
            </Radio>
          </Radio.Group>
          <Space>
            <Switch
              checked={d.deadlineRollsOver}
              disabled={d.deadlineMode !== 'day' || save.isPending}
              onChange={(v) => save.mutate({ deadlineRollsOver: v })}
              data-testid="year-rules-rollover"
            />
            <Typography.Text>
              {t(
                '截止日遇法定节假日、休息日顺延至下一个工作日',
                'A deadline on a holiday or weekend moves to the next working day',
              )}
            </Typography.Text>
          </Space>
          <Typography.Text type="secondary" data-testid="year-rules-summary">
            {d.deadlineMode === 'working_days'
              ? t(
                  `${d.year} 年：每月数据于月末后第 ${d.deadlineWorkingDays} 个工作日前报送（按工作日历，已含节假日）。`,
                  `${d.year}: due on the ${d.deadlineWorkingDays}th working day after month end (by the working calendar).`,
                )
              : d.deadlineRollsOver
                ? t(
                    `${d.year} 年：每月数据于次月 ${d.deadlineDay} 日前报送，遇法定节假日、休息日顺延。`,
                    `${d.year}: due on day ${d.deadlineDay} of the next month, moved to the next working day when it is a day off.`,
                  )
                : t(
                    `${d.year} 年：每月数据于次月 ${d.deadlineDay} 日前报送，节假日不顺延。`,
                    `${d.year}: due on day ${d.deadlineDay} of the next month, also when it is a day off.`,
                  )}{' '}
            {t('单个指标可在下方单独设置。', 'A leaf can have its own rule below.')}
          </Typography.Text>
        </Space>
      )}
    </Card>
  );
}
