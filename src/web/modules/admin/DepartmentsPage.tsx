import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/errors.js';
import { useFocusReturn } from '../../app/focusReturn.js';
import { useDocumentTitle, useRequest, useSaving } from '../../app/hooks.js';
import { ErrorState } from '../../ui/EmptyState.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { fetchDivision } from '../divisions/api.js';
import { createDepartment, fetchDepartments, renameDepartment, type Department } from './api.js';
import { DivisionPicker } from './DivisionPicker.js';
import './admin.css';
import { usePrinting } from '../../app/printing.js';

interface NewDepartment {
  code: string;
  name: string;
  nameEn?: string;
  areaCode: string;
}

/** /admin/departments — the professional departments cases are dispatched to. */
export default function DepartmentsPage() {
  const printing = usePrinting();
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  useDocumentTitle(t('admin.departments.title'));
  // A handful of departments serve a handful of areas: name each area once.
  const departments = useRequest(async (signal) => {
    const items = await fetchDepartments(signal);
    const codes = [...new Set(items.map((d) => d.areaCode))];
    const named = await Promise.all(codes.map(async (code) => [code, (await fetchDivision(code, signal).catch(() => null))?.division.name ?? code] as const));
    return { items, areaNames: new Map(named) };
  }, []);
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState<Department | null>(null);
  const { saving, save } = useSaving();
  const [form] = Form.useForm<NewDepartment>();
  useFocusReturn(open);
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async () => {
    const v = await form.validateFields();
    await save(async () => {
      await createDepartment({ code: v.code.trim(), name: v.name.trim(), nameEn: v.nameEn?.trim() ?? '', areaCode: v.areaCode });
      void message.success(t('admin.departments.create.done', { name: v.name.trim() }));
      setOpen(false);
      departments.reload();
    });
  };

  const rows = departments.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('admin.departments.title')}
        subtitle={t('admin.departments.subtitle')}
        breadcrumb={[{ title: t('nav.home'), to: '/' }, { title: t('admin.departments.title') }]}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>{t('admin.departments.create.button')}</Button>}
      />
      <Card extra={departments.data && <Typography.Text type="secondary">{t('admin.departments.count', { count: rows.length })}</Typography.Text>} title={t('admin.departments.title')}>
        {departments.status === 'error' ? (
          <ErrorState title={t('common.loadFailed')} message={describeError(departments.error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={departments.reload} />
        ) : (
          <Table<Department>
            rowKey="id"
            loading={departments.status === 'loading'}
            dataSource={rows}
            pagination={rows.length > 20 && !printing ? { pageSize: 20, showSizeChanger: false } : false}
            scroll={{ x: 640 }}
            columns={[
              { key: 'code', title: t('admin.departments.code'), width: 120, render: (_, d) => <Typography.Text code>{d.code}</Typography.Text>, sorter: (a, b) => a.code.localeCompare(b.code) },
              { key: 'name', title: t('admin.departments.name'), render: (_, d) => <strong>{d.name}</strong> },
              { key: 'nameEn', title: t('admin.departments.nameEn'), render: (_, d) => d.nameEn || '—' },
              { key: 'area', title: t('admin.departments.area'), render: (_, d) => departments.data?.areaNames.get(d.areaCode) ?? d.areaCode },
              {
                key: 'actions', title: t('admin.departments.actions'), width: 100,
                render: (_, d) => <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(d)}>{t('admin.departments.edit.button')}</Button>,
              },
            ]}
          />
        )}
      </Card>
      {editing && <EditDialog department={editing} onClose={() => setEditing(null)} onDone={() => { setEditing(null); departments.reload(); }} />}
      <Modal open={open} title={t('admin.departments.create.title')} okText={t('admin.common.create')} cancelText={t('admin.common.cancel')} onOk={() => void submit().catch(() => undefined)} onCancel={() => setOpen(false)} confirmLoading={saving} forceRender>
        <Form form={form} name="createDepartment" layout="vertical" requiredMark="optional" autoComplete="off">
          <Form.Item name="code" label={t('admin.departments.code')} extra={t('admin.departments.create.codeHint')} rules={[{ required: true, pattern: /^[A-Z0-9_]{2,32}$/, message: t('admin.departments.create.codeInvalid') }]}>
            <Input style={{ textTransform: 'uppercase' }} onChange={(e) => form.setFieldValue('code', e.target.value.toUpperCase())} />
          </Form.Item>
          <NameFields />
          <Form.Item name="areaCode" label={t('admin.departments.area')} extra={t('admin.departments.create.areaHint')} rules={[{ required: true, message: t('admin.departments.create.areaRequired') }]}>
            <DivisionPicker finestLevel={10} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** A department renamed: its names in both languages; its code and area stay. Mounted while open. */
function EditDialog({ department, onClose, onDone }: { department: Department; onClose: () => void; onDone: () => void }) {
  useFocusReturn();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; nameEn?: string }>();
  const { saving, save } = useSaving();
  const submit = async () => {
    const v = await form.validateFields();
    await save(async () => {
      await renameDepartment(department.id, { name: v.name.trim(), nameEn: v.nameEn?.trim() ?? '' });
      void message.success(t('admin.departments.edit.done', { name: v.name.trim() }));
      onDone();
    });
  };
  return (
    <Modal open title={t('admin.departments.edit.title', { code: department.code })} okText={t('admin.common.save')} cancelText={t('admin.common.cancel')}
      onOk={() => void submit().catch(() => undefined)} onCancel={onClose} confirmLoading={saving}>
      <Form form={form} name="editDepartment" layout="vertical" requiredMark="optional" autoComplete="off" initialValues={{ name: department.name, nameEn: department.nameEn }}>
        <Typography.Paragraph type="secondary">{t('admin.departments.edit.hint')}</Typography.Paragraph>
        <NameFields />
      </Form>
    </Modal>
  );
}

/** A department's names, in Chinese (required) and English, in the create and the edit dialog. */
function NameFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="name" label={t('admin.departments.name')} rules={[{ required: true, whitespace: true, message: t('admin.departments.create.nameRequired') }, { max: 64 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="nameEn" label={t('admin.departments.nameEn')} rules={[{ max: 64 }]}>
        <Input />
      </Form.Item>
    </>
  );
}
