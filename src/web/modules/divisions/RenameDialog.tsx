import { App, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFocusReturn } from '../../app/focusReturn.js';
import { useSaving } from '../../app/hooks.js';
import { isSiblingNamed, renameDivision, type Division } from './api.js';
import { levelName } from './format.js';

interface RenameDialogProps {
  division: Division;
  onClose: () => void;
  onDone: (renamed: Division) => void;
}

/** A division renamed by the level above it; its code, area and history stay. Mounted while open. */
export function RenameDialog({ division, onClose, onDone }: RenameDialogProps) {
  useFocusReturn();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string }>();
  const { saving, save } = useSaving();
  const submit = async () => {
    const { name } = await form.validateFields();
    await save(async () => {
      try {
        const renamed = await renameDivision(division.code, name.trim());
        void message.success(t('divisions.rename.done', { name: renamed.name }));
        onDone(renamed);
      } catch (err) {
        // a sibling's name belongs to the field; anything else is shown as the console shows failures
        if (!isSiblingNamed(err)) throw err;
        form.setFields([{ name: 'name', errors: [t('divisions.rename.taken')] }]);
      }
    });
  };
  return (
    <Modal open title={t('divisions.rename.title', { level: levelName(division.level, t) })} okText={t('divisions.rename.save')} cancelText={t('divisions.rename.cancel')}
      onOk={() => void submit().catch(() => undefined)} onCancel={onClose} confirmLoading={saving}>
      <Form form={form} name="renameDivision" layout="vertical" requiredMark="optional" autoComplete="off" initialValues={{ name: division.name }}
        onFinish={() => void submit().catch(() => undefined)}>
        <Typography.Paragraph type="secondary">{t('divisions.rename.hint', { code: division.code })}</Typography.Paragraph>
        <Form.Item name="name" label={t('divisions.rename.name')}
          rules={[{ required: true, whitespace: true, message: t('divisions.rename.required') }, { max: 40, message: t('divisions.rename.tooLong') }]}>
          <Input autoFocus maxLength={40} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
