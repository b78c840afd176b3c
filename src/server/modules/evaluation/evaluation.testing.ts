import {
  applyTransition, type Action, type ActionInput, type CaseActor, type WorkflowEnv,
} from '../../../shared/cases/index.js';
import type { Db, Executor } from '../../platform/db.js';
import { columnsOf, newCaseRow, snapshotOf } from '../cases/cases.repo.js';
import { eventRowOf } from './history/caserow.js';
import type { CasePlace } from './history/life.js';
import { historyEnv } from './history/reference.js';
import { applyEventToStats } from './stats.js';

/**
 * Test support: writes cases one event per transaction exactly as the cases service does (case row
 * compare-and-set, case_events row, holding department, then `applyEventToStats` in the same
 * transaction), so the evaluation's tests do not depend on the service's routes.
 */
export class CaseDriver {
  private n = 0;

  constructor(private readonly db: Db, private readonly env: WorkflowEnv = historyEnv()) {}

  private async departmentId(tx: Executor, code: string | undefined): Promise<number | null> {
    if (!code) return null;
    const d = await tx.selectFrom('departments').select('id').where('code', '=', code).executeTakeFirst();
    return d ? Number(d.id) : null;
  }

  /** Creates a case with its first action (report, accept or self_resolve); returns its id. */
  async create(place: CasePlace, action: Action, input: ActionInput, actor: CaseActor, at: number, who = { userId: null as number | null, name: null as string | null }): Promise<number> {
    const r = applyTransition(null, action, input, actor, at, this.env);
    if (!r.ok) throw new Error(`${action} refused: ${r.refusal}`);
    return this.db.transaction().execute(async (tx) => {
      const { id: _id, ...values } = newCaseRow(r.case, {
        number: `T${String(++this.n).padStart(8, '0')}${Math.random().toString(36).slice(2, 6)}`,
        tracking_code: Math.random().toString(36).slice(2, 12), reporter_user_id: who.userId, reporter_name: who.name, reporter_phone: null,
        warn_at: null, grid_code: place.grid_code, lon: place.lon, lat: place.lat, address: place.address, description: place.description,
        department_id: null, created_at: at, updated_at: at,
      });
      const row = await tx.insertInto('cases').values(values).returning('id').executeTakeFirstOrThrow();
      const id = Number(row.id);
      const event = eventRowOf(id, 1, r.event, who);
      await tx.insertInto('case_events').values(event).execute();
      await applyEventToStats(tx, event, { id, grid_code: place.grid_code, source: r.case.source, category_code: r.case.category_code, state: r.case.state });
      return id;
    });
  }

  /** One action on an existing case; throws when the workflow refuses it. */
  async act(caseId: number, action: Action, input: ActionInput, actor: CaseActor, at: number, who = { userId: null as number | null, name: null as string | null }): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
      const r = applyTransition(snapshotOf(row), action, input, actor, at, this.env);
      if (!r.ok) throw new Error(`${action} refused in ${row.state}: ${r.refusal}`);
      const holder = r.case.holder?.kind === 'department' ? await this.departmentId(tx, r.case.holder.code) : null;
      const updated = await tx.updateTable('cases')
        .set({ ...columnsOf(r.changes), department_id: holder, version: row.version + 1, updated_at: at })
        .where('id', '=', caseId).where('version', '=', row.version).executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new Error('stale version');
      const event = eventRowOf(caseId, row.version + 1, r.event, who);
      await tx.insertInto('case_events').values(event).execute();
      if (holder !== null) {
        await tx.insertInto('case_departments').values({ case_id: caseId, department_id: holder, since: at })
          .onConflict((oc) => oc.columns(['case_id', 'department_id']).doNothing()).execute();
      }
      await applyEventToStats(tx, event, { id: caseId, grid_code: row.grid_code, source: r.case.source, category_code: r.case.category_code, state: r.case.state });
    });
  }
}

/** Everything the evaluation stores, as sorted text, without row ids. */
export async function evaluationRows(db: Executor): Promise<Record<string, string[]>> {
  const rows = async (table: 'eval_stats' | 'eval_actor_stats' | 'eval_durations' | 'eval_marks' | 'eval_actors') =>
    (await db.selectFrom(table).selectAll().execute())
      .map((r) => {
        const { id: _id, ...rest } = r as Record<string, unknown>;
        const values = Object.entries(rest).filter(([k]) => !['area', 'level', 'dim', 'key', 'grain', 'period', 'actor_id', 'bucket', 'case_id', 'kind', 'at', 'day', 'grid_code', 'class', 'source', 'dept', 'flags', 'value', 'name', 'division_code', 'department_code', 'user_id', 'updated_at'].includes(k));
        // a rollup row whose counts all went back to zero is the same as no row
        if (table !== 'eval_marks' && table !== 'eval_actors' && values.every(([, v]) => Number(v) === 0) && (table !== 'eval_durations' || Number(rest.n) === 0)) return null;
        return JSON.stringify(Object.entries(rest).map(([k, v]) => [k, typeof v === 'bigint' || typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]).sort());
      })
      .filter((x): x is string => x !== null)
      .sort();
  return { stats: await rows('eval_stats'), actors: await rows('eval_actor_stats'), durations: await rows('eval_durations'), marks: await rows('eval_marks'), people: await rows('eval_actors') };
}
