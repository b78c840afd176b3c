import { sql, type Kysely } from 'kysely';

/**
 * A return the dispatcher refuses (refuse_return) no longer counts against the dispatch's accuracy
 * (准确派遣率; evaluation/marks.ts). The cases that hold such a refusal are marked for recounting,
 * and the evaluation's catch-up takes them in as it does any changed case, within seconds of the
 * server starting; nothing else changes. Cases with several events keep the latest as the one marked.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`insert into eval_pending (case_id, event_id)
    select case_id, max(id) from case_events where action = 'refuse_return' group by case_id
    on conflict (case_id) do nothing`.execute(db);
}

export async function down(): Promise<void> {
  // recounting is idempotent: nothing to undo
}
