import { ROLE_PERMISSIONS, type Permission, type Role } from '../../../../shared/permissions.js';
import { STEP_OF_STATE, type State, type Step } from '../../../../shared/cases/index.js';
import type { Executor } from '../../../platform/db.js';
import { memoOf, type AccessEpoch } from '../../../platform/epoch.js';

/**
 * Who must act on a case now, as user ids, read from the grants table: jurisdiction is data, so
 * "the dispatchers of this street" is "users whose grant with the dispatch permission sits on the
 * street's division code". When nobody holds a grant at the exact level, the nearest level above
 * answers, so a task never lands nowhere.
 */
export interface CaseForRecipients {
  level: string;
  grid_code: string;
  state: string;
  step: string | null;
  holder_kind: string | null;
  holder_code: string | null;
}

interface GrantRow {
  user_id: number;
  role: string;
  division_code: string | null;
  department_id: number | null;
}

const LEVEL_CODE_LENGTH: Record<string, number> = { district: 6, street: 9, community: 12 };

/** Grants that can matter for a case: on its grid's divisions, or of the given departments. */
async function grantsAround(db: Executor, gridCode: string, departmentIds: number[]): Promise<GrantRow[]> {
  const divisions = [6, 9, 12, 15].filter((n) => n <= gridCode.length).map((n) => gridCode.slice(0, n));
  const rows = await db
    .selectFrom('grants')
    .innerJoin('users', 'users.id', 'grants.user_id')
    .select(['grants.user_id', 'grants.role', 'grants.division_code', 'grants.department_id'])
    .where('users.disabled', '=', 0)
    .where((eb) => eb.or([
      eb('grants.division_code', 'in', divisions),
      ...(departmentIds.length ? [eb('grants.department_id', 'in', departmentIds)] : []),
    ]))
    .execute();
  return rows.map((r) => ({
    user_id: Number(r.user_id), role: r.role, division_code: r.division_code,
    department_id: r.department_id === null ? null : Number(r.department_id),
  }));
}

interface Around {
  grants: GrantRow[];
  departments: Map<string, number>;
}

const has = (g: GrantRow, p: Permission) => (ROLE_PERMISSIONS[g.role as Role] ?? []).includes(p);
const unique = (ids: number[]) => [...new Set(ids)].sort((a, b) => a - b);

/**
 * Holders of `permission` on the grid's divisions no finer than `maxLength` digits, nearest first:
 * only the longest division code that has anyone counts.
 */
function nearest(grants: GrantRow[], permission: Permission, gridCode: string, opts: { maxLength: number; minLength?: number }): number[] {
  const fit = grants.filter((g) => g.division_code !== null && has(g, permission) && gridCode.startsWith(g.division_code)
    && g.division_code.length <= opts.maxLength && g.division_code.length >= (opts.minLength ?? 0));
  const longest = Math.max(-1, ...fit.map((g) => g.division_code!.length));
  return unique(fit.filter((g) => g.division_code!.length === longest).map((g) => g.user_id));
}

export class Recipients {
  constructor(
    private readonly grants: GrantRow[],
    private readonly c: CaseForRecipients,
    private readonly departmentIdOf: (code: string) => number | undefined,
  ) {}

  /** `epoch`: when given, the grants around a grid are kept in memory while it stands still. */
  static async load(db: Executor, c: CaseForRecipients, epoch?: AccessEpoch): Promise<Recipients> {
    const codes = c.holder_kind === 'department' && c.holder_code ? [c.holder_code] : [];
    const read = async (): Promise<Around> => {
      const depts = codes.length ? await db.selectFrom('departments').select(['id', 'code']).where('code', 'in', codes).execute() : [];
      const departments = new Map(depts.map((d) => [d.code, Number(d.id)]));
      return { grants: await grantsAround(db, c.grid_code, [...departments.values()]), departments };
    };
    const { grants, departments } = epoch ? await memoOf<Around>(epoch, 'grants around a grid').get(`${c.grid_code}|${codes.join(',')}`, read) : await read();
    return new Recipients(grants, c, (code) => departments.get(code));
  }

  /** Staff at the case's platform level holding `permission` (the nearest level above if none). */
  atLevel(permission: Permission, level: string = this.c.level): number[] {
    return nearest(this.grants, permission, this.c.grid_code, { maxLength: LEVEL_CODE_LENGTH[level] ?? 6 });
  }

  /** Field staff of the grid (grid workers, community staff) who can do `permission` on site. */
  onSite(permission: Permission): number[] {
    const local = nearest(this.grants, permission, this.c.grid_code, { maxLength: 15, minLength: 12 });
    return local.length ? local : this.atLevel(permission);
  }

  /** A department's staff, or a community workstation's. */
  holder(kind: string | null = this.c.holder_kind, code: string | null = this.c.holder_code): number[] {
    if (!kind || !code) return [];
    if (kind === 'department') {
      const id = this.departmentIdOf(code);
      return unique(this.grants.filter((g) => g.department_id === id && id !== undefined && has(g, 'cases.handle')).map((g) => g.user_id));
    }
    return unique(this.grants.filter((g) => g.division_code === code && has(g, 'cases.handle')).map((g) => g.user_id));
  }

  /** Who owes the next move on the case's current step. */
  forStep(step: Step | null = (this.c.step as Step | null) ?? STEP_OF_STATE[this.c.state as State] ?? null): number[] {
    switch (step) {
      case 'verify': return this.onSite('cases.verify');
      case 'accept': return this.atLevel('cases.accept');
      case 'dispatch': return this.atLevel('cases.dispatch');
      case 'handle': return this.holder();
      case 'check': return this.onSite('cases.check');
      case 'close': return this.atLevel('cases.close');
      default: return [];
    }
  }
}
