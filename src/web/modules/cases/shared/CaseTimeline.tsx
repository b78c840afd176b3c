import { Timeline } from 'antd';
import { useTranslation } from 'react-i18next';
import type { State } from '../../../../shared/cases/workflow.js';
import { currentLanguage } from '../../../app/i18n.js';
import type { TimelineEvent } from './api.js';
import { formatFullTime } from './format.js';
import { actionLabel, byTime, eventColor, stateLabel, stepLabel } from './labels.js';
import { PhotoThumbs } from './PhotoViewer.js';
import './cases.css';

interface CaseTimelineProps {
  events: readonly TimelineEvent[];
  /** Names for the codes events carry (departments, divisions); codes show as they are without them. */
  departmentName?: (code: string) => string | undefined;
  divisionName?: (code: string) => string | undefined;
  /** Newest first suits a desk that works the latest step; oldest first reads as a story. */
  order?: 'newest' | 'oldest';
}

/** 办理过程: who did what, when, from which state to which, with comment, photos and the new due time. */
export function CaseTimeline({ events, departmentName, divisionName, order = 'newest' }: CaseTimelineProps) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  if (events.length === 0) return <div className="og-muted">{t('cases.shared.timeline.empty')}</div>;
  const sorted = [...events].sort((a, b) => (order === 'newest' ? byTime(b, a) : byTime(a, b)));

  const actorName = (e: TimelineEvent) => {
    // the system's jobs are named in Chinese on the record (系统督办, 系统定时归档); English says "System"
    if (e.actor.kind === 'system') return lang !== 'en' && e.actor.name && e.actor.name !== 'system' ? e.actor.name : t('cases.shared.timeline.system');
    if (e.actor.kind === 'public') return t('cases.shared.timeline.resident');
    return e.actor.name ?? t('cases.shared.timeline.unknownActor');
  };
  const fromLabel = (from: string) => (from === 'new' ? t('cases.shared.timeline.newState') : stateLabel(from as State, lang));

  return (
    <section aria-label={t('cases.shared.timeline.ariaLabel')}>
    <Timeline
      className="og-case-timeline"
      items={sorted.map((e) => ({
        key: e.seq,
        color: eventColor(e),
        content: (
          <article className="og-timeline-item" data-action={e.action} data-seq={e.seq}>
            <header className="og-timeline-head">
              <strong className="og-timeline-action">{actionLabel(e.action, lang)}</strong>
              <span className="og-timeline-actor">{actorName(e)}</span>
              <time className="og-timeline-time" dateTime={new Date(e.at).toISOString()}>
                {formatFullTime(e.at)}
              </time>
            </header>
            {e.from !== e.to && (
              <div className="og-timeline-states">{t('cases.shared.timeline.stateChange', { from: fromLabel(e.from), to: stateLabel(e.to, lang) })}</div>
            )}
            {e.department && <div className="og-timeline-meta">{t('cases.shared.timeline.department', { name: departmentName?.(e.department) ?? e.department })}</div>}
            {e.division && <div className="og-timeline-meta">{t('cases.shared.timeline.division', { name: divisionName?.(e.division) ?? e.division })}</div>}
            {e.comment && <blockquote className="og-timeline-comment">{e.comment}</blockquote>}
            {e.requestedDueAt && <div className="og-timeline-meta">{t('cases.shared.timeline.requestedDue', { time: formatFullTime(e.requestedDueAt) })}</div>}
            {e.withdrawnRequest && (
              <div className="og-timeline-meta">{t('cases.shared.timeline.withdrawn', { kind: t(`cases.shared.requestKinds.${e.withdrawnRequest}`) })}</div>
            )}
            {e.step && e.dueAt && e.from !== e.to && (
              <div className="og-timeline-due">{t('cases.shared.timeline.stepDue', { step: stepLabel(e.step, lang), time: formatFullTime(e.dueAt) })}</div>
            )}
            {e.photos.length > 0 && <PhotoThumbs photos={e.photos} label={actionLabel(e.action, lang)} />}
          </article>
        ),
      }))}
    />
    </section>
  );
}
