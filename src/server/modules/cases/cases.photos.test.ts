import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/app.js';
import { withCaseDistrict, IN_A1, IN_A4, jpeg, multipart, type CasesTestContext } from './cases.testing.js';

/** Photos with reports: checked by content, nothing stored when one is bad, EXIF position, before/after. */
let t: CasesTestContext;
beforeAll(async () => {
  t = await withCaseDistrict(await createTestApp({ LOGIN_RATE_PER_MINUTE: '10000' }));
});
afterAll(() => t?.close());

const count = async (table: 'cases' | 'files' | 'case_photos' | 'case_events') =>
  Number((await t.dbh.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

function filesOnDisk(): string[] {
  const root = join(t.config.dataDir, 'files');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
}

async function post(url: string, fields: Record<string, string | number>, files: { field?: string; name: string; type: string; data: Buffer }[], auth = true) {
  const body = multipart(fields, files.map((f) => ({ field: f.field ?? 'photos', ...f })));
  return t.app.inject({ method: 'POST', url, headers: { ...(auth ? t.as.gridworker : {}), ...body.headers }, payload: body.payload });
}

describe('photos', () => {
  it('stores photos content-addressed with thumbnails and attaches them to the report event', async () => {
    const res = await post('/api/cases', { ...IN_A1, description: '带照片上报', category_code: '03005' }, [
      { name: 'a.jpg', type: 'image/jpeg', data: await jpeg(1) },
      { name: 'b.jpg', type: 'image/jpeg', data: await jpeg(2) },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json().case;
    expect(c.photos).toHaveLength(2);
    expect(c.timeline[0].photos.map((p: { kind: string }) => p.kind)).toEqual(['report', 'report']);
    const file = await t.app.inject({ method: 'GET', url: `/api/files/${c.photos[0].sha256}`, headers: t.as.gridworker });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/jpeg');
    expect(file.rawPayload.equals(await jpeg(1))).toBe(true);
    expect(filesOnDisk().length).toBe(4); // two originals, two thumbnails
  });

  it('refuses a wrong type, a renamed executable and an oversized photo, storing nothing at all', async () => {
    const before = { cases: await count('cases'), files: await count('files'), photos: await count('case_photos'), events: await count('case_events'), disk: filesOnDisk().length };
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(4000, 0x90)]);
    const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
    const big = Buffer.concat([await jpeg(3), Buffer.alloc(10 * 1024 * 1024 + 10, 0)]);
    const fields = { ...IN_A4, description: '坏照片' };
    const cases: [string, { name: string; type: string; data: Buffer }, number, string][] = [
      ['renamed executable', { name: 'photo.jpg', type: 'image/jpeg', data: elf }, 415, 'unsupported_media_type'],
      ['GIF (wrong type)', { name: 'x.gif', type: 'image/gif', data: gif }, 415, 'unsupported_media_type'],
      ['text', { name: 'x.png', type: 'image/png', data: Buffer.from('hello, not a picture') }, 415, 'unsupported_media_type'],
      ['too large', { name: 'big.jpg', type: 'image/jpeg', data: big }, 413, 'payload_too_large'],
    ];
    for (const [label, bad, status, code] of cases) {
      // a good photo first: it must not be stored either
      const res = await post('/api/cases', fields, [{ name: 'ok.jpg', type: 'image/jpeg', data: await jpeg(40) }, bad]);
      expect(res.statusCode, `${label}: ${res.body}`).toBe(status);
      expect(res.json().error.code, label).toBe(code);
    }
    const pub = await post('/api/public/cases', fields, [cases[0]![1]], false);
    expect(pub.statusCode).toBe(415);
    expect({ cases: await count('cases'), files: await count('files'), photos: await count('case_photos'), events: await count('case_events'), disk: filesOnDisk().length }).toEqual(before);
  });

  it('uses the photo\'s EXIF position when the report has none', async () => {
    const res = await post('/api/cases', { description: '只有照片位置' }, [{ name: 'gps.jpg', type: 'image/jpeg', data: await jpeg(5, IN_A4) }]);
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json().case;
    expect(c.gridCode).toBe('110112001006004');
    expect(c.lon).toBeCloseTo(IN_A4.lon, 4);
    expect(c.lat).toBeCloseTo(IN_A4.lat, 4);
  });

  it('takes before and after photos for a self-resolved case, which someone else must check', async () => {
    const body = multipart({ ...IN_A1, description: '小广告已清理', action: 'self_resolve', category_code: '07001', condition_code: '07001-01' }, [
      { field: 'photos_before', name: 'b.jpg', type: 'image/jpeg', data: await jpeg(11) },
      { field: 'photos_after', name: 'a.jpg', type: 'image/jpeg', data: await jpeg(12) },
    ]);
    const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { ...t.as.gridworker, ...body.headers }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json().case;
    expect(c).toMatchObject({ state: 'pending_check', selfResolvedBy: expect.stringMatching(/^user:/) });
    expect(c.photos.map((p: { kind: string }) => p.kind)).toEqual(['before', 'after']);
    expect(c.allowedActions).not.toContain('check_pass');
    const other = await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: t.as.community });
    expect(other.json().allowedActions).toContain('check_pass');
    // without the after photo it is refused
    const half = multipart({ ...IN_A1, description: 'x', action: 'self_resolve', category_code: '07001', condition_code: '07001-01' }, [
      { field: 'photos_before', name: 'b.jpg', type: 'image/jpeg', data: await jpeg(13) },
    ]);
    const refused = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { ...t.as.gridworker, ...half.headers }, payload: half.payload });
    expect(refused.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'photos_after' } });
  });

  it('refuses unknown file fields and photo hashes that are not the case\'s own', async () => {
    const res = await post('/api/cases', { ...IN_A1, description: 'x' }, [{ field: 'attachment', name: 'a.jpg', type: 'image/jpeg', data: await jpeg(20) }]);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', details: { field: 'attachment' } });
    const extra = await post('/api/cases', { ...IN_A1, description: 'x', evil: '1' }, []);
    expect(extra.statusCode).toBe(400);
  });
});

describe('the same photo at once', () => {
  it('takes the same photo in several reports sent at once, and keeps it once', async () => {
    const photo = await jpeg(41);
    const before = await count('files');
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      post('/api/cases', { ...IN_A1, description: `同一张照片 ${i}`, category_code: '03005' }, [{ name: 'same.jpg', type: 'image/jpeg', data: photo }])));
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(await count('files')).toBe(before + 1);
    expect(new Set(answers.map((a) => a.json().case.photos[0].sha256)).size).toBe(1);
    expect(filesOnDisk().filter((n) => n.includes('.tmp'))).toEqual([]);
  });
});
