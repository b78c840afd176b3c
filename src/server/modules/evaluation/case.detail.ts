import { FLAGS, type FlagName } from '../../../shared/evaluation/measures.js';
import { inScope } from '../../platform/access.js';
import type { Executor } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import type { EvalScope } from './scope.js';

/**
 * A case opened from a figure: its record, its events (the history the figures are counted from)
 * and its marks (the figures it counts in, and how). Outside one's jurisdiction it does not exist.
 */
export async function caseDetail(db: Executor, s: EvalScope, id: number) {
  const c = await db.selectFrom('cases as c')
    .leftJoin('divisions as g', 'g.code', 'c.grid_code')
    .leftJoin('categories as cat', 'cat.code', 'c.category_code')
    .select([
      'c.id', 'c.number', 'c.state', 'c.source', 'c.category_code', 'cat.name_zh as category_name', 'c.grid_code', 'g.name as grid_name',
      'c.address', 'c.description', 'c.lon', 'c.lat', 'c.created_at', 'c.closed_at', 'c.due_at', 'c.rework_count',
    ])
    .where('c.id', '=', id).executeTakeFirst();
  if (!c || !inScope(s.scope, { divisionCode: c.grid_code })) throw new AppError('not_found', 'Case not found.');
  const [events, marks] = await Promise.all([
    db.selectFrom('case_events').select(['seq', 'action', 'from_state', 'to_state', 'at', 'actor_name', 'actor_department_code', 'comment', 'due_at'])
      .where('case_id', '=', id).orderBy('at').orderBy('seq').execute(),
    db.selectFrom('eval_marks').select(['kind', 'at', 'dept', 'actor_id', 'flags', 'value']).where('case_id', '=', id).orderBy('at').orderBy('id').execute(),
  ]);
  return {
    case: {
      id: Number(c.id), number: c.number, state: c.state, source: c.source, categoryCode: c.category_code, categoryName: c.category_name ?? null,
      gridCode: c.grid_code, gridName: c.grid_name ?? null, address: c.address, description: c.description, lon: c.lon, lat: c.lat,
      reportedAt: Number(c.created_at), closedAt: c.closed_at === null ? null : Number(c.closed_at),
      dueAt: c.due_at === null ? null : Number(c.due_at), reworkCount: c.rework_count,
    },
    events: events.map((e) => ({
      seq: e.seq, action: e.action, from: e.from_state, to: e.to_state, at: Number(e.at), actorName: e.actor_name,
      department: e.actor_department_code, comment: e.comment, dueAt: e.due_at === null ? null : Number(e.due_at),
    })),
    marks: marks.map((m) => ({
      kind: m.kind, at: Number(m.at), department: m.dept, actorId: m.actor_id,
      flags: (Object.keys(FLAGS) as FlagName[]).filter((f) => (Number(m.flags) & FLAGS[f]) !== 0),
      hours: m.kind === 'handled' ? Math.round((Number(m.value) / 3_600_000) * 100) / 100 : null,
    })),
  };
}
