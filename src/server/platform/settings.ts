import type { Executor } from './db.js';

export async function getSetting(db: Executor, key: string): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

export async function setSetting(db: Executor, key: string, value: string, now: number): Promise<void> {
  const exists = await getSetting(db, key);
  if (exists === null) await db.insertInto('settings').values({ key, value, updated_at: now }).execute();
  else await db.updateTable('settings').set({ value, updated_at: now }).where('key', '=', key).execute();
}
