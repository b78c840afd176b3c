import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../test/support/app.js';
import { testDialect } from '../../../test/support/db.js';
import { buildApp } from '../app.js';
import type { App } from './http.js';
import type { LiveEvent } from './live.js';

async function until(ok: () => boolean, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end && !ok()) await new Promise((r) => setTimeout(r, 20));
  return ok();
}

// two nodes on one PostgreSQL database: what one publishes, the other's pages receive
describe.skipIf(testDialect() !== 'postgres')('live updates across nodes', () => {
  let t: TestContext;
  let other: App;
  beforeAll(async () => {
    t = await createTestApp();
    other = await buildApp(t.config, { migrate: false, logger: false });
    await other.ready();
    expect(await until(() => t.app.ctx.access.current() !== null && other.ctx.access.current() !== null)).toBe(true);
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  it('reaches the other node once, and this node once', async () => {
    const here: LiveEvent[] = [];
    const there: LiveEvent[] = [];
    const off1 = t.app.ctx.live.subscribe((e) => here.push(e));
    const off2 = other.ctx.live.subscribe((e) => there.push(e));
    const event = (i: number): LiveEvent => ({ type: 'case.changed', divisionCode: '110112001006', departmentIds: [2], data: { id: i, note: '井盖缺失'.repeat(20) } });
    // more than fit in one notice: they travel in several
    for (let i = 1; i <= 120; i++) t.app.ctx.live.publish(event(i));
    expect(await until(() => there.length >= 120)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    off1();
    off2();
    expect(there.map((e) => e.data.id)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(there[0]).toEqual(event(1));
    expect(here).toHaveLength(120);
  });
});
