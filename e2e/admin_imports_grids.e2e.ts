import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pickInList, screenshot, type JourneyPage } from './support/browser.js';
import { onePageJourney, signInThroughForm } from './support/journey.js';

type Ring = [number, number][];
interface GridFeature {
  type: 'Feature';
  geometry: { type: 'MultiPolygon'; coordinates: Ring[][] };
  properties: { code: string; name: string; community_code: string };
}

/**
 * An administrator uploads a broken grid file and sees every problem with its feature and reason
 * (and nothing imported); then a valid file made from exported grids, one of them drawn a little too
 * big, which imports and makes the coverage check report the overlaps it causes, with their areas;
 * then redraws that community (one grid renumbered), and the number the new drawing leaves out is retired;
 * last merges one community of a street into another (社区合并): the merged one is retired with its grids.
 */
describe('admin imports grids', () => {
  const j = onePageJourney({ demo: true, width: 1440, height: 900 });

  it('shows each problem of a broken file, then imports a valid one and checks the coverage', async () => {
    const { server, journey } = j;
    const { page, errors } = journey;
    const { db } = server.ctx.dbh;
    const gridCount = async () => Number((await db.selectFrom('divisions').where('level', '=', 0).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(await gridCount()).toBe(1809);

    await signInThroughForm(page, server.users.admin);
    await page.getByRole('navigation').getByRole('link', { name: '网格导入' }).click();
    await page.waitForURL('**/admin/grids');
    await page.getByRole('heading', { name: '网格导入与覆盖检查' }).waitFor();

    // Three neighbouring grids of one community, exported in the import format.
    const exported = await page.request.get('/api/geo/export?layer=grids');
    expect(exported.ok()).toBe(true);
    const all = ((await exported.json()) as { features: GridFeature[] }).features;
    const [a, b, c] = all.filter((f) => f.properties.community_code === all[0]!.properties.community_code);
    expect(c).toBeDefined();

    // A broken file: one good feature and one of each kind of mistake.
    const unclosed = structuredClone(b!);
    unclosed.geometry.coordinates[0]![0]!.pop();
    const broken = collection(
      a!,
      withProps(structuredClone(c!), { code: '12345' }),
      unclosed,
      withProps(structuredClone(c!), { code: '110112999999001', community_code: '110112999999' }),
      structuredClone(a!),
    );
    await upload(page, 'grids-broken.geojson', broken);
    await page.getByTestId('import-file').getByText('5 个要素').waitFor();
    await page.getByRole('button', { name: '校验并导入' }).click();
    const problems = page.getByTestId('import-problems');
    await problems.getByText('文件未通过校验，没有导入任何网格').waitFor();
    const rows = problems.locator('.ant-table-tbody tr');
    const table = (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));
    const about = (index: number) => table.filter((r) => r.startsWith(`features[${index}] `)).join(' | ');
    expect(about(1)).toContain('网格编码不是 15 位数字');
    expect(about(2)).toContain('环未闭合');
    expect(about(3)).toContain('社区代码不属于本区');
    expect(about(4)).toContain('网格编码与前面的条目重复');
    expect(about(4)).toContain(a!.properties.code);
    expect(about(0)).toBe('');
    expect(await gridCount()).toBe(1809);
    await screenshot(page, 'admin-grid-import-problems', { fullPage: true });

    // A valid file: the same three grids, the middle one drawn 3 % too big.
    await page.getByRole('button', { name: '移除文件' }).click();
    const valid = collection(a!, grow(structuredClone(b!), 1.03), c!);
    await upload(page, 'grids-valid.geojson', valid);
    await page.getByTestId('import-file').getByText('3 个要素').waitFor();
    await page.getByRole('button', { name: '校验并导入' }).click();
    const done = page.getByTestId('import-done');
    await done.getByText('导入 3 个网格：新增 0 个，更新 3 个。').waitFor();
    await done.getByText('其中 1 个网格边界有调整').waitFor(); // the grown one: its earlier outline is kept
    expect(await gridCount()).toBe(1809);

    // The coverage check runs by itself after the import and finds what the bigger grid overlaps.
    const summary = page.locator('[data-testid="coverage-summary"][data-verdict="problems"]');
    await summary.waitFor({ timeout: 60_000 });
    await summary.getByText('发现覆盖问题').waitFor();
    const report = (await (await page.request.get('/api/geo/coverage')).json()) as { overlaps: { a: string; b: string; areaM2: number; sliver: boolean }[] };
    const real = report.overlaps.filter((o) => !o.sliver);
    expect(real.length).toBeGreaterThan(0);
    expect(real.every((o) => o.a === b!.properties.code || o.b === b!.properties.code)).toBe(true);
    const biggest = real.reduce((x, y) => (y.areaM2 > x.areaM2 ? y : x));
    const m2 = `${new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 }).format(biggest.areaM2)} m²`;
    await summary.locator('.ant-table-tbody').getByText(m2).waitFor();
    await screenshot(page, 'admin-grid-import', { fullPage: true });

    // "Locate" opens the map at the problem, with the check's markers on it.
    await summary.getByRole('button', { name: '定位' }).first().click();
    await page.waitForURL(/\/map\?coverage=1&at=/);
    await page.locator('.og-map-coverage-panel').getByText('发现覆盖问题').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="grid-map"][data-ready="true"]').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1500); // the flight to the problem
    await page.locator('[data-testid="grid-map"][data-idle="true"]').waitFor({ timeout: 60_000 });
    await screenshot(page, 'map-coverage');

    // A redraw of that community: the second grid (the one drawn too big) is drawn as before under a
    // new number, the rest stay. With "retire the grids the file leaves out" the old number is
    // retired, and the grids tile the district again.
    const community = all.filter((f) => f.properties.community_code === a!.properties.community_code);
    const next = String(Math.max(...community.map((f) => Number(f.properties.code.slice(12)))) + 1).padStart(3, '0');
    const renumbered = withProps(structuredClone(b!), { code: a!.properties.community_code + next, name: `${b!.properties.name}（新）` });
    const team = await db.selectFrom('team_assignments').select((eb) => eb.fn.countAll().as('n')).where('grid_code', '=', b!.properties.code).executeTakeFirstOrThrow();
    await page.goto('/admin/grids');
    await page.getByRole('heading', { name: '网格导入与覆盖检查' }).waitFor();
    await upload(page, 'grids-redrawn.geojson', collection(...community.filter((f) => f !== b), renumbered));
    await page.getByTestId('import-file').getByText(`${community.length} 个要素`).waitFor();
    await page.getByTestId('retire-missing').click();
    await page.getByRole('button', { name: '校验并导入' }).click();
    const retired = page.getByTestId('import-retired');
    await retired.getByText('已撤销 1 个网格').waitFor();
    const retiredRow = (await retired.locator('.ant-table-tbody tr').allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));
    expect(retiredRow).toHaveLength(1);
    expect(retiredRow[0]).toContain(b!.properties.code);
    expect(retiredRow[0]).toContain(b!.properties.name);
    expect(retiredRow[0]).toContain(` ${Number(team.n)} `);
    expect(await gridCount()).toBe(1810); // retired, not deleted
    await page.locator('[data-testid="coverage-summary"][data-verdict="ok"]').waitFor({ timeout: 60_000 });
    await screenshot(page, 'admin-grid-redraw', { fullPage: true });
    // Its team, from the count: the first member is given the new grid instead.
    await retired.locator(`a[href="/team?area=${b!.properties.code}"]`).click();
    await page.waitForURL(/\/team\?area=/);
    const total = page.getByTestId('team-total');
    await total.getByText(`共 ${Number(team.n)} 人`).waitFor();
    expect(await page.locator(`.og-grid-chip[data-retired="true"]`, { hasText: b!.properties.code }).count()).toBeGreaterThan(0);
    const first = page.locator('.ant-table-tbody tr.ant-table-row').filter({ has: page.getByRole('button', { name: /^编辑成员：/ }) }).first();
    const member = await first.locator('strong').innerText();
    await first.getByRole('button', { name: `编辑成员：${member}` }).click();
    const dialog = page.getByRole('dialog', { name: `编辑成员：${member}` });
    await dialog.getByText(b!.properties.code).waitFor();
    await dialog.locator('.ant-select-selection-item', { hasText: b!.properties.code }).locator('.ant-select-selection-item-remove').click();
    const grids = dialog.getByLabel('负责网格');
    await grids.fill(renumbered.properties.code);
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: renumbered.properties.code });
    await pickInList(page, grids, option, `${renumbered.properties.code} ${renumbered.properties.name}`, 30_000, { multiple: true });
    await dialog.getByRole('button', { name: /^保\s*存$/ }).click();
    await page.getByText(`已保存 ${member}`).waitFor();
    await total.getByText(`共 ${Number(team.n) - 1} 人`).waitFor();
    const moved = await db.selectFrom('team_assignments').innerJoin('team_members', 'team_members.id', 'team_assignments.member_id')
      .select('grid_code').where('team_members.name', '=', member).execute();
    expect(moved.map((r) => r.grid_code)).toContain(renumbered.properties.code);
    expect(moved.map((r) => r.grid_code)).not.toContain(b!.properties.code);

    // Its card says it was retired; the map no longer has it.
    await page.goto(`/map?grid=${b!.properties.code}`);
    await page.getByTestId('grid-card-retired').getByText(/该网格已于 .* 撤销/).waitFor();
    const layer = (await (await page.request.get('/api/geo/layers/grids')).json()) as { features: GridFeature[] };
    expect(layer.features.map((f) => f.properties.code)).not.toContain(b!.properties.code);
    expect(layer.features.map((f) => f.properties.code)).toContain(renumbered.properties.code);
    expect(layer.features).toHaveLength(1809);

    // 社区合并: of two communities of one street, A takes in B. The file has A's grids as they are and
    // B's grids renumbered under A (same shapes and names); B, chosen in the merge list, is retired
    // with all its old grids, leaves the street's communities, and the grids still tile the district.
    await page.goto('/admin/grids');
    await page.getByRole('heading', { name: '网格导入与覆盖检查' }).waitFor();
    const inUse = ((await (await page.request.get('/api/geo/export?layer=grids')).json()) as { features: GridFeature[] }).features;
    const gridsOf = new Map<string, GridFeature[]>();
    for (const f of inUse) gridsOf.set(f.properties.community_code, [...(gridsOf.get(f.properties.community_code) ?? []), f]);
    // the street whose two smallest communities have the fewest grids: a quick import, a short table
    const streets = new Map<string, string[]>();
    for (const c of gridsOf.keys()) streets.set(c.slice(0, 9), [...(streets.get(c.slice(0, 9)) ?? []), c]);
    const pairs = [...streets.values()]
      .filter((communities) => communities.length >= 2)
      .map((communities) => communities.sort((x, y) => gridsOf.get(x)!.length - gridsOf.get(y)!.length).slice(0, 2))
      .sort((p, q) => p.reduce((n, c) => n + gridsOf.get(c)!.length, 0) - q.reduce((n, c) => n + gridsOf.get(c)!.length, 0));
    const [keeps, merged] = pairs[0]!;
    const street = keeps!.slice(0, 9);
    const [aGrids, bGrids] = [gridsOf.get(keeps!)!, gridsOf.get(merged!)!];
    expect(bGrids.length).toBeLessThanOrEqual(20); // one page of the retired grids table
    expect(aGrids.every((f) => f.properties.code[12] !== '9')).toBe(true); // the new numbers are free
    const children = async () => ((await (await page.request.get('/api/divisions', { params: { parent: street } })).json()) as { items: { code: string; name: string }[] }).items;
    const bName = (await children()).find((c) => c.code === merged)!.name;
    const takenIn = bGrids.map((f, i) => withProps(structuredClone(f), { code: `${keeps}9${String(i + 1).padStart(2, '0')}`, community_code: keeps! }));
    // B's community workstation has an account: after the merge the answer counts it, and the user list finds it
    const csrf = ((await (await page.request.get('/api/auth/me')).json()) as { csrfToken: string }).csrfToken;
    const account = await page.request.post('/api/users', {
      headers: { 'x-csrf-token': csrf },
      data: { username: 'hebing-sq', displayName: '合并社区工作站', password: 'hebing-2026-sq', grants: [{ role: 'community_staff', divisionCode: merged }] },
    });
    expect(account.status()).toBe(201);
    const before = await gridCount();
    await upload(page, 'grids-merged.geojson', collection(...aGrids, ...takenIn));
    await page.getByTestId('import-file').getByText(`${aGrids.length + bGrids.length} 个要素`).waitFor();
    await page.getByTestId('retire-missing').click();
    const mergeField = page.getByLabel('并入的社区（社区合并）');
    await mergeField.fill(bName);
    const mergeOption = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: merged! });
    await pickInList(page, mergeField, mergeOption, `${bName}（${merged}）`, 30_000, { multiple: true });
    await page.getByRole('button', { name: '校验并导入' }).click();
    const mergedOut = page.getByTestId('import-retired-communities');
    await mergedOut.getByText('已合并撤销的社区：1 个').waitFor();
    const mergedRows = (await mergedOut.locator('.ant-table-tbody tr').allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));
    expect(mergedRows).toHaveLength(1);
    expect(mergedRows[0]).toContain(merged);
    expect(mergedRows[0]).toContain(bName);
    const retiredGrids = page.getByTestId('import-retired');
    await retiredGrids.getByText(`已撤销 ${bGrids.length} 个网格`).waitFor();
    const retiredText = (await retiredGrids.locator('.ant-table-tbody tr').allInnerTexts()).join(' ');
    for (const f of bGrids) expect(retiredText).toContain(f.properties.code);
    expect(await gridCount()).toBe(before + bGrids.length); // retired, not deleted
    expect((await children()).map((c) => c.code)).not.toContain(merged);
    expect((await children()).map((c) => c.code)).toContain(keeps);
    await page.locator('[data-testid="coverage-summary"][data-verdict="ok"]').waitFor({ timeout: 60_000 });
    const afterMerge = (await (await page.request.get('/api/geo/coverage')).json()) as { verdict: string };
    expect(afterMerge.verdict).toBe('ok');
    await screenshot(page, 'admin-grid-merge', { fullPage: true });

    // the account still granted on B: the count opens the user list with only such accounts, its grant struck through
    await mergedOut.locator('.ant-table-tbody tr').first().getByRole('link').click();
    await page.waitForURL(/\/admin\/users\?retired=1$/);
    await expect.poll(() => page.getByRole('checkbox', { name: /只看授权在已撤销区划上的账号/ }).isChecked()).toBe(true);
    const listed = page.locator('.ant-table-tbody tr.ant-table-row');
    await listed.filter({ hasText: 'hebing-sq' }).waitFor();
    expect(await listed.count()).toBe(1);
    await listed.locator('.og-grant-retired', { hasText: bName }).waitFor();
    await screenshot(page, 'admin-users-retired');

    // The district's official boundary, uploaded as the city's file of districts: Tongzhou's is taken by
    // its code, and the coverage check runs again against it.
    await page.goto('/admin/grids');
    await page.getByRole('heading', { name: '网格导入与覆盖检查' }).waitFor();
    const city = readFileSync(new URL('../data/beijing-districts.geojson', import.meta.url));
    await page.locator('.og-boundary-upload input[type="file"]').setInputFiles({ name: 'beijing-districts.geojson', mimeType: 'application/geo+json', buffer: city });
    await page.getByTestId('boundary-done').getByText(/区界已设置：通州区，\d+(\.\d)? 平方公里/).waitFor();
    await page.locator('[data-testid="coverage-summary"]').waitFor({ timeout: 60_000 });

    // The only console errors are the refusal of the broken file (422), which the page showed.
    expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
  });
});

function collection(...features: GridFeature[]) {
  return { type: 'FeatureCollection', features };
}

function withProps(feature: GridFeature, props: Partial<GridFeature['properties']>): GridFeature {
  feature.properties = { ...feature.properties, ...props };
  return feature;
}

/** Scales every ring of a grid about the middle of its box: a grid drawn over its neighbours. */
function grow(feature: GridFeature, factor: number): GridFeature {
  const outer = feature.geometry.coordinates.flatMap((polygon) => polygon[0]!);
  const xs = outer.map((p) => p[0]);
  const ys = outer.map((p) => p[1]);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  feature.geometry.coordinates = feature.geometry.coordinates.map((polygon) =>
    polygon.map((ring) => ring.map(([x, y]) => [cx + (x - cx) * factor, cy + (y - cy) * factor] as [number, number])),
  );
  return feature;
}

async function upload(page: JourneyPage['page'], name: string, content: unknown): Promise<void> {
  await page.locator('.ant-upload-drag input[type="file"]').setInputFiles({ name, mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(content)) });
}
