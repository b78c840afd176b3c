import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILT_INDEX = join(REPO_ROOT, 'dist', 'web', 'index.html');
const SOURCES = [join(REPO_ROOT, 'src', 'web'), join(REPO_ROOT, 'src', 'shared'), join(REPO_ROOT, 'vite.config.ts')];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * The server serves dist/web, so a journey must not run against a build older than the sources:
 * that would test yesterday's pages. Rebuilds (about 10 s) only when something changed.
 */
export async function ensureWebBuild(): Promise<void> {
  if (existsSync(BUILT_INDEX)) {
    const built = statSync(BUILT_INDEX).mtimeMs;
    if (SOURCES.every((source) => !existsSync(source) || newestMtime(source) <= built)) return;
  }
  const { build } = await import('vite');
  // Vitest sets NODE_ENV=test, and Vite would bundle React and Ant Design in that mode (Ant Design then
  // gives every dialog title the same id, so dialogs are named after the wrong title): build as npm does.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
