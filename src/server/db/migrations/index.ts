import type { Migration } from 'kysely';
import * as m001 from './001_core.js';
import * as m002 from './002_files.js';
import * as m003 from './003_team.js';
import * as m004 from './004_cases.js';
import * as m005 from './005_case_support.js';
import * as m006 from './006_evaluation.js';
import * as m007 from './007_eval_pending.js';
import * as m008 from './008_evaluation_read_indexes.js';
import * as m009 from './009_case_duplicate_index.js';
import * as m010 from './010_access_epoch.js';
import * as m011 from './011_card_events.js';
import * as m012 from './012_rate_limits.js';
import * as m013 from './013_eval_catchup_turn.js';
import * as m014 from './014_eval_marks_area_cover.js';
import * as m015 from './015_eval_small_area_months.js';
import * as m016 from './016_import_chunks.js';
import * as m017 from './017_eval_rollup_one_key.js';
import * as m018 from './018_case_reference_indexes.js';
import * as m019 from './019_grids_retired.js';
import * as m020 from './020_grid_shapes.js';
import * as m021 from './021_grants_unique.js';
import * as m022 from './022_import_source_ids.js';
import * as m023 from './023_import_source_systems.js';
import * as m024 from './024_eval_marks_recount.js';

/** Every migration, in order. Names are numbered; never rename or edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '001_core': m001,
  '002_files': m002,
  '003_team': m003,
  '004_cases': m004,
  '005_case_support': m005,
  '006_evaluation': m006,
  '007_eval_pending': m007,
  '008_evaluation_read_indexes': m008,
  '009_case_duplicate_index': m009,
  '010_access_epoch': m010,
  '011_card_events': m011,
  '012_rate_limits': m012,
  '013_eval_catchup_turn': m013,
  '014_eval_marks_area_cover': m014,
  '015_eval_small_area_months': m015,
  '016_import_chunks': m016,
  '017_eval_rollup_one_key': m017,
  '018_case_reference_indexes': m018,
  '019_grids_retired': m019,
  '020_grid_shapes': m020,
  '021_grants_unique': m021,
  '022_import_source_ids': m022,
  '023_import_source_systems': m023,
  '024_eval_marks_recount': m024,
};
