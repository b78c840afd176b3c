import { App, Form, Input, Modal, Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FORCES, type TeamRole } from '../../../shared/team.js';
import { isAbort } from '../../app/api.js';
import { useFocusReturn } from '../../app/focusReturn.js';
import { useErrorToast, useSaving } from '../../app/hooks.js';
import { currentLanguage } from '../../app/i18n.js';
import { fetchDepartments, type Department } from '../admin/api.js';
import { searchDivisions } from '../map/api.js';
import { addTeamMember, updateTeamMember, type TeamListItem } from './api.js';
import { forceLabel, rolesOf, teamRoleLabel } from './labels.js';

interface FormValues {
  name: string;
  phone?: string;
  role: TeamRole;
  gridCodes: string[];
  departmentId?: number;
}

interface MemberDialogProps {
  open: boolean;
  /** The member to change; none: a new member. */
  member?: TeamListItem | null;
  /** The grid the list is filtered to, offered as a new member's first assignment. */
  defaultGrid?: string;
  onClose: () => void;
  onSaved: () => void;
}

/** A phone as the list shows it when one may not read it: 138****1234. */
const isMasked = (phone: string | null) => phone !== null && phone.includes('*');

/**
 * Adds one person to the grid team, or changes one (name, role, department, grids: after a redraw,
 * the new grids), and assigns them to one or more grids. A masked phone is left as it is unless a new
 * one is typed.
 */
export function MemberDialog({ open, member, defaultGrid, onClose, onSaved }: MemberDialogProps) {
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
  useFocusReturn(open);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (member) {
      form.setFieldsValue({
        name: member.name, role: member.role, gridCodes: member.gridCodes, departmentId: member.departmentId ?? undefined,
        phone: isMasked(member.phone) ? undefined : (member.phone ?? undefined),
      });
      setGridOptions(member.grids.map((g) => ({ value: g.code, label: `${g.code} ${g.name}${g.retired ? ` (${t('team.members.retired')})` : ''}` })));
    } else if (defaultGrid) {
      form.setFieldValue('gridCodes', [defaultGrid]);
      setGridOptions([{ value: defaultGrid, label: defaultGrid }]);
    }
  }, [open, member, defaultGrid, form, t]);

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
      const fields = {
        name: values.name.trim(),
        role: values.role,
        gridCodes: values.gridCodes,
        departmentId: values.role === 'department_staff' ? (values.departmentId ?? null) : null,
      };
      const phone = values.phone?.trim() || null;
      if (member) {
        // a masked phone left empty stays as it is; a readable one emptied is removed
        await updateTeamMember(member.id, phone === null && isMasked(member.phone) ? fields : { ...fields, phone });
        void message.success(t('team.edit.saved', { name: fields.name }));
      } else {
        await addTeamMember({ ...fields, phone });
        void message.success(t('team.add.added', { name: fields.name }));
      }
      onSaved();
    });
  };

  return (
    <Modal
      open={open}
      title={member ? t('team.edit.title', { name: member.name }) : t('team.add.title')}
      okText={member ? t('team.edit.submit') : t('team.add.submit')}
      cancelText={t('team.add.cancel')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={saving}
      forceRender
    >
      <Form form={form} name={member ? 'editMember' : 'addMember'} layout="vertical" requiredMark="optional" onFinish={() => void submit()}>
        <Form.Item name="name" label={t('team.add.name')} rules={[{ required: true, whitespace: true, message: t('team.add.nameRequired') }, { max: 40 }]}>
          <Input placeholder={t('team.add.namePlaceholder')} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('team.add.phone')}
          rules={[{ pattern: /^[0-9+\- ]{5,20}$/, message: t('team.add.phoneInvalid') }]}
          extra={member && isMasked(member.phone) ? t('team.edit.phoneKept', { phone: member.phone }) : undefined}
        >
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
