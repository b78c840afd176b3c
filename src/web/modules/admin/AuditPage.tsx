import { LeftOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Card, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/errors.js';
import { useDocumentTitle, useRequest } from '../../app/hooks.js';
import { TEAM_ROLES, type TeamRole } from '../../../shared/team.js';
import { currentLanguage, joinNames, roleLabel } from '../../app/i18n.js';
import { EmptyState, ErrorState } from '../../ui/EmptyState.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { StatusTag, type Tone } from '../../ui/StatusTag.js';
import { fetchAudit, type AuditEntry } from './api.js';
import { actionKey, describeDetail, formatTime, type DetailWords } from './format.js';
import './admin.css';

const PAGE = 50;

function toneOf(action: string): Tone {
  if (action === 'auth.login_failed' || action === 'auth.login_refused' || action === 'auth.account_locked') return 'danger';
  if (action === 'personal_data.read') return 'warning';
  if (action.startsWith('auth.')) return 'neutral';
  return 'info';
}

/**
 * /admin/audit — newest first, paged by id: "older" asks for entries before the last one shown,
 * so new entries arriving meanwhile never shift a page.
 */
/** A sign-in that failed or was refused: nobody was signed in to act. */
const SIGN_IN_REFUSALS = new Set(['auth.login_failed', 'auth.login_refused', 'auth.account_locked']);

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  useDocumentTitle(t('admin.audit.title'));
  // cursors[i] is the "before" of page i + 1; the first page has none
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const before = cursors[cursors.length - 1];
  const page = useRequest((signal) => fetchAudit(PAGE, before, signal), [before]);
  const items = page.data ?? [];
  const last = items[items.length - 1];

  const actionText = (action: string) => {
    const key = `admin.audit.actions.${actionKey(action)}`;
    return i18n.exists(key) ? t(key as 'admin.audit.actions.auth_login') : action;
  };
  const targetText = (e: AuditEntry) => {
    if (!e.targetType) return '—';
    const key = `admin.audit.targets.${e.targetType}`;
    const type = i18n.exists(key) ? t(key as 'admin.audit.targets.user') : e.targetType;
    // the account, key, department or area by name where it still exists, else by its number
    return e.targetName ? `${type} ${e.targetName}` : e.targetId ? `${type} ${e.targetId}` : type;
  };
  const wordsFor = (e: AuditEntry): DetailWords => ({
    key: (name) => (i18n.exists(`admin.audit.keys.${name}`) ? t(`admin.audit.keys.${name}` as 'admin.audit.keys.username') : undefined),
    // an account's role, or in the team's entries a team member's (网格长)
    role: e.targetType === 'team_member'
      ? (role) => (role in TEAM_ROLES ? TEAM_ROLES[role as TeamRole][lang === 'en' ? 'en' : 'zh'] : role)
      : (role) => roleLabel(role as Parameters<typeof roleLabel>[0], lang),
    join: (items) => joinNames(items, lang),
    value: (name, value) => (name === 'reason' && i18n.exists(`admin.audit.reasons.${value}`) ? t(`admin.audit.reasons.${value}` as 'admin.audit.reasons.locked') : undefined),
  });

  const pager = (
    <Space wrap>
      <Typography.Text type="secondary">{t('admin.audit.pageInfo', { page: cursors.length })}</Typography.Text>
      <Button icon={<ReloadOutlined />} onClick={() => (cursors.length > 1 ? setCursors([undefined]) : page.reload())}>
        {t('admin.audit.newest')}
      </Button>
      <Button icon={<LeftOutlined />} disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
        {t('admin.audit.newer')}
      </Button>
      <Button disabled={items.length < PAGE || !last} onClick={() => last && setCursors((c) => [...c, last.id])}>
        {t('admin.audit.older')} <RightOutlined />
      </Button>
    </Space>
  );

  return (
    <>
      <PageHeader title={t('admin.audit.title')} subtitle={t('admin.audit.subtitle')} breadcrumb={[{ title: t('nav.home'), to: '/' }, { title: t('admin.audit.title') }]} />
      <Card title={t('admin.audit.title')} extra={pager}>
        {page.status === 'error' ? (
          <ErrorState title={t('common.loadFailed')} message={describeError(page.error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={page.reload} />
        ) : (
          <Table<AuditEntry>
            rowKey="id"
            size="small"
            loading={page.status === 'loading'}
            dataSource={items}
            pagination={false}
            locale={{ emptyText: <EmptyState title={t('admin.audit.empty')} /> }}
            scroll={{ x: 980 }}
            columns={[
              { key: 'at', title: t('admin.audit.at'), width: 170, render: (_, e) => <span className="og-num">{formatTime(e.at)}</span> },
              { key: 'actor', title: t('admin.audit.actor'), width: 170, render: (_, e) => e.actorName ?? (SIGN_IN_REFUSALS.has(e.action) ? t('admin.audit.notSignedIn') : t('admin.audit.system')) },
              { key: 'action', title: t('admin.audit.action'), width: 170, render: (_, e) => <StatusTag tone={toneOf(e.action)}>{actionText(e.action)}</StatusTag> },
              { key: 'target', title: t('admin.audit.target'), width: 200, render: (_, e) => targetText(e) },
              { key: 'ip', title: t('admin.audit.ip'), width: 130, render: (_, e) => <span className="og-num">{e.ip ?? '—'}</span> },
              { key: 'detail', title: t('admin.audit.detail'), render: (_, e) => <span className="og-audit-detail">{describeDetail(e.detail, wordsFor(e))}</span> },
            ]}
          />
        )}
      </Card>
    </>
  );
}
