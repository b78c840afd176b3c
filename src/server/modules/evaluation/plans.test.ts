import type SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMUNITY_A, STREET_A, createTestApp } from '../../../../test/support/app.js';
import { testDialect } from '../../../../test/support/db.js';
import { IN_A4, report, withCaseDistrict, type CasesTestContext } from '../cases/cases.testing.js';

/**
 * SQLite plans without statistics (the server never gathers them), and with two indexes that fit
 * it can take the one that reads most of a table. Every read of the evaluation's tables that the
 * dashboards run, for every level of area and for ranges with loose days, must go through an index
 * that narrows it to the area or the people asked for: at a million cases the wrong plans took
 * 0.2–1 s instead of milliseconds (a grid's breakdowns read every mark of the district through
 * (kind, at); a single area's rollup rows were read through the rollup's key by `dim` alone).
 * PostgreSQL plans from its statistics; there is nothing to check here.
 */
let t: CasesTestContext;
const seen = new Map<string, unknown[]>();

beforeAll(async () => {
  if (testDialect() !== 'sqlite') return;
  t = await withCaseDistrict(await createTestApp());
  // marks in two grids of the community: its marks are read grid by grid
  await report(t, 'gridworker', { address: '新华西街 1 号' });
  await report(t, 'gridworker', { ...IN_A4, address: '新华西街 9 号' });
  // every statement the server prepares from now on, with the values it last ran with
  const raw = t.dbh.sqlite!;
  const prepare = raw.prepare.bind(raw);
  (raw as { prepare: (text: string) => SQLite.Statement }).prepare = (text: string) => {
    const stmt = prepare(text);
    for (const m of ['all', 'get', 'run', 'iterate'] as const) {
      const run = (stmt[m] as (...a: unknown[]) => unknown).bind(stmt);
      (stmt as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
        seen.set(text, a);
        return run(...a);
      };
    }
    return stmt;
  };
});
afterAll(() => t?.close());

describe.skipIf(testDialect() !== 'sqlite')('the dashboard on SQLite', () => {
  it('reads the evaluation tables only through indexes that narrow to the area or the people asked for', async () => {
    const ranges = ['from=2026-03-15&to=2026-11-20', 'period=2026', 'from=2025-12-28&to=2026-11-03'];
    for (const area of ['110112', STREET_A, COMMUNITY_A, `${COMMUNITY_A}001`]) {
      for (const range of ranges) {
        const res = await t.app.inject({ method: 'GET', url: `/api/evaluation/dashboard?area=${area}&${range}`, headers: t.as.leader });
        expect(res.statusCode, res.body).toBe(200);
      }
    }
    // the indicator tables of every subject, and the cases behind a figure of a small area
    for (const subject of ['district', 'street', 'community', 'grid', 'department', 'worker', 'dispatcher']) {
      for (const area of ['110112', COMMUNITY_A]) {
        const res = await t.app.inject({ method: 'GET', url: `/api/evaluation/indicators?subject=${subject}&area=${area}&${ranges[0]}`, headers: t.as.leader });
        expect(res.statusCode, res.body).toBe(200);
      }
    }
    for (const area of [COMMUNITY_A, `${COMMUNITY_A}001`]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/evaluation/cases?indicator=reported&area=${area}&${ranges[0]}`, headers: t.as.leader });
      expect(res.statusCode, res.body).toBe(200);
    }
    const reads = [...seen].filter(([text]) => /from "?eval_(stats|durations|actor_stats|marks)\b/.test(text) && text.trimStart().startsWith('select'));
    expect(reads.length).toBeGreaterThan(10);
    // among them a grid's marks and a few people's rollups
    expect(reads.some(([text]) => text.includes('from "eval_marks"'))).toBe(true);
    expect(reads.some(([text]) => text.includes('from eval_actor_stats indexed by'))).toBe(true);
    expect(reads.some(([text]) => text.includes('from eval_marks indexed by eval_marks_kind_at'))).toBe(true);
    const raw = t.dbh.sqlite!;
    for (const [text, args] of reads) {
      const plan = (raw.prepare(`explain query plan ${text}`).all(...(args as unknown[][])) as { detail: string }[]).map((p) => p.detail);
      for (const step of plan) {
        const where = `${step}\n  in ${text}`;
        // a rollup read through its own key by the dimension alone (most of the table)
        expect(step, where).not.toMatch(/PRIMARY KEY \(dim=\?\)$/);
        // a rollup or the marks read whole
        expect(step, where).not.toMatch(/^SCAN eval_/);
        // an area's marks (the cases behind a figure) not read by time alone: every mark of the district
        // in the range; only the district's handling marks of the few days outside whole months are
        // (its grids' percentiles), named so
        if (text.includes('"grid_code" >=') && !text.includes('indexed by eval_marks_kind_at')) expect(step, where).not.toContain('eval_marks_kind_at');
        // a small area's figures from its marks narrowed by each grid and the time (not by time alone,
        // nor by the grids alone: every mark of theirs, nor through another index)
        if (/"grid_code" (=|in) /.test(text) && step.includes('eval_marks')) expect(step, where).toMatch(/eval_marks_kind_grid_at_cover \(kind=\? AND grid_code=\? AND at>\? AND at<\?\)/);
      }
    }
  });
});
