import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestContext } from '../../../../test/support/app.js';
import { testDialect } from '../../../../test/support/db.js';
import { heapGrowthDuring } from '../../../../test/support/heap.js';
import { bj, buildHistory, GRID_A, type History } from './fixtures.testing.js';
import { DEFAULT_WEIGHTS } from '../../../shared/evaluation/scores.js';
import { saveWeights } from './weights.js';

/**
 * Exports (CSV, XLSX) of indicator tables and case lists: filters and scope apply as on screen,
 * the permission exports.run is needed, and a large list streams with bounded memory.
 */
let t: TestContext;
let h: History;
let users: Record<'leader' | 'street' | 'community' | 'department', Record<string, string>>;

beforeAll(async () => {
  t = await createTestApp();
  h = await buildHistory(t.dbh.db);
  users = {
    leader: await signIn(t.app, 'leader'),
    street: await signIn(t.app, 'street'),
    community: await signIn(t.app, 'community'),
    department: await signIn(t.app, 'department'),
  };
});
afterAll(() => t?.close());

const get = (url: string, who: keyof typeof users) => t.app.inject({ method: 'GET', url, headers: users[who] });

function csvRows(body: string): string[][] {
  return body.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));
}

describe('exports', () => {
  it('exports the case list behind a figure as CSV and XLSX with the same rows', async () => {
    const csv = await get('/api/evaluation/cases?indicator=reported&period=2026-03&format=csv', 'leader');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="cases-reported-110112-2026-03-01-2026-03-31\.csv"/);
    const rows = csvRows(csv.body);
    expect(rows[0]![0]).toBe('案件编号');
    expect(rows).toHaveLength(1 + 8);
    // text that looks like markup stays text
    expect(csv.body).toContain('道路不洁 <script>alert(1)</script>');

    const xlsx = await get('/api/evaluation/cases?indicator=reported&period=2026-03&format=xlsx&lang=en', 'leader');
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(1 + 8);
    expect(sheet.getRow(1).getCell(1).value).toBe('Case number');
    const numbers = csvRows(csv.body).slice(1).map((r) => r[0]).sort();
    const fromXlsx = Array.from({ length: 8 }, (_, i) => String(sheet.getRow(i + 2).getCell(1).value)).sort();
    expect(fromXlsx).toEqual(numbers);
  });

  it('masks the phone, identity numbers and e-mail addresses residents wrote into a case, in CSV and XLSX', async () => {
    const said = '请回电 13812345678，身份证 110101199003071234，邮箱 li@example.com';
    const number = (await t.dbh.db.selectFrom('cases').select('number').where('id', '=', h.A).executeTakeFirstOrThrow()).number;
    const before = await t.dbh.db.selectFrom('cases').select(['description', 'address']).where('id', '=', h.A).executeTakeFirstOrThrow();
    await t.dbh.db.updateTable('cases').set({ description: said, address: '联系 010-81234567' }).where('id', '=', h.A).execute();
    try {
      const csv = await get('/api/evaluation/cases?indicator=reported&period=2026-03&format=csv', 'leader');
      const row = csvRows(csv.body).find((r) => r[0] === number)!;
      expect(row.join(',')).toContain('请回电 138****5678，身份证 110101********1234，邮箱 [email]');
      expect(row.join(',')).toContain('联系 010-****4567');
      expect(csv.body).not.toContain('13812345678');
      const xlsx = await get('/api/evaluation/cases?indicator=reported&period=2026-03&format=xlsx', 'leader');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const cells = wb.worksheets[0]!.getSheetValues().flat().map(String);
      expect(cells).toContain('请回电 138****5678，身份证 110101********1234，邮箱 [email]');
      expect(cells.some((c) => c.includes('13812345678') || c.includes('199003071234'))).toBe(false);
      // the list on screen, inside the system, keeps the words as written
      const shown = (await get('/api/evaluation/cases?indicator=reported&period=2026-03', 'leader')).json().items as { number: string; description: string }[];
      expect(shown.find((c) => c.number === number)!.description).toBe(said);
    } finally {
      await t.dbh.db.updateTable('cases').set(before).where('id', '=', h.A).execute();
    }
  });

  it('exports an indicator table with scores and grades, ratios as percentages', async () => {
    // places for two cases of work due and more: CG (3) takes one, SZ (1) does not
    await saveWeights(t.dbh.db, { ...DEFAULT_WEIGHTS, rankMinimum: 2 }, t.clock.now());
    const res = await get('/api/evaluation/indicators?subject=department&period=2026-03&format=csv', 'leader');
    await saveWeights(t.dbh.db, DEFAULT_WEIGHTS, t.clock.now());
    expect(res.statusCode).toBe(200);
    const rows = csvRows(res.body);
    const header = rows[0]!;
    expect(header.slice(0, 2)).toEqual(['名次', '编码']);
    const cg = rows.find((r) => r[1] === 'CG')!;
    expect(cg[header.indexOf('结案率(%)')]).toBe('66.7');
    expect(cg[header.indexOf('综合得分')]).toBe('66.7');
    expect(cg[header.indexOf('等级')]).toBe('C');
    expect(cg[0]).toBe('1');
    const sz = rows.find((r) => r[1] === 'SZ')!;
    expect(sz[0]).toBe('');
    expect(sz[header.indexOf('综合得分')]).toBe('20');
    expect(rows.indexOf(sz)).toBeGreaterThan(rows.indexOf(cg));
  });

  it('keeps to the user\'s jurisdiction', async () => {
    expect((await get('/api/evaluation/cases?indicator=reported&period=2026-03&format=csv', 'street')).statusCode).toBe(200);
    const own = csvRows((await get('/api/evaluation/cases?indicator=reported&period=2026-03&format=csv', 'street')).body);
    expect(own).toHaveLength(1 + 7); // case I lies in another street
    expect((await get('/api/evaluation/cases?indicator=reported&period=2026-03&format=csv&area=110112', 'street')).statusCode).toBe(404);
    expect((await get('/api/evaluation/cases?indicator=reported&period=2026-03&subject=110112002&format=xlsx', 'street')).statusCode).toBe(404);
    expect((await get('/api/evaluation/indicators?subject=street&period=2026-03&area=110112&format=csv', 'street')).statusCode).toBe(404);
    const streets = csvRows((await get('/api/evaluation/indicators?subject=street&period=2026-03&format=csv', 'street')).body);
    expect(streets.slice(1).map((r) => r[1])).toEqual(['110112001']);
    // a person of another street is not there for a street dispatcher
    expect((await get('/api/evaluation/cases?indicator=reported&period=2026-03&subject=person:user:103&format=csv', 'street')).statusCode).toBe(404);
  });

  it('needs exports.run to export, and evaluation.read to see figures at all', async () => {
    expect((await get('/api/evaluation/cases?indicator=reported&period=2026-03', 'community')).statusCode).toBe(200);
    expect((await get('/api/evaluation/cases?indicator=reported&period=2026-03&format=csv', 'community')).statusCode).toBe(403);
    expect((await get('/api/evaluation/dashboard?period=2026-03', 'department')).statusCode).toBe(403);
    expect((await get(`/api/evaluation/cases/${h.A}`, 'department')).statusCode).toBe(403);
    expect((await get(`/api/evaluation/cases/${h.I}`, 'street')).statusCode).toBe(404);
  });
});

describe('a large export', () => {
  const N = Number(process.env.ONEGRID_EXPORT_ROWS ?? 100_000);

  it(`streams ${N.toLocaleString('en')} rows with bounded memory`, async () => {
    const db = t.dbh.db;
    const base = bj('2026-06-01 09:00');
    const series = testDialect() === 'postgres'
      ? sql`select i from generate_series(1, ${N}) as s(i)`
      : sql`with recursive s(i) as (select 1 union all select i + 1 from s where i < ${N}) select i from s`;
    await sql`insert into cases (number, tracking_code, state, level, source, reported_by, category_code, rework_count, grid_code, lon, lat, description, version, created_at, updated_at)
      select 'X' || i, 'TX' || i, 'pending_acceptance', 'district', 'grid_worker', 'user:101', '01001', 0, ${GRID_A}, 116.6, 39.9,
        '批量导出测试第' || i || '号：井盖破损，需要尽快处理', 1, cast(${base} as bigint) + i * 1000, cast(${base} as bigint) + i * 1000 from (${series}) as g`.execute(db);
    await sql`insert into eval_marks (case_id, kind, at, day, grid_code, class, source, dept, actor_id, flags, value)
      select id, 'reported', created_at, (created_at + 28800000) / 86400000, grid_code, '01', source, null, 'user:101', 0, 0
      from cases where number like 'X%'`.execute(db);
    // statistics, as autovacuum would gather them after a bulk load (PostgreSQL plans from them)
    await sql`analyze`.execute(db);

    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as { port: number }).port;
    const headers = users.leader;
    let bytes = 0;
    let lines = 0;
    let head = '';
    let tail = '';
    const { growth, seconds } = await heapGrowthDuring(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/evaluation/cases?indicator=reported&period=2026-06&format=csv`, { headers });
      expect(res.status).toBe(200);
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        const text = decoder.decode(chunk, { stream: true });
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
        if (head.length < 400) head += text.slice(0, 400);
        tail = (tail + text).slice(-400);
      }
    });
    console.log(`export of ${N} rows: ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s; heap peak +${(growth / 1e6).toFixed(1)} MB`);
    expect(lines).toBe(N + 1); // every row and the header
    // oldest first: the first case inserted opens the list, the last closes it
    expect(head.split('\r\n')[1]).toMatch(/^X1,/);
    expect(tail.trim().split('\r\n').pop()).toMatch(new RegExp(`^X${N},`));
    expect(growth).toBeLessThan(Math.min(16e6, bytes / 2));

    // the same list as XLSX: downloaded to a file while memory is watched, then read back row by row
    const file = join(t.tdb.dataDir, 'export.xlsx');
    const x = await heapGrowthDuring(async () => {
      const xres = await fetch(`http://127.0.0.1:${port}/api/evaluation/cases?indicator=reported&period=2026-06&format=xlsx`, { headers });
      expect(xres.status).toBe(200);
      await pipeline(Readable.fromWeb(xres.body as never), createWriteStream(file));
    });
    const xBytes = statSync(file).size;
    console.log(`xlsx export of ${N} rows: ${(xBytes / 1e6).toFixed(1)} MB in ${x.seconds.toFixed(1)} s; heap peak +${(x.growth / 1e6).toFixed(1)} MB`);
    let xRows = 0;
    for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(file, {})) for await (const _row of sheet) xRows++;
    expect(xRows).toBe(N + 1);
    expect(x.growth).toBeLessThan(Math.min(16e6, bytes / 2));
  }, 600_000);
});
