import { ConfigError, loadConfig, type Config } from '../server/config.js';
import { openDatabase, type DbHandle } from '../server/platform/db.js';
import { migrateToLatest } from '../server/db/migrator.js';

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

export async function withDb<T>(fn: (h: DbHandle, cfg: Config) => Promise<T>): Promise<T> {
  const cfg = config();
  const h = openDatabase(cfg.database);
  try {
    await migrateToLatest(h.db);
    return await fn(h, cfg);
  } finally {
    await h.close();
  }
}

