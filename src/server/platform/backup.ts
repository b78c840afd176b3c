import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import type { Config } from '../config.js';
import { EVALUATION_SCHEMA, evaluationFileOf } from './db.js';
import { databaseHolder } from './holder.js';

const run = promisify(execFile);

/**
 * How PostgreSQL's own tools are pointed at the database: the address without its password on the
 * command line (where `ps` shows it to every user of the machine), the password in their environment.
 */
function pgTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv; redact: (text: string) => string } {
  const u = new URL(url);
  const secrets = [u.password, decodeURIComponent(u.password)].filter(Boolean);
  const env = secrets.length ? { ...process.env, PGPASSWORD: secrets[1] } : { ...process.env };
  u.password = '';
  const redact = (text: string) => secrets.reduce((t, secret) => t.split(secret).join('***'), text);
  return { dbname: u.toString(), env, redact };
}

const missingTool = (name: string) => new Error(`${name} was not found: install PostgreSQL's client programs (Debian: postgresql-client).`);

/** Runs one of PostgreSQL's tools; a failure's message never holds the password. */
async function pgTool(command: string, args: string[], url: string): Promise<string> {
  const { dbname, env, redact } = pgTarget(url);
  try {
    const { stdout } = await run(command, args.map((a) => (a === '{dbname}' ? dbname : a)), { env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw missingTool(command);
    throw new Error(redact(`${command} failed: ${(e.stderr || e.message).trim()}`));
  }
}

/**
 * A consistent online copy: SQLite's backup API (the server may keep running), or pg_dump's
 * custom format for PostgreSQL.
 *
 * SQLite keeps the evaluation's counts in a file of their own (EVALUATION_SCHEMA in platform/db.ts):
 * the backup is two files, `file` and `evaluationFileOf(file)`, copied from one read transaction
 * that holds a snapshot of each. The two snapshots begin a moment apart; the catch-up writes its
 * counts before it removes its marks from the main file, so the pair is consistent when no catch-up
 * wrote between the two (its turn has not moved; bulk writers move it too), and is taken again otherwise.
 */
export async function backupDatabase(database: Config['database'], file: string): Promise<void> {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  if (database.kind === 'sqlite') {
    if (!existsSync(database.file)) throw new Error(`No database at ${database.file}`);
    const evaluation = evaluationFileOf(database.file);
    const src = new SQLite(database.file, { readonly: true, fileMustExist: true });
    try {
      // a database not yet migrated by this version still holds its counts in the main file (its
      // evaluation file, if a connection made one, is empty)
      let split = existsSync(evaluation);
      if (split) {
        src.prepare(`attach database ? as ${EVALUATION_SCHEMA}`).run(evaluation);
        split = src.prepare(`select 1 from ${EVALUATION_SCHEMA}.sqlite_master where name = 'eval_catchup'`).get() !== undefined;
      }
      const turnOf = (db: SQLite.Database, schema: string) => db.prepare(`select turn from ${schema}.eval_catchup where id = 1`).pluck().get();
      // the turn as it stands now, read on a connection of its own (outside the snapshot)
      const turnNow = () => {
        const now = new SQLite(evaluation, { readonly: true, fileMustExist: true });
        try {
          return turnOf(now, 'main');
        } finally {
          now.close();
        }
      };
      for (let attempt = 1; ; attempt++) {
        src.exec('begin');
        try {
          const turn = split ? turnOf(src, EVALUATION_SCHEMA) : null; // the evaluation's snapshot
          src.prepare('select count(*) from main.sqlite_master').get(); // then the main file's
          // the two snapshots begin microseconds apart: counts written in between are rare
          if (split && turnNow() !== turn) {
            if (attempt < 50) continue;
            throw new Error("The evaluation's counts kept changing between the two files' snapshots; run the backup again");
          }
          await src.backup(file);
          // (better-sqlite3's option `attached` is missing from its type definitions)
          if (split) await src.backup(evaluationFileOf(file), { attached: EVALUATION_SCHEMA } as unknown as SQLite.BackupOptions);
          // personal data and password hashes: for the owner's eyes only, whatever the umask
          for (const f of split ? [file, evaluationFileOf(file)] : [file]) chmodSync(f, 0o600);
          return;
        } finally {
          src.exec('rollback');
        }
      }
    } finally {
      src.close();
    }
  }
  await pgTool('pg_dump', ['--format=custom', '--no-owner', '--file', file, '--dbname', '{dbname}'], database.url);
  chmodSync(file, 0o600);
}

/**
 * Replaces the database with a backup; nothing is lost if it cannot. SQLite: refused while a server
 * serves the database (holder.ts); the files it replaces are kept beside it
 * (`onegrid.db.pre-restore-<time>`). PostgreSQL: the file is read through first, then the schema is
 * emptied and the dump loaded in one transaction, so a dump that fails half-way leaves the database
 * as it was.
 */
export async function restoreDatabase(database: Config['database'], file: string, warn: (message: string) => void = console.warn): Promise<void> {
  if (!existsSync(file)) throw new Error(`No backup at ${file}`);
  if (database.kind === 'sqlite') {
    // check it is a OneGrid database before replacing anything
    const probe = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      probe.prepare("select count(*) from onegrid_migrations").get();
    } catch {
      throw new Error(`${file} is not a OneGrid SQLite backup`);
    } finally {
      probe.close();
    }
    const holder = databaseHolder(database.file);
    if (holder !== null) throw new Error(`A OneGrid server (pid ${holder}) is serving ${database.file}; stop it, then restore.`);
    mkdirSync(dirname(resolve(database.file)), { recursive: true });
    const evaluation = evaluationFileOf(database.file);
    // what is there now is moved aside, not deleted: a restore of the wrong file can be undone
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    const kept: string[] = [];
    for (const f of [database.file, evaluation]) {
      for (const suffix of ['', '-wal', '-shm']) {
        if (!existsSync(f + suffix)) continue;
        renameSync(f + suffix, `${f}${suffix}.pre-restore-${stamp}`);
        if (suffix === '') kept.push(`${f}.pre-restore-${stamp}`);
      }
    }
    copyFileSync(file, database.file);
    chmodSync(database.file, 0o600);
    // a backup made before the counts had a file of their own holds them in its main file: the next start moves them
    if (existsSync(evaluationFileOf(file))) {
      copyFileSync(evaluationFileOf(file), evaluation);
      chmodSync(evaluation, 0o600);
    } else {
      warn(`${evaluationFileOf(file)} is missing beside the backup: the evaluation's counts are recounted from the cases at the next start if the backup holds none (a backup made before they had a file of their own holds them).`);
    }
    if (kept.length) warn(`The database it replaced is kept as ${kept.join(' and ')}; delete it when the restore is checked.`);
    return;
  }
  // read the whole file first: a file that is not a dump, or one a newer pg_dump wrote, stops here
  await pgTool('pg_restore', ['--list', file], database.url).catch((err: Error) => {
    throw new Error(`${file} cannot be restored: ${err.message}`);
  });
  await restorePostgresAtomically(database.url, file);
}

/** `pg_restore` writes the dump as SQL into `psql`, which runs it with the emptying of the schema in one transaction. */
async function restorePostgresAtomically(url: string, file: string): Promise<void> {
  const { dbname, env, redact } = pgTarget(url);
  const toSql = spawn('pg_restore', ['--no-owner', '--file=-', file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const psql = spawn('psql', ['--no-psqlrc', '--quiet', '--single-transaction', '--set', 'ON_ERROR_STOP=1', '--dbname', dbname], { env, stdio: ['pipe', 'ignore', 'pipe'] });
  const errors: string[] = [];
  toSql.stderr.on('data', (d: Buffer) => errors.push(d.toString()));
  psql.stderr.on('data', (d: Buffer) => errors.push(d.toString()));
  const ended = (p: ChildProcess, name: string) => new Promise<number>((done, fail) => {
    p.on('error', (err: NodeJS.ErrnoException) => fail(err.code === 'ENOENT' ? missingTool(name) : err));
    p.on('close', (code) => done(code ?? 1));
  });
  const results = Promise.all([ended(toSql, 'pg_restore'), ended(psql, 'psql')]);
  psql.stdin.on('error', () => undefined); // psql stopped early: its exit code says why
  psql.stdin.write('drop schema public cascade;\ncreate schema public;\n');
  toSql.stdout.pipe(psql.stdin);
  const [dumpCode, loadCode] = await results;
  if (dumpCode !== 0 || loadCode !== 0) {
    throw new Error(redact(`The restore failed and was rolled back; the database is as it was. ${errors.join('').trim()}`));
  }
}
