import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../config.js';
import { openDatabase } from '../../platform/db.js';
import { catchUpOnce, countMarked, writeCounted, type Counted } from './catchup.js';

/**
 * The evaluation's catch-up in a thread of its own (started by catchup.thread.ts), on its own
 * connection to the database, one batch per request from the server's thread:
 * - `count`: a batch of marked cases read and counted in a snapshot, kept here; answers its marks;
 * - `write`: writes the batch counted (true), or nothing if another catch-up wrote meanwhile (false);
 * - `once`: a batch counted and written in one transaction (PostgreSQL);
 * - `close`: closes the connection.
 */
const dbh = openDatabase((workerData as { database: Config['database'] }).database);
const port = parentPort!;
let counted: Counted | null = null;

type Request = { id: number; kind: 'count' | 'write' | 'once' | 'close' };

async function answer(req: Request): Promise<unknown> {
  switch (req.kind) {
    case 'count':
      counted = await countMarked(dbh.db);
      return counted?.marks ?? [];
    case 'write': {
      const batch = counted;
      counted = null;
      return batch !== null && (await writeCounted(dbh.db, batch));
    }
    case 'once':
      return catchUpOnce(dbh.db);
    case 'close':
      await dbh.close();
      return 0;
  }
}

port.on('message', (req: Request) => {
  answer(req).then(
    (result) => {
      port.postMessage({ id: req.id, result });
      if (req.kind === 'close') port.close();
    },
    (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
