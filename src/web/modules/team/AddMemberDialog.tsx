import { App, Form, Input, Modal, Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FORCES, type TeamRole } from '../../../shared/team.js';
import { isAbort } from '../../app/api.js';
import { useErrorToast, useSaving } from '../../app/hooks.js';
import { currentLanguage } from '../../app/i18n.js';
import { fetchDepartments, type Department } from '../admin/api.js';
import { searchDivisions } from '../map/api.js';
import { addTeamMember } from './api.js';
import { forceLabel, rolesOf, teamRoleLabel } from './labels.js';

interface FormValues {
  name: string;
  phone?: string;
  role: TeamRole;
  gridCodes: string[];
  departmentId?: number;
}

interface AddMemberDialogProps {
  open: boolean;
  /** The grid the list is filtered to, offered as the first assignment. */
  defaultGrid?: string;
  onClose: () => void;
  onAdded: () => void;
}

/** Adds one person to the grid team and assigns them to one or more grids. */
export function AddMemberDialog({ open, defaultGrid, onClose, onAdded }: AddMemberDialogProps) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const { message } = App.useApp();
  const showError = useErrorToast();
  const [form] = Form.useForm<FormValues>();
  const role = Form.useWatch('role', form);
  const [gridOptions, setGridOptions] = useState<{ value: string; label: string }[]>([]);
  const [departments, setDepartments] = useState<Department[]>([]);
  const { saving, save } = useSaving();
  const searching = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (defaultGrid) {
      form.setFieldValue('gridCodes', [defaultGrid]);
      setGridOptions([{ value: defaultGrid, label: defaultGrid }]);
    }
  }, [open, defaultGrid, form]);

  useEffect(() => {
    if (!open || role !== 'department_staff' || departments.length) return;
    fetchDepartments().then(setDepartments, showError);
  }, [open, role, departments.length, showError]);

  const searchGrids = (q: string) => {
    searching.current?.abort();
    if (!q.trim()) return;
    const controller = new AbortController();
    searching.current = controller;
    searchDivisions(q.trim(), controller.signal).then(
      (hits) => setGridOptions(hits.filter((h) => h.level === 0).map((h) => ({ value: h.code, label: `${h.code} ${h.name}` }))),
      (err: unknown) => !isAbort(err) && showError(err),
    );
  };

  const submit = async () => {
    const values = await form.validateFields();
    await save(async () => {
      await addTeamMember({
        name: values.name.trim(),
        phone: values.phone?.trim() || null,
        role: values.role,
        gridCodes: values.gridCodes,
        departmentId: values.role === 'department_staff' ? (values.departmentId ?? null) : null,
      });
      void message.success(t('team.add.added', { name: values.name.trim() }));
      onAdded();
    });
  };

  return (
    <Modal
      open={open}
      title={t('team.add.title')}
      okText={t('team.add.submit')}
      cancelText={t('team.add.cancel')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={saving}
      forceRender
    >
      <Form form={form} name="addMember" layout="vertical" requiredMark="optional" onFinish={() => void submit()}>
        <Form.Item name="name" label={t('team.add.name')} rules={[{ required: true, whitespace: true, message: t('team.add.nameRequired') }, { max: 40 }]}>
          <Input placeholder={t('team.add.namePlaceholder')} autoComplete="off" />
        </Form.Item>
        <Form.Item name="phone" label={t('team.add.phone')} rules={[{ pattern: /^[0-9+\- ]{5,20}$/, message: t('team.add.phoneInvalid') }]}>
          <Input inputMode="tel" autoComplete="off" />
        </Form.Item>
        <Form.Item name="role" label={t('team.add.role')} rules={[{ required: true, message: t('team.add.roleRequired') }]}>
          <Select
            options={FORCES.map((force) => ({
              label: forceLabel(force, lang),
              title: forceLabel(force, lang),
              options: rolesOf(force).map((r) => ({ value: r, label: teamRoleLabel(r, lang) })),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="gridCodes"
          label={t('team.add.grids')}
          rules={[
            { required: true, type: 'array', min: 1, message: t('team.add.gridsRequired') },
            { type: 'array', max: 50, message: t('team.add.gridsTooMany') },
          ]}
        >
          <Select mode="multiple" placeholder={t('team.add.gridsPlaceholder')} options={gridOptions} showSearch={{ onSearch: searchGrids, filterOption: false }} />
        </Form.Item>
        {role === 'department_staff' && (
          <Form.Item name="departmentId" label={t('team.add.department')} extra={t('team.add.departmentHint')}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={departments.map((d) => ({ value: d.id, label: lang === 'en' && d.nameEn ? d.nameEn : d.name }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
