import { demoYearTargets } from '../modules/evaluation/demo/plan.js';
import { generateDemoYear } from '../modules/evaluation/demo/year.js';
import { demoSteps } from './index.js';

/**
 * The demo year: Tongzhou's 2013 — 28,172 reports, 27,699 closed within the year — acted out through
 * the workflow (see modules/evaluation/demo). `onegrid demo --cases`, else ONEGRID_DEMO_CASES picks the size: `full` (what
 * `npm start` builds), `quick` (one twentieth, the default under the test runner so tests and
 * browser journeys stay fast), `off`, or a number of reports.
 */
demoSteps.push({
  name: 'cases of 2013',
  async run(db, opts) {
    const targets = demoYearTargets(opts.cases);
    if (!targets) return;
    const r = await generateDemoYear(db, { seed: opts.seed, targets, log: opts.log });
    opts.log?.(`demo year: ${r.reported} reports (${r.merged} duplicates merged), ${r.events} events in ${(r.ms / 1000).toFixed(1)} s`);
  },
});
