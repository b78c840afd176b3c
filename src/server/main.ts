import type { Config } from './config.js';
import { buildApp } from './app.js';

/** Listens; nothing else. Building the app is app.ts's job. */
export async function serve(config: Config, onReady?: (url: string) => void | Promise<void>) {
  const app = await buildApp(config);
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${(app.server.address() as { port: number }).port}`;
  await onReady?.(url);
  return app;
}
