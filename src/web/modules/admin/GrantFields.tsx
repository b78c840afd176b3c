import { Form, Select, type FormInstance } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_INFO, ROLES, type Role } from '../../../shared/permissions.js';
import { useErrorToast } from '../../app/hooks.js';
import { currentLanguage, roleLabel } from '../../app/i18n.js';
import { fetchDepartments, type Department, type GrantInput } from './api.js';
import { DivisionPicker } from './DivisionPicker.js';

export interface GrantFieldValues {
  role?: Role;
  divisionCode?: string | null;
  departmentCode?: string | null;
}

/** The grant a form produces: a division for most roles, a department for department staff. */
export function toGrant(values: GrantFieldValues): GrantInput {
  const role = values.role!;
  return ROLE_INFO[role].scope === 'department'
    ? { role, departmentCode: values.departmentCode ?? null }
    : { role, divisionCode: values.divisionCode ?? null };
}

export function departmentLabel(d: Department, lang: string): string {
  return lang === 'en' && d.nameEn ? d.nameEn : d.name;
}

/**
 * Role, then where it applies. Which of the two pickers shows follows the role's scope in the
 * permission catalogue, so a new role needs no change here.
 */
export function GrantFields({ form, prefix = [] }: { form: FormInstance; prefix?: string[] }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const showError = useErrorToast();
  const role = Form.useWatch([...prefix, 'role'], form) as Role | undefined;
  const scope = role ? ROLE_INFO[role].scope : 'division';
  const [departments, setDepartments] = useState<Department[] | null>(null);

  useEffect(() => {
    if (scope !== 'department' || departments) return;
    fetchDepartments().then(setDepartments, showError);
  }, [scope, departments, showError]);

  return (
    <>
      <Form.Item name={[...prefix, 'role']} label={t('admin.common.role')} rules={[{ required: true, message: t('admin.common.roleRequired') }]}>
        <Select options={ROLES.map((r) => ({ value: r, label: roleLabel(r, lang) }))} />
      </Form.Item>
      {scope === 'department' ? (
        <Form.Item
          name={[...prefix, 'departmentCode']}
          label={t('admin.common.department')}
          extra={t('admin.common.scopeDepartmentHint')}
          rules={[{ required: true, message: t('admin.common.departmentRequired') }]}
        >
          <Select
            loading={!departments}
            placeholder={t('admin.common.pickDepartment')}
            showSearch={{ optionFilterProp: 'label' }}
            options={(departments ?? []).map((d) => ({ value: d.code, label: departmentLabel(d, lang) }))}
          />
        </Form.Item>
      ) : (
        <Form.Item
          name={[...prefix, 'divisionCode']}
          label={t('admin.common.division')}
          extra={t('admin.common.scopeDivisionHint')}
          rules={[{ required: true, message: t('admin.common.divisionRequired') }]}
        >
          <DivisionPicker />
        </Form.Item>
      )}
    </>
  );
}
