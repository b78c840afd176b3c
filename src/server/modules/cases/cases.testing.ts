import { expect } from 'vitest';
import sharp from 'sharp';
import { COMMUNITY_A, createTestApp, signIn, type TestContext } from '../../../../test/support/app.js';
import { setDivisionShape } from '../geo/grids.repo.js';
import { bboxOf, multiPolygonAreaM2 } from '../geo/geometry/index.js';

/**
 * Test support for the cases API, shipped with the module: the real app with a small district of
 * six grids (four in 悟仙观社区 of 中仓街道, two in 天桥湾社区 of 新华街道), signed-in headers per
 * role, and helpers to report and act through HTTP.
 */
export const COMMUNITY_B = '110112002001'; // 天桥湾社区, in 新华街道
export const GRID_A1 = `${COMMUNITY_A}001`;
export const GRID_B1 = `${COMMUNITY_B}001`;
/** Points inside the grids above. */
export const IN_A1 = { lon: 116.61, lat: 39.83 };
export const IN_A4 = { lon: 116.63, lat: 39.81 };
export const IN_B1 = { lon: 116.65, lat: 39.83 };
export const OUTSIDE = { lon: 117.5, lat: 40.5 };

const square = (x0: number, y0: number, x1: number, y1: number) => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];
const feature = (code: string, poly: number[][][], community: string) => ({
  type: 'Feature', properties: { code, name: `网格${code.slice(-3)}`, community_code: community }, geometry: { type: 'Polygon', coordinates: poly },
});

export const ROLE_USERS = ['admin', 'district', 'street', 'community', 'gridworker', 'department', 'leader'] as const;
export type RoleUser = (typeof ROLE_USERS)[number];
export type Headers = Record<string, string>;

export interface CasesTestContext extends TestContext {
  as: Record<RoleUser, Headers>;
}

export async function createCasesTestApp(env: Record<string, string> = {}): Promise<CasesTestContext> {
  const t = await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000', ...env });
  const boundary = [square(116.6, 39.8, 116.66, 39.84)];
  await setDivisionShape(t.dbh.db, '110112', { polygon: boundary, bbox: bboxOf(boundary), areaM2: multiPolygonAreaM2(boundary) }, t.clock.now());
  const as = {} as Record<RoleUser, Headers>;
  for (const u of ROLE_USERS) as[u] = await signIn(t.app, u);
  const grids = {
    type: 'FeatureCollection',
    features: [
      feature(`${COMMUNITY_A}001`, square(116.6, 39.82, 116.62, 39.84), COMMUNITY_A),
      feature(`${COMMUNITY_A}002`, square(116.62, 39.82, 116.64, 39.84), COMMUNITY_A),
      feature(`${COMMUNITY_A}003`, square(116.6, 39.8, 116.62, 39.82), COMMUNITY_A),
      feature(`${COMMUNITY_A}004`, square(116.62, 39.8, 116.64, 39.82), COMMUNITY_A),
      feature(`${COMMUNITY_B}001`, square(116.64, 39.82, 116.66, 39.84), COMMUNITY_B),
      feature(`${COMMUNITY_B}002`, square(116.64, 39.8, 116.66, 39.82), COMMUNITY_B),
    ],
  };
  const res = await t.app.inject({ method: 'POST', url: '/api/geo/grids/import', headers: as.admin, payload: grids });
  if (res.statusCode !== 200) throw new Error(`grid import failed: ${res.body}`);
  return { ...t, as };
}

/** Moves the test clock and signs everyone in again (sessions end 12 hours after their last use). */
export async function setClock(t: CasesTestContext, ms: number): Promise<void> {
  t.clock.set(ms);
  for (const u of ROLE_USERS) t.as[u] = await signIn(t.app, u);
}

/** A small real JPEG (optionally with a GPS position in its EXIF). */
export async function jpeg(seed = 0, gps?: { lon: number; lat: number }): Promise<Buffer> {
  const img = sharp({ create: { width: 32, height: 24, channels: 3, background: { r: (seed * 37) % 256, g: (seed * 91) % 256, b: 120 } } }).jpeg();
  if (!gps) return img.toBuffer();
  const dms = (v: number) => {
    const d = Math.floor(v);
    const m = Math.floor((v - d) * 60);
    const s = ((v - d) * 60 - m) * 60;
    return `${d}/1 ${m}/1 ${Math.round(s * 1000)}/1000`;
  };
  return img.withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: dms(gps.lat), GPSLongitudeRef: 'E', GPSLongitude: dms(gps.lon) } }).toBuffer();
}

/** A multipart/form-data body from text fields and files. */
export function multipart(fields: Record<string, string | number>, files: { field: string; name: string; type: string; data: Buffer }[] = []) {
  const boundary = `----onegrid${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${f.field}"; filename="${f.name}"\r\ncontent-type: ${f.type}\r\n\r\n`), f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export interface CaseOut {
  id: number;
  number: string;
  state: string;
  version: number;
  allowedActions: string[];
  [k: string]: unknown;
}

/** Reports a case as `who` (JSON) and returns it; fails the test on anything but 201. */
export async function report(t: CasesTestContext, who: RoleUser, body: Record<string, unknown> = {}): Promise<CaseOut> {
  const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: t.as[who], payload: { ...IN_A1, description: '井盖缺失', category_code: '01001', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().case as CaseOut;
}

/** Takes an action as `who`; returns the raw response. */
export async function act(t: CasesTestContext, who: RoleUser, c: { id: number; version: number }, action: string, input: Record<string, unknown> = {}) {
  return t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/${action}`, headers: t.as[who], payload: { version: c.version, ...input } });
}

/** Takes an action that must succeed; returns the case after it. */
export async function must(t: CasesTestContext, who: RoleUser, c: { id: number; version: number }, action: string, input: Record<string, unknown> = {}): Promise<CaseOut> {
  const res = await act(t, who, c, action, input);
  expect(res.statusCode, `${action} by ${who}: ${res.body}`).toBe(200);
  return res.json() as CaseOut;
}

/** An action with photo files (multipart): feedback needs photos of the handling. */
export async function mustWithPhotos(
  t: CasesTestContext, who: RoleUser, c: { id: number; version: number }, action: string,
  fields: Record<string, string | number>, photos: Buffer[], field = 'photos',
): Promise<CaseOut> {
  const body = multipart({ version: c.version, ...fields }, photos.map((data, i) => ({ field, name: `p${i}.jpg`, type: 'image/jpeg', data })));
  const res = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/${action}`, headers: { ...t.as[who], ...body.headers }, payload: body.payload });
  expect(res.statusCode, `${action} by ${who}: ${res.body}`).toBe(200);
  return res.json() as CaseOut;
}
