import { useTranslation } from 'react-i18next';
import { HintTooltip } from '../../../ui/HintTooltip.js';
import type { Light } from './api.js';
import { dueText, formatFullTime, formatTime } from './format.js';
import { LIGHT_COLORS } from './labels.js';
import { useNow } from './useNow.js';
import './cases.css';

interface TimingLightProps {
  light: Light | null;
  dueAt: number | null;
  /** A suspended case's clock stands still: show the light it had, marked as paused. */
  frozen?: boolean;
  /** Only the dot (dense lists put the due time in a column of its own). */
  dotOnly?: boolean;
}

/**
 * 红黄绿灯: the light of the current step (the server decides the colour on the working calendar)
 * with the due time and how long is left, in words as well as colour.
 */
export function TimingLight({ light, dueAt, frozen = false, dotOnly = false }: TimingLightProps) {
  const { t } = useTranslation();
  const now = useNow();
  const word = light ? t(`cases.shared.light.${light}`) : t('cases.shared.light.none');
  const due = frozen ? null : dueText(dueAt, now, t);
  const title = dueAt ? `${word} · ${t('cases.shared.due.at', { time: formatFullTime(dueAt) })}` : word;
  const dot = (
    <span
      className={`og-light${light ? '' : ' og-light-none'}${frozen ? ' og-light-frozen' : ''}`}
      style={light ? { backgroundColor: LIGHT_COLORS[light] } : undefined}
      role="img"
      aria-label={frozen ? `${word}（${t('cases.shared.light.frozen')}）` : word}
      data-light={light ?? 'none'}
    />
  );
  if (dotOnly) return <HintTooltip title={title}>{dot}</HintTooltip>;
  return (
    <HintTooltip title={title}>
      <span className="og-light-with-text">
        {dot}
        <span className={`og-light-text og-light-text-${light ?? 'none'}`}>
          {frozen ? t('cases.shared.light.frozen') : (due?.text ?? word)}
        </span>
        {dueAt && !frozen && <span className="og-light-due">{formatTime(dueAt, now)}</span>}
      </span>
    </HintTooltip>
  );
}
