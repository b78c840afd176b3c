import type { Migration } from 'kysely';
import * as m001 from './001_core.js';

/** Every migration, in order. Names are numbered; never rename or edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '001_core': m001,
};
