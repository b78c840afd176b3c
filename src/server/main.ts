import type { Config } from './config.js';
import { buildApp } from './app.js';
import { holdDatabase } from './platform/holder.js';

/** Listens; nothing else. Building the app is app.ts's job. */
export async function serve(config: Config, onReady?: (url: string) => void | Promise<void>) {
  // an SQLite database is served by one process, which says so beside the file (a restore waits for it to stop)
  const release = config.database.kind === 'sqlite' ? holdDatabase(config.database.file) : () => undefined;
  const app = await buildApp(config).catch((err: unknown) => {
    release();
    throw err;
  });
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    release();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${(app.server.address() as { port: number }).port}`;
  await onReady?.(url);
  return app;
}
