import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LooseMultiPolygon } from '../geometry/types.js';

export interface DemoDivision {
  code: string;
  name: string;
}

export interface DemoCommunity extends DemoDivision {
  streetCode: string;
}

/** What the demo district is built from: the real boundary and the real division list. */
export interface DemoSources {
  district: DemoDivision & { boundary: LooseMultiPolygon };
  streets: DemoDivision[];
  communities: DemoCommunity[];
}

export const DEMO_DISTRICT_CODE = '110112';

const CSV_FILE = 'tongzhou-divisions.csv';
const GEOJSON_FILE = 'beijing-districts.geojson';

/** The repository's data/ folder, found upwards from this file so it works from src/ and dist/. */
export function findDataDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'data');
    if (existsSync(join(candidate, CSV_FILE))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return resolve('data');
    dir = parent;
  }
}

/** Reads `level,code,name,parent_code` rows (no quoting: division names contain no commas). */
export function parseDivisionRows(csv: string): { level: string; code: string; name: string; parentCode: string }[] {
  const [header, ...lines] = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim());
  if (header.trim() !== 'level,code,name,parent_code') throw new Error(`unexpected division CSV header: ${header}`);
  return lines.map((line) => {
    const [level, code, name, parentCode] = line.split(',').map((c) => c.trim());
    return { level, code, name, parentCode };
  });
}

export function loadDemoSources(dataDir: string = findDataDir()): DemoSources {
  const rows = parseDivisionRows(readFileSync(join(dataDir, CSV_FILE), 'utf8'));
  const districtRow = rows.find((r) => r.level === 'district' && r.code === DEMO_DISTRICT_CODE);
  if (!districtRow) throw new Error(`${CSV_FILE} has no district ${DEMO_DISTRICT_CODE}`);
  const geojson = JSON.parse(readFileSync(join(dataDir, GEOJSON_FILE), 'utf8')) as {
    features: { properties: { code: string }; geometry: { type: string; coordinates: unknown } }[];
  };
  const feature = geojson.features.find((f) => f.properties.code === DEMO_DISTRICT_CODE);
  if (!feature) throw new Error(`${GEOJSON_FILE} has no feature ${DEMO_DISTRICT_CODE}`);
  const boundary = (feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates) as LooseMultiPolygon;
  return {
    district: { code: districtRow.code, name: districtRow.name, boundary },
    streets: rows.filter((r) => r.level === 'street_or_town').map(({ code, name }) => ({ code, name })),
    communities: rows
      .filter((r) => r.level === 'community_or_village')
      .map(({ code, name, parentCode }) => ({ code, name, streetCode: parentCode })),
  };
}
