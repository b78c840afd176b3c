import type { Command } from 'commander';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/platform/db.js';
import { migrateToLatest } from '../server/db/migrator.js';
import { databaseIsEmpty, runDemo } from '../server/demo/index.js';
import '../server/demo/steps.js';

/** Commands of the domain modules: demo, grids, cases, … */
export function registerExtraCommands(program: Command): void {
  program
    .command('demo')
    .description('Build the Tongzhou demo district into an empty database')
    .option('--seed <n>', 'seed of the generator (reproducible output)', '1')
    .action(async (o: { seed: string }) => {
      const cfg = loadConfig();
      const h = openDatabase(cfg.database);
      try {
        await migrateToLatest(h.db);
        if (!(await databaseIsEmpty(h.db))) throw new Error('The database is not empty; the demo is built into an empty database only.');
        const t0 = performance.now();
        const r = await runDemo(h.db, { seed: Number(o.seed), log: (l) => console.log(l) });
        console.log(`Demo built in ${((performance.now() - t0) / 1000).toFixed(1)} s. Accounts (password "${r.password}"): ${r.accounts.map((a) => a.username).join(', ')}`);
      } finally {
        await h.close();
      }
    });
}
