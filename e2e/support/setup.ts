import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Global setup of the browser journeys: the demo district (1,809 grids, the team, the demo year of
 * the size ONEGRID_DEMO_CASES asks for) is built by the first journey that asks for it and copied
 * for the others (test/support/app.ts), from a folder of this run's own, removed at the end.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'onegrid-e2e-'));
  process.env.ONEGRID_TEST_DEMO_TEMPLATES = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
