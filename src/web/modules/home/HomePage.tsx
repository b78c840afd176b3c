import { ArrowRightOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Card, Col, Descriptions, Flex, Row, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth } from '../../app/auth.js';
import { grantScope } from '../../app/grants.js';
import { useDocumentTitle } from '../../app/hooks.js';
import { currentLanguage, permissionLabel, roleLabel, sortPermissions } from '../../app/i18n.js';
import { descriptionOf, visibleMenu } from '../../app/menu.js';
import { usePublicConfig } from '../../app/publicConfig.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { StatusTag } from '../../ui/StatusTag.js';
import { JurisdictionOverview } from '../divisions/JurisdictionOverview.js';

type GreetingKey = 'night' | 'morning' | 'forenoon' | 'noon' | 'afternoon' | 'evening';

function greetingFor(hour: number): GreetingKey {
  if (hour < 5) return 'night';
  if (hour < 9) return 'morning';
  if (hour < 11) return 'forenoon';
  if (hour < 13) return 'noon';
  if (hour < 18) return 'afternoon';
  return 'evening';
}

/** The workbench: who you are here, what you are responsible for, and where to start. */
export default function HomePage() {
  const { t } = useTranslation();
  const { user, can } = useAuth();
  const config = usePublicConfig();
  const lang = currentLanguage();
  useDocumentTitle(t('home.pageTitle'));

  const now = new Date();
  const today = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' }).format(now);
  const links = visibleMenu(can).filter((entry) => entry.descriptionKey !== null);

  return (
    <Flex vertical gap={16}>
      <section className="og-welcome" aria-labelledby="og-welcome-title">
        <div>
          {/* the workbench's h1, drawn at the second heading's size it had before */}
          <Typography.Title level={1} id="og-welcome-title" className="og-welcome-title">
            {t('home.hello', { greeting: t(`home.greeting.${greetingFor(now.getHours())}`), name: user.displayName })}
          </Typography.Title>
          <Typography.Paragraph className="og-welcome-text">
            {config?.districtName ? t('home.intro', { district: config.districtName }) : t('home.introNoDistrict')}
          </Typography.Paragraph>
          <Space size={[8, 8]} wrap>
            {user.grants.map((grant, i) => (
              <span className="og-welcome-grant" key={i}>
                {roleLabel(grant.role, lang)} · {grantScope(grant, t)}
              </span>
            ))}
          </Space>
        </div>
        <div className="og-welcome-date">{today}</div>
      </section>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            {can('divisions.read') && (
              <Card title={t('home.jurisdictionTitle')} extra={<Link to="/divisions">{t('nav.divisions')} <ArrowRightOutlined /></Link>}>
                <JurisdictionOverview />
              </Card>
            )}
            <Card title={t('home.linksTitle')}>
              {links.length === 0 ? (
                <EmptyState title={t('home.noLinks')} />
              ) : (
                <Row gutter={[16, 16]}>
                  {links.map((entry) => (
                    <Col xs={24} md={12} xxl={8} key={entry.key}>
                      <Link to={entry.path} className="og-quick-link">
                        <span className="og-quick-link-icon" aria-hidden>
                          {entry.icon}
                        </span>
                        <span className="og-quick-link-text">
                          <span className="og-quick-link-title">{t(entry.labelKey)}</span>
                          {entry.descriptionKey && <span className="og-quick-link-desc">{t(descriptionOf(entry, can)!)}</span>}
                        </span>
                        <ArrowRightOutlined className="og-quick-link-arrow" aria-hidden />
                      </Link>
                    </Col>
                  ))}
                </Row>
              )}
            </Card>
          </Flex>
        </Col>

        <Col xs={24} xl={8}>
          <Flex vertical gap={16}>
            <Card title={t('home.rolesTitle')}>
              {user.grants.length === 0 ? (
                <EmptyState title={t('home.noGrants')} />
              ) : (
                <ul className="og-grant-list">
                  {user.grants.map((grant, i) => (
                    <li key={i}>
                      <SafetyCertificateOutlined className="og-grant-icon" aria-hidden />
                      <div>
                        <div className="og-grant-role">{roleLabel(grant.role, lang)}</div>
                        <Typography.Text type="secondary">
                          {t('home.scopeLine', {
                            label: grant.departmentName ? t('home.scopeDepartment') : t('home.scopeDivision'),
                            scope: grantScope(grant, t),
                          })}
                        </Typography.Text>
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </Card>

            <Card title={t('home.permissionsTitle')} extra={<Typography.Text type="secondary">{t('home.permissionsCount', { count: user.permissions.length })}</Typography.Text>}>
              <Flex wrap gap={6}>
                {sortPermissions(user.permissions).map((key) => (
                  <StatusTag key={key} tone="info">
                    {permissionLabel(key, lang)}
                  </StatusTag>
                ))}
              </Flex>
            </Card>

            <Card title={t('home.systemTitle')}>
              <Descriptions
                column={1}
                size="small"
                items={[
                  { key: 'account', label: t('home.account'), children: user.username },
                  { key: 'district', label: t('home.district'), children: config?.districtName ?? t('common.unknown') },
                  {
                    key: 'env',
                    label: t('home.environment'),
                    children: config ? (
                      <StatusTag tone={config.demo ? 'warning' : 'success'}>{config.demo ? t('home.envDemo') : t('home.envProduction')}</StatusTag>
                    ) : (
                      t('common.unknown')
                    ),
                  },
                  { key: 'version', label: t('home.version'), children: config?.version ?? t('common.unknown') },
                ]}
              />
            </Card>
          </Flex>
        </Col>
      </Row>
    </Flex>
  );
}
