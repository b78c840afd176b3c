/** The benches' command line: `--name value` options and bare `--name` switches. */
export const args = process.argv.slice(2);

/** The value after `--name`, or undefined. */
export function flag(name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** PostgreSQL server the benches create their databases on. */
export const PG_URL = process.env.ONEGRID_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
