import type { Kysely } from 'kysely';

/**
 * The number a historically imported case had in the system it comes from (原系统编号), kept once
 * per number: the same file imported twice, or two files sharing a number, no longer bring the same
 * case in twice (evaluation/import). The number was written into the case's description only; the
 * cases imported before this migration are read from there (`…（原系统编号 H-1）`), the earliest
 * case of a number keeping it where an import ran twice. A case removed (an import undone) frees its
 * number. `import_id` is the import that brought it, when known.
 */
/** How the import wrote a case's number into its description: `描述（原系统编号 H-1）`. */
const MARK = '（原系统编号 ';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('import_source_ids')
    .addColumn('source_id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('import_id', 'bigint', (c) => c.references('eval_imports.id'))
    .execute();
  // undoing an import deletes its cases, and the databases look up each one's number by it
  await db.schema.createIndex('import_source_ids_case').on('import_source_ids').column('case_id').execute();

  const imports = new Set((await db.selectFrom('eval_imports').select('id').execute()).map((r) => Number(r.id)));
  const taken = new Set<string>();
  let after = 0;
  for (;;) {
    const cases: { id: number | string; reported_by: string; description: string }[] = await db.selectFrom('cases')
      .select(['id', 'reported_by', 'description'])
      .where('id', '>', after).where('reported_by', 'like', 'import:%').where('description', 'like', '%（原系统编号 %）')
      .orderBy('id').limit(2000).execute();
    if (cases.length === 0) break;
    after = Number(cases[cases.length - 1]!.id);
    const rows: { source_id: string; case_id: number; import_id: number | null }[] = [];
    for (const c of cases) {
      const at = c.description.lastIndexOf(MARK);
      const sourceId = c.description.slice(at + MARK.length, -1).trim();
      if (!sourceId || taken.has(sourceId)) continue;
      taken.add(sourceId);
      const batch = /^import:(\d+):reporter$/.exec(c.reported_by)?.[1];
      rows.push({ source_id: sourceId, case_id: Number(c.id), import_id: batch && imports.has(Number(batch)) ? Number(batch) : null });
    }
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('import_source_ids').values(rows.slice(i, i + 500)).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_source_ids').execute();
}
