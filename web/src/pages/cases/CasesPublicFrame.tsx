import type { ReactNode } from 'react';
import { PublicFrame as Frame, publicLinks } from '../../components/PublicFrame';
import { t } from '../../lib/i18n';

/** The citizen pages' frame: 12345 title, links to submit and track. */
export function CasesPublicFrame({ children }: { children: ReactNode }) {
  return (
    <Frame
      title={t('汉江区 12345 市民服务', 'Hanjiang 12345 Citizen Service')}
      links={[publicLinks.submit(), publicLinks.track()]}
      footer={t('也可拨打热线 12345 反映诉求', 'You can also call 12345')}
    >
      {children}
    </Frame>
  );
}
