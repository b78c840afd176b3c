import * as shared from './shared/locale.js';

/** Strings of the case screens, registered under `cases` (the shared components under `cases.shared`). */
export const zh = {
  shared: shared.zh,
};

export const en: typeof zh = {
  shared: shared.en,
};
