import { Alert, App, Button, Form, Modal } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Action } from '../../../../shared/cases/workflow.js';
import { describeError } from '../../../app/errors.js';
import { useFocusReturn } from '../../../app/focusReturn.js';
import { currentLanguage } from '../../../app/i18n.js';
import { actOnCase, staleCurrent, type ActionFields, type CaseDetail } from '../shared/api.js';
import { actionLabel, categoryName, limitLabel, stateLabel } from '../shared/labels.js';
import { StateTag } from '../shared/StateTag.js';
import { TimingLight } from '../shared/TimingLight.js';
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
  /** While the action is on its way, so the page can tell its own change from someone else's. */
  onBusy?: (busy: boolean) => void;
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
export function ActionDialog({ c, action, names, onClose, onDone, onStale, onBusy }: ActionDialogProps) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const lang = currentLanguage();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState<{ state: string; gone: boolean } | null>(null);
  // the version the reader decided on; a live change after that is shown, never sent silently
  const baseVersion = useRef(c.version);
  const open = action !== null;
  useFocusReturn(open);
  const fields = action ? formFields(action, c.state) : [];
  const { advice, candidates } = useFieldData(c, fields, open);

  useEffect(() => {
    if (!open) return;
    setError(null);
    setStale(null);
    baseVersion.current = c.version;
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

  // someone else changed the case while the form was open (a live update brought the new version)
  useEffect(() => {
    if (open && action && !busy && c.version !== baseVersion.current && !stale) {
      setStale({ state: stateLabel(c.state, lang), gone: !c.allowedActions.includes(action) });
    }
  }, [open, action, busy, c.version, c.state, c.allowedActions, stale, lang]);

  if (!action) return null;
  const label = actionLabel(action, lang);

  const submit = async () => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return; // the fields show what is missing
    }
    // a retry after a conflict is a decision on the version now on screen
    const version = stale ? c.version : baseVersion.current;
    baseVersion.current = version;
    setBusy(true);
    onBusy?.(true);
    setError(null);
    setStale(null);
    try {
      const next = await actOnCase(c.id, action, version, toFields(values));
      void message.success(t('cases.case.form.done', { action: label }));
      onDone(next);
    } catch (err) {
      const s = staleCurrent(err);
      if (s) {
        const fresh = await onStale();
        const state = fresh?.state ?? s.state;
        if (fresh) baseVersion.current = fresh.version;
        setStale({ state: state ? stateLabel(state, lang) : '', gone: !fresh || !fresh.allowedActions.includes(action) });
      } else {
        setError(describeError(err, t, i18n.language));
      }
    } finally {
      setBusy(false);
      onBusy?.(false);
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
        <Button key="cancel" autoInsertSpace={false} onClick={onClose}>
          {t('cases.case.form.cancel')}
        </Button>,
        stale?.gone ? null : (
          <Button key="submit" autoInsertSpace={false} type="primary" danger={tone === 'danger'} loading={busy} onClick={() => void submit()} data-testid="action-submit">
            {stale ? t('cases.case.form.staleRetry') : t('cases.case.form.submit', { action: label })}
          </Button>
        ),
      ]}
    >
      <div className="og-dialog-case" data-testid="dialog-case">
        <StateTag state={c.state} />
        <span>{[categoryName(c.category, lang), c.community?.name, c.filing ? limitLabel(c.filing.limit, lang) : null].filter(Boolean).join(' · ')}</span>
        {c.dueAt && <TimingLight light={c.light} dueAt={c.dueAt} frozen={c.state === 'suspended'} />}
        <p className="og-dialog-desc">{c.description}</p>
      </div>
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
      <Form form={form} layout="vertical" requiredMark disabled={busy || stale?.gone} onFinish={() => void submit()}>
        {fields.length === 0 ? (
          <p>{t('cases.case.form.confirm', { action: label, number: c.number })}</p>
        ) : (
          <ActionFieldList c={c} fields={fields} names={names} advice={advice} candidates={candidates} />
        )}
      </Form>
    </Modal>
  );
}
