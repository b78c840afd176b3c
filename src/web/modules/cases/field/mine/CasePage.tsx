import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { fetchCase } from '../../shared/api.js';
import { useGeolocation } from '../map/useGeolocation.js';
import { useCached } from '../offline/snapshots.js';
import { useWorker } from '../session.js';
import { StaleNote } from '../ui/StaleNote.js';
import { usePageTitle } from '../usePageTitle.js';
import { CaseView } from './CaseView.js';

/** A report's progress: state, light, photos and the whole history. */
export function CasePage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { user } = useWorker();
  const caseId = Number(id);
  const c = useCached(user.id, `case:${caseId}`, (s) => fetchCase(caseId, s), [caseId]);
  const geo = useGeolocation(true);
  usePageTitle(c.data?.number ?? t('field.nav.mine'));
  if (!c.data) {
    return <div className="fa-page">{c.loading ? <p className="fa-muted fa-pad">{t('field.common.loading')}</p> : <p className="fa-note fa-note-error">{t('field.common.loadFailed')}</p>}</div>;
  }
  return (
    <div className="fa-page">
      <StaleNote savedAt={c.stale ? c.savedAt : null} />
      <CaseView c={c.data} position={geo.position} back="/field/mine" timelineOpen />
    </div>
  );
}
