import { AppError } from '../../../platform/errors.js';

/**
 * The name of the system an import's file comes from (`onegrid import cases --system`, the upload's
 * `system`). A district brings in several old systems, each of which numbered its cases on its own,
 * so the numbers of a file (原系统编号, `external_id`) are compared with those imported from the same
 * system only (migration 023). Without a name the numbers share one namespace with every import
 * given none, as before systems were named.
 *
 * One file, one system: an old system exports its own cases, and the name belongs to the import (its
 * row, its report, its audit entry), not to each row, so a file cannot mix systems by a slip in one
 * column. A merged file of several systems is split and imported once per system. Nothing here
 * touches the database: the command line checks the option with it as it reads the command line.
 */

/** The longest system name kept: a short name (it is half of a key and goes beside every number in the descriptions). */
export const SOURCE_SYSTEM_MAX = 40;

/** Characters that do not print: control and format characters, line and paragraph breaks, private and unassigned code points. */
const UNPRINTABLE = /[\p{C}\p{Zl}\p{Zp}]/u;

/**
 * The name as kept: trimmed, each run of spaces made one (so "12345 热线" typed twice is one system),
 * or null when none is given (absent or blank). Refused with validation_failed (400), before
 * anything is written, when longer than SOURCE_SYSTEM_MAX or holding a character that does not
 * print: two names that look the same would otherwise be two systems.
 */
export function sourceSystemOf(raw: string | null | undefined): string | null {
  const name = (raw ?? '').trim();
  if (name === '') return null;
  if (UNPRINTABLE.test(name) || [...name].length > SOURCE_SYSTEM_MAX) {
    throw new AppError('validation_failed',
      `The source system's name must be 1 to ${SOURCE_SYSTEM_MAX} printable characters (no control characters or line breaks), not ${JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name)}.`,
      { field: 'system' });
  }
  return name.replace(/\s+/g, ' ');
}
