import * as caseStrings from './case.locale.js';
import * as desk from './desk.locale.js';
import * as shared from './shared/locale.js';
import * as work from './work.locale.js';

/** Strings of the case screens, registered under `cases` (the shared components under `cases.shared`). */
export const zh = {
  shared: shared.zh,
  desk: desk.zh,
  case: caseStrings.zh,
  ...work.zh,
};

export const en: typeof zh = {
  shared: shared.en,
  desk: desk.en,
  case: caseStrings.en,
  ...work.en,
};
