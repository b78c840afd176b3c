#!/usr/bin/env node
// The onegrid command: runs the compiled CLI (npm run build), or the sources through tsx in a checkout.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

// the data directory holds personal data and password hashes: what OneGrid creates (databases,
// backups, photos) is for the account that runs it only, whatever the shell's umask
process.umask(0o077);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'cli', 'index.js');
if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'cli', 'index.ts')).href);
}
