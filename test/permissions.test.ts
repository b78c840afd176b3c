import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, roleHas, type Permission } from '../src/shared/permissions.js';
import { can, scopeOf, type Actor } from '../src/server/platform/access.js';
import { createTestApp, signIn, type TestContext } from './support/app.js';

const USER_OF_ROLE: Record<string, string> = {
  admin: 'admin', district_dispatcher: 'district', street_dispatcher: 'street', community_staff: 'community',
  grid_worker: 'gridworker', department_staff: 'department', leader: 'leader',
};

describe('the permission table (pure)', () => {
  it('every role lists only catalogued keys', () => {
    const keys = new Set(PERMISSIONS.map((p) => p.key));
    for (const role of ROLES) for (const p of ROLE_PERMISSIONS[role]) expect(keys.has(p), `${role}: ${p}`).toBe(true);
  });
  for (const role of ROLES) {
    for (const { key } of PERMISSIONS) {
      const allowed = roleHas(role, key);
      it(`${role} ${allowed ? 'may' : 'may not'} ${key}`, () => {
        const actor: Actor = { kind: 'user', id: 1, name: 'x', grants: [{ role, divisionCode: '110112001', departmentId: role === 'department_staff' ? 7 : null }] };
        expect(can(actor, key as Permission)).toBe(allowed);
        // and never outside the grant's jurisdiction
        expect(can(actor, key as Permission, { divisionCode: '110112002001' })).toBe(false);
      });
    }
  }
  it('the leader is read-only: no permission that changes a case\'s state or data', () => {
    const writes = ROLE_PERMISSIONS.leader.filter((p) => !p.endsWith('.read') && !['cases.urge', 'cases.instruct', 'exports.run'].includes(p));
    expect(writes).toEqual([]);
  });
  it('scopes reduce to the shortest covering prefixes', () => {
    const actor: Actor = { kind: 'user', id: 1, name: 'x', grants: [
      { role: 'grid_worker', divisionCode: '110112001006001', departmentId: null },
      { role: 'street_dispatcher', divisionCode: '110112001', departmentId: null },
      { role: 'department_staff', divisionCode: null, departmentId: 3 },
    ] };
    expect(scopeOf(actor)).toEqual({ divisionPrefixes: ['110112001'], departmentIds: [3] });
    expect(scopeOf(actor, 'cases.self_resolve')).toEqual({ divisionPrefixes: ['110112001006001'], departmentIds: [] });
  });
});

describe('the permission table through HTTP', () => {
  let t: TestContext;
  const sessions: Record<string, Record<string, string>> = {};
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' });
    for (const [role, user] of Object.entries(USER_OF_ROLE)) sessions[role] = await signIn(t.app, user);
  });
  afterAll(() => t?.close());

  it('each role\'s /me lists exactly the permissions of its row', async () => {
    for (const role of ROLES) {
      const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: sessions[role] });
      expect(me.json().user.permissions, role).toEqual([...ROLE_PERMISSIONS[role]].sort());
    }
  });

  // endpoints guarded by one permission each: allowed roles get 2xx, the others 403
  const guarded: { url: string; permission: Permission }[] = [
    { url: '/api/users', permission: 'users.read' },
    { url: '/api/apikeys', permission: 'apikeys.manage' },
    { url: '/api/audit', permission: 'audit.read' },
    { url: '/api/divisions', permission: 'divisions.read' },
  ];
  for (const g of guarded) {
    for (const role of ROLES) {
      const allowed = roleHas(role, g.permission);
      it(`${role} GET ${g.url} → ${allowed ? '200' : '403'}`, async () => {
        const res = await t.app.inject({ method: 'GET', url: g.url, headers: sessions[role] });
        expect(res.statusCode).toBe(allowed ? 200 : 403);
        if (!allowed) expect(res.json().error.code).toBe('forbidden');
      });
    }
  }
});
