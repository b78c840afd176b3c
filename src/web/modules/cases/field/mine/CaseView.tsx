import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { currentLanguage } from '../../../../app/i18n.js';
import type { CaseDetail } from '../../shared/api.js';
import { formatTime } from '../../shared/format.js';
import { STATE_COLORS } from '../../shared/labels.js';
import { StateTag } from '../../shared/StateTag.js';
import { FieldMap, type Position } from '../map/FieldMap.js';
import { distanceM } from '../map/projection.js';
import { LightBadge, PhotoStrip, TimelineList } from '../ui/CaseBits.js';
import { Icon } from '../ui/Icon.js';

const BEFORE = new Set(['report', 'before']);
const AFTER = new Set(['after', 'feedback', 'check']);

/** A case as the field sees it: what, where (and how far), photos before and after, and its history. */
export function CaseView({ c, position, back, timelineOpen = false }: { c: CaseDetail; position: Position | null; back: string; timelineOpen?: boolean }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const far = position ? distanceM(position, c) : null;
  const before = c.photos.filter((p) => BEFORE.has(p.kind));
  const after = c.photos.filter((p) => AFTER.has(p.kind)).sort((a, b) => b.eventSeq - a.eventSeq);
  return (
    <article className="fa-case" data-testid="case-view" data-state={c.state}>
      <div className="fa-case-head">
        <Link to={back} className="fa-icon-btn" aria-label={t('field.common.back')}>
          <Icon name="chevronLeft" />
        </Link>
        <div>
          <div className="fa-code">{c.number}</div>
          <div className="fa-row">
            <StateTag state={c.state} size="large" />
            <LightBadge light={c.light} dueAt={c.dueAt} frozen={c.state === 'suspended'} />
          </div>
        </div>
      </div>
      <h2 className="fa-case-title fa-case-title-big">{c.category ? (lang === 'en' ? c.category.nameEn : c.category.nameZh) : t('field.tasks.noCategory')}</h2>
      <p className="fa-case-desc">{c.description}</p>
      <dl className="fa-facts">
        {c.address && (
          <>
            <dt>{t('field.case.address')}</dt>
            <dd>{c.address}</dd>
          </>
        )}
        <dt>{t('field.case.grid')}</dt>
        <dd>{[c.street?.name, c.community?.name, c.grid?.name].filter(Boolean).join(' · ')}</dd>
        <dt>{t('field.case.reported')}</dt>
        <dd>{formatTime(c.createdAt)}</dd>
        {far !== null && (
          <>
            <dt>{t('field.case.distance')}</dt>
            <dd data-testid="case-distance">{far < 1000 ? t('field.report.distance', { m: Math.round(far) }) : `${(far / 1000).toFixed(1)} km`}</dd>
          </>
        )}
      </dl>
      <FieldMap
        areas={[]}
        markers={[{ id: 'case', lon: c.lon, lat: c.lat, color: STATE_COLORS[c.state], label: c.number }]}
        position={position}
        height={180}
        label={t('field.case.mapLabel')}
      />
      {(before.length > 0 || after.length > 0) && (
        <div className="fa-before-after">
          <section>
            <h3>{t('cases.shared.photos.before')}</h3>
            {before.length ? <PhotoStrip photos={before} label={t('cases.shared.photos.before')} /> : <p className="fa-muted">{t('cases.shared.photos.none')}</p>}
          </section>
          <section>
            <h3>{t('cases.shared.photos.after')}</h3>
            {after.length ? <PhotoStrip photos={after} label={t('cases.shared.photos.after')} /> : <p className="fa-muted">{t('cases.shared.photos.noAfter')}</p>}
          </section>
        </div>
      )}
      <details className="fa-details" open={timelineOpen}>
        <summary>{t('cases.shared.timeline.title')}</summary>
        <TimelineList events={c.timeline} />
      </details>
    </article>
  );
}
