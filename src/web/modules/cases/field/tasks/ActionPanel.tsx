import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { currentLanguage } from '../../../../app/i18n.js';
import type { CaseDetail } from '../../shared/api.js';
import { actionLabel } from '../../shared/labels.js';
import { actionDraftFor, FIELD_ACTIONS, newOutboxItem, type FieldAction, type OutboxPhoto } from '../offline/model.js';
import { enqueue } from '../offline/outbox.js';
import { useWorker } from '../session.js';
import { Icon } from '../ui/Icon.js';
import { PhotoPicker } from '../ui/PhotoPicker.js';
import { useToast } from '../ui/Toast.js';

/**
 * What the worker does on site, from the actions the server says they may take now (never
 * re-derived here): 核实 with findings and photos, or 核查 pass / fail with photos and, for a fail,
 * the reason. Kept on the phone and sent like a report.
 */
/** What a task asks of the worker on site. */
const TASK_ACTIONS: readonly FieldAction[] = ['verify', 'check_pass', 'check_fail'];

export function ActionPanel({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const navigate = useNavigate();
  const toast = useToast();
  const { user } = useWorker();
  const [photos, setPhotos] = useState<OutboxPhoto[]>([]);
  const [text, setText] = useState('');
  const [tried, setTried] = useState<FieldAction | null>(null);
  const [saving, setSaving] = useState(false);

  const allowed = TASK_ACTIONS.filter((a) => c.allowedActions.includes(a));
  // notes are written on the case's page (我的上报), not counted as a task here
  const elsewhere = c.allowedActions.filter((a) => !(FIELD_ACTIONS as readonly string[]).includes(a));
  if (!allowed.length) {
    return (
      <section className="fa-card">
        <p className="fa-muted">{elsewhere.length ? t('field.task.elsewhere', { actions: elsewhere.map((a) => actionLabel(a, lang)).join(t('field.common.listSep')) }) : t('field.task.nothingToDo')}</p>
      </section>
    );
  }

  // verify and check_fail need words (the transition table requires comment / reason)
  const needsText = (a: FieldAction) => a === 'verify' || a === 'check_fail';
  const act = async (action: FieldAction) => {
    setTried(action);
    if (needsText(action) && !text.trim()) {
      toast(action === 'verify' ? t('field.task.needFindings') : t('field.task.needReason'), 'warn');
      return;
    }
    setSaving(true);
    try {
      const words = text.trim() || undefined;
      await enqueue(newOutboxItem(user.id, photos, { kind: 'action', act: actionDraftFor(c, action, words) }));
      toast(navigator.onLine ? t('field.report.sending') : t('field.task.savedOffline'), navigator.onLine ? 'ok' : 'warn');
      navigate('/field/tasks');
    } catch (err) {
      toast(t('field.report.notSaved', { message: err instanceof Error ? err.message : String(err) }), 'error');
    } finally {
      setSaving(false);
    }
  };

  const verifying = allowed.includes('verify');
  return (
    <section className="fa-card fa-action-panel" data-testid="action-panel">
      <h2 className="fa-card-title">{verifying ? t('field.task.verifyTitle') : t('field.task.checkTitle')}</h2>
      {verifying && (
        <div className="fa-chips" role="group" aria-label={t('field.task.findings')}>
          {(['real', 'notReal', 'gone'] as const).map((k) => (
            <button key={k} type="button" className="fa-chip" aria-pressed={text === t(`field.task.finding.${k}`)} onClick={() => setText(t(`field.task.finding.${k}`))}>
              {t(`field.task.finding.${k}`)}
            </button>
          ))}
        </div>
      )}
      <label className={`fa-field${tried && needsText(tried) && !text.trim() ? ' fa-invalid' : ''}`}>
        <span>{verifying ? t('field.task.findings') : t('field.task.opinion')}</span>
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} maxLength={2000} placeholder={verifying ? t('field.task.findingsPlaceholder') : t('field.task.opinionPlaceholder')} data-testid="action-text" />
      </label>
      <div className="fa-field">
        <span>{t('field.task.photos')}</span>
        <PhotoPicker photos={photos} onChange={setPhotos} testId="action-photos" />
      </div>
      <div className="fa-action-buttons">
        {allowed.includes('verify') && (
          <button type="button" className="fa-btn fa-btn-primary fa-btn-block fa-btn-big" disabled={saving} onClick={() => void act('verify')} data-testid="act-verify">
            <Icon name="check" />
            {t('field.task.submitVerify')}
          </button>
        )}
        {allowed.includes('check_pass') && (
          <button type="button" className="fa-btn fa-btn-ok fa-btn-big" disabled={saving} onClick={() => void act('check_pass')} data-testid="act-check_pass">
            <Icon name="check" />
            {actionLabel('check_pass', lang)}
          </button>
        )}
        {allowed.includes('check_fail') && (
          <button type="button" className="fa-btn fa-btn-danger fa-btn-big" disabled={saving} onClick={() => void act('check_fail')} data-testid="act-check_fail">
            <Icon name="close" />
            {t('field.task.fail')}
          </button>
        )}
      </div>
    </section>
  );
}
