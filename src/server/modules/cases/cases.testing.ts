import sharp from 'sharp';
import type { Config } from '../../config.js';
import type { ManualClock } from '../../platform/clock.js';
import type { DbHandle } from '../../platform/db.js';
import type { App } from '../../platform/http.js';
import { setDivisionShape } from '../geo/grids.repo.js';
import { bboxOf, multiPolygonAreaM2 } from '../geo/geometry/index.js';

/**
 * Test support for the cases API, shipped with the module: the test app (test/support/app.ts) with
 * a small district of six grids (four in 悟仙观社区 of 中仓街道, two in 天桥湾社区 of 新华街道),
 * signed-in headers per role, and helpers to report and act through HTTP. Failures throw with the
 * response body, so a test shows why.
 */
export const COMMUNITY_A = '110112001006'; // 悟仙观社区, in 中仓街道
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

/** What test/support/app.ts's createTestApp gives (typed here: the build does not compile test/). */
export interface AppUnderTest {
  app: App;
  dbh: DbHandle;
  config: Config;
  clock: ManualClock;
  close(): Promise<void>;
}

export interface CasesTestContext extends AppUnderTest {
  as: Record<RoleUser, Headers>;
}

const PASSWORD = 'onegrid2026';

export async function signIn(app: App, username: string): Promise<Headers> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'og_session')!;
  return { cookie: `og_session=${cookie.value}`, 'x-csrf-token': res.json().csrfToken as string };
}

/** Gives a fresh test app (created with LOGIN_RATE_PER_MINUTE high) the six grids and everyone's headers. */
export async function withCaseDistrict<T extends AppUnderTest>(t: T): Promise<T & CasesTestContext> {
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
  return Object.assign(t, { as });
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
  dueAt: number | null;
  allowedActions: string[];
  [k: string]: unknown;
}

/**
 * Uploads a historical import as the administrator (CSV with its own column names, invalid rows
 * skipped) and waits until it has ended; returns the import's last state (status, counts, problems).
 */
export async function importHistory(t: CasesTestContext, csv: string, fileName = 'history.csv'): Promise<{ status: string; imported: number; total: number; problems: unknown[] }> {
  const started = await t.app.inject({ method: 'POST', url: '/api/evaluation/imports', headers: t.as.admin, payload: { fileName, csv, map: [], skipInvalid: true } });
  if (started.statusCode !== 202) throw new Error(`import not started: ${started.statusCode} ${started.body}`);
  let job = started.json();
  for (let i = 0; i < 400 && ['checking', 'importing'].includes(job.status); i++) {
    await new Promise((r) => setTimeout(r, 25));
    job = (await t.app.inject({ method: 'GET', url: `/api/evaluation/imports/${job.id}`, headers: t.as.admin })).json();
  }
  return job;
}

/** Reports a case as `who` (JSON) and returns it; fails the test on anything but 201. */
export async function report(t: CasesTestContext, who: RoleUser, body: Record<string, unknown> = {}): Promise<CaseOut> {
  const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: t.as[who], payload: { ...IN_A1, description: '井盖缺失', category_code: '01001', ...body } });
  if (res.statusCode !== 201) throw new Error(`report by ${who}: ${res.statusCode} ${res.body}`);
  return res.json().case as CaseOut;
}

/** Takes an action as `who`; returns the raw response. */
export async function act(t: CasesTestContext, who: RoleUser, c: { id: number; version: number }, action: string, input: Record<string, unknown> = {}) {
  return t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/${action}`, headers: t.as[who], payload: { version: c.version, ...input } });
}

/** Takes an action that must succeed; returns the case after it. */
export async function must(t: CasesTestContext, who: RoleUser, c: { id: number; version: number }, action: string, input: Record<string, unknown> = {}): Promise<CaseOut> {
  const res = await act(t, who, c, action, input);
  if (res.statusCode !== 200) throw new Error(`${action} by ${who}: ${res.statusCode} ${res.body}`);
  return res.json() as CaseOut;
}

/** An action with photo files (multipart): feedback needs photos of the handling. */
export async function mustWithPhotos(
  t: CasesTestContext, who: RoleUser, c: { id: number; version: number }, action: string,
  fields: Record<string, string | number>, photos: Buffer[], field = 'photos',
): Promise<CaseOut> {
  const body = multipart({ version: c.version, ...fields }, photos.map((data, i) => ({ field, name: `p${i}.jpg`, type: 'image/jpeg', data })));
  const res = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/${action}`, headers: { ...t.as[who], ...body.headers }, payload: body.payload });
  if (res.statusCode !== 200) throw new Error(`${action} by ${who}: ${res.statusCode} ${res.body}`);
  return res.json() as CaseOut;
}
