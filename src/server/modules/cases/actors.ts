import { ROLE_PERMISSIONS, type Permission } from '../../../shared/permissions.js';
import type { ActorLevel, CaseActor, PlatformLevel } from '../../../shared/cases/index.js';
import type { Actor, ActorGrant } from '../../platform/access.js';
import type { Executor } from '../../platform/db.js';
import type { ReferenceData } from './reference.js';

/**
 * Who may change a case: a signed-in user or another system's API key (the platform's Actor), a
 * resident known only by the tracking code of their report, or the system itself (scheduled jobs).
 * The workflow sees each as a CaseActor built here, from the grants that cover the case.
 */
export interface PublicCaller {
  kind: 'public';
  trackingCode: string;
}

export interface SystemCaller {
  kind: 'system';
  /** What the job may do; default: close and archive only. */
  permissions?: readonly Permission[];
  level?: PlatformLevel;
  name?: string;
}

export type CaseCaller = Actor | PublicCaller | SystemCaller;

/** Where a case lies and who holds or held it: what a grant must cover to act on it. */
export interface CaseTarget {
  gridCode: string;
  departmentId: number | null;
  departmentIds: readonly number[];
}

const LEVEL_BY_CODE_LENGTH: Record<number, ActorLevel> = { 4: 'district', 6: 'district', 9: 'street', 12: 'community', 15: 'grid' };
const RANK: Record<ActorLevel, number> = { grid: 0, community: 10, street: 20, district: 30 };

export function levelOfDivisionCode(code: string): ActorLevel | null {
  return LEVEL_BY_CODE_LENGTH[code.length] ?? null;
}

/** The id the workflow and the case_events rows know the caller by. */
export function callerId(caller: CaseCaller): string {
  switch (caller.kind) {
    case 'user': return `user:${caller.id}`;
    case 'api_key': return `api_key:${caller.id}`;
    case 'public': return `public:${caller.trackingCode}`;
    case 'system': return 'system';
  }
}

export function callerWho(caller: CaseCaller): { userId: number | null; name: string | null } {
  switch (caller.kind) {
    case 'user': return { userId: caller.id, name: caller.name };
    case 'api_key': return { userId: null, name: caller.name };
    case 'public': return { userId: null, name: null };
    case 'system': return { userId: null, name: caller.name ?? 'system' };
  }
}

/**
 * Grants that cover the case. A department grant covers a case its department holds or held; when
 * creating a case (`creating`), a department grant covers the whole district, as departments report
 * problems anywhere.
 */
export function coveringGrants(actor: Actor, target: CaseTarget, creating = false): ActorGrant[] {
  return actor.grants.filter((g) => {
    if (g.divisionCode !== null && target.gridCode.startsWith(g.divisionCode)) return true;
    if (g.departmentId === null) return false;
    return creating || g.departmentId === target.departmentId || target.departmentIds.includes(g.departmentId);
  });
}

/**
 * The CaseActor for a caller on a case: permissions of every covering grant; the platform level and
 * division of the highest covering division grant (its code length gives the level: 6 district,
 * 9 street, 12 community, 15 grid); the department of a covering department grant.
 */
export async function caseActorFor(
  caller: CaseCaller, target: CaseTarget, ref: ReferenceData, db: Executor, creating = false,
): Promise<CaseActor> {
  const id = callerId(caller);
  if (caller.kind === 'public') return { id, kind: 'public', permissions: ['cases.report'] };
  if (caller.kind === 'system') {
    return { id, kind: 'system', permissions: caller.permissions ?? ['cases.close'], level: caller.level ?? 'district', division_code: null, department_code: null };
  }
  const grants = coveringGrants(caller, target, creating);
  const permissions = [...new Set(grants.flatMap((g) => ROLE_PERMISSIONS[g.role] ?? []))];
  let top: { level: ActorLevel; code: string } | null = null;
  for (const g of grants) {
    const level = g.divisionCode ? levelOfDivisionCode(g.divisionCode) : null;
    if (level && (!top || RANK[level] > RANK[top.level])) top = { level, code: g.divisionCode! };
  }
  const deptGrant = grants.find((g) => g.departmentId !== null);
  const department = deptGrant ? await ref.department(db, { id: deptGrant.departmentId! }) : null;
  return {
    id,
    kind: 'user',
    permissions,
    level: top?.level ?? null,
    division_code: top?.code ?? null,
    department_code: department?.code ?? null,
  };
}
