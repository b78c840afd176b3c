/**
 * Why the hot paths write their objects out field by field: copying an object whose properties were
 * added one by one (a spread `{ ...o, x }`, `Object.assign`) takes V8's slow path once the object
 * has more than a dozen or so properties. Each pair below makes the same object both ways, in the
 * same process, and prints the time per object and the ratio.
 *
 *   npx tsx bench/copies.bench.ts            (about 10 s)
 *
 * The pairs are the app's own: a new case's row (`newCaseRow` against the spread of `columnsOf`
 * it replaced), a case's detail (its summary's fields written out against spread), and the zero
 * measures every rollup row starts from (a literal against a copy of one object made by `Object.fromEntries`).
 */
import { CASE_SOURCES } from '../src/shared/cases/index.js';
import type { CaseSnapshot } from '../src/shared/cases/index.js';
import { MEASURE_KEYS, zeroMeasures } from '../src/shared/evaluation/measures.js';
import { columnsOf, newCaseRow, type NewCaseFields } from '../src/server/modules/cases/cases.repo.js';

const N = 200_000;
let sink: unknown;

function timePerObject(make: (i: number) => unknown): number {
  for (let i = 0; i < N / 4; i++) sink = make(i); // warm up: let the optimizing compiler see it
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const t = performance.now();
    for (let i = 0; i < N; i++) sink = make(i);
    best = Math.min(best, ((performance.now() - t) * 1000) / N);
  }
  return best;
}

const snapshot: CaseSnapshot = {
  state: 'pending_verification', level: 'street', source: CASE_SOURCES[0], reported_by: 'user-1', category_code: '0101',
  filing: { category_code: '0101', category_version: 1, condition_code: '010101', limit: { amount: 2, unit: 'working_hours' } },
  holder: null, returned_from: null, self_resolved_by: null, rework_count: 0, pending_request: null,
  step: 'verify', step_started_at: 1, step_limit: { amount: 1, unit: 'working_hours' }, due_at: 2,
  suspended_at: null, suspended_from: null, closed_at: null, merged_into: null,
};
const fields = (i: number): NewCaseFields => ({
  number: `11011220261130${i}`, tracking_code: 'T', reporter_user_id: 1, reporter_name: null, reporter_phone: null, warn_at: 3,
  grid_code: '110112001006001', lon: 116.6, lat: 39.8, address: null, description: 'd', department_id: null, created_at: i, updated_at: i,
});

// as the rollups' reads made it before: one object built key by key, copied for every row
const ZERO_BY_KEYS = Object.fromEntries(MEASURE_KEYS.map((k) => [k, 0]));

const pairs: { name: string; before: (i: number) => unknown; after: (i: number) => unknown }[] = [
  {
    name: "a new case's row (46 columns)",
    before: (i) => ({ id: i, ...{ ...columnsOf(snapshot), ...fields(i), version: 1 } }),
    after: (i) => newCaseRow(snapshot, fields(i)),
  },
  {
    name: 'zero measures (24)',
    before: () => ({ ...ZERO_BY_KEYS }),
    after: () => zeroMeasures(),
  },
  (() => {
    // a summary as an object literal, then twenty more fields: spread against written out
    const summary = (i: number) => ({
      id: i, number: 'n', state: 'reported', level: 'street', source: 'api', category: null, gridCode: 'g', address: null,
      description: 'd', holder: null, step: 'verify', dueAt: 1, light: 'green', pendingRequest: null, reworkCount: 0, version: 1,
      createdAt: i, updatedAt: i, allowedActions: [] as string[],
    });
    const more = { trackingCode: 't', lon: 1, lat: 2, warnAt: 3, stepStartedAt: 4, selfResolvedBy: null, suspendedAt: null, closedAt: null };
    return {
      name: "a case's detail (summary + 8)",
      before: (i: number) => ({
        ...summary(i), trackingCode: more.trackingCode, lon: more.lon, lat: more.lat, warnAt: more.warnAt,
        stepStartedAt: more.stepStartedAt, selfResolvedBy: more.selfResolvedBy, suspendedAt: more.suspendedAt, closedAt: more.closedAt,
      }),
      after: (i: number) => {
        const s = summary(i);
        return {
          id: s.id, number: s.number, state: s.state, level: s.level, source: s.source, category: s.category, gridCode: s.gridCode,
          address: s.address, description: s.description, holder: s.holder, step: s.step, dueAt: s.dueAt, light: s.light,
          pendingRequest: s.pendingRequest, reworkCount: s.reworkCount, version: s.version, createdAt: s.createdAt, updatedAt: s.updatedAt,
          allowedActions: s.allowedActions, trackingCode: more.trackingCode, lon: more.lon, lat: more.lat, warnAt: more.warnAt,
          stepStartedAt: more.stepStartedAt, selfResolvedBy: more.selfResolvedBy, suspendedAt: more.suspendedAt, closedAt: more.closedAt,
        };
      },
    };
  })(),
];

console.log(`Copies of objects (Node ${process.versions.node}, V8 ${process.versions.v8}), ${N.toLocaleString('en')} objects per round, best of 3\n`);
console.log('| object | spread / copied | written out | ratio |');
console.log('|---|---|---|---|');
for (const p of pairs) {
  const before = timePerObject(p.before);
  const after = timePerObject(p.after);
  console.log(`| ${p.name} | ${before.toFixed(2)} µs | ${after.toFixed(2)} µs | ${(before / after).toFixed(1)}× |`);
}
if (sink === undefined) console.log('');
