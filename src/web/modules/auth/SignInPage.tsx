import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../../app/auth.js';
import { BrandMark } from '../../app/BrandMark.js';
import { describeError } from '../../app/errors.js';
import { useDocumentTitle } from '../../app/hooks.js';
import { LanguageSwitch } from '../../app/LanguageSwitch.js';
import { usePublicConfig } from '../../app/publicConfig.js';

interface Credentials {
  username: string;
  password: string;
}

/** Where to go after signing in: the page that sent us here, never an outside address. */
function returnPath(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/signin') ? from : '/';
}

export default function SignInPage() {
  const { t, i18n } = useTranslation();
  const { state, signIn } = useAuth();
  const config = usePublicConfig();
  const location = useLocation();
  const navigate = useNavigate();
  const [form] = Form.useForm<Credentials>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useDocumentTitle(t('auth.pageTitle'));

  // After a failed attempt the password is cleared; put the cursor back there for the retry.
  useEffect(() => {
    if (error !== null && !submitting) form.getFieldInstance('password')?.focus?.();
  }, [error, submitting, form]);

  if (state.status === 'signedIn') return <Navigate to={returnPath(location.state)} replace />;
  const reason = state.status === 'signedOut' ? state.reason : 'none';

  const onFinish = async ({ username, password }: Credentials) => {
    setSubmitting(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
      navigate(returnPath(location.state), { replace: true });
    } catch (err) {
      setError(err);
      form.setFieldValue('password', '');
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="og-signin">
      {/* a region named by its heading, so nothing on the page lies outside a landmark */}
      <section className="og-signin-brand" aria-labelledby="og-signin-title">
        <div className="og-signin-brand-inner">
          <div className="og-signin-logo">
            <BrandMark size={48} inverted />
            <div>
              <div className="og-signin-product">{t('app.name')}</div>
              <div className="og-signin-product-alt">{t('app.altName')}</div>
            </div>
          </div>
          <h1 id="og-signin-title" className="og-signin-title">{t('app.platform')}</h1>
          {config?.districtName && <div className="og-signin-district">{config.districtName}</div>}
          <p className="og-signin-tagline">{t('auth.tagline')}</p>
          <dl className="og-signin-pillars">
            {(['levels', 'loop', 'platforms'] as const).map((key) => (
              <div key={key} className="og-signin-pillar">
                <dt>{t(`auth.pillars.${key}Title`)}</dt>
                <dd>{t(`auth.pillars.${key}`)}</dd>
              </div>
            ))}
          </dl>
        </div>
        <div className="og-signin-brand-foot">
          {t('app.englishName')} {config?.version ?? ''} · {t('auth.openSource')}
        </div>
      </section>

      <main className="og-signin-panel">
        <div className="og-signin-toolbar">
          <LanguageSwitch />
        </div>
        <div className="og-signin-card">
          <div className="og-signin-compact-brand">
            <BrandMark size={36} />
            <div>
              <div className="og-signin-compact-name">{t('app.fullName')}</div>
              {config?.districtName && <Typography.Text type="secondary">{config.districtName}</Typography.Text>}
            </div>
          </div>
          <Typography.Title level={2} className="og-signin-heading">
            {t('auth.welcome')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('auth.welcomeHint')}</Typography.Paragraph>

          {config?.demo && (
            <Alert className="og-signin-alert" type="info" showIcon title={t('auth.demoTitle')} description={t('auth.demoText')} />
          )}
          {reason === 'expired' && !error && <Alert className="og-signin-alert" type="warning" showIcon title={t('auth.expired')} />}
          {reason === 'signedOut' && !error && <Alert className="og-signin-alert" type="success" showIcon title={t('auth.signedOut')} />}

          <Form<Credentials>
            form={form}
            layout="vertical"
            size="large"
            requiredMark={false}
            onFinish={onFinish}
            onValuesChange={() => error !== null && setError(null)}
            disabled={submitting}
          >
            <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}>
              <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" autoFocus autoCapitalize="none" spellCheck={false} />
            </Form.Item>
            <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" />
            </Form.Item>
            {error !== null && (
              <Alert className="og-signin-alert" type="error" showIcon role="alert" title={describeError(error, t, i18n.language)} data-testid="signin-error" />
            )}
            <Button type="primary" htmlType="submit" block loading={submitting}>
              {submitting ? t('auth.submitting') : t('auth.submit')}
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" className="og-signin-notice">
            {t('auth.securityNotice')}
          </Typography.Paragraph>
        </div>
      </main>
    </div>
  );
}
