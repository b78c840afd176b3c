import { createTestApp, TEST_PASSWORD, type TestContext } from './app.js';

export const ROLE_USERS = ['admin', 'district', 'street', 'community', 'gridworker', 'department', 'leader'] as const;

export interface TestServer {
  url: string;
  ctx: TestContext;
  users: Record<(typeof ROLE_USERS)[number], { username: string; password: string }>;
  close(): Promise<void>;
}

/**
 * The real app listening on a free port with a fresh database (Tongzhou's divisions, departments,
 * one account per role; with demo: the whole demo district with its grids and team), serving the built web app from dist/web — for the browser journeys.
 */
export async function startTestServer(env: Record<string, string> = {}, opts: { seed?: boolean; demo?: boolean } = {}): Promise<TestServer> {
  const ctx = await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000', ...env }, { ...opts, realTime: true });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (ctx.app.server.address() as { port: number }).port;
  const users = Object.fromEntries(ROLE_USERS.map((u) => [u, { username: u, password: TEST_PASSWORD }])) as TestServer['users'];
  return { url: `http://127.0.0.1:${port}`, ctx, users, close: () => ctx.close() };
}
