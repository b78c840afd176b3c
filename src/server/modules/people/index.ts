import type { ModuleManifest } from '../../platform/http.js';
import { authRoutes } from './auth.routes.js';
import { peopleRoutes } from './people.routes.js';

/** people: users, roles and grants, sessions, API keys, departments, the audit log. */
export const peopleModule: ModuleManifest = {
  name: 'people',
  async routes(app) {
    await authRoutes(app);
    await peopleRoutes(app);
  },
};
