import { Breadcrumb, Flex, Typography } from 'antd';
import type { ReactNode, Ref } from 'react';
import { useTranslation } from 'react-i18next';
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
  /** For a page that moves the focus to its title (see app/focusHeading.ts): the title then takes it from script, not from Tab. */
  headingRef?: Ref<HTMLHeadingElement>;
}

/** The top of every page: where you are, what this page is, and its page-wide actions. */
export function PageHeader({ title, subtitle, breadcrumb, extra, headingRef }: PageHeaderProps) {
  const { t } = useTranslation();
  return (
    <header className="og-page-header">
      {breadcrumb && breadcrumb.length > 0 && (
        <Breadcrumb
          // the breadcrumb is a navigation landmark of its own beside the menu: named apart from it
          aria-label={t('nav.breadcrumb')}
          items={breadcrumb.map((crumb) => ({ title: crumb.to ? <Link to={crumb.to}>{crumb.title}</Link> : crumb.title }))}
        />
      )}
      <Flex justify="space-between" align="flex-end" gap={16} wrap>
        <div className="og-page-header-text">
          {/* the page's one first-level heading, at the size of a third: the console's frame is quiet */}
          <Typography.Title level={1} className="og-page-title" style={{ margin: 0 }} ref={headingRef} tabIndex={headingRef ? -1 : undefined}>
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
