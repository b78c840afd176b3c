import { sql, type Kysely } from 'kysely';

/**
 * One grant per account, role and place: the same role on the same division or department given
 * twice is one grant. The service refuses a second one (409 already_exists); this index keeps two
 * requests arriving at the same moment from both getting through (the later one is told to reload).
 * Copies held before it came are removed first, keeping the oldest.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`delete from grants where id not in (
    select min(id) from grants group by user_id, role, coalesce(division_code, ''), coalesce(department_id, 0)
  )`.execute(db);
  await db.schema.createIndex('grants_one_per_place').on('grants').unique()
    .expression(sql`user_id, role, coalesce(division_code, ''), coalesce(department_id, 0)`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('grants_one_per_place').execute();
}
