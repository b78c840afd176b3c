import { Command, Option } from 'commander';
import { ROLES, type Role } from '../shared/permissions.js';
import type { Executor } from '../server/platform/db.js';
import { AppError } from '../server/platform/errors.js';
import { registerExtraCommands } from './commands.js';
import { config, withDb } from './db.js';

/**
 * The onegrid command. Every subcommand reads the same configuration as the server
 * (environment variables, see README) and acts on the server's own database as the operator.
 * A command loads the modules it needs when it runs, so that help and the small commands start
 * without loading the whole server.
 */
const users = () => import('../server/modules/people/users.service.js');
const userNamed = async (db: Executor, username: string) => {
  const { findUserByUsername } = await import('../server/modules/people/people.repo.js');
  const u = await findUserByUsername(db, username);
  if (!u) throw new AppError('not_found', `No user ${username}.`);
  return u;
};
const operator = () => ({ actor: null, now: Date.now(), ip: 'cli' });

const program = new Command('onegrid')
  .description('OneGrid (一张网): grid-based social service management platform')
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: true });

program
  .command('serve')
  .description('Start the server (migrates the database; builds the demo district when the database is empty and ONEGRID_DEMO is auto)')
  .action(async () => {
    const { startServer } = await import('./serve.js');
    await startServer(config());
  });

program
  .command('migrate')
  .description('Apply database migrations')
  .action(async () => {
    const cfg = config();
    const [{ openDatabase }, { migrateToLatest }] = await Promise.all([import('../server/platform/db.js'), import('../server/db/migrator.js')]);
    const h = openDatabase(cfg.database);
    try {
      const applied = await migrateToLatest(h.db);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    } finally {
      await h.close();
    }
  });

const divisions = program.command('divisions').description('The division tree (district, streets, communities)');
divisions
  .command('import <csv>')
  .description('Import divisions from a CSV file with columns level,code,name,parent_code')
  .action(async (file: string) => {
    const { importDivisions, readDivisionCsvFile } = await import('../server/modules/geo/divisions.import.js');
    await withDb(async ({ db }) => {
      const records = readDivisionCsvFile(file);
      const r = await db.transaction().execute((tx) => importDivisions(tx, records, Date.now()));
      console.log(`Imported ${records.length} divisions: ${r.inserted} new, ${r.updated} updated.`);
    });
  });

const user = program.command('user').description('User accounts and grants');
const roleOption = new Option('--role <role>', 'role').choices(ROLES as unknown as string[]);
user
  .command('add <username>')
  .description('Create a user (password from --password or the ONEGRID_PASSWORD variable)')
  .requiredOption('--name <displayName>', 'display name')
  .option('--password <password>', 'initial password (prefer ONEGRID_PASSWORD)')
  .addOption(roleOption)
  .option('--division <code>', 'division the role applies to')
  .option('--department <code>', 'department the role applies to')
  .action(async (username: string, o: { name: string; password?: string; role?: Role; division?: string; department?: string }) => {
    const password = o.password ?? process.env.ONEGRID_PASSWORD;
    if (!password) throw new AppError('validation_failed', 'Give a password with --password or ONEGRID_PASSWORD.');
    const { createUser } = await users();
    await withDb(async ({ db }) => {
      const grants = o.role ? [{ role: o.role, divisionCode: o.division ?? null, departmentCode: o.department ?? null }] : [];
      const id = await db.transaction().execute((tx) => createUser(tx, operator(), { username, displayName: o.name, password, grants }));
      console.log(`Created user ${username} (id ${id}).`);
    });
  });
user
  .command('passwd <username>')
  .description('Set a user\'s password (from --password or ONEGRID_PASSWORD); ends their sessions and unlocks them')
  .option('--password <password>', 'new password')
  .action(async (username: string, o: { password?: string }) => {
    const password = o.password ?? process.env.ONEGRID_PASSWORD;
    if (!password) throw new AppError('validation_failed', 'Give a password with --password or ONEGRID_PASSWORD.');
    const { setPassword } = await users();
    await withDb(async ({ db }) => {
      const u = await userNamed(db, username);
      await db.transaction().execute((tx) => setPassword(tx, operator(), u.id, password));
      console.log(`Password of ${username} changed.`);
    });
  });
user
  .command('list')
  .description('List users and their grants')
  .action(async () => {
    const { listUsers } = await users();
    await withDb(async ({ db }) => {
      for (const u of await listUsers(db, null)) {
        const grants = u.grants.map((g) => `${g.role}@${g.division_code ?? g.department_code}`).join(', ');
        console.log(`${String(u.id).padStart(5)}  ${u.username.padEnd(16)} ${u.display_name.padEnd(16)} ${u.disabled ? '[disabled] ' : ''}${grants}`);
      }
    });
  });
user
  .command('grant <username>')
  .description('Grant a role inside a division or for a department')
  .addOption(new Option('--role <role>', 'role').choices(ROLES as unknown as string[]).makeOptionMandatory())
  .option('--division <code>', 'division code')
  .option('--department <code>', 'department code')
  .action(async (username: string, o: { role: Role; division?: string; department?: string }) => {
    const { addGrant } = await users();
    await withDb(async ({ db }) => {
      const u = await userNamed(db, username);
      await db.transaction().execute((tx) => addGrant(tx, operator(), u.id, { role: o.role, divisionCode: o.division ?? null, departmentCode: o.department ?? null }));
      console.log(`Granted ${o.role} to ${username}.`);
    });
  });

const apikey = program.command('apikey').description('API keys for other systems');
apikey
  .command('create <name>')
  .description('Create an API key; it is printed once and stored hashed')
  .addOption(new Option('--role <role>', 'role the key acts with').choices(ROLES as unknown as string[]).makeOptionMandatory())
  .option('--division <code>', 'division code')
  .option('--department <code>', 'department code')
  .action(async (name: string, o: { role: Role; division?: string; department?: string }) => {
    const { createApiKey } = await users();
    await withDb(async ({ db }) => {
      const k = await db.transaction().execute((tx) => createApiKey(tx, operator(), { name, role: o.role, divisionCode: o.division ?? null, departmentCode: o.department ?? null }));
      console.log(`API key ${k.id} for ${name} (keep it now; it is not shown again):\n${k.key}`);
    });
  });
apikey
  .command('revoke <id>')
  .description('Revoke an API key')
  .action(async (id: string) => {
    const { revokeApiKey } = await users();
    await withDb(async ({ db }) => {
      await db.transaction().execute((tx) => revokeApiKey(tx, operator(), Number(id)));
      console.log(`API key ${id} revoked.`);
    });
  });
apikey
  .command('list')
  .description('List API keys (never the keys themselves)')
  .action(async () => {
    const { listApiKeys } = await users();
    await withDb(async ({ db }) => {
      for (const k of await listApiKeys(db, null)) {
        console.log(`${String(k.id).padStart(4)}  ${k.prefix}…  ${k.name.padEnd(24)} ${k.role}@${k.division_code ?? k.department_id}${k.revoked_at ? '  [revoked]' : ''}`);
      }
    });
  });

program
  .command('backup <file>')
  .description('Write a consistent online copy of the database (SQLite backup API, or pg_dump for PostgreSQL)')
  .action(async (file: string) => {
    const { backupDatabase } = await import('../server/platform/backup.js');
    await backupDatabase(config().database, file);
    console.log(`Backup written to ${file}.`);
  });
program
  .command('restore <file>')
  .description('Replace the database with a backup (stop the server first)')
  .action(async (file: string) => {
    const { restoreDatabase } = await import('../server/platform/backup.js');
    await restoreDatabase(config().database, file);
    console.log(`Restored from ${file}.`);
  });

registerExtraCommands(program);

program.parseAsync().catch((e: unknown) => {
  if (e instanceof AppError) {
    console.error(`${e.code}: ${e.message}${e.details ? `\n${JSON.stringify(e.details, null, 2)}` : ''}`);
  } else {
    console.error(e instanceof Error ? e.message : e);
  }
  process.exit(1);
});
