import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * One typed configuration, read from the environment and validated at boot.
 * A bad value stops start-up with a message that names the variable.
 *
 * Example (every variable is optional):
 *   PORT=8080                         # HTTP port
 *   HOST=0.0.0.0                      # listen address
 *   DATABASE_URL=postgres://u@h/db    # PostgreSQL; default: embedded SQLite at $ONEGRID_DATA_DIR/onegrid.db
 *   ONEGRID_DATA_DIR=var              # SQLite file, uploaded photos, backups
 *   ONEGRID_DEMO=auto                 # auto: build the Tongzhou demo when the database is empty; on | off
 *   ONEGRID_DEMO_SEED=1               # seed of the demo generator
 *   SESSION_TTL_HOURS=12              # a session ends this long after its last use
 *   SESSION_MAX_HOURS=168             # and this long after sign-in, however often it is used
 *   TRUST_PROXY=false                 # behind a TLS-terminating proxy: its address(es), e.g. 127.0.0.1 or 10.0.0.0/8
 *                                     # (true trusts any X-Forwarded-For); https through it makes cookies Secure
 *   COOKIE_SECURE=auto                # auto | true | false
 *   CORS_ORIGINS=                     # comma-separated origins allowed cross-site; empty = CORS off
 *   BODY_LIMIT_BYTES=1048576          # JSON body size limit
 *   LOGIN_MAX_FAILURES=5              # failed sign-ins before an account is locked
 *   LOGIN_LOCK_MINUTES=15             # lock-out duration
 *   LOGIN_RATE_PER_MINUTE=20          # sign-in attempts per IP per minute
 *   BASEMAP_URL=                      # optional raster tile URL template, e.g. https://t0.tianditu.gov.cn/...{z}/{x}/{y}
 *   LOG_LEVEL=info
 *   METRICS_TOKEN=                    # turns on GET /metrics (Prometheus) for a scraper sending it as a Bearer token; 16+ characters
 *   EVALUATION_THREAD=on              # the evaluation's counts are kept by a thread of their own; off: by the server's
 *   CHECKPOINT_THREAD=on              # SQLite: the log is copied into the database by a thread of its own; off: by the server's
 */
const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];
const bool = z
  .enum([...TRUE_WORDS, ...FALSE_WORDS] as [string, ...string[]])
  .transform((v) => TRUE_WORDS.includes(v));

/**
 * Whose X-Forwarded-For and X-Forwarded-Proto to believe (the client's address for sign-in rate
 * limits and the audit log, https for Secure cookies): false; the proxies' addresses and ranges,
 * comma-separated; or true, any sender — only behind a proxy that overwrites the headers, since a
 * client reaching the server directly could otherwise name any address and escape the rate limits.
 */
const trustProxy = z.string().transform((v, ctx): boolean | string[] => {
  const t = v.trim().toLowerCase();
  if (TRUE_WORDS.includes(t)) return true;
  if (FALSE_WORDS.includes(t)) return false;
  const parts = v.split(',').map((p) => p.trim()).filter(Boolean);
  const bad = parts.find((p) => {
    const [address, bits, ...more] = p.split('/');
    const family = isIP(address ?? '');
    return family === 0 || more.length > 0 || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)));
  });
  if (!parts.length || bad !== undefined) {
    ctx.addIssue({ code: 'custom', message: `must be false, the proxies' addresses (127.0.0.1, 10.0.0.0/8, …) or true, not ${bad ?? v}` });
    return z.NEVER;
  }
  return parts;
});

/** A setting in digits (8080, not 8e3 or 0x1f90: what a person writes, not what Number() happens to read). */
const whole = <T extends z.ZodType<number, number>>(checks: T) =>
  z.string().trim().regex(/^\d+$/, 'must be a whole number written in digits').transform(Number).pipe(checks);
const decimal = <T extends z.ZodType<number, number>>(checks: T) =>
  z.string().trim().regex(/^\d+(\.\d+)?$/, 'must be a number written in digits').transform(Number).pipe(checks);

/** The demo year's size (read again where the demo is built): checked here so that a bad value stops start-up. */
const demoCases = z.string().regex(/^(full|quick|off|\d+(\.\d+)?)$/, 'must be full, quick, off or a number of reports');

const schema = z.object({
  PORT: whole(z.number().int().min(0).max(65535)).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|sqlite:)/, 'must start with postgres:// or sqlite:')
    .optional(),
  ONEGRID_DATA_DIR: z.string().min(1).default('var'),
  ONEGRID_DEMO: z.enum(['auto', 'on', 'off']).default('auto'),
  ONEGRID_DEMO_SEED: whole(z.number().int().min(0)).default(1),
  SESSION_TTL_HOURS: decimal(z.number().positive().max(24 * 30)).default(12),
  SESSION_MAX_HOURS: decimal(z.number().positive().max(24 * 90)).default(24 * 7),
  TRUST_PROXY: trustProxy.default(false),
  ONEGRID_DEMO_CASES: demoCases.optional(),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  CORS_ORIGINS: z.string().default(''),
  BODY_LIMIT_BYTES: whole(z.number().int().min(1024).max(100 * 1024 * 1024)).default(1024 * 1024),
  LOGIN_MAX_FAILURES: whole(z.number().int().min(1).max(100)).default(5),
  LOGIN_LOCK_MINUTES: decimal(z.number().positive().max(24 * 60)).default(15),
  LOGIN_RATE_PER_MINUTE: whole(z.number().int().min(1).max(10000)).default(20),
  BASEMAP_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // a token that guards the process's and the cases' figures: long enough not to be guessed
  METRICS_TOKEN: z.string().regex(/^[\x21-\x7e]{16,200}$/, 'use 16 to 200 printable characters without spaces').optional(),
  EVALUATION_THREAD: bool.default(true),
  CHECKPOINT_THREAD: bool.default(true),
});

export interface Config {
  port: number;
  host: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  dataDir: string;
  demo: 'auto' | 'on' | 'off';
  demoSeed: number;
  sessionTtlMs: number;
  /** However often a session is used, it ends this long after sign-in. */
  sessionMaxMs: number;
  trustProxy: boolean | string[];
  cookieSecure: 'auto' | boolean;
  corsOrigins: string[];
  bodyLimit: number;
  login: { maxFailures: number; lockMs: number; ratePerMinute: number };
  basemapUrl: string | null;
  logLevel: string;
  /** The token a metrics scraper sends (GET /metrics); null: metrics off. */
  metricsToken: string | null;
  /** The evaluation's catch-up counts in a thread of its own (off: in the thread answering requests). */
  evaluationThread: boolean;
  /** SQLite: the main file's log is checkpointed by a thread of its own (off: by the connection that commits). */
  checkpointThread: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = e.ONEGRID_DATA_DIR;
  const url = e.DATABASE_URL;
  return {
    port: e.PORT,
    host: e.HOST,
    database:
      url && url.startsWith('postgres')
        ? { kind: 'postgres', url }
        : { kind: 'sqlite', file: url ? url.slice('sqlite:'.length) : `${dataDir}/onegrid.db` },
    dataDir,
    demo: e.ONEGRID_DEMO,
    demoSeed: e.ONEGRID_DEMO_SEED,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    sessionMaxMs: e.SESSION_MAX_HOURS * 3600_000,
    trustProxy: e.TRUST_PROXY,
    cookieSecure: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'true',
    corsOrigins: e.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    bodyLimit: e.BODY_LIMIT_BYTES,
    login: {
      maxFailures: e.LOGIN_MAX_FAILURES,
      lockMs: e.LOGIN_LOCK_MINUTES * 60_000,
      ratePerMinute: e.LOGIN_RATE_PER_MINUTE,
    },
    basemapUrl: e.BASEMAP_URL ?? null,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN ?? null,
    evaluationThread: e.EVALUATION_THREAD,
    checkpointThread: e.CHECKPOINT_THREAD,
  };
}
