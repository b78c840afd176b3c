import { App, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { passwordProblem } from '../../shared/password.js';
import { useFocusReturn } from './focusReturn.js';
import { useErrorToast } from './hooks.js';
import { changeOwnPassword, passwordRefusal } from './password.js';

interface Values {
  currentPassword: string;
  newPassword: string;
  newPasswordConfirm: string;
}

/** A signed-in person changes their own password: the current one, then the new one twice. Mounted while open. */
export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  useFocusReturn();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useErrorToast();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await changeOwnPassword(v.currentPassword, v.newPassword);
      void message.success(t('layout.password.done'));
      onClose();
    } catch (err) {
      const refusal = passwordRefusal(err);
      if (refusal) form.setFields([{ name: refusal.field, errors: [t(`layout.password.${refusal.key}`)] }]);
      else showError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open title={t('layout.password.title')} okText={t('layout.password.save')} cancelText={t('layout.password.cancel')}
      onOk={() => void submit().catch(() => undefined)} onCancel={onClose} confirmLoading={saving}
    >
      <Form form={form} name="changePassword" layout="vertical" requiredMark={false}>
        <Typography.Paragraph type="secondary">{t('layout.password.hint')}</Typography.Paragraph>
        <Form.Item name="currentPassword" label={t('layout.password.current')} rules={[{ required: true, message: t('layout.password.required') }]}>
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="newPassword" label={t('layout.password.field')} extra={t('layout.password.rules')}
          rules={[{ validator: (_, v: string | undefined) => (passwordProblem(v ?? '') === null ? Promise.resolve() : Promise.reject(new Error(t('layout.password.invalid')))) }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="newPasswordConfirm" label={t('layout.password.confirm')} dependencies={['newPassword']}
          rules={[({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('layout.password.mismatch')))) })]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
