import type { ModuleManifest } from '../../platform/http.js';
import { open311Routes } from './open311.routes.js';

/**
 * open311: the Open311 GeoReport v2 API with mySociety's update extension under /open311/v2, so
 * FixMyStreet and other civic-reporting clients report to OneGrid and follow the answers. A thin
 * adapter over the cases module: reports and changes go through its service, reads show public
 * fields only. See docs/open311.md.
 */
export const open311Module: ModuleManifest = {
  name: 'open311',
  routes: open311Routes,
};
