import type { IndicatorDef } from './indicators.js';
import { MEASURES, type FlagName, type MarkKind, type MeasureDef } from './measures.js';

/** A case behind a figure, as the server lists it and the dashboard shows it. */
export interface DrillRow {
  markId: number;
  caseId: number;
  number: string;
  state: string;
  categoryCode: string | null;
  categoryName: string | null;
  source: string;
  gridCode: string;
  gridName: string | null;
  address: string | null;
  description: string;
  reportedAt: number;
  closedAt: number | null;
  at: number;
  department: string | null;
  actorId: string | null;
  actorName: string | null;
  hit: boolean | null;
  hours: number | null;
}

/**
 * How a rate's list marks the rows in its numerator (the server marks them, the page shows the mark
 * and the hit/miss switch): by the numerator's flag on the listed mark itself, when the numerator
 * counts the same kind of mark; or on the numerator's mark of the same event (`kind`: a handling
 * round's due mark and its handled mark). Null when the numerator counts other events on days of
 * their own (办结率, 结案率, 返工率), whose rows cannot be marked.
 */
export type HitRule = { flag: FlagName } | { kind: MarkKind; flag: FlagName };

export function hitRuleOf(def: IndicatorDef): HitRule | null {
  if (!def.drill) return null;
  if (def.drill.hit) return def.drill.hit;
  const num = def.type === 'rate' ? def.num : def.measure;
  const nd = num ? (MEASURES[num] as MeasureDef) : undefined;
  return nd && nd.kind === def.drill.kind && nd.flag && nd.flag !== def.drill.flag ? { flag: nd.flag } : null;
}
