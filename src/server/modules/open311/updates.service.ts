import type { Action, State } from '../../../shared/cases/index.js';
import type { Actor } from '../../platform/access.js';
import type { AppContext } from '../../platform/http.js';
import { actOnCase, caseReference } from '../cases/cases.service.js';
import { publicServiceCodes, type Locale } from './catalogue.js';
import { badRequest, notFound, Open311Error, toOpen311Error } from './errors.js';
import { parseW3c, type Document } from './format.js';
import { caseRefByNumber, lastStateChange, publicStateChanges } from './open311.repo.js';
import { dateWindow, one, paging, type Fields } from './params.js';
import { updateNode } from './present.js';
import { INCOMING_STATUSES, planUpdate, type IncomingStatus } from './status.js';

/**
 * mySociety's update extension. GET servicerequestupdates is the public stream of state changes
 * (what FixMyStreet polls to tell its users); POST servicerequestupdates brings a client's update
 * (its user's comment with the status they set) into the case loop through actOnCase, as
 * planUpdate says the transition table allows. A retried POST of the same update_id answers what
 * the first one answered and does not act twice.
 */
const REPLAY_ROUTE = 'POST /open311/v2/servicerequestupdates';

export async function listUpdates(ctx: AppContext, fields: Fields, locale: Locale): Promise<Document> {
  const { from, to } = dateWindow(fields, ctx.clock.now());
  const { page, pageSize } = paging(fields);
  const codes = publicServiceCodes((await caseReference(ctx).current()).tree);
  const rows = await publicStateChanges(ctx.db, codes, { from, to, offset: (page - 1) * pageSize, limit: pageSize });
  return { root: 'service_request_updates', value: rows.map((e) => updateNode(e, locale)) };
}

function incomingStatus(raw: string): IncomingStatus {
  const s = raw.trim().toUpperCase();
  if (!(INCOMING_STATUSES as readonly string[]).includes(s)) throw badRequest(`status must be one of ${INCOMING_STATUSES.join(', ')}.`);
  return s as IncomingStatus;
}

/** What an answered update is remembered by: the key, the request and the client's own update id. */
const replayKey = (number: string, updateId: string) => `open311:update:${number}:${updateId}`.slice(0, 200);

async function answered(ctx: AppContext, caller: string, key: string): Promise<string | null> {
  const row = await ctx.db.selectFrom('idempotency_keys').select(['body', 'route']).where('caller', '=', caller).where('key', '=', key).executeTakeFirst();
  return row && row.route === REPLAY_ROUTE ? (JSON.parse(row.body) as { update_id: string }).update_id : null;
}

async function remember(ctx: AppContext, caller: string, key: string, updateId: string): Promise<void> {
  await ctx.db.insertInto('idempotency_keys')
    .values({ caller, key, route: REPLAY_ROUTE, status: 200, body: JSON.stringify({ update_id: updateId }), created_at: ctx.clock.now() })
    .onConflict((oc) => oc.doNothing()).execute();
}

function inputFor(action: Action, text: string) {
  if (action === 'reject' || action === 'reopen') return { reason: text };
  if (action === 'comment') return { comment: text };
  return {};
}

export async function postUpdate(ctx: AppContext, actor: Actor, fields: Fields): Promise<Document> {
  const number = one(fields, 'service_request_id')!;
  const clientUpdateId = (one(fields, 'update_id') ?? one(fields, 'update_id_ext'))!;
  const status = incomingStatus(one(fields, 'status')!);
  if (parseW3c(one(fields, 'updated_datetime')!) === null) {
    throw badRequest('updated_datetime must be a W3C date-time with its time zone, e.g. 2026-11-02T10:00:00+08:00.');
  }
  const description = one(fields, 'description')!;
  if (description.length > 2000) throw badRequest('description may be at most 2,000 characters.');

  const caller = `api_key:${actor.id}`;
  const key = replayKey(number, clientUpdateId);
  const before = await answered(ctx, caller, key);
  if (before) return answer(before);

  const found = /^\d{6,40}$/.test(number) ? await caseRefByNumber(ctx.db, number) : null;
  const codes = publicServiceCodes((await caseReference(ctx).current()).tree);
  if (!found || !codes.includes(found.category ?? '')) throw notFound(`service_request_id ${number} was not found.`);

  const plan = planUpdate(status, found.state as State);
  const text = `Open311 ${status}: ${description}`;
  let updateId: string;
  if (plan.kind === 'refuse') throw badRequest(plan.reason);
  if (plan.kind === 'already') {
    const last = await lastStateChange(ctx.db, found.id);
    if (last === null) throw new Open311Error(500, ['The request has no history.']);
    updateId = String(last);
  } else {
    const actions: readonly Action[] = plan.kind === 'note' ? ['comment'] : plan.actions;
    let version = found.version;
    let eventId = 0;
    for (const action of actions) {
      try {
        const r = await actOnCase(ctx, actor, found.id, action, inputFor(action, text), version);
        version = r.version;
        eventId = r.eventId;
      } catch (e) {
        const err = toOpen311Error(e);
        // say which step of the status the workflow refused, in the client's terms
        throw new Open311Error(err.status, [`status ${status} on a request that is ${found.state}: ${err.descriptions.join(' ')}`]);
      }
    }
    updateId = String(eventId);
  }
  await remember(ctx, caller, key, updateId);
  return answer(updateId);
}

function answer(updateId: string): Document {
  return { root: 'service_request_updates', value: [{ update_id: updateId }] };
}
