import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  OfficeHoursSchema, parseCategoryTree, type CategoryTree, type WorkflowEnv,
} from '../../../shared/cases/index.js';
import type { Db, Executor } from '../../platform/db.js';
import { getSetting, setSetting } from '../../platform/settings.js';
import { caseSettingsOf, workflowSettingsOf, type CaseSettings } from './admin/workflow-settings.js';
import {
  DEFAULT_CALENDAR_DIR, DEFAULT_OFFICE_HOURS, loadCalendarYears, makeCalendar, workflowEnv, type WorkingCalendar,
} from './clock/index.js';

/**
 * The reference data every case action reads: the category tree (versioned; a case keeps the
 * version it was filed under), the working calendar and the departments' codes. Kept in memory
 * per node and re-read when another node publishes a change (a stamp in `settings`, checked every
 * few seconds), so reporting a case costs no extra queries.
 */
export const DEFAULT_CATEGORIES_FILE = fileURLToPath(new URL('../../../../data/categories.json', import.meta.url));
const STAMP_KEY = 'cases.reference_stamp';
const OFFICE_HOURS_KEY = 'calendar.office_hours';
/** The shipped calendar years (data/calendar/) this database has taken in, as a JSON list of years. */
const SHIPPED_YEARS_KEY = 'calendar.shipped_years';
const RECHECK_MS = 5_000;

export interface Department {
  id: number;
  code: string;
  name: string;
}

/** Publishes a validated category tree as the next version and makes it current. */
export async function publishCategoryTree(db: Executor, tree: CategoryTree, by: number | null, now: number, note: string | null = null): Promise<number> {
  const last = await db.selectFrom('category_versions').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
  const version = Number(last?.v ?? 0) + 1;
  const body = parseCategoryTree({ ...tree, version });
  await db.insertInto('category_versions').values({ version, body: JSON.stringify(body), note, created_by: by, created_at: now }).execute();
  await db.deleteFrom('category_conditions').execute();
  await db.deleteFrom('categories').execute();
  let sort = 0;
  for (const cls of body.classes) {
    await db.insertInto('categories').values({
      code: cls.code, parent_code: null, kind: cls.kind, name_zh: cls.name_zh, name_en: cls.name_en, default_department: null,
      platform_level: null, duplicate_radius_m: null, duplicate_window_h: null, sort: sort++, version,
    }).execute();
    for (const sub of cls.subcategories) {
      await db.insertInto('categories').values({
        code: sub.code, parent_code: cls.code, kind: cls.kind, name_zh: sub.name_zh, name_en: sub.name_en,
        default_department: sub.default_department, platform_level: sub.platform_level,
        duplicate_radius_m: sub.duplicate_radius_m, duplicate_window_h: sub.duplicate_window_h, sort: sort++, version,
      }).execute();
      const conditions = [
        ...sub.filing_conditions.map((f) => ({ ...f, kind: 'filing' })),
        ...sub.closing_conditions.map((c) => ({ ...c, kind: 'closing', limit: null })),
      ];
      for (const c of conditions) {
        await db.insertInto('category_conditions').values({
          code: c.code, category_code: sub.code, kind: c.kind, text_zh: c.text_zh, text_en: c.text_en,
          limit_amount: c.limit?.amount ?? null, limit_unit: c.limit?.unit ?? null, sort: sort++,
        }).execute();
      }
    }
  }
  await bumpReferenceStamp(db, now);
  return version;
}

/** Replaces one year's holidays and adjusted working days (each list of 'YYYY-MM-DD'). */
export async function replaceCalendarYear(
  db: Executor, year: number, days: { holidays: readonly string[]; workdays: readonly string[]; names?: Record<string, string> }, now: number,
): Promise<void> {
  await db.deleteFrom('calendar_days').where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`).execute();
  const rows = [
    ...days.holidays.map((date) => ({ date, kind: 'holiday', name: days.names?.[date] ?? null })),
    ...days.workdays.map((date) => ({ date, kind: 'workday', name: days.names?.[date] ?? null })),
  ];
  if (rows.length) await db.insertInto('calendar_days').values(rows).execute();
  await bumpReferenceStamp(db, now);
}

export async function setOfficeHours(db: Executor, hours: readonly (readonly [number, number])[], now: number): Promise<void> {
  await setSetting(db, OFFICE_HOURS_KEY, JSON.stringify(OfficeHoursSchema.parse(hours)), now);
  await bumpReferenceStamp(db, now);
}

/** Tells every node to re-read categories, calendar and departments. */
export async function bumpReferenceStamp(db: Executor, now: number): Promise<void> {
  await setSetting(db, STAMP_KEY, `${now}:${Math.random().toString(36).slice(2, 8)}`, now);
}

/**
 * First start of a database: category version 1 from data/categories.json. Every start: the shipped
 * calendar years (data/calendar/) the database has not taken in yet, so that a year added by an
 * upgrade reaches an installation running since before it. A year is taken in once, and only when the
 * database has no day of it: a year the administrators entered or cleared themselves stays theirs.
 */
export async function seedReferenceData(db: Db, now: number, categoriesFile = DEFAULT_CATEGORIES_FILE, calendarDir = DEFAULT_CALENDAR_DIR): Promise<void> {
  const hasTree = await db.selectFrom('category_versions').select('version').limit(1).executeTakeFirst();
  if (!hasTree) {
    const tree = parseCategoryTree(JSON.parse(readFileSync(categoriesFile, 'utf8')));
    try {
      await db.transaction().execute((tx) => publishCategoryTree(tx, tree, null, now, 'data/categories.json'));
    } catch (e) {
      // another node seeded it at the same moment
      if (!(await db.selectFrom('category_versions').select('version').limit(1).executeTakeFirst())) throw e;
    }
  }
  const taken = new Set<number>(JSON.parse((await getSetting(db, SHIPPED_YEARS_KEY)) ?? '[]'));
  const years = loadCalendarYears(calendarDir).filter((y) => !taken.has(y.year));
  if (years.length === 0) return;
  let added = false;
  for (const y of years) {
    const hasDays = await db.selectFrom('calendar_days').select('date').where('date', '>=', `${y.year}-01-01`).where('date', '<=', `${y.year}-12-31`).limit(1).executeTakeFirst();
    taken.add(y.year);
    if (hasDays) continue;
    const nameOf = (date: string) => y.breaks?.find((b) => b.from <= date && date <= b.to)?.name ?? null;
    const rows = [
      ...y.holidays.map((date) => ({ date, kind: 'holiday', name: nameOf(date) })),
      ...y.workdays.map((date) => ({ date, kind: 'workday', name: null })),
    ];
    // another node starting at the same moment may have written them
    if (rows.length) await db.insertInto('calendar_days').values(rows).onConflict((oc) => oc.column('date').doNothing()).execute();
    added = true;
  }
  await setSetting(db, SHIPPED_YEARS_KEY, JSON.stringify([...taken].sort((a, b) => a - b)), now);
  if (added) await bumpReferenceStamp(db, now);
}

/** The installation's clock as the workflow reads it: its calendar, the environment on it, and the case settings it was built with. */
export interface InstallationTime {
  calendar: WorkingCalendar;
  env: WorkflowEnv;
  caseSettings: CaseSettings;
}

/**
 * The one way to build the installation's working calendar (the holidays and adjusted working days
 * an administrator keeps in `calendar_days`, the office hours in settings) and the workflow
 * environment on it (with the case settings' archive and reopen windows). Cases reported here and
 * cases imported from other systems are both timed by it, so an edited calendar gives an imported
 * case the same due times and on-time verdicts a reported one would have had.
 */
export async function loadWorkflowEnv(db: Executor): Promise<InstallationTime> {
  const days = await db.selectFrom('calendar_days').select(['date', 'kind']).execute();
  const hoursJson = await getSetting(db, OFFICE_HOURS_KEY);
  const calendar = makeCalendar({
    officeHours: hoursJson ? OfficeHoursSchema.parse(JSON.parse(hoursJson)) : DEFAULT_OFFICE_HOURS,
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.date),
    workdays: days.filter((d) => d.kind === 'workday').map((d) => d.date),
  });
  const caseSettings = await caseSettingsOf(db);
  return { calendar, env: workflowEnv(calendar, workflowSettingsOf(caseSettings)), caseSettings };
}

/**
 * One consistent reading of the reference data. Its methods take the executor to query on a miss,
 * so code inside a transaction passes the transaction: on SQLite a query on the database itself
 * would wait for the transaction's connection forever.
 */
export class ReferenceData {
  private readonly departmentsById: Map<number, Department>;
  private readonly departmentsByCode: Map<string, Department>;

  constructor(
    readonly stamp: string | null,
    readonly version: number,
    readonly tree: CategoryTree,
    readonly calendar: WorkingCalendar,
    readonly env: WorkflowEnv,
    departments: readonly Department[],
    private readonly trees: Map<number, CategoryTree>,
    /** Names of the district, streets and communities (not grids: those change with every import). */
    readonly areaNames: ReadonlyMap<string, string>,
    /** Share of a step's limit after which its light turns yellow (an admin setting). */
    readonly yellowShare: number,
  ) {
    this.departmentsById = new Map(departments.map((d) => [d.id, d]));
    this.departmentsByCode = new Map(departments.map((d) => [d.code, d]));
  }

  /** Department by code or id; one created since the last load is read through `db`. */
  async department(db: Executor, key: { code: string } | { id: number }): Promise<Department | null> {
    const hit = 'code' in key ? this.departmentsByCode.get(key.code) : this.departmentsById.get(key.id);
    if (hit) return hit;
    let q = db.selectFrom('departments').select(['id', 'code', 'name']);
    q = 'code' in key ? q.where('code', '=', key.code) : q.where('id', '=', key.id);
    const row = await q.executeTakeFirst();
    if (!row) return null;
    const d = { ...row, id: Number(row.id) };
    this.departmentsById.set(d.id, d);
    this.departmentsByCode.set(d.code, d);
    return d;
  }

  /** A published tree by version (a case filed under an older one keeps reading its names). */
  async treeOf(db: Executor, version: number): Promise<CategoryTree | null> {
    const cached = this.trees.get(version);
    if (cached) return cached;
    const row = await db.selectFrom('category_versions').select('body').where('version', '=', version).executeTakeFirst();
    if (!row) return null;
    const tree = parseCategoryTree(JSON.parse(row.body));
    this.trees.set(version, tree);
    return tree;
  }
}

export class CaseReference {
  private loaded: ReferenceData | null = null;
  private checkedAt = 0;
  private loading: Promise<void> | null = null;
  private readonly trees = new Map<number, CategoryTree>();

  constructor(private readonly db: Db, private readonly now: () => number) {}

  async load(): Promise<void> {
    const stamp = await getSetting(this.db, STAMP_KEY);
    const latest = await this.db.selectFrom('category_versions').select(['version', 'body']).orderBy('version', 'desc').limit(1).executeTakeFirst();
    if (!latest) throw new Error('No category tree: the cases module seeds one at start.');
    const tree = parseCategoryTree(JSON.parse(latest.body));
    this.trees.set(latest.version, tree);
    const { calendar, env, caseSettings } = await loadWorkflowEnv(this.db);
    const departments = (await this.db.selectFrom('departments').select(['id', 'code', 'name']).execute()).map((d) => ({ ...d, id: Number(d.id) }));
    const areas = await this.db.selectFrom('divisions').select(['code', 'name']).where('level', '>=', 10).execute();
    this.loaded = new ReferenceData(
      stamp, latest.version, tree, calendar, env, departments, this.trees,
      new Map(areas.map((a) => [a.code, a.name])), caseSettings.yellowShare,
    );
    this.checkedAt = this.now();
  }

  /**
   * The current reference data. Once loaded it never waits: every few seconds it asks, in the
   * background, whether another node changed something and re-reads if so. So it is safe inside a
   * transaction (on SQLite a query outside the transaction would wait for it forever); the node that
   * makes a change calls `load()` itself.
   */
  async current(): Promise<ReferenceData> {
    if (!this.loaded) {
      await (this.loading ??= this.load().finally(() => (this.loading = null)));
      return this.loaded!;
    }
    if (!this.loading && this.now() - this.checkedAt >= RECHECK_MS) {
      this.checkedAt = this.now();
      this.loading = (async () => {
        const stamp = await getSetting(this.db, STAMP_KEY);
        if (stamp !== this.loaded?.stamp) await this.load();
      })().catch(() => {
        // the next check tries again; meanwhile the data read last stays in use
      }).finally(() => (this.loading = null));
    }
    return this.loaded;
  }
}

/** Office hours of the calendar as 'HH:MM' pairs, for display. */
export function formatOfficeHours(cal: WorkingCalendar): [string, string][] {
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return cal.officeHours.map(([s, e]) => [hhmm(s), hhmm(e)]);
}
