import type { ModuleManifest } from '../../platform/http.js';
import { divisionRoutes } from './divisions.routes.js';

/** geo: the division tree, grids and their polygons, coverage, point → grid. */
export const geoModule: ModuleManifest = {
  name: 'geo',
  async routes(app) {
    await divisionRoutes(app);
  },
};
