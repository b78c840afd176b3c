import type { FeatureCollection, Point } from 'geojson';
import type { CoverageReport } from './api.js';
import type { CoverageMarkerProps } from './GridMap.js';

export type CoverageKind = CoverageMarkerProps['kind'];

export interface CoverageRow {
  key: string;
  kind: CoverageKind;
  areaM2: number;
  location: [number, number];
  sliver: boolean;
  /** The two overlapping grids; empty for gaps and for land outside the boundary. */
  grids: string[];
}

/** Every problem of a report in one list, real problems before slivers, the biggest first. */
export function coverageRows(report: CoverageReport): CoverageRow[] {
  const rows: CoverageRow[] = [
    ...report.overlaps.map((o, i) => ({ key: `o${i}`, kind: 'overlap' as const, areaM2: o.areaM2, location: o.location, sliver: o.sliver, grids: [o.a, o.b] })),
    ...report.gaps.map((g, i) => ({ key: `g${i}`, kind: 'gap' as const, areaM2: g.areaM2, location: g.location, sliver: g.sliver, grids: [] })),
    ...report.outside.map((g, i) => ({ key: `x${i}`, kind: 'outside' as const, areaM2: g.areaM2, location: g.location, sliver: g.sliver, grids: [] })),
  ];
  return rows.sort((a, b) => Number(a.sliver) - Number(b.sliver) || b.areaM2 - a.areaM2);
}

/** The report's problems as map markers, each labelled with its kind and area in the user's words. */
export function coverageMarkers(rows: CoverageRow[], label: (row: CoverageRow) => string): FeatureCollection<Point, CoverageMarkerProps> {
  return {
    type: 'FeatureCollection',
    features: rows.map((row) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: row.location },
      properties: { kind: row.kind, areaM2: row.areaM2, sliver: row.sliver, label: label(row) },
    })),
  };
}

/** Areas of coverage problems are small: whole square metres, with a thousands separator. */
export function formatM2(areaM2: number, lang: string): string {
  const digits = areaM2 < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(areaM2)} m²`;
}
