import { Alert, App, Button, Form, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Action } from '../../../../shared/cases/workflow.js';
import { describeError } from '../../../app/errors.js';
import { currentLanguage } from '../../../app/i18n.js';
import { actOnCase, staleCurrent, type ActionFields, type CaseDetail } from '../shared/api.js';
import { actionLabel, stateLabel } from '../shared/labels.js';
import { ActionFieldList, initialValues, useFieldData, type FormValues } from './ActionFields.js';
import { actionTone, formFields, levelOfDivision } from './actionForm.js';

interface ActionDialogProps {
  /** The case as the reader last saw it; its version goes with the action. */
  c: CaseDetail;
  action: Action | null;
  /** Division names for the assign choice. */
  names: ReadonlyMap<string, string>;
  onClose: () => void;
  /** The case after the action, as the server answers it. */
  onDone: (next: CaseDetail) => void;
  /** Someone was faster: read the case again and hand it back (the form stays filled for a retry). */
  onStale: () => Promise<CaseDetail | null>;
}

function toFields(v: FormValues): ActionFields {
  const files = (list: FormValues['photos']) => list?.map((f) => f.originFileObj).filter((f): f is NonNullable<typeof f> => Boolean(f));
  return {
    reason: v.reason?.trim(),
    comment: v.comment?.trim(),
    department: v.department,
    division: v.division,
    level: v.division ? (levelOfDivision(v.division) ?? undefined) : undefined,
    condition_code: v.condition_code,
    due_at: v.due_at?.valueOf(),
    original_case_id: v.original_case_id,
    photos: files(v.photos),
    photos_before: files(v.photos_before),
    photos_after: files(v.photos_after),
  };
}

/**
 * One action on one case: a form with exactly the fields the transition table requires (a plain
 * confirmation when it requires none), sent with the case version. When someone else changed the
 * case meanwhile, the dialog says so, shows the current state and offers to send again.
 */
export function ActionDialog({ c, action, names, onClose, onDone, onStale }: ActionDialogProps) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const lang = currentLanguage();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState<{ state: string; gone: boolean } | null>(null);
  const open = action !== null;
  const fields = action ? formFields(action, c.state) : [];
  const { advice, candidates } = useFieldData(c, fields, open);

  useEffect(() => {
    if (!open) return;
    setError(null);
    setStale(null);
    form.resetFields();
    form.setFieldsValue(initialValues(c, null));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a fresh form per opening
  }, [open, action]);

  useEffect(() => {
    if (open && advice) {
      const init = initialValues(c, advice);
      if (!form.getFieldValue('department') && init.department) form.setFieldValue('department', init.department);
      if (!form.getFieldValue('division') && init.division) form.setFieldValue('division', init.division);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the advice arrives
  }, [advice]);

  if (!action) return null;
  const label = actionLabel(action, lang);

  const submit = async () => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return; // the fields show what is missing
    }
    setBusy(true);
    setError(null);
    try {
      const next = await actOnCase(c.id, action, c.version, toFields(values));
      void message.success(t('cases.case.form.done', { action: label }));
      onDone(next);
    } catch (err) {
      const s = staleCurrent(err);
      if (s) {
        const fresh = await onStale();
        const state = fresh?.state ?? s.state;
        setStale({ state: state ? stateLabel(state, lang) : '', gone: !fresh || !fresh.allowedActions.includes(action) });
      } else {
        setError(describeError(err, t, i18n.language));
      }
    } finally {
      setBusy(false);
    }
  };

  const tone = actionTone(action);
  return (
    <Modal
      open={open}
      title={`${label} · ${c.number}`}
      onCancel={onClose}
      destroyOnHidden
      width={fields.length ? 620 : 440}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('cases.case.form.cancel')}
        </Button>,
        stale?.gone ? null : (
          <Button key="submit" type="primary" danger={tone === 'danger'} loading={busy} onClick={() => void submit()} data-testid="action-submit">
            {stale ? t('cases.case.form.staleRetry') : t('cases.case.form.submit', { action: label })}
          </Button>
        ),
      ]}
    >
      {stale && (
        <Alert
          type="warning"
          showIcon
          className="og-form-alert"
          title={t('cases.case.form.stale', { state: stale.state })}
          description={stale.gone ? t('cases.case.form.staleGone') : undefined}
          data-testid="stale-alert"
        />
      )}
      {error && <Alert type="error" showIcon className="og-form-alert" title={error} />}
      {fields.length === 0 ? (
        <p>{t('cases.case.form.confirm', { action: label, number: c.number })}</p>
      ) : (
        <Form form={form} layout="vertical" requiredMark disabled={busy || stale?.gone} onFinish={() => void submit()}>
          <ActionFieldList c={c} fields={fields} names={names} advice={advice} candidates={candidates} />
        </Form>
      )}
    </Modal>
  );
}
