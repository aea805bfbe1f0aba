import { FileDoneOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Statistic, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { errorText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { PLAN_STATUS, pickYear } from './perfData';
import { adjustmentsKey, useYears, performanceApi, usePlans } from './api';

/** Home card: the office sees plans and adjustments waiting for review; a unit sees its own plan's status. */
export function PlanWidget() {
  const years = useYears();
  const year = pickYear(years.data, null);
  const { can } = useAuth();
  const navigate = useNavigate();
  const reviewer = can('plans.review');
  const plans = usePlans(year?.id ?? null);
  const adjustments = useQuery({
    queryKey: adjustmentsKey(year?.id ?? 0),
    queryFn: () => performanceApi.adjustments(year!.id, 'requested'),
    enabled: !!year && reviewer,
  });
  if (!year) return null;
  const open = () => navigate(`/performance/plans?year=${year.id}`);
  const title = (
    <Space>
      <FileDoneOutlined />
      {t(`${year.name} · 年度绩效计划`, `${year.name} · performance plans`)}
    </Space>
  );
  if (plans.error) return <Alert type="error" showIcon title={errorText(plans.error)} />;
  if (reviewer) {
    const submitted = (plans.data ?? []).filter((p) => p.status === 'submitted').length;
    return (
      <Card
        title={title}
        size="small"
        loading={plans.isLoading}
        extra={
          <Button type="link" onClick={open}>
            {t('去审核', 'Review')}
          </Button>
        }
        data-testid="widget-plans"
      >
        <Space size={40}>
          <Statistic
            title={t('待审核计划', 'Plans to review')}
            value={submitted}
            styles={{ content: { color: submitted ? '#d48806' : undefined } }}
          />
          <Statistic title={t('待审调整申请', 'Adjustments to review')} value={adjustments.data?.length ?? 0} />
          <Statistic
            title={t('已批准', 'Approved')}
            value={(plans.data ?? []).filter((p) => p.status === 'approved').length}
            suffix={`/ ${plans.data?.length ?? 0}`}
          />
        </Space>
      </Card>
    );
  }
  const own = plans.data?.length === 1 ? plans.data[0] : null;
  if (!own) return null;
  return (
    <Card
      title={title}
      size="small"
      extra={
        <Button type="link" onClick={open}>
          {t('查看计划', 'Open')}
        </Button>
      }
      data-testid="widget-plans"
    >
      <Space orientation="vertical">
        <Space>
          <Typography.Text>{own.unitName}</Typography.Text>
          <Tag color={PLAN_STATUS[own.status].color}>{PLAN_STATUS[own.status].label()}</Tag>
        </Space>
        {own.status === 'returned' && own.reviewComment && (
          <Alert type="warning" showIcon title={t('退回意见', 'Returned')} description={own.reviewComment} />
        )}
        {(own.status === 'draft' || own.status === 'returned') && own.missingTargets > 0 && (
          <Typography.Text type="warning">
            {t(`还有 ${own.missingTargets} 项指标未填写目标值`, `${own.missingTargets} targets missing`)}
          </Typography.Text>
        )}
        {own.pendingAdjustments > 0 && (
          <Typography.Text>
            {t(`${own.pendingAdjustments} 项目标调整申请待审核`, `${own.pendingAdjustments} adjustment(s) pending`)}
          </Typography.Text>
        )}
      </Space>
    </Card>
  );
}
