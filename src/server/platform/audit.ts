import type { Executor } from './db.js';
import type { Actor } from './access.js';

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string | number;
  detail?: Record<string, unknown>;
}

export interface AuditContext {
  actor: Actor | null;
  ip?: string | null;
  requestId?: string | null;
  now: number;
}

/** Writes one audit row; call it inside the same transaction as the change it records. */
export async function audit(db: Executor, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: ctx.now,
      actor_user_id: ctx.actor?.kind === 'user' ? ctx.actor.id : null,
      actor_api_key_id: ctx.actor?.kind === 'api_key' ? ctx.actor.id : null,
      actor_name: ctx.actor?.name ?? null,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId === undefined ? null : String(entry.targetId),
      ip: ctx.ip ?? null,
      request_id: ctx.requestId ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    })
    .execute();
}
