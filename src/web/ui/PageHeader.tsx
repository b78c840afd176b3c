import { Breadcrumb, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';

export interface Crumb {
  title: ReactNode;
  /** Omit on the last crumb (the current page). */
  to?: string;
}

interface PageHeaderProps {
  title: ReactNode;
  subtitle?: ReactNode;
  breadcrumb?: Crumb[];
  extra?: ReactNode;
}

/** The top of every page: where you are, what this page is, and its page-wide actions. */
export function PageHeader({ title, subtitle, breadcrumb, extra }: PageHeaderProps) {
  return (
    <header className="og-page-header">
      {breadcrumb && breadcrumb.length > 0 && (
        <Breadcrumb
          items={breadcrumb.map((crumb) => ({ title: crumb.to ? <Link to={crumb.to}>{crumb.title}</Link> : crumb.title }))}
        />
      )}
      <Flex justify="space-between" align="flex-end" gap={16} wrap>
        <div className="og-page-header-text">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          {subtitle && <Typography.Text type="secondary">{subtitle}</Typography.Text>}
        </div>
        {extra && (
          <Flex gap={8} wrap>
            {extra}
          </Flex>
        )}
      </Flex>
    </header>
  );
}
