import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { State } from '../../../../../shared/cases/workflow.js';
import { formatTime } from '../../shared/format.js';
import { StateTag } from '../../shared/StateTag.js';
import { fetchDuplicateHints, type DuplicateAnswer } from '../api.js';
import { Icon } from '../ui/Icon.js';

/**
 * 附近已有同类案件: before the worker submits, the open cases of the same category near the point,
 * so a problem already reported is not reported again. Advice only: the worker still decides.
 */
export function DuplicateHints({ category, lon, lat, online }: { category: string | null; lon: number | null; lat: number | null; online: boolean }) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState<DuplicateAnswer | null>(null);
  useEffect(() => {
    setAnswer(null);
    if (!category || lon === null || lat === null || !online) return;
    const controller = new AbortController();
    // the pin moves with every tap and the position with every fix; ask once it settles
    const timer = window.setTimeout(() => {
      fetchDuplicateHints(category, lon, lat, controller.signal).then(setAnswer, () => undefined);
    }, 500);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [category, lon, lat, online]);

  if (!online && category) return <p className="fa-hint">{t('field.report.duplicatesOffline')}</p>;
  if (!answer || answer.items.length === 0) return null;
  return (
    <section className="fa-card fa-card-warn" data-testid="duplicates" aria-live="polite">
      <h3 className="fa-card-title">
        <Icon name="alert" size={22} />
        {t('field.report.duplicates', { count: answer.items.length, radius: answer.radiusM, hours: answer.windowH })}
      </h3>
      <ul className="fa-dups">
        {answer.items.slice(0, 5).map((d) => (
          <li key={d.id}>
            <Link to={`/field/cases/${d.id}`}>
              <div className="fa-row">
                <strong className="fa-code">{d.number}</strong>
                <StateTag state={d.state as State} />
              </div>
              <div className="fa-clamp">{d.description}</div>
              <div className="fa-muted">
                {t('field.report.distance', { m: Math.round(d.distanceM) })} · {formatTime(d.createdAt)}
              </div>
            </Link>
          </li>
        ))}
      </ul>
      <p className="fa-hint">{t('field.report.duplicatesHint')}</p>
    </section>
  );
}
