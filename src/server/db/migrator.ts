import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from '../platform/db.js';
import { migrations } from './migrations/index.js';

/** Numbered migrations, one set for both dialects, recorded in the `onegrid_migrations` table. */
class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export function createMigrator(db: Db) {
  return new Migrator({
    db: db as never,
    provider: new StaticProvider(),
    migrationTableName: 'onegrid_migrations',
    migrationLockTableName: 'onegrid_migrations_lock',
  });
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const result: MigrationResultSet = await createMigrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Migration ${failed ?? ''} failed: ${String((result.error as Error).message ?? result.error)}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
