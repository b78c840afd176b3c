import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { currentLanguage } from '../../../app/i18n.js';
import { STATE_COLORS } from '../shared/labels.js';
import { fetchMyGrids } from './api.js';
import { FieldMap, type MapArea, type MapMarker } from './map/FieldMap.js';
import { useGeolocation } from './map/useGeolocation.js';
import { contains } from './map/projection.js';
import { itemsOf, useOutbox } from './offline/outbox.js';
import { useCached } from './offline/snapshots.js';
import { useWorker } from './session.js';
import { fetchTasks } from './tasks/taskData.js';
import { Icon } from './ui/Icon.js';
import { StaleNote } from './ui/StaleNote.js';
import { usePageTitle } from './usePageTitle.js';

/** A grid worker has a few grids; an account over a street or the district has hundreds, which the map shows. */
const LISTED_GRIDS = 20;

/** 我的网格: the worker's grids on the map with their position, tasks and reports waiting to go. */
export function HomePage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const navigate = useNavigate();
  const { user } = useWorker();
  usePageTitle(t('field.nav.map'));
  const grids = useCached(user.id, 'grids', (s) => fetchMyGrids(s), []);
  const outbox = useOutbox();
  const tasks = useCached(user.id, 'tasks', (s) => fetchTasks(s), [outbox.sent.length]);
  const geo = useGeolocation(true);
  const waiting = itemsOf(outbox, user.id, 'report');

  const areas: MapArea[] = useMemo(
    () => (grids.data?.features ?? []).map((f) => ({ code: f.properties.code, name: f.properties.name, geometry: f.geometry, mine: true })),
    [grids.data],
  );
  const inGrid = geo.position ? areas.find((a) => contains(a.geometry, geo.position!)) : undefined;

  const markers: MapMarker[] = [
    ...[...(tasks.data?.verify ?? []), ...(tasks.data?.check ?? [])]
      .filter((c) => typeof c.lon === 'number' && typeof c.lat === 'number')
      .map((c) => ({
        id: `c${c.id}`, lon: c.lon!, lat: c.lat!, color: STATE_COLORS[c.state],
        label: `${c.number} ${c.category ? (lang === 'en' ? c.category.nameEn : c.category.nameZh) : ''}`,
        onOpen: () => navigate(`/field/tasks/${c.id}`),
      })),
    ...waiting.flatMap((i) => (i.kind === 'report' ? [{ id: i.key, lon: i.report.lon, lat: i.report.lat, color: '#b54708', label: t('field.mine.waiting'), waiting: true }] : [])),
  ];
  const verify = tasks.data?.verify.length ?? 0;
  const check = tasks.data?.check.length ?? 0;
  const mapHeight = Math.round(Math.min(420, Math.max(240, window.innerHeight * 0.44)));

  return (
    <div className="fa-page fa-home">
      <FieldMap areas={areas} markers={markers} position={geo.position} height={mapHeight} label={t('field.home.mapLabel')} />
      <div className="fa-home-where" data-testid="home-where">
        <Icon name="locate" size={20} />
        {geo.position ? (
          <span>
            {inGrid ? t('field.home.inGrid', { name: inGrid.name }) : t('field.home.outsideGrids')}
            {geo.position.accuracy ? <span className="fa-muted"> · ±{Math.round(geo.position.accuracy)} m</span> : null}
          </span>
        ) : (
          <span className="fa-muted">{geo.problem ? t(`field.geo.${geo.problem}`) : t('field.geo.locating')}</span>
        )}
      </div>
      <StaleNote savedAt={grids.stale ? grids.savedAt : tasks.stale ? tasks.savedAt : null} />

      <Link to="/field/report" className="fa-btn fa-btn-primary fa-btn-block fa-btn-big" data-testid="home-report">
        <Icon name="camera" size={28} />
        {t('field.home.report')}
      </Link>

      <div className="fa-tiles">
        <Link to="/field/tasks?kind=verify" className="fa-tile">
          <strong>{verify}</strong>
          <span>{t('field.tasks.verify')}</span>
        </Link>
        <Link to="/field/tasks?kind=check" className="fa-tile">
          <strong>{check}</strong>
          <span>{t('field.tasks.check')}</span>
        </Link>
        <Link to="/field/mine" className={`fa-tile${waiting.length ? ' fa-tile-warn' : ''}`}>
          <strong>{itemsOf(outbox, user.id).length}</strong>
          <span>{t('field.home.waiting')}</span>
        </Link>
      </div>

      <section className="fa-card">
        <h2 className="fa-card-title">{t('field.home.myGrids')}</h2>
        {areas.length === 0 && !grids.loading && <p className="fa-muted">{t('field.home.noGrids')}</p>}
        <ul className="fa-plain-list">
          {areas.slice(0, LISTED_GRIDS).map((a) => (
            <li key={a.code}>
              <strong>{a.name}</strong>
              <span className="fa-code">{a.code}</span>
            </li>
          ))}
        </ul>
        {areas.length > LISTED_GRIDS && <p className="fa-muted">{t('field.home.moreGrids', { shown: LISTED_GRIDS, count: areas.length })}</p>}
      </section>
    </div>
  );
}
