import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/support/db.js';
import { migrateToLatest } from './migrator.js';

/**
 * Cases are deleted (an unfinished historical import is undone), and both databases then check every
 * column that refers to a case, once per deleted case. Without an index that starts with the column,
 * each check reads the whole referring table: undoing 20,000 imported cases took minutes on SQLite.
 */
const t = useTestDatabase((db) => migrateToLatest(db));

interface Reference { table: string; column: string; indexed: boolean }

async function referencesTo(target: string): Promise<Reference[]> {
  if (t.dbh.dialect === 'postgres') {
    const { rows } = await sql<{ table: string; column: string; indexed: boolean }>`
      select c.conrelid::regclass::text as table, a.attname as column,
        exists (select 1 from pg_index i where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1]) as indexed
      from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      where c.contype = 'f' and c.confrelid = ${target}::regclass and cardinality(c.conkey) = 1
      order by 1, 2`.execute(t.db);
    return rows.map((r) => ({ ...r, indexed: Boolean(r.indexed) }));
  }
  const sqlite = t.dbh.sqlite!;
  const tables = sqlite.prepare(`select name from main.sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`).pluck().all() as string[];
  const found: Reference[] = [];
  for (const table of tables) {
    const keys = sqlite.prepare('select "from" as col from pragma_foreign_key_list(?) where "table" = ?').pluck().all(table, target) as string[];
    for (const column of keys) {
      const firstColumns = (sqlite.prepare('select name from pragma_index_list(?)').pluck().all(table) as string[])
        .map((index) => sqlite.prepare('select name from pragma_index_info(?) where seqno = 0').pluck().get(index) as string);
      found.push({ table, column, indexed: firstColumns.includes(column) });
    }
  }
  return found;
}

describe('columns that refer to a case', () => {
  it('each lead an index, so deleting cases never reads a whole table per case', async () => {
    const refs = await referencesTo('cases');
    // the histories, their photos, notices, cards and departments, and merged duplicates at least
    expect(refs.map((r) => `${r.table}.${r.column}`)).toEqual(expect.arrayContaining([
      'case_cards.case_id', 'case_departments.case_id', 'case_events.case_id', 'case_photos.case_id', 'cases.merged_into', 'notifications.case_id',
    ]));
    expect(refs.filter((r) => !r.indexed)).toEqual([]);
  });
});
