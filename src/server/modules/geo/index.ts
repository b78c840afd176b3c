import type { ModuleManifest } from '../../platform/http.js';
import { divisionRoutes } from './divisions.routes.js';
import { geoRoutes } from './geo.routes.js';
import { LocatorService } from './locator.service.js';

/** geo: the division tree, grids and their polygons, coverage, point → grid, the grid team. */
export function geoService(services: Record<string, unknown>): LocatorService {
  const s = services.locator as LocatorService | undefined;
  if (!s) throw new Error('The geo module is not started.');
  return s;
}

export const geoModule: ModuleManifest = {
  name: 'geo',
  async routes(app) {
    const locator = new LocatorService(app.ctx.db, () => app.ctx.clock.now());
    app.ctx.services.locator = locator;
    await divisionRoutes(app, locator);
    await geoRoutes(app, locator);
  },
  async start(ctx) {
    await geoService(ctx.services).load();
  },
};
