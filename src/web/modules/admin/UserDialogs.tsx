import { ThunderboltOutlined } from '@ant-design/icons';
import { App, Button, Divider, Form, Input, Modal, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFocusReturn } from '../../app/focusReturn.js';
import { useSaving } from '../../app/hooks.js';
import { addGrant, createUser, setPassword, type UserRow } from './api.js';
import { generatePassword, passwordOk } from './format.js';
import { USERNAME_PATTERN } from '../../../shared/accounts.js';
import { GrantFields, toGrant, type GrantFieldValues } from './GrantFields.js';

interface DialogProps {
  open: boolean;
  onClose: () => void;
  onDone: () => void;
}

/** A password field with the rule under it and a button that fills in a strong one. */
function PasswordField({ form: formName, name, label }: { form: string; name: string; label: string }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const [generated, setGenerated] = useState(false);
  return (
    <Form.Item label={label} htmlFor={`${formName}_${name}`} required extra={generated ? t('admin.users.password.generated') : t('admin.users.password.rules')}>
      <Space.Compact style={{ width: '100%' }}>
        <Form.Item
          name={name}
          noStyle
          rules={[{ validator: (_, v: string | undefined) => (v && passwordOk(v) ? Promise.resolve() : Promise.reject(new Error(t('admin.users.password.invalid')))) }]}
        >
          <Input.Password autoComplete="new-password" onChange={() => setGenerated(false)} />
        </Form.Item>
        <Button
          icon={<ThunderboltOutlined />}
          onClick={() => {
            const password = generatePassword();
            form.setFieldsValue({ [name]: password, [`${name}Confirm`]: password });
            setGenerated(true);
          }}
        >
          {t('admin.users.password.generate')}
        </Button>
      </Space.Compact>
    </Form.Item>
  );
}

interface NewUserValues extends GrantFieldValues {
  username: string;
  displayName: string;
  phone?: string;
  password: string;
}

export function CreateUserDialog({ open, onClose, onDone }: DialogProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewUserValues>();
  const { saving, save } = useSaving();
  useFocusReturn(open);
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async () => {
    const v = await form.validateFields();
    await save(async () => {
      await createUser({ username: v.username.trim(), displayName: v.displayName.trim(), phone: v.phone?.trim() || null, password: v.password, grants: [toGrant(v)] });
      void message.success(t('admin.users.create.done', { name: v.displayName.trim() }));
      onDone();
    });
  };

  return (
    <Modal open={open} title={t('admin.users.create.title')} okText={t('admin.common.create')} cancelText={t('admin.common.cancel')} onOk={() => void submit().catch(() => undefined)} onCancel={onClose} confirmLoading={saving} forceRender width={560}>
      <Form form={form} name="createUser" layout="vertical" requiredMark="optional" autoComplete="off">
        <Form.Item name="username" label={t('admin.users.create.username')} extra={t('admin.users.create.usernameHint')} rules={[{ required: true, pattern: USERNAME_PATTERN, message: t('admin.users.create.usernameInvalid') }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('admin.users.create.displayName')} rules={[{ required: true, whitespace: true, message: t('admin.users.create.displayNameRequired') }, { max: 64 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="phone" label={t('admin.users.create.phone')} rules={[{ max: 32 }]}>
          <Input inputMode="tel" />
        </Form.Item>
        <PasswordField form="createUser" name="password" label={t('admin.users.create.password')} />
        <Divider titlePlacement="start" plain>
          {t('admin.users.create.firstGrant')}
        </Divider>
        <GrantFields form={form} />
      </Form>
    </Modal>
  );
}

export function AddGrantDialog({ user, onClose, onDone }: { user: UserRow | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<GrantFieldValues>();
  const { saving, save } = useSaving();
  useFocusReturn(user !== null);
  useEffect(() => {
    if (user) form.resetFields();
  }, [user, form]);

  const submit = async () => {
    const v = await form.validateFields();
    if (!user) return;
    await save(async () => {
      await addGrant(user.id, toGrant(v));
      void message.success(t('admin.users.grantAdded'));
      onDone();
    });
  };

  return (
    <Modal open={user !== null} title={t('admin.users.grant.title', { name: user?.displayName ?? '' })} okText={t('admin.common.save')} cancelText={t('admin.common.cancel')} onOk={() => void submit().catch(() => undefined)} onCancel={onClose} confirmLoading={saving} forceRender>
      <Form form={form} name="addGrant" layout="vertical" requiredMark="optional">
        <GrantFields form={form} />
      </Form>
    </Modal>
  );
}

export function PasswordDialog({ user, onClose, onDone }: { user: UserRow | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string; passwordConfirm: string }>();
  const { saving, save } = useSaving();
  useFocusReturn(user !== null);
  useEffect(() => {
    if (user) form.resetFields();
  }, [user, form]);

  const submit = async () => {
    const v = await form.validateFields();
    if (!user) return;
    await save(async () => {
      await setPassword(user.id, v.password);
      void message.success(t('admin.users.password.done', { name: user.displayName }));
      onDone();
    });
  };

  return (
    <Modal open={user !== null} title={t('admin.users.password.title', { name: user?.displayName ?? '' })} okText={t('admin.common.save')} cancelText={t('admin.common.cancel')} onOk={() => void submit().catch(() => undefined)} onCancel={onClose} confirmLoading={saving} forceRender>
      <Form form={form} name="resetPassword" layout="vertical" autoComplete="off">
        <Typography.Paragraph type="secondary">{t('admin.users.password.hint')}</Typography.Paragraph>
        <PasswordField form="resetPassword" name="password" label={t('admin.users.password.field')} />
        <Form.Item
          name="passwordConfirm"
          label={t('admin.users.password.confirm')}
          dependencies={['password']}
          rules={[({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('admin.users.password.mismatch')))) })]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
