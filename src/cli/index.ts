import { Argument, Command, Option } from 'commander';
import { ROLES, type Role } from '../shared/permissions.js';
import type { Executor } from '../server/platform/db.js';
import { AppError } from '../server/platform/errors.js';
import { DISPLAY_NAME_MAX, USERNAME_PATTERN } from '../shared/accounts.js';
import { registerExtraCommands, wholeNumber } from './commands.js';
import { assertDatabaseExists, config, migrate, USAGE_EXIT, withDb } from './db.js';

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

/**
 * The API's rules for a new account (the body of POST /api/users in
 * server/modules/people/people.routes.ts, where they are written inline): the same here, so that the
 * console creates no account the screens could not have; test/cli.test.ts holds the two together.
 */

function assertNewAccount(username: string, displayName: string): void {
  if (!USERNAME_PATTERN.test(username)) {
    throw new AppError('validation_failed', `Username "${username}" is not allowed: give 3 to 64 letters (a-z, A-Z), digits, dots, dashes or underscores.`);
  }
  if (displayName.length < 1 || displayName.length > DISPLAY_NAME_MAX) {
    throw new AppError('validation_failed', `Display name (--name) must have 1 to ${DISPLAY_NAME_MAX} characters, not ${displayName.length}.`);
  }
}

const program = new Command('onegrid')
  .description('OneGrid (一张网): grid-based social service management platform')
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: true })
  // a command line that cannot be read (an unknown command or option, a value refused) exits as a bad
  // setting does; 1 stays for a command that ran and failed, or found problems (grids check)
  .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : USAGE_EXIT));

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
    const { openDatabase } = await import('../server/platform/db.js');
    const h = openDatabase(cfg.database);
    try {
      const applied = await migrate(h, cfg);
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

divisions
  .command('boundary <geojson>')
  .description("Set the district's official boundary (区界) from a GeoJSON polygon, feature, or a city's file of districts (the one with the district's code)")
  .action(async (file: string) => {
    const { setDistrictBoundary } = await import('../server/modules/geo/grids.service.js');
    const { readFileSync } = await import('node:fs');
    let geojson: unknown;
    try {
      geojson = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file} is not a JSON file: ${(e as Error).message}`);
    }
    await withDb(async ({ db }) => {
      const set = await setDistrictBoundary(db, operator(), geojson);
      console.log(`Boundary of ${set.name} (${set.code}) set: ${(set.areaM2 / 1e6).toFixed(1)} km². Check the grids against it with "onegrid grids check".`);
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
    assertNewAccount(username, o.name);
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
      const now = Date.now();
      for (const u of await listUsers(db, null)) {
        const grants = u.grants.map((g) => `${g.role}@${g.division_code ?? g.department_code}`).join(', ');
        const flags = `${u.disabled ? '[disabled] ' : ''}${u.locked_until !== null && u.locked_until > now ? '[locked] ' : ''}`;
        console.log(`${String(u.id).padStart(5)}  ${u.username.padEnd(16)} ${u.display_name.padEnd(16)} ${flags}${grants}`);
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
user
  .command('revoke <username>')
  .description('Take back a role granted inside a division or for a department')
  .addArgument(new Argument('<role>', 'role').choices(ROLES))
  .argument('<division-code-or-department-code>', 'where the role was granted')
  .action(async (username: string, role: Role, code: string) => {
    const [{ removeGrant }, { grantsOfUser }] = await Promise.all([users(), import('../server/modules/people/people.repo.js')]);
    await withDb(async ({ db }) => {
      const u = await userNamed(db, username);
      const held = await grantsOfUser(db, u.id);
      const grant = held.find((g) => g.role === role && (g.division_code ?? g.department_code) === code);
      if (!grant) {
        const holds = held.map((g) => `${g.role}@${g.division_code ?? g.department_code}`).join(', ') || 'none';
        throw new AppError('not_found', `${username} holds no role ${role} on ${code} (their grants: ${holds}).`);
      }
      await db.transaction().execute((tx) => removeGrant(tx, operator(), u.id, Number(grant.id)));
      console.log(`Revoked ${role} on ${code} from ${username}.`);
    });
  });
for (const [verb, disabled, description] of [
  ['disable', true, 'Disable an account: it can no longer sign in, and its sessions end'],
  ['enable', false, 'Enable a disabled account again'],
] as const) {
  user
    .command(`${verb} <username>`)
    .description(description)
    .action(async (username: string) => {
      const { setDisabled } = await users();
      await withDb(async ({ db }) => {
        const u = await userNamed(db, username);
        await db.transaction().execute((tx) => setDisabled(tx, operator(), u.id, disabled));
        const already = Boolean(u.disabled) === disabled;
        console.log(already ? `${username} was ${verb}d already.` : disabled ? `Disabled ${username}; their sessions ended.` : `Enabled ${username}.`);
      });
    });
}
user
  .command('unlock <username>')
  .description('Lift the lock after repeated failed sign-ins; the password stays')
  .action(async (username: string) => {
    const { unlockUser } = await users();
    await withDb(async ({ db }) => {
      const u = await userNamed(db, username);
      await db.transaction().execute((tx) => unlockUser(tx, operator(), u.id));
      const locked = u.locked_until !== null && u.locked_until > Date.now();
      console.log(locked ? `Unlocked ${username}.` : `${username} was not locked (their count of failed sign-ins is reset).`);
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
  .command('revoke')
  .description('Revoke an API key')
  .argument('<id>', 'the key\'s id, as apikey list shows it', wholeNumber)
  .action(async (id: number) => {
    const { listApiKeys, revokeApiKey } = await users();
    await withDb(async ({ db }) => {
      // the service answers "Not found" for both: the operator is told which
      const key = (await listApiKeys(db, null)).find((k) => k.id === id);
      if (!key) throw new AppError('not_found', `No API key with id ${id}.`);
      if (key.revoked_at !== null) throw new AppError('conflict', `API key ${id} (${key.name}) was revoked already.`);
      await db.transaction().execute((tx) => revokeApiKey(tx, operator(), id));
      console.log(`API key ${id} (${key.name}) revoked.`);
    });
  });
apikey
  .command('list')
  .description('List API keys (never the keys themselves)')
  .action(async () => {
    const { listApiKeys } = await users();
    await withDb(async ({ db }) => {
      // a department's key shows the department's code and name (the key stores its internal id)
      const departments = new Map((await db.selectFrom('departments').select(['id', 'code', 'name']).execute()).map((d) => [Number(d.id), d]));
      for (const k of await listApiKeys(db, null)) {
        const dept = k.department_id !== null ? departments.get(Number(k.department_id)) : undefined;
        const where = k.division_code !== null ? `${k.division_code}${k.division_name ? ` (${k.division_name})` : ''}` : dept ? `${dept.code} (${dept.name})` : `department ${k.department_id}`;
        console.log(`${String(k.id).padStart(4)}  ${k.prefix}…  ${k.name.padEnd(24)} ${k.role}@${where}${k.revoked_at ? '  [revoked]' : ''}`);
      }
    });
  });

program
  .command('backup <file>')
  .description('Write a consistent online copy of the database (SQLite backup API, or pg_dump for PostgreSQL)')
  .action(async (file: string) => {
    const cfg = config();
    assertDatabaseExists(cfg);
    const { backupDatabase } = await import('../server/platform/backup.js');
    await backupDatabase(cfg.database, file);
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
