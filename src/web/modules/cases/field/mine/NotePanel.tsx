import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../../../app/i18n.js';
import type { CaseDetail } from '../../shared/api.js';
import { actionLabel } from '../../shared/labels.js';
import { actionDraftFor, newOutboxItem } from '../offline/model.js';
import { enqueue } from '../offline/outbox.js';
import { useWorker } from '../session.js';
import { useToast } from '../ui/Toast.js';

/**
 * 补充说明: what the worker sees or hears about a case later on (the site changed, a resident
 * called), in words. Kept on the phone and sent like a report; it changes nothing but the case's
 * history, and the holder of the current step is told. (No photos: on a note they would count as
 * the report's own, which residents see.)
 */
export function NotePanel({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const toast = useToast();
  const { user } = useWorker();
  const [text, setText] = useState('');
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);

  const send = async () => {
    setTried(true);
    const words = text.trim();
    if (!words) {
      toast(t('field.note.needText'), 'warn');
      return;
    }
    setSaving(true);
    try {
      await enqueue(newOutboxItem(user.id, [], { kind: 'action', act: actionDraftFor(c, 'comment', words) }));
      setText('');
      setTried(false);
      toast(navigator.onLine ? t('field.report.sending') : t('field.task.savedOffline'), navigator.onLine ? 'ok' : 'warn');
    } catch (err) {
      toast(t('field.report.notSaved', { message: err instanceof Error ? err.message : String(err) }), 'error');
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="fa-card fa-action-panel" data-testid="note-panel">
      <h2 className="fa-card-title">{actionLabel('comment', lang)}</h2>
      <label className={`fa-field${tried && !text.trim() ? ' fa-invalid' : ''}`}>
        <span>{t('field.note.text')}</span>
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} maxLength={2000} placeholder={t('field.note.placeholder')} data-testid="note-text" />
      </label>
      <div className="fa-action-buttons">
        <button type="button" className="fa-btn fa-btn-primary fa-btn-block fa-btn-big" disabled={saving} onClick={() => void send()} data-testid="act-comment">
          {t('field.note.send')}
        </button>
      </div>
    </section>
  );
}
