import * as shell from './locale.js';
import * as auth from '../modules/auth/locale.js';
import * as home from '../modules/home/locale.js';
import * as divisions from '../modules/divisions/locale.js';
import * as cases from '../modules/cases/locale.js';
import * as map from '../modules/map/locale.js';
import * as team from '../modules/team/locale.js';
import * as admin from '../modules/admin/locale.js';
import * as field from '../modules/cases/field/locale.js';
import * as resident from '../modules/cases/public/locale.js';
import * as evaluation from '../modules/evaluation/locale.js';

/**
 * Every string of the interface, per language. Each module keeps its own strings next to its code;
 * `en` is typed as the shape of `zh`, so a key missing in English does not compile.
 */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const resources = {
  'zh-CN': { translation: { ...shell.zh, auth: auth.zh, home: home.zh, divisions: divisions.zh, map: map.zh, team: team.zh, admin: admin.zh, cases: cases.zh, field: field.zh, resident: resident.zh, evaluation: evaluation.zh } },
  en: { translation: { ...shell.en, auth: auth.en, home: home.en, divisions: divisions.en, map: map.en, team: team.en, admin: admin.en, cases: cases.en, field: field.en, resident: resident.en, evaluation: evaluation.en } },
};

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: (typeof resources)['zh-CN'];
  }
}
