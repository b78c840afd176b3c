/**
 * The demo district generator: pure functions that build Tongzhou's divisions and 1,809 grids in
 * memory. `onegrid demo` writes the result to the database.
 */
export {
  DEMO_GRID_COUNT, generateDemoDistrict,
  type DemoArea, type DemoDistrict, type DemoGrid, type DemoOptions,
} from './tessellate.js';
export { DEMO_DISTRICT_CODE, findDataDir, loadDemoSources, type DemoCommunity, type DemoDivision, type DemoSources } from './sources.js';
export { URBAN_ZONE } from './sites.js';
