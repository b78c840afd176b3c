import { CheckOutlined, CopyOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../shared/permissions.js';
import { describeError } from '../../app/errors.js';
import { useFocusReturn } from '../../app/focusReturn.js';
import { useDocumentTitle, useErrorToast, useRequest, useSaving } from '../../app/hooks.js';
import { currentLanguage, roleLabel } from '../../app/i18n.js';
import { ErrorState } from '../../ui/EmptyState.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { StatusTag } from '../../ui/StatusTag.js';
import { createApiKey, fetchApiKeys, fetchDepartments, revokeApiKey, type ApiKeyRow } from './api.js';
import { formatTime } from './format.js';
import { departmentLabel, GrantFields, toGrant, type GrantFieldValues } from './GrantFields.js';
import './admin.css';
import { usePrinting } from '../../app/printing.js';

/** /admin/apikeys — keys for other systems; a key is shown once, when it is made. */
export default function ApiKeysPage() {
  const printing = usePrinting();
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  const { message } = App.useApp();
  const showError = useErrorToast();
  useDocumentTitle(t('admin.apikeys.title'));
  const keys = useRequest(async (signal) => {
    const [items, departments] = await Promise.all([fetchApiKeys(signal), fetchDepartments(signal)]);
    return { items, departments: new Map(departments.map((d) => [d.id, d])) };
  }, []);
  const [creating, setCreating] = useState(false);
  const { saving, save } = useSaving();
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [form] = Form.useForm<GrantFieldValues & { name: string }>();
  // the new key's dialog follows the form's: the focus goes back to the button that began both
  useFocusReturn(creating || shown !== null);
  useEffect(() => {
    if (creating) form.resetFields();
  }, [creating, form]);

  const submit = async () => {
    const v = await form.validateFields();
    await save(async () => {
      const created = await createApiKey({ name: v.name.trim(), ...toGrant(v) });
      setCreating(false);
      setCopied(false);
      setShown({ name: v.name.trim(), key: created.key });
      keys.reload();
    });
  };

  const copy = async () => {
    if (!shown) return;
    try {
      await navigator.clipboard.writeText(shown.key);
      setCopied(true);
    } catch {
      // Clipboard access can be refused (plain http, policies): select the text for a manual copy.
      const node = document.getElementById('og-new-key');
      if (node) window.getSelection()?.selectAllChildren(node);
    }
  };

  const revoke = async (row: ApiKeyRow) => {
    try {
      await revokeApiKey(row.id);
      void message.success(t('admin.apikeys.revokedDone', { name: row.name }));
      keys.reload();
    } catch (err) {
      showError(err);
    }
  };

  const rows = keys.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('admin.apikeys.title')}
        subtitle={t('admin.apikeys.subtitle')}
        breadcrumb={[{ title: t('nav.home'), to: '/' }, { title: t('admin.apikeys.title') }]}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('admin.apikeys.create.button')}</Button>}
      />
      <Card title={t('admin.apikeys.title')} extra={keys.data && <Typography.Text type="secondary">{t('admin.apikeys.count', { count: rows.length })}</Typography.Text>}>
        {keys.status === 'error' ? (
          <ErrorState title={t('common.loadFailed')} message={describeError(keys.error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={keys.reload} />
        ) : (
          <Table<ApiKeyRow>
            rowKey="id"
            loading={keys.status === 'loading'}
            dataSource={rows}
            pagination={rows.length > 20 && !printing ? { pageSize: 20, showSizeChanger: false } : false}
            scroll={{ x: 900 }}
            columns={[
              { key: 'name', title: t('admin.apikeys.name'), render: (_, k) => <strong>{k.name}</strong> },
              { key: 'prefix', title: t('admin.apikeys.prefix'), render: (_, k) => <Typography.Text code>{k.prefix}…</Typography.Text> },
              { key: 'role', title: t('admin.common.role'), render: (_, k) => roleLabel(k.role as Role, lang) },
              {
                key: 'scope',
                title: t('admin.apikeys.scope'),
                render: (_, k) => {
                  const dept = k.departmentId !== null ? keys.data?.departments.get(k.departmentId) : undefined;
                  return dept ? departmentLabel(dept, lang) : (k.divisionName ?? k.divisionCode ?? '—');
                },
              },
              { key: 'createdAt', title: t('admin.apikeys.createdAt'), render: (_, k) => <span className="og-num">{formatTime(k.createdAt)}</span> },
              { key: 'lastUsedAt', title: t('admin.apikeys.lastUsedAt'), render: (_, k) => <span className="og-num">{formatTime(k.lastUsedAt) ?? t('admin.common.never')}</span> },
              {
                key: 'status',
                title: t('admin.apikeys.status'),
                render: (_, k) =>
                  k.revokedAt ? (
                    <span title={t('admin.apikeys.revokedAt', { time: formatTime(k.revokedAt) })}>
                      <StatusTag>{t('admin.apikeys.revoked')}</StatusTag>
                    </span>
                  ) : (
                    <StatusTag tone="success">{t('admin.apikeys.active')}</StatusTag>
                  ),
              },
              {
                key: 'actions',
                title: <span className="og-visually-hidden">{t('admin.users.actions')}</span>,
                fixed: 'right',
                width: 90,
                render: (_, k) =>
                  !k.revokedAt && (
                    <Popconfirm title={t('admin.apikeys.revokeConfirm', { name: k.name })} okButtonProps={{ danger: true }} onConfirm={() => revoke(k)}>
                      <Button type="link" danger size="small">{t('admin.apikeys.revoke')}</Button>
                    </Popconfirm>
                  ),
              },
            ]}
          />
        )}
      </Card>

      <Modal open={creating} title={t('admin.apikeys.create.title')} okText={t('admin.common.create')} cancelText={t('admin.common.cancel')} onOk={() => void submit().catch(() => undefined)} onCancel={() => setCreating(false)} confirmLoading={saving} forceRender>
        <Form form={form} name="createApiKey" layout="vertical" requiredMark="optional" autoComplete="off">
          <Form.Item name="name" label={t('admin.apikeys.create.name')} rules={[{ required: true, whitespace: true, message: t('admin.apikeys.create.nameRequired') }, { max: 100 }]}>
            <Input placeholder={t('admin.apikeys.create.namePlaceholder')} />
          </Form.Item>
          <GrantFields form={form} />
        </Form>
      </Modal>

      <Modal
        open={shown !== null}
        title={<><KeyOutlined /> {t('admin.apikeys.shown.title')}</>}
        closable={false}
        mask={{ closable: false }}
        keyboard={false}
        // the key must not linger in the page once the dialog is closed
        destroyOnHidden
        footer={<Button type="primary" onClick={() => setShown(null)}>{t('admin.apikeys.shown.done')}</Button>}
      >
        <Alert type="warning" showIcon title={t('admin.apikeys.shown.warning')} style={{ marginBottom: 16 }} />
        <Typography.Text strong>{shown?.name}</Typography.Text>
        <div className="og-key-box" style={{ marginTop: 8 }} data-testid="new-api-key">
          <code id="og-new-key">{shown?.key}</code>
          <Button icon={copied ? <CheckOutlined /> : <CopyOutlined />} onClick={() => void copy()}>
            {copied ? t('admin.apikeys.shown.copied') : t('admin.apikeys.shown.copy')}
          </Button>
        </div>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('admin.apikeys.shown.usage')} <Typography.Text code>authorization: Bearer {shown ? `${shown.key.slice(0, 8)}…` : ''}</Typography.Text>
        </Typography.Paragraph>
      </Modal>
    </>
  );
}
