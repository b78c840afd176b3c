import type { Executor } from '../../../platform/db.js';

/**
 * A lease on a named job: with several app nodes on one database, only the holder runs the job.
 * Taking it is one conditional UPDATE (or the first INSERT), so two nodes can never both succeed;
 * a node that dies holding it loses it when it expires.
 */
export async function acquireLease(db: Executor, name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
  const taken = await db.updateTable('job_leases').set({ owner, expires_at: now + ttlMs })
    .where('name', '=', name).where('expires_at', '<=', now).executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 1) return true;
  const created = await db.insertInto('job_leases').values({ name, owner, expires_at: now + ttlMs, last_run_at: null })
    .onConflict((oc) => oc.column('name').doNothing()).returning('name').executeTakeFirst();
  return created !== undefined;
}

/** Gives the lease back at once (only if still ours), noting when the job last ran. */
export async function releaseLease(db: Executor, name: string, owner: string, now: number): Promise<void> {
  await db.updateTable('job_leases').set({ expires_at: now, last_run_at: now })
    .where('name', '=', name).where('owner', '=', owner).execute();
}

export async function leaseOf(db: Executor, name: string) {
  return db.selectFrom('job_leases').selectAll().where('name', '=', name).executeTakeFirst();
}
