import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { fetchCase } from '../../shared/api.js';
import { useGeolocation } from '../map/useGeolocation.js';
import { itemsOf, useOutbox } from '../offline/outbox.js';
import { useCached } from '../offline/snapshots.js';
import { useWorker } from '../session.js';
import { CaseView } from '../mine/CaseView.js';
import { NotePanel } from '../mine/NotePanel.js';
import { OutboxCard } from '../mine/OutboxCard.js';
import { StaleNote } from '../ui/StaleNote.js';
import { usePageTitle } from '../usePageTitle.js';
import { ActionPanel } from './ActionPanel.js';

/** One task on site: where it is, what was reported (and done), the worker's finding, and a note to add. */
export function TaskPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { user } = useWorker();
  const caseId = Number(id);
  const c = useCached(user.id, `case:${caseId}`, (s) => fetchCase(caseId, s), [caseId]);
  const geo = useGeolocation(true);
  const outbox = useOutbox();
  const pending = itemsOf(outbox, user.id, 'action').filter((i) => i.kind === 'action' && i.act.caseId === caseId);
  usePageTitle(c.data?.number ?? t('field.nav.tasks'));

  if (!c.data) {
    return <div className="fa-page">{c.loading ? <p className="fa-muted fa-pad">{t('field.common.loading')}</p> : <p className="fa-note fa-note-error">{t('field.common.loadFailed')}</p>}</div>;
  }
  return (
    <div className="fa-page">
      <StaleNote savedAt={c.stale ? c.savedAt : null} />
      <CaseView c={c.data} position={geo.position} back="/field/tasks" />
      {pending.length > 0 ? (
        <section className="fa-section">
          <h2 className="fa-section-title">{t('field.task.pending')}</h2>
          {pending.map((i) => (
            <OutboxCard key={i.key} item={i} />
          ))}
        </section>
      ) : (
        <ActionPanel c={c.data} />
      )}
      {c.data.allowedActions.includes('comment') && <NotePanel c={c.data} />}
    </div>
  );
}
