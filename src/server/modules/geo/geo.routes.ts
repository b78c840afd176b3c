import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FORCES, TEAM_ROLE_KEYS } from '../../../shared/team.js';
import { assertCan, can, inScope, scopeOf } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { type App, auditContext, commonErrors, intParam, numberParam, permittedBeforeBody, requireActor } from '../../platform/http.js';
import { featureCode } from './geometry/index.js';
import { coverageOf, exportLayer, importGrids, LAYERS, setDistrictBoundary } from './grids.service.js';
import { findGrid, searchDivisions } from './grids.repo.js';
import type { LocatorService } from './locator.service.js';
import { addTeamMember, listTeam, removeTeamMember, teamCounts, teamOfGrid, updateTeamMember } from './team.service.js';

const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
const locationOut = z.object({ gridCode: z.string(), gridName: z.string(), communityCode: z.string(), streetCode: z.string(), districtCode: z.string() });
const gridCodeParam = z.strictObject({ code: z.string().regex(/^\d{15}$/) });
const memberOut = z.object({ id: z.number(), name: z.string(), phone: z.string().nullable(), force: z.enum(FORCES), role: z.enum(TEAM_ROLE_KEYS as [string, ...string[]]), departmentName: z.string().nullable(), departmentNameEn: z.string().nullable() });
const featureCollection = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.any()) });

/** Map layers carry coordinates to 1e-6° (about 0.1 m), more than a screen shows: about half the bytes. Exports keep every digit. */
const ON_SCREEN = 1e6;
const onScreen = (c: unknown): unknown => (typeof c === 'number' ? Math.round(c * ON_SCREEN) / ON_SCREEN : Array.isArray(c) ? c.map(onScreen) : c);

export async function geoRoutes(app: App, locator: LocatorService): Promise<void> {
  const { db, clock } = app.ctx;

  app.get('/api/geo/locate', {
    schema: {
      tags: ['geo'], summary: 'Point → grid, community, street and district',
      querystring: z.strictObject({ lon: numberParam(lon), lat: numberParam(lat) }),
      response: { 200: locationOut, ...commonErrors },
    },
  }, async (req) => {
    assertCan(requireActor(req), 'grids.read');
    const loc = await locator.locate(req.query.lon, req.query.lat);
    if (!loc) throw new AppError('outside_district', undefined, { lon: req.query.lon, lat: req.query.lat });
    return loc;
  });

  app.post('/api/geo/locate', {
    schema: {
      tags: ['geo'], summary: 'Up to 10,000 points at once; null for a point outside the district',
      body: z.strictObject({ points: z.array(z.tuple([lon, lat])).min(1).max(10_000) }),
      response: { 200: z.object({ results: z.array(locationOut.nullable()) }), ...commonErrors },
    },
    bodyLimit: 2 * 1024 * 1024,
  }, async (req) => {
    assertCan(requireActor(req), 'grids.read');
    return { results: await locator.locateMany(req.body.points) };
  });

  app.get('/api/geo/coverage', {
    schema: {
      tags: ['geo'], summary: 'Coverage check (无缝拼接): every overlap between grids and every gap against the district boundary',
      querystring: z.strictObject({ sliverM2: numberParam(z.number().min(0).max(1e6)).default(1) }),
      response: { 200: z.object({
        verdict: z.enum(['ok', 'problems']), districtCode: z.string(), gridCount: z.number(), boundaryAreaM2: z.number(), gridsAreaM2: z.number(),
        overlaps: z.array(z.object({ a: z.string(), b: z.string(), areaM2: z.number(), location: z.tuple([z.number(), z.number()]), sliver: z.boolean() })),
        gaps: z.array(z.object({ areaM2: z.number(), location: z.tuple([z.number(), z.number()]), sliver: z.boolean() })),
        outside: z.array(z.object({ areaM2: z.number(), location: z.tuple([z.number(), z.number()]), sliver: z.boolean() })),
      }), ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'grids.manage');
    const report = await coverageOf(db, req.query.sliverM2);
    if (!can(actor, 'grids.manage', { divisionCode: report.districtCode })) throw new AppError('not_found');
    return report;
  });

  app.get('/api/geo/layers/:layer', {
    schema: {
      tags: ['geo'], summary: 'A map layer (district, streets, communities, grids) inside your jurisdiction, as GeoJSON',
      params: z.strictObject({ layer: z.enum(LAYERS as [string, ...string[]]) }),
      querystring: z.strictObject({
        at: intParam(z.number().int().min(0)).optional()
          .describe('Grids and communities: as they stood at this moment (ms), for a past period\'s map: a grid retired or reshaped since, or a community merged since, is drawn as it was then, over today\'s; its feature carries ended_at'),
      }),
      response: { 200: featureCollection, 304: z.undefined().describe('Not modified: the layer is still the one of the ETag in If-None-Match'), ...commonErrors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    assertCan(actor, 'grids.read');
    const scope = scopeOf(actor, 'grids.read');
    // the district outline is context everyone inside it may see
    const layer = await exportLayer(db, req.params.layer as (typeof LAYERS)[number], req.params.layer === 'district' ? null : scope, req.query.at);
    const body = JSON.stringify({ ...layer, features: layer.features.map((f) => ({ ...f, geometry: { ...f.geometry, coordinates: onScreen(f.geometry.coordinates) } })) });
    // the browser keeps a layer and asks each time whether it changed (an import, a redraw, a
    // rename): unchanged, the answer is a 304 without the megabytes of polygons
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    reply.header('cache-control', 'private, no-cache').header('etag', etag);
    if (req.headers['if-none-match']?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.code(304).send(undefined);
    return reply.type('application/json; charset=utf-8').send(body as never); // already JSON: sent as it is
  });

  app.get('/api/geo/export', {
    schema: {
      tags: ['geo'], summary: 'Export a layer in the import format (grids: code, name, community_code)',
      querystring: z.strictObject({ layer: z.enum(LAYERS as [string, ...string[]]).default('grids') }),
      response: { 200: featureCollection, ...commonErrors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    assertCan(actor, 'grids.read');
    reply.header('content-disposition', `attachment; filename="${req.query.layer}.geojson"`);
    return exportLayer(db, req.query.layer as (typeof LAYERS)[number], scopeOf(actor, 'grids.read'));
  });

  app.put('/api/geo/boundary', {
    schema: {
      tags: ['geo'],
      summary: 'Set the district\'s boundary (区界) from GeoJSON: a Polygon or MultiPolygon, a Feature, or a FeatureCollection with one feature or one carrying the district\'s code (code, adcode or gb). The coverage check holds the grids against it',
      body: z.object({ type: z.string() }).passthrough(),
      response: { 200: z.object({ code: z.string(), name: z.string(), areaM2: z.number(), bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]) }), ...commonErrors },
    },
    bodyLimit: 64 * 1024 * 1024,
    onRequest: permittedBeforeBody('grids.manage'),
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'grids.manage');
    return setDistrictBoundary(db, auditContext(req, clock.now()), req.body, (code) => can(actor, 'grids.manage', { divisionCode: code }));
  });

  app.post('/api/geo/grids/import', {
    schema: {
      tags: ['geo'],
      summary: 'Import grids from a GeoJSON FeatureCollection; nothing is written when a feature is invalid unless skipInvalid. '
        + 'With retireMissing the file redraws each community it names: that community\'s grids the file leaves out are retired. '
        + 'mergeCommunities (with retireMissing) merges communities into the file\'s communities of their street (社区合并): they are retired with all their grids',
      querystring: z.strictObject({
        skipInvalid: z.enum(['true', 'false']).default('false'),
        retireMissing: z.enum(['true', 'false']).default('false'),
        mergeCommunities: z.string().regex(/^\d{12}(,\d{12})*$/, 'comma-separated 12-digit community codes').optional()
          .describe('Communities merged into the file\'s communities of the same street; each is retired with all its grids'),
      }),
      body: z.object({ type: z.string(), features: z.array(z.unknown()) }).passthrough(),
      response: { 200: z.object({
        imported: z.number(), inserted: z.number(), updated: z.number(), revived: z.number(),
        reshaped: z.number().describe('Grids in use given a new outline (counted in updated); the earlier outline is kept to place past cases'),
        retired: z.array(z.object({ code: z.string(), name: z.string(), openCases: z.number(), teamMembers: z.number(), grants: z.number() })),
        retiredCommunities: z.array(z.object({ code: z.string(), name: z.string(), openCases: z.number(), grants: z.number() })),
        skipped: z.array(z.any()),
      }), ...commonErrors },
    },
    bodyLimit: 64 * 1024 * 1024,
    onRequest: permittedBeforeBody('grids.manage'),
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'grids.manage');
    // every grid in the file must lie in the actor's jurisdiction, its community's code read as the
    // import reads it (a number, or text with spaces around it, names the same community)
    const scope = scopeOf(actor, 'grids.manage');
    for (const f of req.body.features as { properties?: { community_code?: unknown } }[]) {
      const c = featureCode(f?.properties?.community_code);
      if (c !== undefined && !inScope(scope, { divisionCode: c })) throw new AppError('not_found', `Community ${c} not found.`);
    }
    const mergeCommunities = req.query.mergeCommunities?.split(',') ?? [];
    for (const c of mergeCommunities) if (!inScope(scope, { divisionCode: c })) throw new AppError('not_found', `Community ${c} not found.`);
    const result = await importGrids(db, auditContext(req, clock.now()), req.body, {
      skipInvalid: req.query.skipInvalid === 'true', retireMissing: req.query.retireMissing === 'true', mergeCommunities,
    });
    await locator.reload();
    return result;
  });

  app.get('/api/geo/search', {
    schema: {
      tags: ['geo'], summary: 'Find streets, communities and grids by code prefix or name',
      querystring: z.strictObject({ q: z.string().trim().min(1).max(40), limit: intParam(z.number().int().min(1).max(50)).default(20) }),
      response: { 200: z.object({ items: z.array(z.object({ code: z.string(), name: z.string(), level: z.number(), parentCode: z.string().nullable(), bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable() })) }), ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'grids.read');
    const rows = await searchDivisions(db, req.query.q, scopeOf(actor, 'grids.read'), req.query.limit);
    return { items: rows.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code, bbox: r.min_lon === null ? null : [r.min_lon, r.min_lat!, r.max_lon!, r.max_lat!] as [number, number, number, number] })) };
  });

  app.get('/api/geo/grids/:code', {
    schema: {
      tags: ['geo'], summary: 'A grid\'s card: code, community, street, area, grid head and team',
      params: gridCodeParam,
      response: { 200: z.object({
        code: z.string(), name: z.string(), areaM2: z.number().nullable(), retiredAt: z.string().nullable().describe('When the grid was retired (ISO time); null while in use'), bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
        community: z.object({ code: z.string(), name: z.string() }), street: z.object({ code: z.string(), name: z.string() }).nullable(),
        head: memberOut.nullable(), team: z.array(memberOut), counts: z.object({ fulltime: z.number(), social: z.number(), professional: z.number() }),
      }), ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'grids.read', { divisionCode: req.params.code });
    const g = await findGrid(db, req.params.code);
    if (!g) throw new AppError('not_found');
    const unmasked = can(actor, 'persons.read_unmasked', { divisionCode: g.code });
    const team = await teamOfGrid(db, g.code, unmasked);
    if (unmasked) await audit(db, auditContext(req, clock.now()), { action: 'personal_data.read', targetType: 'grid_team', targetId: g.code });
    const counts = { fulltime: 0, social: 0, professional: 0 };
    for (const m of team) counts[m.force]++;
    return {
      code: g.code, name: g.name, areaM2: g.area_m2, retiredAt: g.retired_at === null ? null : new Date(Number(g.retired_at)).toISOString(),
      bbox: g.min_lon === null ? null : [g.min_lon, g.min_lat!, g.max_lon!, g.max_lat!] as [number, number, number, number],
      community: { code: g.community_code, name: g.community_name },
      street: g.street_code ? { code: g.street_code, name: g.street_name! } : null,
      head: team.find((m) => m.role === 'grid_head') ?? null, team, counts,
    };
  });

  app.get('/api/team', {
    schema: {
      tags: ['geo'], summary: 'Grid team members inside your jurisdiction (phones masked unless you may read them)',
      querystring: z.strictObject({
        area: z.string().regex(/^\d{6,15}$/).optional(), force: z.enum(FORCES).optional(), role: z.enum(TEAM_ROLE_KEYS as [string, ...string[]]).optional(),
        q: z.string().max(40).optional(), page: intParam(z.number().int().min(1)).default(1), pageSize: intParam(z.number().int().min(1).max(200)).default(50),
      }),
      response: { 200: z.object({ total: z.number(), items: z.array(memberOut.extend({
        divisionCode: z.string(), departmentId: z.number().nullable(), gridCodes: z.array(z.string()),
        grids: z.array(z.object({ code: z.string(), name: z.string(), retired: z.boolean().describe('Retired by a redraw: give the member the new grids') })),
      })) }), ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'team.read');
    const scope = scopeOf(actor, 'team.read');
    if (req.query.area && !inScope(scope, { divisionCode: req.query.area }) && !scope.divisionPrefixes.some((p) => p.startsWith(req.query.area!))) throw new AppError('not_found');
    // phones are unmasked where the permission to read them reaches, which may be less than the list
    const unmaskedIn = can(actor, 'persons.read_unmasked') ? scopeOf(actor, 'persons.read_unmasked') : null;
    const result = await listTeam(db, scope, { ...req.query, role: req.query.role as never }, unmaskedIn);
    const unmasked = unmaskedIn ? result.items.filter((m) => inScope(unmaskedIn, { divisionCode: m.divisionCode })).length : 0;
    if (unmasked > 0) await audit(db, auditContext(req, clock.now()), { action: 'personal_data.read', targetType: 'team', detail: { area: req.query.area ?? null, count: unmasked } });
    return result;
  });

  app.get('/api/team/counts', {
    schema: {
      tags: ['geo'], summary: 'Team counts by force, per street, community or for the district',
      querystring: z.strictObject({ by: z.enum(['district', 'street', 'community']).default('street') }),
      response: { 200: z.object({ items: z.array(z.object({ code: z.string(), name: z.string(), fulltime: z.number(), social: z.number(), professional: z.number(), total: z.number(), heads: z.number().describe('Grid heads among them') })) }), ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'team.read');
    return { items: await teamCounts(db, scopeOf(actor, 'team.read'), req.query.by) };
  });

  app.post('/api/team', {
    schema: {
      tags: ['geo'], summary: 'Add a grid team member and assign them to grids',
      body: z.strictObject({
        name: z.string().trim().min(1).max(40), phone: z.string().regex(/^[0-9+\- ]{5,20}$/).nullish(),
        role: z.enum(TEAM_ROLE_KEYS as [string, ...string[]]), gridCodes: z.array(z.string().regex(/^\d{15}$/)).min(1).max(50).transform((codes) => [...new Set(codes)]),
        departmentId: z.number().int().positive().nullish(),
      }),
      response: { 201: z.object({ id: z.number() }), ...commonErrors },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    assertCan(actor, 'team.manage');
    const id = await db.transaction().execute((tx) => addTeamMember(tx, auditContext(req, clock.now()), { ...req.body, role: req.body.role as never }, scopeOf(actor, 'team.manage')));
    return reply.code(201).send({ id });
  });

  app.put('/api/team/:id', {
    schema: {
      tags: ['geo'], summary: 'Change a grid team member: name, role, department, their grids (all of them), and the phone when given',
      params: z.strictObject({ id: intParam(z.number().int().positive()) }),
      body: z.strictObject({
        name: z.string().trim().min(1).max(40), phone: z.string().regex(/^[0-9+\- ]{5,20}$/).nullish().describe('Left out: unchanged; null: removed'),
        role: z.enum(TEAM_ROLE_KEYS as [string, ...string[]]), gridCodes: z.array(z.string().regex(/^\d{15}$/)).min(1).max(50).transform((codes) => [...new Set(codes)]),
        departmentId: z.number().int().positive().nullish(),
      }),
      response: { 200: z.object({ ok: z.literal(true) }), ...commonErrors },
    },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'team.manage');
    await db.transaction().execute((tx) => updateTeamMember(tx, auditContext(req, clock.now()), req.params.id, { ...req.body, role: req.body.role as never }, scopeOf(actor, 'team.manage')));
    return { ok: true as const };
  });

  app.delete('/api/team/:id', {
    schema: { tags: ['geo'], summary: 'Remove a grid team member', params: z.strictObject({ id: intParam(z.number().int().positive()) }), response: { 200: z.object({ ok: z.literal(true) }), ...commonErrors } },
  }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'team.manage');
    await db.transaction().execute((tx) => removeTeamMember(tx, auditContext(req, clock.now()), req.params.id, scopeOf(actor, 'team.manage')));
    return { ok: true as const };
  });
}
