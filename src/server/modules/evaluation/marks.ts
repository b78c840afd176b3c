import { isCardAction } from '../../../shared/cases/index.js';
import { FLAGS, type MarkKind } from '../../../shared/evaluation/measures.js';

/**
 * The marks of one case: what each figure counts, as a pure function of the case's events (see
 * shared/evaluation/measures.ts and indicators.ts for the rules in words). Being pure and per case
 * is what keeps the counts exact: every event recomputes its case's marks, and the rollups move by
 * the difference, so applying events one by one always equals recounting from scratch.
 */
export interface CaseFacts {
  grid_code: string;
  source: string;
  category_code: string | null;
  state: string;
}

export interface EventFacts {
  seq: number;
  action: string;
  from_state: string;
  to_state: string;
  at: number;
  actor_id: string;
  actor_kind: string;
  actor_department_code: string | null;
  /** The event payload as stored (JSON text) or already parsed. */
  input: string | Record<string, unknown>;
  due_at: number | null;
}

export interface Mark {
  kind: MarkKind;
  at: number;
  grid: string;
  /** Category class (2 digits); '00' when the case has no category yet. */
  cls: string;
  source: string;
  /** The department the mark is about (holder, dispatched to, returning); null for none or a community. */
  dept: string | null;
  /** The person who acted, for the people's figures; null for residents, systems and other kinds. */
  actor: string | null;
  flags: number;
  /** Milliseconds for handled marks (handling time); 0 otherwise. */
  value: number;
}

type Holder = { dept: string | null } | null;

interface Round {
  start: number;
  dept: string | null;
  /** Time the round spent suspended (挂账), which is not handling time. */
  paused: number;
  suspendedAt: number | null;
}

const CREATING = new Set(['report', 'accept', 'self_resolve']);
const ACCEPTING = new Set(['accept', 'self_resolve']);

/** People's figures are about people who sign in: not residents, the system or other systems' keys. */
export function personOf(e: Pick<EventFacts, 'actor_id' | 'actor_kind'>): string | null {
  return e.actor_kind === 'user' && !e.actor_id.startsWith('api_key:') ? e.actor_id : null;
}

function inputOf(e: EventFacts): Record<string, unknown> {
  if (typeof e.input !== 'string') return e.input;
  try {
    return JSON.parse(e.input) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function classOf(categoryCode: string | null): string {
  return categoryCode && /^\d{2}/.test(categoryCode) ? categoryCode.slice(0, 2) : '00';
}

/**
 * Marks of a case from its events in `seq` order (the case facts are its current row). Supervision
 * cards in the history count for nothing here: they change no state and no due time.
 */
export function marksOfCase(c: CaseFacts, history: readonly EventFacts[]): Mark[] {
  const events = history.some((e) => isCardAction(e.action)) ? history.filter((e) => !isCardAction(e.action)) : history;
  const first = events[0];
  if (!first || !CREATING.has(first.action) || first.from_state !== 'new') return [];
  const grid = c.grid_code, cls = classOf(c.category_code), source = c.source;
  // fields written out (a spread in a literal is V8's slow path; a full recount makes millions of marks)
  const mark = (kind: MarkKind, at: number, rest: Partial<Pick<Mark, 'dept' | 'actor' | 'flags' | 'value'>> = {}): Mark =>
    ({ kind, at, grid, cls, source, dept: rest.dept ?? null, actor: rest.actor ?? null, flags: rest.flags ?? 0, value: rest.value ?? 0 });

  // a merged duplicate counts once: only as "merged"; its original carries the problem
  if (c.state === 'merged') {
    const merge = [...events].reverse().find((e) => e.action === 'merge');
    return merge ? [mark('merged', merge.at, { actor: personOf(merge) })] : [];
  }

  const out: Mark[] = [];
  const accepting = events.find((e) => ACCEPTING.has(e.action));
  out.push(mark('reported', first.at, { actor: personOf(first), flags: accepting ? FLAGS.valid : 0 }));
  if (accepting) {
    out.push(mark('accepted', accepting.at, { actor: personOf(accepting), flags: c.source !== 'grid_worker' ? FLAGS.missed : 0 }));
  }

  let holder: Holder = null;
  let returnedFrom: Holder = null;
  let round: Round | null = null;
  let lastDispatch: Mark | null = null;
  // the accuracy the last dispatch had before it was returned: a refused return gives it back
  let accurateBeforeReturn = 0;
  let lastHandledOnTime: boolean | null = null;
  let lastClose: EventFacts | null = null;
  const startRound = (at: number) => {
    round = { start: at, dept: holder?.dept ?? null, paused: 0, suspendedAt: null };
  };

  events.forEach((e, i) => {
    const dueBefore = i > 0 ? events[i - 1]!.due_at : null;
    const onTime = dueBefore === null || e.at <= dueBefore ? FLAGS.on_time : 0;
    const input = inputOf(e);
    const holderDept = holder?.dept ?? null;
    switch (e.action) {
      case 'verify':
        out.push(mark('verified', e.at, { actor: personOf(e), flags: onTime }));
        break;
      case 'reject':
        out.push(mark('rejected', e.at, { actor: personOf(e) }));
        break;
      case 'dispatch': {
        const dept = typeof input.department === 'string' ? input.department : null;
        lastDispatch = mark('dispatched', e.at, { actor: personOf(e), dept, flags: onTime | FLAGS.accurate });
        out.push(lastDispatch);
        holder = { dept };
        startRound(e.at);
        break;
      }
      case 'assign':
        lastDispatch = mark('dispatched', e.at, { actor: personOf(e), flags: onTime | FLAGS.accurate });
        out.push(lastDispatch);
        holder = e.to_state === 'dispatched' ? { dept: null } : null;
        if (holder) startRound(e.at);
        else round = null;
        break;
      case 'refuse_return':
        // the dispatcher holds the dispatch right and sends the case back to the one who returned it
        if (lastDispatch) lastDispatch.flags |= accurateBeforeReturn;
        holder = returnedFrom ?? { dept: null };
        returnedFrom = null;
        startRound(e.at);
        break;
      case 'escalate':
        holder = null;
        round = null;
        break;
      case 'return':
        out.push(mark('returned', e.at, { dept: holderDept ?? e.actor_department_code }));
        if (lastDispatch) {
          accurateBeforeReturn = lastDispatch.flags & FLAGS.accurate;
          lastDispatch.flags &= ~FLAGS.accurate;
        }
        returnedFrom = holder;
        holder = null;
        round = null;
        break;
      case 'feedback': {
        const r = round as Round | null;
        const start = r?.start ?? e.at;
        out.push(mark('handled', e.at, { dept: r?.dept ?? holderDept, flags: onTime, value: Math.max(0, e.at - start - (r?.paused ?? 0)) }));
        out.push(mark('due', e.at, { dept: r?.dept ?? holderDept }));
        lastHandledOnTime = onTime !== 0;
        round = null;
        break;
      }
      case 'check_pass':
        out.push(mark('checked', e.at, { actor: personOf(e), flags: onTime }));
        break;
      case 'check_fail':
      case 'reopen':
        if (e.action === 'check_fail') out.push(mark('checked', e.at, { actor: personOf(e), flags: onTime }));
        out.push(mark('rework', e.at, { dept: holderDept }));
        if (lastDispatch) lastDispatch.flags &= ~FLAGS.accurate;
        if (e.to_state === 'rework') startRound(e.at);
        else {
          holder = null;
          round = null;
        }
        break;
      case 'close':
        lastClose = e;
        break;
      case 'approve_postpone':
        out.push(mark('postponed', e.at, { dept: holderDept }));
        break;
      case 'approve_suspend':
        out.push(mark('suspended', e.at, { dept: holderDept }));
        if (round) (round as Round).suspendedAt = e.at;
        break;
      case 'resume': {
        const r = round as Round | null;
        if (r && r.suspendedAt !== null) {
          r.paused += Math.max(0, e.at - r.suspendedAt);
          r.suspendedAt = null;
        }
        break;
      }
      case 'approve_cancel':
        out.push(mark('cancelled', e.at, { dept: holderDept }));
        round = null;
        break;
      default:
        break;
    }
  });

  // a round still open counts as due on the day its due time falls, unless the case is suspended
  const open = round as Round | null;
  const last = events[events.length - 1]!;
  if (open && c.state !== 'suspended' && ['dispatched', 'handling', 'rework'].includes(c.state)) {
    out.push(mark('due', last.due_at ?? last.at, { dept: open.dept }));
  }
  const closing = lastClose as EventFacts | null;
  if (closing && (c.state === 'closed' || c.state === 'archived')) {
    const onTime = lastHandledOnTime ?? true;
    out.push(mark('closed', closing.at, { dept: (holder as Holder)?.dept ?? null, flags: onTime ? FLAGS.on_time : 0 }));
  }
  return out;
}

/** One string per mark, for comparing the marks of a case before and after an event. */
export function markKey(m: Mark): string {
  return `${m.kind}|${m.at}|${m.grid}|${m.cls}|${m.source}|${m.dept ?? ''}|${m.actor ?? ''}|${m.flags}|${m.value}`;
}
