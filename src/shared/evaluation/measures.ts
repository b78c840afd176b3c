/**
 * What the evaluation counts, at the bottom: marks and measures.
 *
 * A mark is one fact about one case that a figure counts: "case 17 was reported on 2013-03-02 in
 * grid … by grid worker …", "case 17 was handled by 城管 on 03-04, within its time limit, in 26 h".
 * Marks are a pure function of a case's events (server: marks.ts) and are kept per case, so each
 * figure links to the cases behind it and an event can only ever replace its case's marks.
 *
 * A measure is a stored counter: the number of marks of one kind (optionally carrying a flag), or
 * the sum of their values. Rollup rows keep one column per measure.
 */
export const MARK_KINDS = [
  'reported', 'rejected', 'merged', 'verified', 'accepted', 'dispatched', 'due', 'handled',
  'returned', 'rework', 'postponed', 'suspended', 'cancelled', 'closed', 'checked',
] as const;
export type MarkKind = (typeof MARK_KINDS)[number];

/** Yes/no qualities a mark can carry, as bits. */
export const FLAGS = { valid: 1, on_time: 2, accurate: 4, missed: 8 } as const;
export type FlagName = keyof typeof FLAGS;

export interface MeasureDef {
  kind: MarkKind;
  /** Count only the marks carrying this flag. */
  flag?: FlagName;
  /** Add the marks' values (milliseconds) instead of counting them. */
  sum?: true;
  /** Kept per person (grid worker, dispatcher) as well as per area and department. */
  perActor?: true;
}

export const MEASURES = {
  reported: { kind: 'reported', perActor: true },
  valid: { kind: 'reported', flag: 'valid', perActor: true },
  rejected: { kind: 'rejected', perActor: true },
  merged: { kind: 'merged' },
  verified: { kind: 'verified', perActor: true },
  verified_on_time: { kind: 'verified', flag: 'on_time', perActor: true },
  accepted: { kind: 'accepted', perActor: true },
  missed: { kind: 'accepted', flag: 'missed' },
  dispatched: { kind: 'dispatched', perActor: true },
  dispatched_on_time: { kind: 'dispatched', flag: 'on_time', perActor: true },
  dispatch_accurate: { kind: 'dispatched', flag: 'accurate', perActor: true },
  due: { kind: 'due' },
  handled: { kind: 'handled' },
  handled_on_time: { kind: 'handled', flag: 'on_time' },
  handling_ms: { kind: 'handled', sum: true },
  returned: { kind: 'returned' },
  rework: { kind: 'rework' },
  postponed: { kind: 'postponed' },
  suspended: { kind: 'suspended' },
  cancelled: { kind: 'cancelled' },
  closed: { kind: 'closed' },
  closed_on_time: { kind: 'closed', flag: 'on_time' },
  checked: { kind: 'checked', perActor: true },
  checked_on_time: { kind: 'checked', flag: 'on_time', perActor: true },
} as const satisfies Record<string, MeasureDef>;

export type MeasureKey = keyof typeof MEASURES;
export const MEASURE_KEYS = Object.keys(MEASURES) as MeasureKey[];
export const ACTOR_MEASURE_KEYS = MEASURE_KEYS.filter((k) => (MEASURES[k] as MeasureDef).perActor);

export type Measures = Record<MeasureKey, number>;

/** Zero in every measure, written out as one literal: the cheapest object to make, and a district's dashboard makes one per grid worker. */
export function zeroMeasures(): Measures {
  return {
    reported: 0, valid: 0, rejected: 0, merged: 0, verified: 0, verified_on_time: 0, accepted: 0, missed: 0,
    dispatched: 0, dispatched_on_time: 0, dispatch_accurate: 0, due: 0, handled: 0, handled_on_time: 0, handling_ms: 0,
    returned: 0, rework: 0, postponed: 0, suspended: 0, cancelled: 0, closed: 0, closed_on_time: 0, checked: 0, checked_on_time: 0,
  } satisfies Measures;
}

/** The measures one mark adds to: index into MEASURE_KEYS, and whether it adds its value or 1. */
export function measuresOfMark(kind: MarkKind, flags: number): { index: number; sum: boolean }[] {
  const out: { index: number; sum: boolean }[] = [];
  MEASURE_KEYS.forEach((key, index) => {
    const def = MEASURES[key] as MeasureDef;
    if (def.kind !== kind) return;
    if (def.flag && (flags & FLAGS[def.flag]) === 0) return;
    out.push({ index, sum: def.sum === true });
  });
  return out;
}

/** Marks that carry a holding department (the subject "department"). */
export const DEPARTMENT_KINDS: readonly MarkKind[] = [
  'dispatched', 'due', 'handled', 'returned', 'rework', 'postponed', 'suspended', 'cancelled', 'closed',
];

/** Marks that name a person who acted (the subjects "grid worker" and "dispatcher"). */
export const ACTOR_KINDS: readonly MarkKind[] = ['reported', 'rejected', 'verified', 'accepted', 'dispatched', 'checked'];
