import { Alert } from 'antd';
import { Link } from 'react-router';
import { useAuth } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { useProposalsToRate } from './api';

/** In the evaluator's inbox: the deputy's proposals whose reply awaits their rating, with a link to rate them. */
export function ProposalsToRate() {
  const { can } = useAuth();
  const q = useProposalsToRate(can('supervision.rate'));
  if (!q.data?.total) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="proposals-to-rate"
      title={
        <>
          {t(
            `您有 ${q.data.total} 件议案提案的答复等待评价。`,
            `${q.data.total} replies to your proposals await your rating.`,
          )}{' '}
          <Link to="/supervision/proposals/rate">{t('去评价', 'Rate them')}</Link>
        </>
      }
    />
  );
}
