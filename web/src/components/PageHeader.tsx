import { Space, Typography } from 'antd';
import type { ReactNode } from 'react';

/** A page's title line: the title on the left, the page's buttons on the right (not printed). */
export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      <Space wrap className="xn-no-print">
        {children}
      </Space>
    </Space>
  );
}
