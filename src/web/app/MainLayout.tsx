import { DownOutlined, KeyOutlined, LogoutOutlined, MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Drawer, Dropdown, Flex, Grid, Layout, Menu, Tooltip, type MenuProps } from 'antd';
import { Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from './auth.js';
import { BrandMark } from './BrandMark.js';
import { ChangePasswordDialog } from './ChangePasswordDialog.js';
import { grantSummary } from './grants.js';
import { FullPageSpinner } from './guards.js';
import { useErrorToast } from './hooks.js';
import { currentLanguage, joinNames } from './i18n.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { activeMenuKey, visibleMenu } from './menu.js';
import { usePublicConfig } from './publicConfig.js';

function Brand({ collapsed }: { collapsed: boolean }) {
  const { t } = useTranslation();
  return (
    // named by its words when they show; collapsed, only the mark is left to name
    <Link to="/" className="og-brand" aria-label={collapsed ? t('app.fullName') : undefined}>
      <BrandMark size={34} inverted />
      {!collapsed && (
        <span className="og-brand-text">
          <span className="og-brand-name">{t('app.name')}</span>
          <span className="og-brand-sub" title={t('app.platform')}>{t('app.platformShort')}</span>
        </span>
      )}
    </Link>
  );
}

/** The frame of every signed-in page: navigation the user may use, who they are, and the page. */
export function MainLayout() {
  const { t } = useTranslation();
  const { user, can, signOut } = useAuth();
  const config = usePublicConfig();
  const showError = useErrorToast();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  // Before the first measurement every breakpoint reads false; assume a desktop until told otherwise.
  const measured = Object.keys(screens).length > 0;
  const phone = measured && !screens.md;
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);
  const lang = currentLanguage();

  useEffect(() => setCollapsed(measured && !screens.lg), [measured, screens.lg]);
  useEffect(() => setDrawerOpen(false), [location.pathname]);

  const entries = useMemo(() => visibleMenu(can), [can]);
  const selected = activeMenuKey(location.pathname, entries);
  const items: MenuProps['items'] = entries.map((entry) => ({
    key: entry.key,
    icon: entry.icon,
    label: <Link to={entry.path}>{t(entry.labelKey)}</Link>,
  }));
  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      aria-label={t('nav.main')}
      selectedKeys={selected ? [selected] : []}
      items={items}
      // Mouse clicks go through the <Link>; Enter on a focused item arrives here instead.
      onClick={({ key, domEvent }) => {
        const entry = entries.find((e) => e.key === key);
        if (entry && domEvent.type === 'keydown') navigate(entry.path);
      }}
    />
  );

  const onSignOut = async () => {
    try {
      await signOut();
    } catch (err) {
      showError(err);
    }
    navigate('/signin', { replace: true });
  };

  const [firstGrant, ...otherGrants] = user.grants;
  const roleLine = firstGrant ? grantSummary(firstGrant, t, lang) : null;

  return (
    <Layout className="og-shell">
      <a href="#og-main" className="og-skip-link">
        {t('layout.skipToContent')}
      </a>
      {!phone && (
        <Layout.Sider className="og-sider" width={232} collapsedWidth={72} collapsed={collapsed} trigger={null}>
          <Brand collapsed={collapsed} />
          <nav aria-label={t('nav.main')}>{menu}</nav>
        </Layout.Sider>
      )}
      {phone && (
        <Drawer
          className="og-drawer"
          placement="left"
          size={260}
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          closable={false}
          styles={{ body: { padding: 0 } }}
          title={null}
        >
          <Brand collapsed={false} />
          <nav aria-label={t('nav.main')}>{menu}</nav>
        </Drawer>
      )}
      <Layout>
        <Layout.Header className="og-header">
          <Flex align="center" gap={12} style={{ minWidth: 0 }}>
            {phone ? (
              <Button type="text" icon={<MenuOutlined />} aria-label={t('nav.openMenu')} aria-expanded={drawerOpen} onClick={() => setDrawerOpen(true)} />
            ) : (
              <Button
                type="text"
                icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                aria-label={collapsed ? t('nav.expand') : t('nav.collapse')}
                onClick={() => setCollapsed((c) => !c)}
              />
            )}
            <span className="og-header-title">{phone ? t('app.name') : (config?.districtName ?? t('app.platform'))}</span>
            {config?.demo && !phone && <span className="og-demo-badge">{t('layout.demo')}</span>}
          </Flex>
          <Flex align="center" gap={phone ? 8 : 16}>
            <LanguageSwitch compact={phone} />
            <Dropdown
              trigger={['click']}
              menu={{ items: [{ key: 'password', icon: <KeyOutlined />, label: t('layout.changePassword') }], onClick: ({ key }) => key === 'password' && setPasswordOpen(true) }}
            >
              {/* named by what it shows (the user and their role) and then what it opens, so a voice
                  command with the name on screen finds it */}
              <button type="button" className="og-user">
                <Avatar size={phone ? 28 : 32} icon={<UserOutlined />} className="og-user-avatar" aria-hidden />
                <div className="og-user-text">
                  <div className="og-user-name" data-testid="current-user">
                    {user.displayName}
                  </div>
                  {roleLine && !phone && (
                    <Tooltip
                      title={otherGrants.length > 0 ? joinNames(user.grants.map((g) => grantSummary(g, t, lang)), lang) : undefined}
                    >
                      <div className="og-user-role">
                        {roleLine}
                        {otherGrants.length > 0 && ` +${otherGrants.length}`}
                      </div>
                    </Tooltip>
                  )}
                </div>
                {!phone && <DownOutlined className="og-user-caret" aria-hidden />}
                <span className="og-visually-hidden">{t('layout.accountMenu')}</span>
              </button>
            </Dropdown>
            <Button icon={<LogoutOutlined />} onClick={() => void onSignOut()} aria-label={t('layout.signOut')}>
              {!phone && t('layout.signOut')}
            </Button>
          </Flex>
        </Layout.Header>
        <Layout.Content id="og-main" tabIndex={-1} className="og-content">
          <Suspense fallback={<FullPageSpinner />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
        <Layout.Footer className="og-footer">
          {t('layout.footer', { district: config?.districtName ?? t('app.platform'), version: config?.version ?? '' })}
        </Layout.Footer>
      </Layout>
      {passwordOpen && <ChangePasswordDialog onClose={() => setPasswordOpen(false)} />}
    </Layout>
  );
}
