import type { Config } from '../server/config.js';
import { openDatabase } from '../server/platform/db.js';
import { databaseIsEmpty, runDemo, unfinishedDemo, unfinishedDemoMessage } from '../server/demo/index.js';
import { serve } from '../server/main.js';
import '../server/demo/steps.js';
import { migrate } from './db.js';

/** `onegrid serve`: migrate, build the demo district on an empty database (ONEGRID_DEMO=auto), listen. */
export async function startServer(config: Config): Promise<void> {
  const h = openDatabase(config.database);
  await migrate(h, config); // says why it cannot (no server, a newer version's database) in the operator's words
  // half a demo (a build that stopped): nobody may be able to sign in, and nothing would be built again
  const unfinished = await unfinishedDemo(h.db);
  if (unfinished !== null && !(await databaseIsEmpty(h.db))) {
    await h.close();
    throw new Error(unfinishedDemoMessage(unfinished));
  }
  let demoBanner: string | null = null;
  const wantDemo = config.demo === 'on' || (config.demo === 'auto' && (await databaseIsEmpty(h.db)));
  if (wantDemo && (await databaseIsEmpty(h.db))) {
    console.log('Empty database: building the Tongzhou demo district …');
    const t0 = performance.now();
    const demo = await runDemo(h.db, { seed: config.demoSeed, log: (l) => console.log(l) });
    demoBanner = [
      `Demo district ready in ${((performance.now() - t0) / 1000).toFixed(1)} s. Sign in with password "${demo.password}" as:`,
      ...demo.accounts.map((a) => `  ${a.username.padEnd(12)} ${a.displayName}`),
    ].join('\n');
  }
  await h.close();
  await serve(config, (url) => {
    console.log(`OneGrid is listening on ${url} (database: ${config.database.kind})`);
    if (demoBanner) console.log(demoBanner);
  });
}
