import { sql, type Kysely } from 'kysely';

/**
 * Two rules of the evaluation's marks changed (evaluation/marks.ts): a return the dispatcher refuses
 * (refuse_return) no longer counts against the dispatch's accuracy (准确派遣率), and a round's
 * handling time leaves out the time it was suspended (挂账, up to resume). The cases that hold such
 * an event are marked for recounting, and the evaluation's catch-up takes them in as it does any
 * changed case, within seconds of the server starting; nothing else changes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`insert into eval_pending (case_id, event_id)
    select case_id, max(id) from case_events where action in ('refuse_return', 'resume') group by case_id
    on conflict (case_id) do nothing`.execute(db);
}

export async function down(): Promise<void> {
  // recounting is idempotent: nothing to undo
}
