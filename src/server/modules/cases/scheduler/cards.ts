import { TIMED_STATES, type CardAction, type LimitUnit } from '../../../../shared/cases/index.js';
import type { Executor } from '../../../platform/db.js';
import type { AccessEpoch } from '../../../platform/epoch.js';
import type { AppContext } from '../../../platform/http.js';
import { shareOfLimitUsed, type WorkingCalendar } from '../clock/index.js';
import { YELLOW_SHARE } from '../cases.service.js';
import { lockCaseState } from '../cases.repo.js';
import { insertCardEvent } from '../events.repo.js';
import { notifyForEvent, type Notified } from '../notifications/notify.js';

/**
 * Yellow and red cards (黄牌 / 红牌): a step that has used the yellow share of its limit gets a
 * yellow card, one past its due time a red card, each once per step. A step is one run of the
 * case's clock, named by when it started, so a rework or a re-dispatch starts a fresh pair, while a
 * postponement or a suspension does not. `case_cards` holds what was given (its key makes giving
 * twice impossible, whichever node tries) and each card is also an event in the case's history
 * (`yellow_card` / `red_card`, by the system), written in the same transaction; the card changes
 * neither the case's state nor its version.
 */
export const CARD_KINDS = ['yellow', 'red'] as const;
export type CardKind = (typeof CARD_KINDS)[number];
export const CARD_ACTION: Record<CardKind, CardAction> = { yellow: 'yellow_card', red: 'red_card' };

const BATCH = 500;

interface Candidate {
  id: number;
  number: string;
  state: string;
  level: string;
  grid_code: string;
  step: string | null;
  step_started_at: number;
  step_limit_unit: string | null;
  due_at: number;
  holder_kind: string | null;
  holder_code: string | null;
  department_id: number | null;
}

export interface GivenCard {
  caseId: number;
  number: string;
  kind: CardKind;
  step: string;
  gridCode: string;
  departmentId: number | null;
  at: number;
}

/** Which cards a step has earned by `now`: red once past due, yellow from the share on (and with red). */
export function cardsDue(c: Pick<Candidate, 'step_started_at' | 'due_at' | 'step_limit_unit'>, now: number, cal: WorkingCalendar, yellowShare: number): CardKind[] {
  if (now > c.due_at) return ['yellow', 'red'];
  const unit = (c.step_limit_unit ?? 'urgent_hours') as LimitUnit;
  return shareOfLimitUsed(now, c.step_started_at, c.due_at, unit, cal) >= yellowShare ? ['yellow'] : [];
}

/** Open, timed cases still missing a red card for their current step, a batch after `afterId`. */
async function candidates(db: Executor, now: number, yellowShare: number, afterId: number): Promise<Candidate[]> {
  let q = db.selectFrom('cases')
    .select(['id', 'number', 'state', 'level', 'grid_code', 'step', 'step_started_at', 'step_limit_unit', 'due_at', 'holder_kind', 'holder_code', 'department_id'])
    .where('state', 'in', TIMED_STATES)
    .where('due_at', 'is not', null)
    .where('step_started_at', 'is not', null)
    .where('id', '>', afterId)
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('case_cards').select('case_cards.case_id')
        .whereRef('case_cards.case_id', '=', 'cases.id')
        .whereRef('case_cards.step_started_at', '=', 'cases.step_started_at')
        .where('case_cards.kind', '=', 'red'),
    )));
  // cases.warn_at is when the step turns yellow at the workflow's share: with a share at least as
  // large, nothing can be due before it, so the index narrows the scan
  if (yellowShare >= YELLOW_SHARE) {
    q = q.where((eb) => eb.or([eb('warn_at', 'is', null), eb('warn_at', '<=', now), eb('due_at', '<', now)]));
  }
  const rows = await q.orderBy('id').limit(BATCH).execute();
  return rows.map((r) => ({
    ...r, id: Number(r.id), step_started_at: r.step_started_at!, due_at: r.due_at!, department_id: r.department_id === null ? null : Number(r.department_id),
  }));
}

/**
 * Gives one card in its own transaction with its inbox rows; answers null when it was already given
 * (by an earlier tick or another node) or the case left that step meanwhile.
 */
async function giveCard(db: Executor, c: Candidate, kind: CardKind, now: number, notify: boolean, epoch?: AccessEpoch): Promise<{ card: GivenCard; notified: Notified | null } | null> {
  return db.transaction().execute(async (tx) => {
    // on PostgreSQL the case row is locked, so the card's event number and an action's queue on it
    if ((await lockCaseState(tx, c.id, { state: c.state, stepStartedAt: c.step_started_at })) === undefined) return null;
    const inserted = await tx.insertInto('case_cards')
      .values({ case_id: c.id, kind, step: c.step ?? '', step_started_at: c.step_started_at, due_at: c.due_at, at: now, event_id: null })
      .onConflict((oc) => oc.columns(['case_id', 'kind', 'step_started_at']).doNothing())
      .returning('case_id').executeTakeFirst();
    if (!inserted) return null;
    const eventId = await insertCardEvent(tx, c.id, 'next', { action: CARD_ACTION[kind], state: c.state, step: c.step, dueAt: c.due_at, at: now });
    await tx.updateTable('case_cards').set({ event_id: eventId })
      .where('case_id', '=', c.id).where('kind', '=', kind).where('step_started_at', '=', c.step_started_at).execute();
    const notified = notify
      ? await notifyForEvent(tx, { id: eventId, action: CARD_ACTION[kind], to_state: c.state, actor_user_id: null, at: now }, c, epoch)
      : null;
    return { card: { caseId: c.id, number: c.number, kind, step: c.step ?? '', gridCode: c.grid_code, departmentId: c.department_id, at: now }, notified };
  });
}

export interface CardsResult {
  given: GivenCard[];
  notified: Notified[];
}

/**
 * Every card due at `now`. A step that jumped straight past its due time gets both cards (a red
 * card implies the yellow one), but only the red one is announced to the inbox.
 */
/** `epoch`: the inbox's recipients are then kept in memory while it stands still (many cards, few grids). */
export async function giveDueCards(db: Executor, now: number, cal: WorkingCalendar, yellowShare: number, epoch?: AccessEpoch): Promise<CardsResult> {
  const out: CardsResult = { given: [], notified: [] };
  let afterId = 0;
  for (;;) {
    const batch = await candidates(db, now, yellowShare, afterId);
    if (!batch.length) break;
    afterId = batch[batch.length - 1]!.id;
    const had = await db.selectFrom('case_cards').select(['case_id', 'kind', 'step_started_at'])
      .where('case_id', 'in', batch.map((c) => c.id)).execute();
    const given = new Set(had.map((h) => `${Number(h.case_id)}:${h.kind}:${h.step_started_at}`));
    for (const c of batch) {
      const due = cardsDue(c, now, cal, yellowShare).filter((k) => !given.has(`${c.id}:${k}:${c.step_started_at}`));
      for (const kind of due) {
        const r = await giveCard(db, c, kind, now, kind === 'red' || !due.includes('red'), epoch);
        if (!r) continue;
        out.given.push(r.card);
        if (r.notified) out.notified.push(r.notified);
      }
    }
    if (batch.length < BATCH) break;
  }
  return out;
}

/** After commit: the case pages in its jurisdiction and of its holding department hear of the card. */
export function announceCards(ctx: AppContext, cards: readonly GivenCard[]): void {
  for (const card of cards) {
    ctx.live.publish({
      type: 'case.card',
      divisionCode: card.gridCode,
      departmentIds: card.departmentId === null ? [] : [card.departmentId],
      data: { id: card.caseId, number: card.number, kind: card.kind, step: card.step, at: card.at },
    });
  }
}

/** The cards of a case, oldest first, for its timeline and for the evaluation. */
export async function cardsOfCase(db: Executor, caseId: number) {
  const rows = await db.selectFrom('case_cards').selectAll().where('case_id', '=', caseId).orderBy('at').orderBy('kind', 'desc').execute();
  return rows.map((r) => ({ kind: r.kind as CardKind, step: r.step, stepStartedAt: r.step_started_at, dueAt: r.due_at, at: r.at }));
}
