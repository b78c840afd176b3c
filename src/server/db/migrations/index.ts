import type { Migration } from 'kysely';
import * as m001 from './001_core.js';
import * as m002 from './002_files.js';

/** Every migration, in order. Names are numbered; never rename or edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '001_core': m001,
  '002_files': m002,
};
