import type { CSSProperties } from 'react';
import type { State } from '../../../../shared/cases/workflow.js';
import { currentLanguage } from '../../../app/i18n.js';
import { STATE_COLORS, stateLabel } from './labels.js';
import './cases.css';

/** The state of a case in the loop's colours: a tinted label that stays quiet in a dense list. */
export function StateTag({ state, size = 'default' }: { state: State; size?: 'default' | 'large' }) {
  const style = { '--og-state': STATE_COLORS[state] } as CSSProperties;
  const label = stateLabel(state, currentLanguage());
  return (
    <span className={`og-state-tag og-state-tag-${size}`} style={style} data-state={state} title={label}>
      <span className="og-state-text">{label}</span>
    </span>
  );
}
