import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { passwordProblem } from '../../../../../shared/password.js';
import { describeError } from '../../../../app/errors.js';
import { changeOwnPassword, passwordRefusal } from '../../../../app/password.js';
import { Icon } from '../ui/Icon.js';
import { useToast } from '../ui/Toast.js';

/** 修改密码 on the phone: closed until asked for, then the current password and the new one twice. */
export function PasswordCard() {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setOpen(false);
    setCurrent('');
    setNext('');
    setAgain('');
    setProblem(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!current) return setProblem(t('layout.password.required'));
    if (passwordProblem(next) !== null) return setProblem(t('layout.password.invalid'));
    if (next !== again) return setProblem(t('layout.password.mismatch'));
    setBusy(true);
    try {
      await changeOwnPassword(current, next);
      toast(t('layout.password.done'), 'ok');
      close();
    } catch (err) {
      const refusal = passwordRefusal(err);
      setProblem(refusal ? t(`layout.password.${refusal.key}`) : describeError(err, t, i18n.language));
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <button type="button" className="fa-card fa-link-card" onClick={() => setOpen(true)}>
        <Icon name="lock" />
        <span>{t('layout.changePassword')}</span>
        <Icon name="chevronRight" />
      </button>
    );
  }
  return (
    <form className="fa-card fa-stack" onSubmit={(e) => void submit(e)} noValidate>
      <h2 className="fa-card-title">{t('layout.password.title')}</h2>
      <p className="fa-muted">{t('layout.password.hint')}</p>
      <label className="fa-field">
        <span>{t('layout.password.current')}</span>
        <input type="password" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" />
      </label>
      <label className="fa-field">
        <span>{t('layout.password.field')}</span>
        <input type="password" value={next} onChange={(e) => setNext(e.target.value)} autoComplete="new-password" aria-describedby="fa-password-rules" />
      </label>
      <p id="fa-password-rules" className="fa-muted">{t('layout.password.rules')}</p>
      <label className="fa-field">
        <span>{t('layout.password.confirm')}</span>
        <input type="password" value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" />
      </label>
      {problem && <div className="fa-note fa-note-error" role="alert">{problem}</div>}
      <div className="fa-row">
        <button type="submit" className="fa-btn fa-btn-primary" disabled={busy}>{t('layout.password.save')}</button>
        <button type="button" className="fa-btn" onClick={close}>{t('layout.password.cancel')}</button>
      </div>
    </form>
  );
}
