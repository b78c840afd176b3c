import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { OPEN_STATES, PLATFORM_LEVELS, type PlatformLevel, type State } from '../../../shared/cases/index.js';
import type { Permission } from '../../../shared/permissions.js';
import { scopeFilter, scopeOf, type Actor } from '../../platform/access.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import type { AppContext } from '../../platform/http.js';
import { callerId, caseActorFor, levelOfDivisionCode } from './actors.js';
import { QUEUES, type CaseListQuery, type CaseSummary, type Queue } from './cases.schemas.js';
import { caseInScope, divisionNames, type CaseRow } from './cases.repo.js';
import { caseReference } from './context.js';
import { summaryOf } from './present.js';

/**
 * Work lists and search: always inside the reader's scope. A queue is the cases waiting for one
 * kind of work the reader may do (its permission's scope, and for handling, the reader's own unit).
 */
// `any`: filters for any query that has `cases` in its FROM
type EB = ExpressionBuilder<Database, any>;

interface QueueDef {
  permission: Permission;
  states?: readonly State[];
  extra?: (eb: EB, actor: Actor) => Expression<SqlBool>;
}

const RANK: Record<PlatformLevel, number> = { community: 10, street: 20, district: 30 };

/** Levels a dispatcher commands: their own and those below (a street does not dispatch a district's case). */
function dispatchLevels(actor: Actor): PlatformLevel[] {
  let top = -1;
  for (const g of actor.grants) {
    if (!g.divisionCode) continue;
    const level = levelOfDivisionCode(g.divisionCode);
    if (level && level !== 'grid') top = Math.max(top, RANK[level]);
  }
  return PLATFORM_LEVELS.filter((l) => RANK[l] <= top);
}

const QUEUE_DEFS: Record<Queue, QueueDef> = {
  to_verify: { permission: 'cases.verify', states: ['pending_verification'] },
  to_accept: { permission: 'cases.accept', states: ['pending_acceptance'] },
  to_dispatch: {
    permission: 'cases.dispatch',
    states: ['accepted', 'returned'],
    extra: (eb, actor) => {
      const levels = dispatchLevels(actor);
      return levels.length ? eb('cases.level', 'in', levels) : sql<SqlBool>`1 = 0`;
    },
  },
  to_handle: {
    permission: 'cases.handle',
    states: ['dispatched', 'handling', 'rework'],
    // held by the reader's department, or by the reader's community workstation
    extra: (eb, actor) => scopeFilter(eb, scopeOf(actor, 'cases.handle'), { division: 'cases.holder_code', department: 'cases.department_id' }),
  },
  to_check: { permission: 'cases.check', states: ['pending_check'] },
  to_close: { permission: 'cases.close', states: ['checked'] },
  approvals: {
    permission: 'cases.approve',
    extra: (eb, actor) => eb.and([eb('cases.request_kind', 'is not', null), eb('cases.request_by', '<>', callerId(actor))]),
  },
};

function queueFilter(eb: EB, actor: Actor, queue: Queue): Expression<SqlBool> {
  const def = QUEUE_DEFS[queue];
  if (!actor.grants.length) return sql<SqlBool>`1 = 0`;
  const parts: Expression<SqlBool>[] = [caseInScope(eb, scopeOf(actor, def.permission))];
  if (def.states) parts.push(eb('cases.state', 'in', def.states));
  if (def.extra) parts.push(def.extra(eb, actor));
  return eb.and(parts);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

async function filters(ctx: AppContext, actor: Actor, q: CaseListQuery, now: number) {
  let departmentId: number | null = null;
  if (q.department) {
    const d = await (await caseReference(ctx).current()).department(ctx.db, { code: q.department });
    if (!d) throw new AppError('validation_failed', `Unknown department ${q.department}.`, { field: 'department' });
    departmentId = d.id;
  }
  return (eb: EB): Expression<SqlBool> => {
    const parts: Expression<SqlBool>[] = [caseInScope(eb, scopeOf(actor, 'cases.read'))];
    if (q.queue) parts.push(queueFilter(eb, actor, q.queue));
    if (q.state) parts.push(eb('cases.state', 'in', q.state));
    if (q.status === 'open') parts.push(eb('cases.state', 'in', OPEN_STATES));
    if (q.status === 'closed') parts.push(eb('cases.state', 'not in', OPEN_STATES));
    if (q.category) {
      parts.push(q.category.length === 5 ? eb('cases.category_code', '=', q.category) : eb('cases.category_code', 'like', `${q.category}%`));
    }
    const area = q.grid ?? q.community ?? q.street;
    if (area) parts.push(eb.and([eb('cases.grid_code', '>=', area), eb('cases.grid_code', '<', `${area}\uffff`)]));
    if (departmentId !== null) parts.push(eb('cases.department_id', '=', departmentId));
    if (q.source) parts.push(eb('cases.source', 'in', q.source));
    if (q.light) {
      const running = eb.and([eb('cases.state', '<>', 'suspended'), eb('cases.due_at', 'is not', null)]);
      if (q.light === 'red') parts.push(eb.and([running, eb('cases.due_at', '<', now)]));
      if (q.light === 'yellow') parts.push(eb.and([running, eb('cases.warn_at', '<=', now), eb('cases.due_at', '>=', now)]));
      if (q.light === 'green') parts.push(eb.and([running, eb('cases.warn_at', '>', now)]));
    }
    if (q.from !== undefined) parts.push(eb('cases.created_at', '>=', q.from));
    if (q.to !== undefined) parts.push(eb('cases.created_at', '<', q.to));
    if (q.q) {
      const like = `%${escapeLike(q.q)}%`;
      parts.push(eb.or([
        eb('cases.number', '=', q.q),
        eb('cases.tracking_code', '=', q.q.toUpperCase()),
        sql<SqlBool>`cases.description like ${like} escape '\\'`,
        sql<SqlBool>`cases.address like ${like} escape '\\'`,
      ]));
    }
    return eb.and(parts);
  };
}

/** Summaries of a page of rows, each with the reader's allowed actions. */
async function summaries(ctx: AppContext, actor: Actor, rows: CaseRow[], now: number): Promise<CaseSummary[]> {
  if (!rows.length) return [];
  const ref = await caseReference(ctx).current();
  const ids = rows.map((r) => Number(r.id));
  const held = await ctx.db.selectFrom('case_departments').select(['case_id', 'department_id']).where('case_id', 'in', ids).execute();
  const names = await divisionNames(ctx.db, rows.filter((r) => r.holder_kind === 'community' && r.holder_code).map((r) => r.holder_code!));
  const out: CaseSummary[] = [];
  for (const r of rows) {
    const departmentIds = held.filter((h) => Number(h.case_id) === Number(r.id)).map((h) => Number(h.department_id));
    const caseActor = await caseActorFor(actor, { gridCode: r.grid_code, departmentId: r.department_id, departmentIds }, ref, ctx.db);
    out.push(await summaryOf(r, caseActor, now, ref, ctx.db, names));
  }
  return out;
}

export async function listCases(ctx: AppContext, actor: Actor, q: CaseListQuery) {
  const now = ctx.clock.now();
  const where = await filters(ctx, actor, q, now);
  const total = await ctx.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirstOrThrow();
  const rows = await ctx.db.selectFrom('cases').selectAll().where(where)
    .orderBy(`cases.${q.sort}`, q.order).orderBy('cases.id', q.order)
    .limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  return { total: Number(total.n), page: q.page, pageSize: q.pageSize, items: await summaries(ctx, actor, rows, now) };
}

/** How many cases wait in each of the reader's queues. */
export async function queueCounts(ctx: AppContext, actor: Actor): Promise<Record<Queue, number>> {
  const out = {} as Record<Queue, number>;
  for (const queue of QUEUES) {
    const row = await ctx.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => queueFilter(eb, actor, queue)).executeTakeFirstOrThrow();
    out[queue] = Number(row.n);
  }
  return out;
}
