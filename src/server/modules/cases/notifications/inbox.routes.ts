import { z } from 'zod';
import type { Actor } from '../../../platform/access.js';
import type { Executor } from '../../../platform/db.js';
import { AppError } from '../../../platform/errors.js';
import { type App, commonErrors, intParam, requireActor } from '../../../platform/http.js';
import { NOTIFICATION_KINDS } from './notify.js';

/** Each user's inbox: newest first, paged by id, with the unread count on every answer. */
const itemSchema = z.object({
  id: z.number(),
  caseId: z.number(),
  caseNumber: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  title: z.string(),
  createdAt: z.number(),
  readAt: z.number().nullable(),
});

function userOf(actor: Actor): number {
  // an API key is a system, not a person: it has no inbox
  if (actor.kind !== 'user') throw new AppError('forbidden', 'Only people have an inbox.');
  return actor.id;
}

export async function unreadCount(db: Executor, userId: number): Promise<number> {
  const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function inboxRoutes(app: App): Promise<void> {
  const { db, clock, live } = app.ctx;
  const told = (userId: number, unread: number) =>
    live.publish({ type: 'inbox', divisionCode: null, departmentIds: [], userIds: [userId], data: { unread } });

  app.get('/api/inbox', {
    schema: {
      tags: ['cases'], summary: 'Your inbox, newest first (page with ?before=<id of the last item>)',
      querystring: z.strictObject({
        before: intParam(z.number().int().positive()).optional(),
        limit: intParam(z.number().int().min(1).max(100)).default(20),
        unread: z.enum(['true', 'false']).optional(),
      }),
      response: { 200: z.object({ items: z.array(itemSchema), unread: z.number(), nextBefore: z.number().nullable() }), ...commonErrors },
    },
  }, async (req) => {
    const userId = userOf(requireActor(req));
    const { before, limit, unread } = req.query;
    let q = db.selectFrom('notifications').innerJoin('cases', 'cases.id', 'notifications.case_id')
      .select(['notifications.id', 'notifications.case_id', 'cases.number', 'notifications.kind', 'notifications.title', 'notifications.created_at', 'notifications.read_at'])
      .where('notifications.user_id', '=', userId)
      .orderBy('notifications.id', 'desc')
      .limit(limit + 1);
    if (before) q = q.where('notifications.id', '<', before);
    if (unread === 'true') q = q.where('notifications.read_at', 'is', null);
    const rows = await q.execute();
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        id: Number(r.id), caseId: Number(r.case_id), caseNumber: r.number, kind: r.kind as (typeof NOTIFICATION_KINDS)[number],
        title: r.title, createdAt: r.created_at, readAt: r.read_at,
      })),
      unread: await unreadCount(db, userId),
      nextBefore: rows.length > limit ? Number(page[page.length - 1]!.id) : null,
    };
  });

  app.post('/api/inbox/:id/read', {
    schema: {
      tags: ['cases'], summary: 'Mark one notification read',
      params: z.strictObject({ id: intParam(z.number().int().positive()) }),
      response: { 200: z.object({ ok: z.literal(true), unread: z.number() }), ...commonErrors },
    },
  }, async (req) => {
    const userId = userOf(requireActor(req));
    const unread = await db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('notifications').select(['id', 'read_at'])
        .where('id', '=', req.params.id).where('user_id', '=', userId).executeTakeFirst();
      // someone else's notification does not exist for you
      if (!row) throw new AppError('not_found');
      if (row.read_at === null) await tx.updateTable('notifications').set({ read_at: clock.now() }).where('id', '=', row.id).execute();
      return unreadCount(tx, userId);
    });
    told(userId, unread);
    return { ok: true as const, unread };
  });

  app.post('/api/inbox/read-all', {
    schema: {
      tags: ['cases'], summary: 'Mark every notification read',
      response: { 200: z.object({ ok: z.literal(true), marked: z.number(), unread: z.number() }), ...commonErrors },
    },
  }, async (req) => {
    const userId = userOf(requireActor(req));
    const result = await db.updateTable('notifications').set({ read_at: clock.now() })
      .where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
    told(userId, 0);
    return { ok: true as const, marked: Number(result.numUpdatedRows), unread: 0 };
  });
}
