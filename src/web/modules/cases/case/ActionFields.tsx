import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Form, Input, Radio, Select, Space, Tag, TreeSelect, Upload, type UploadFile } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../../app/i18n.js';
import { departmentNamer, useCategories, useDepartments } from '../hooks.js';
import { fetchCaseDuplicates, fetchDispatchAdvice, type CaseDetail, type DispatchAdvice, type DuplicateCandidate } from '../shared/api.js';
import { formatFullTime } from '../shared/format.js';
import { levelLabel, limitLabel, stateLabel } from '../shared/labels.js';
import type { FormField } from './actionForm.js';

/** The inputs of the action forms, one per field of the transition table; each validates what the server will. */

export interface FormValues {
  reason?: string;
  comment?: string;
  department?: string;
  division?: string;
  category?: string;
  condition_code?: string;
  due_at?: Dayjs;
  original_case_id?: string;
  photos?: UploadFile[];
  photos_before?: UploadFile[];
  photos_after?: UploadFile[];
}

const MAX_TEXT = 2000;

function TextField({ name, label, placeholder }: { name: 'reason' | 'comment'; label: string; placeholder: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item name={name} label={label} rules={[{ required: true, whitespace: true, message: t('cases.case.form.required', { field: label }) }]}>
      <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={MAX_TEXT} showCount placeholder={placeholder} />
    </Form.Item>
  );
}

function PhotosField({ name, label }: { name: 'photos' | 'photos_before' | 'photos_after'; label: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name={name}
      label={label}
      extra={t('cases.case.form.photosHint')}
      valuePropName="fileList"
      getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList}
      rules={[{ validator: (_, v: UploadFile[] | undefined) => (v?.length ? Promise.resolve() : Promise.reject(new Error(t('cases.case.form.photosRequired')))) }]}
    >
      <Upload listType="picture-card" accept="image/*" multiple maxCount={9} beforeUpload={() => false} data-testid={`upload-${name}`}>
        <button type="button" className="og-upload-button">
          <PlusOutlined />
          <span>{t('cases.case.form.addPhoto')}</span>
        </button>
      </Upload>
    </Form.Item>
  );
}

/** 派遣: the department list with the dispatch rule's suggestion marked and chosen for the dispatcher. */
function DepartmentField({ advice }: { advice: DispatchAdvice | null }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const departments = useDepartments();
  const nameOf = departmentNamer(departments);
  const form = Form.useFormInstance<FormValues>();
  const s = advice?.suggestion ?? null;
  const suggested = advice?.step?.action === 'dispatch' ? (advice.step.input.department ?? null) : null;
  return (
    <>
      {s && (
        <Alert
          className="og-suggestion"
          type="info"
          showIcon
          data-testid="dispatch-suggestion"
          title={
            suggested
              ? s.source === 'rule' && s.ruleId !== null
                ? t('cases.case.form.suggestedByRule', { id: s.ruleId, name: nameOf(suggested) ?? suggested })
                : t('cases.case.form.suggestedByCategory', { name: nameOf(suggested) ?? suggested })
              : s.level
                ? t('cases.case.form.suggestedLevel', { level: levelLabel(s.level, lang) })
                : null
          }
          description={
            s.ownerDepartmentCode && s.ownerDepartmentCode !== suggested ? `${t('cases.case.form.owner')}：${nameOf(s.ownerDepartmentCode) ?? s.ownerDepartmentCode}` : undefined
          }
          action={suggested ? <Button size="small" onClick={() => form.setFieldValue('department', suggested)}>{t('cases.case.form.useSuggestion')}</Button> : undefined}
        />
      )}
      <Form.Item name="department" label={t('cases.case.form.department')} rules={[{ required: true, message: t('cases.case.form.required', { field: t('cases.case.form.department') }) }]}>
        <Select
          showSearch={{ optionFilterProp: 'title' }}
          placeholder={t('cases.case.form.departmentPlaceholder')}
          options={departments.map((d) => {
            const name = lang === 'en' && d.nameEn ? d.nameEn : d.name;
            return {
              value: d.code,
              title: name,
              label: (
                <Space size={6}>
                  {name}
                  {d.code === suggested && <Tag color="blue">{t('cases.case.form.suggested')}</Tag>}
                </Space>
              ),
            };
          })}
        />
      </Form.Item>
    </>
  );
}

/** 交办: down to the street sub-centre or the community workstation the case lies in (the only ones that may take it). */
function DivisionField({ c, names }: { c: CaseDetail; names: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const options = [
    ...(c.level === 'district' && c.street ? [{ code: c.street.code, level: 'street' as const }] : []),
    ...(c.community ? [{ code: c.community.code, level: 'community' as const }] : []),
  ];
  return (
    <Form.Item name="division" label={t('cases.case.form.division')} rules={[{ required: true, message: t('cases.case.form.required', { field: t('cases.case.form.division') }) }]}>
      <Radio.Group className="og-radio-list">
        {options.map((o) => (
          <Radio key={o.code} value={o.code}>
            {levelLabel(o.level, lang)} · {names.get(o.code) ?? (o.level === 'street' ? c.street?.name : c.community?.name) ?? o.code}
          </Radio>
        ))}
      </Radio.Group>
    </Form.Item>
  );
}

/** 立案: the sub-category (the reporter's choice, changeable) and the filing condition that sets the limit. */
function FilingField() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const tree = useCategories();
  const form = Form.useFormInstance<FormValues>();
  const category = Form.useWatch('category', form);
  const sub = tree?.classes.flatMap((c) => c.subcategories).find((s) => s.code === category);
  const treeData = useMemo(
    () =>
      (tree?.classes ?? []).map((c) => ({
        value: c.code,
        title: `${c.code} ${lang === 'en' ? c.name_en : c.name_zh}`,
        selectable: false,
        children: c.subcategories.map((s) => ({ value: s.code, title: `${s.code} ${lang === 'en' ? s.name_en : s.name_zh}` })),
      })),
    [tree, lang],
  );
  return (
    <>
      <Form.Item name="category" label={t('cases.case.form.filingCategory')} rules={[{ required: true, message: t('cases.case.form.required', { field: t('cases.case.form.filingCategory') }) }]}>
        <TreeSelect showSearch={{ treeNodeFilterProp: 'title' }} treeData={treeData} placeholder={t('cases.case.form.filingPlaceholder')} onChange={() => form.setFieldValue('condition_code', undefined)} />
      </Form.Item>
      {sub && (
        <Form.Item name="condition_code" label={t('cases.case.form.filingCondition')} rules={[{ required: true, message: t('cases.case.form.required', { field: t('cases.case.form.filing') }) }]}>
          <Radio.Group className="og-radio-list">
            {sub.filing_conditions.map((f) => (
              <Radio key={f.code} value={f.code}>
                {lang === 'en' ? f.text_en : f.text_zh} <Tag>{limitLabel(f.limit, lang)}</Tag>
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
      )}
    </>
  );
}

function DueAtField({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const current = c.dueAt;
  return (
    <Form.Item
      name="due_at"
      label={t('cases.case.form.dueAt')}
      extra={current ? t('cases.case.form.dueAtHint', { time: formatFullTime(current) }) : undefined}
      rules={[
        { required: true, message: t('cases.case.form.required', { field: t('cases.case.form.dueAt') }) },
        { validator: (_, v: Dayjs | undefined) => (!v || !current || v.valueOf() > current ? Promise.resolve() : Promise.reject(new Error(t('cases.case.form.dueLater')))) },
      ]}
    >
      <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => (current ? d.isBefore(dayjs(current), 'day') : false)} style={{ width: '100%' }} />
    </Form.Item>
  );
}

function OriginalField({ candidates }: { candidates: DuplicateCandidate[] | null }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  return (
    <Form.Item name="original_case_id" label={t('cases.case.form.original')} rules={[{ required: true, message: t('cases.case.form.required', { field: t('cases.case.form.original') }) }]}>
      <Select
        placeholder={t('cases.case.form.originalPlaceholder')}
        loading={candidates === null}
        notFoundContent={t('cases.case.form.noCandidates')}
        options={(candidates ?? []).map((d) => ({
          value: String(d.id),
          label: `${d.number} · ${stateLabel(d.state, lang)} · ${t('cases.case.duplicates.distance', { meters: Math.round(d.distanceM) })}`,
        }))}
      />
    </Form.Item>
  );
}

/** Everything a form of these fields needs from the server, read when the form opens. */
export function useFieldData(c: CaseDetail, fields: readonly FormField[], open: boolean) {
  const [advice, setAdvice] = useState<DispatchAdvice | null>(null);
  const [candidates, setCandidates] = useState<DuplicateCandidate[] | null>(null);
  const wantsAdvice = fields.includes('department') || fields.includes('division');
  const wantsCandidates = fields.includes('original_case_id');
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    if (wantsAdvice) fetchDispatchAdvice(c.id, controller.signal).then(setAdvice, () => setAdvice(null));
    if (wantsCandidates) fetchCaseDuplicates(c.id, controller.signal).then((d) => setCandidates(d.items), () => setCandidates([]));
    return () => controller.abort();
  }, [open, c.id, wantsAdvice, wantsCandidates]);
  return { advice, candidates };
}

/** The initial values: the rule's suggestion, the reporter's category, a due time two days on. */
export function initialValues(c: CaseDetail, advice: DispatchAdvice | null): FormValues {
  const step = advice?.step;
  return {
    department: step?.action === 'dispatch' ? step.input.department : undefined,
    division: step?.action === 'assign' ? step.input.division : undefined,
    category: c.filing?.categoryCode ?? c.category?.code,
    // whole minutes, as the picker shows them
    due_at: c.dueAt ? dayjs(c.dueAt).add(2, 'day').startOf('minute') : undefined,
  };
}

export function ActionFieldList({ c, fields, names, advice, candidates }: {
  c: CaseDetail;
  fields: readonly FormField[];
  names: ReadonlyMap<string, string>;
  advice: DispatchAdvice | null;
  candidates: DuplicateCandidate[] | null;
}) {
  const { t } = useTranslation();
  return (
    <>
      {fields.map((f) => {
        switch (f) {
          case 'reason':
            return <TextField key={f} name="reason" label={t('cases.case.form.reason')} placeholder={t('cases.case.form.reasonPlaceholder')} />;
          case 'comment':
            return <TextField key={f} name="comment" label={t('cases.case.form.comment')} placeholder={t('cases.case.form.commentPlaceholder')} />;
          case 'department':
            return <DepartmentField key={f} advice={advice} />;
          case 'division':
            return <DivisionField key={f} c={c} names={names} />;
          case 'filing':
            return <FilingField key={f} />;
          case 'due_at':
            return <DueAtField key={f} c={c} />;
          case 'original_case_id':
            return <OriginalField key={f} candidates={candidates} />;
          case 'photos':
            return <PhotosField key={f} name="photos" label={t('cases.case.form.photos')} />;
          case 'photos_before':
            return <PhotosField key={f} name="photos_before" label={t('cases.case.form.photosBefore')} />;
          case 'photos_after':
            return <PhotosField key={f} name="photos_after" label={t('cases.case.form.photosAfter')} />;
        }
      })}
    </>
  );
}
