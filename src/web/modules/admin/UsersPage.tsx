import { CloseOutlined, KeyOutlined, LockOutlined, PlusOutlined, SafetyOutlined, StopOutlined, UnlockOutlined, UserAddOutlined, WarningOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, Input, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState, type ReactElement } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../shared/permissions.js';
import { useAuth } from '../../app/auth.js';
import { describeError } from '../../app/errors.js';
import { useDocumentTitle, useErrorToast, useRequest } from '../../app/hooks.js';
import { currentLanguage, roleLabel } from '../../app/i18n.js';
import { ErrorState } from '../../ui/EmptyState.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { StatusTag } from '../../ui/StatusTag.js';
import { fetchUsers, removeGrant, setDisabled, unlockUser, type UserGrant, type UserRow } from './api.js';
import { formatTime } from './format.js';
import { AddGrantDialog, CreateUserDialog, PasswordDialog } from './UserDialogs.js';
import './admin.css';
import { usePrinting } from '../../app/printing.js';

/** Accounts still granted on a division retired by a redraw or a merge: to be granted one in use. */
const onRetired = (u: UserRow) => u.grants.some((g) => g.divisionRetired);

function grantText(grant: UserGrant, lang: 'zh-CN' | 'en', everywhere: string): string {
  return `${roleLabel(grant.role as Role, lang)} · ${grant.divisionName ?? (lang === 'en' ? grant.departmentNameEn || grant.departmentName : grant.departmentName) ?? grant.divisionCode ?? grant.departmentCode ?? everywhere}`;
}

/** /admin/users — accounts and their grants; changes need users.manage, the list users.read. */
export default function UsersPage() {
  const printing = usePrinting();
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  const { can, user: me } = useAuth();
  const { message } = App.useApp();
  const showError = useErrorToast();
  useDocumentTitle(t('admin.users.title'));
  const manage = can('users.manage');
  const users = useRequest((signal) => fetchUsers(signal), []);
  const [filter, setFilter] = useState('');
  // ?retired=1 (from a grid import's answer): only the accounts granted on retired divisions
  const [params, setParams] = useSearchParams();
  const retiredOnly = params.get('retired') === '1';
  const setRetiredOnly = (on: boolean) => setParams((p) => {
    if (on) p.set('retired', '1');
    else p.delete('retired');
    return p;
  }, { replace: true });
  const retiredCount = (users.data ?? []).filter(onRetired).length;
  const [creating, setCreating] = useState(false);
  const [granting, setGranting] = useState<UserRow | null>(null);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);

  const rows = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return (users.data ?? []).filter((u) => (!retiredOnly || onRetired(u)) && (!q || u.username.toLowerCase().includes(q) || u.displayName.toLowerCase().includes(q)));
  }, [users.data, filter, retiredOnly]);

  const act = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      void message.success(done);
      users.reload();
    } catch (err) {
      showError(err);
    }
  };

  const status = (u: UserRow) => {
    if (u.disabled) return <StatusTag tone="neutral" icon={<StopOutlined />}>{t('admin.users.disabled')}</StatusTag>;
    if (u.lockedUntil && u.lockedUntil > Date.now()) {
      return (
        <Tooltip title={t('admin.users.lockedUntil', { time: formatTime(u.lockedUntil) })}>
          <span>
            <StatusTag tone="warning" icon={<LockOutlined />}>{t('admin.users.locked')}</StatusTag>
          </span>
        </Tooltip>
      );
    }
    return <StatusTag tone="success">{t('admin.users.active')}</StatusTag>;
  };

  return (
    <>
      <PageHeader
        title={t('admin.users.title')}
        subtitle={t('admin.users.subtitle')}
        breadcrumb={[{ title: t('nav.home'), to: '/' }, { title: t('admin.users.title') }]}
        extra={manage && <Button type="primary" icon={<UserAddOutlined />} onClick={() => setCreating(true)}>{t('admin.users.create.button')}</Button>}
      />
      <Card
        title={
          <Space size={16} wrap>
            <Input.Search allowClear placeholder={t('admin.users.filter')} aria-label={t('admin.users.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} style={{ width: 320, maxWidth: '100%' }} />
            {(retiredOnly || retiredCount > 0) && (
              <Checkbox checked={retiredOnly} onChange={(e) => setRetiredOnly(e.target.checked)}>
                {t('admin.users.retiredOnly', { count: retiredCount })}
              </Checkbox>
            )}
          </Space>
        }
        extra={users.data && <Typography.Text type="secondary">{t('admin.users.count', { count: rows.length })}</Typography.Text>}
      >
        {users.status === 'error' ? (
          <ErrorState title={t('common.loadFailed')} message={describeError(users.error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={users.reload} />
        ) : (
          <Table<UserRow>
            rowKey="id"
            size="middle"
            loading={users.status === 'loading'}
            dataSource={rows}
            pagination={rows.length > 20 && !printing ? { pageSize: 20, showSizeChanger: false } : false}
            scroll={{ x: 960 }}
            columns={[
              {
                key: 'user',
                title: t('admin.users.displayName'),
                fixed: 'left',
                width: 200,
                render: (_, u) => (
                  <div>
                    <strong>{u.displayName}</strong>
                    {u.id === me.id && <Tag style={{ marginInlineStart: 6 }}>{t('admin.users.self')}</Tag>}
                    <div className="og-admin-sub">{u.username}</div>
                  </div>
                ),
              },
              {
                key: 'grants',
                title: t('admin.users.grants'),
                render: (_, u) =>
                  u.grants.length === 0 ? (
                    <Typography.Text type="secondary">{t('admin.users.noGrants')}</Typography.Text>
                  ) : (
                    <Space size={[4, 6]} wrap>
                      {u.grants.map((g) => {
                        const text = grantText(g, lang, t('scope.wholeSystem'));
                        const tagClass = g.divisionRetired ? 'og-grant-tag og-grant-retired' : 'og-grant-tag';
                        const tagIcon = g.divisionRetired ? <WarningOutlined /> : <SafetyOutlined />;
                        const withHint = (tag: ReactElement) => (g.divisionRetired ? <Tooltip key={g.id} title={t('admin.users.grantRetired')}>{tag}</Tooltip> : tag);
                        return manage ? (
                          // the tag's close button keeps its click to itself, so the confirmation opens by hand
                          <Popconfirm
                            key={g.id}
                            open={confirming === g.id}
                            onOpenChange={(open) => !open && setConfirming(null)}
                            title={t('admin.users.removeGrantConfirm', { name: u.displayName, grant: text })}
                            okButtonProps={{ danger: true }}
                            onConfirm={() => act(() => removeGrant(u.id, g.id), t('admin.users.grantRemoved')).finally(() => setConfirming(null))}
                            onCancel={() => setConfirming(null)}
                          >
                            {withHint(<Tag
                              className={tagClass}
                              closable
                              closeIcon={<CloseOutlined aria-label={t('admin.users.removeGrant', { grant: text })} />}
                              onClose={(e) => {
                                e.preventDefault();
                                setConfirming(g.id);
                              }}
                              icon={tagIcon}
                            >
                              {text}
                            </Tag>)}
                          </Popconfirm>
                        ) : (
                          withHint(<Tag key={g.id} className={tagClass} icon={tagIcon}>{text}</Tag>)
                        );
                      })}
                    </Space>
                  ),
              },
              { key: 'status', title: t('admin.users.status'), width: 100, render: (_, u) => status(u) },
              { key: 'lastLogin', title: t('admin.users.lastLogin'), width: 170, render: (_, u) => <span className="og-num">{formatTime(u.lastLoginAt) ?? t('admin.common.never')}</span> },
              ...(manage
                ? [
                    {
                      key: 'actions',
                      title: t('admin.users.actions'),
                      fixed: 'right' as const,
                      width: 250,
                      render: (_: unknown, u: UserRow) => (
                        <Space size={0} wrap>
                          <Button type="link" size="small" icon={<PlusOutlined />} onClick={() => setGranting(u)}>{t('admin.users.addGrant')}</Button>
                          {u.manageable ? (
                            <>
                              <Button type="link" size="small" icon={<KeyOutlined />} onClick={() => setResetting(u)}>{t('admin.users.resetPassword')}</Button>
                              {u.lockedUntil !== null && u.lockedUntil > Date.now() && (
                                <Button type="link" size="small" icon={<UnlockOutlined />} onClick={() => act(() => unlockUser(u.id), t('admin.users.unlockedDone', { name: u.displayName }))}>
                                  {t('admin.users.unlock')}
                                </Button>
                              )}
                              {u.id !== me.id && (
                                <Popconfirm
                                  title={t(u.disabled ? 'admin.users.enableConfirm' : 'admin.users.disableConfirm', { name: u.displayName })}
                                  okButtonProps={{ danger: !u.disabled }}
                                  onConfirm={() => act(() => setDisabled(u.id, !u.disabled), t(u.disabled ? 'admin.users.enabledDone' : 'admin.users.disabledDone', { name: u.displayName }))}
                                >
                                  <Button type="link" size="small" danger={!u.disabled}>{u.disabled ? t('admin.users.enable') : t('admin.users.disable')}</Button>
                                </Popconfirm>
                              )}
                            </>
                          ) : (
                            // its password, disabling and lock are for an administrator over all its grants (403 grants_beyond_area)
                            <Tooltip title={t('admin.users.beyondArea')}>
                              <Typography.Text type="secondary" data-testid={`user-beyond-${u.id}`}>
                                <SafetyOutlined aria-hidden /> {t('admin.users.beyondAreaShort')}
                              </Typography.Text>
                            </Tooltip>
                          )}
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Card>
      {manage && (
        <>
          <CreateUserDialog open={creating} onClose={() => setCreating(false)} onDone={() => { setCreating(false); users.reload(); }} />
          <AddGrantDialog user={granting} onClose={() => setGranting(null)} onDone={() => { setGranting(null); users.reload(); }} />
          <PasswordDialog user={resetting} onClose={() => setResetting(null)} onDone={() => setResetting(null)} />
        </>
      )}
    </>
  );
}
