import { useNavigate, useParams } from 'react-router';
import { SubmissionDrawer } from './SubmissionDrawer';

/** A submission by link (notifications, audit): the drawer over an empty page. */
export function SubmissionPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  return <SubmissionDrawer target={{ id: Number(id) }} onClose={() => navigate('/reporting/my')} />;
}
