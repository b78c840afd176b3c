import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { currentLanguage } from '../../../../app/i18n.js';
import type { CaseSummary } from '../../shared/api.js';
import { useGeolocation } from '../map/useGeolocation.js';
import { distanceM } from '../map/projection.js';
import { itemsOf, useOutbox } from '../offline/outbox.js';
import { useCached } from '../offline/snapshots.js';
import { useWorker } from '../session.js';
import { LightBadge } from '../ui/CaseBits.js';
import { Icon } from '../ui/Icon.js';
import { StaleNote } from '../ui/StaleNote.js';
import { usePageTitle } from '../usePageTitle.js';
import { fetchTasks, keepTaskDetails, taskKindOf, type TaskKind } from './taskData.js';

/** 我的任务: 核实 and 核查 in the worker's grids, most urgent first, with how far each one is. */
export function TasksPage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const { user } = useWorker();
  usePageTitle(t('field.nav.tasks'));
  const [params, setParams] = useSearchParams();
  const kind = (params.get('kind') as TaskKind | null) ?? null;
  const outbox = useOutbox();
  // a check sent from the outbox takes its task off the list
  const tasks = useCached(user.id, 'tasks', (s) => fetchTasks(s), [outbox.sent.length]);
  const geo = useGeolocation(true);
  useEffect(() => {
    if (!tasks.data || tasks.stale) return;
    const controller = new AbortController();
    void keepTaskDetails(user.id, tasks.data, controller.signal);
    return () => controller.abort();
  }, [tasks.data, tasks.stale, user.id]);
  const queued = new Set(itemsOf(outbox, user.id, 'action').flatMap((i) => (i.kind === 'action' ? [i.act.caseId] : [])));

  const all: CaseSummary[] = [...(tasks.data?.verify ?? []), ...(tasks.data?.check ?? [])];
  const shown = all
    .filter((c) => !kind || taskKindOf(c) === kind)
    // done on this phone but not sent yet: to the bottom, marked
    .sort((a, b) => Number(queued.has(a.id)) - Number(queued.has(b.id)) || (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity));
  const count = (k: TaskKind) => all.filter((c) => taskKindOf(c) === k).length;

  return (
    <div className="fa-page">
      <div className="fa-segment" role="group" aria-label={t('field.tasks.filter')}>
        <button type="button" aria-pressed={!kind} onClick={() => setParams({})}>
          {t('field.tasks.all')} {all.length}
        </button>
        <button type="button" aria-pressed={kind === 'verify'} onClick={() => setParams({ kind: 'verify' })}>
          {t('field.tasks.verify')} {count('verify')}
        </button>
        <button type="button" aria-pressed={kind === 'check'} onClick={() => setParams({ kind: 'check' })}>
          {t('field.tasks.check')} {count('check')}
        </button>
      </div>
      <StaleNote savedAt={tasks.stale ? tasks.savedAt : null} />
      {tasks.loading && !tasks.data && <p className="fa-muted fa-pad">{t('field.common.loading')}</p>}
      {tasks.error && !tasks.data ? (
        <div className="fa-note fa-note-error">
          {t('field.common.loadFailed')}
          <button type="button" className="fa-link" onClick={tasks.reload}>
            {t('field.common.retry')}
          </button>
        </div>
      ) : null}
      {tasks.data && shown.length === 0 && (
        <div className="fa-empty">
          <Icon name="check" size={40} />
          <p>{t('field.tasks.none')}</p>
        </div>
      )}
      <ul className="fa-cards" data-testid="task-list">
        {shown.map((c) => {
          const k = taskKindOf(c);
          const far = geo.position && typeof c.lon === 'number' && typeof c.lat === 'number' ? distanceM(geo.position, { lon: c.lon, lat: c.lat! }) : null;
          return (
            <li key={c.id}>
              <Link to={`/field/tasks/${c.id}`} className={`fa-case-card${queued.has(c.id) ? ' fa-case-card-done' : ''}`} data-testid="task-card">
                <div className="fa-row">
                  <span className={`fa-kind fa-kind-${k}`}>{t(`field.tasks.${k}`)}</span>
                  {queued.has(c.id) ? <span className="fa-pill fa-pill-warn">{t('field.tasks.queued')}</span> : <LightBadge light={c.light} dueAt={c.dueAt} frozen={c.state === 'suspended'} />}
                </div>
                <div className="fa-case-title">{c.category ? (lang === 'en' ? c.category.nameEn : c.category.nameZh) : t('field.tasks.noCategory')}</div>
                <div className="fa-clamp">{c.description}</div>
                <div className="fa-row fa-muted">
                  <span className="fa-code">{c.number}</span>
                  {far !== null && <span>{far < 1000 ? t('field.report.distance', { m: Math.round(far) }) : `${(far / 1000).toFixed(1)} km`}</span>}
                </div>
                {c.address && <div className="fa-muted fa-clamp">{c.address}</div>}
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
