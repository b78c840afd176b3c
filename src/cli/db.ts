import { ConfigError, loadConfig, type Config } from '../server/config.js';
import type { DbHandle } from '../server/platform/db.js';

export function config(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}

/** Opens the configured database (loaded when a command first needs it), migrated, for `fn`. */
export async function withDb<T>(fn: (h: DbHandle, cfg: Config) => Promise<T>): Promise<T> {
  const cfg = config();
  const [{ openDatabase }, { migrateToLatest }] = await Promise.all([import('../server/platform/db.js'), import('../server/db/migrator.js')]);
  const h = openDatabase(cfg.database);
  try {
    await migrateToLatest(h.db);
    return await fn(h, cfg);
  } finally {
    await h.close();
  }
}

