import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import type { BBox, DivisionCollection, DivisionProperties } from './api.js';

/**
 * The map's own look, with no basemap: a quiet paper background, the district in white under a veil
 * for everything outside it, streets tinted, then community and grid lines as the user zooms in.
 *
 * There is deliberately no `glyphs` URL: with none, MapLibre draws every label with the browser's own
 * fonts (TinySDF on a canvas), so labels work with no internet and no font files to serve.
 */

/** Zoom levels where each layer of the division tree takes over. */
export const ZOOM = {
  /** Community lines fade in here; street names give way to community names a little later. */
  community: 10.6,
  streetLabelsUntil: 11.6,
  communityLabelsUntil: 16,
  /** Grid lines fade in here; hover and click pick grids from here on. */
  grid: 12.2,
  gridNumbers: 13.4,
  /** From here the grid label is its whole 15-digit code. */
  gridCodes: 15.6,
  max: 18,
} as const;

export const COLORS = {
  background: '#e8edf3',
  veil: '#dfe5ee',
  district: '#fbfcfe',
  districtLine: '#1650a8',
  streetLine: '#5b7cb4',
  communityLine: '#8ea3c4',
  gridLine: '#aab8cd',
  hover: '#1650a8',
  selected: '#e8483b',
  streetLabel: '#1d3661',
  communityLabel: '#3b5580',
  gridLabel: '#5c6b82',
  overlap: '#d4380d',
  gap: '#d48806',
  outside: '#722ed1',
} as const;

/** Soft tints for streets; neighbours get different ones (see assignTones). */
export const STREET_TONES = ['#dce8f8', '#e2f0e1', '#f7ebd9', '#ebe2f6', '#dcf0ef', '#f6e1e5', '#eef0d6', '#e4e8f1'] as const;

/** CSS font stacks for labels; the first name also tells MapLibre the weight. */
const FONT_BOLD = ['PingFang SC Semibold', 'Microsoft YaHei Bold', 'Noto Sans CJK SC Bold', 'sans-serif'];
const FONT_REGULAR = ['PingFang SC Regular', 'Microsoft YaHei', 'Noto Sans CJK SC', 'sans-serif'];
/** Chinese characters are always drawn from local fonts; this is the family they are drawn with. */
export const LOCAL_IDEOGRAPH_FONT = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif";

export const SOURCES = {
  mask: 'og-mask',
  district: 'og-district',
  streets: 'og-streets',
  communities: 'og-communities',
  grids: 'og-grids',
  streetLabels: 'og-street-labels',
  communityLabels: 'og-community-labels',
  gridLabels: 'og-grid-labels',
  coverage: 'og-coverage',
  basemap: 'og-basemap',
} as const;

/** Layers the pointer picks from, finest first; each is live only in its own zoom band. */
export const PICK_LAYERS = { grids: 'og-grids-fill', communities: 'og-communities-fill', streets: 'og-streets-fill' } as const;
export const COVERAGE_LAYER = 'og-coverage-points';
export const BASEMAP_LAYER = 'og-basemap';

/** A source's data before its layer arrives. */
export const emptyCollection = (): FeatureCollection => ({ type: 'FeatureCollection', features: [] });

const fadeIn = (from: number, to: number, max = 1): ExpressionSpecification => ['interpolate', ['linear'], ['zoom'], from, 0, to, max];
const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];

/**
 * Paint values that change with the basemap: over one, the district and the street tints turn
 * see-through so roads and buildings show under the net; the page flips them when the user toggles.
 */
export function basemapPaint(on: boolean) {
  return {
    'og-district-fill': { 'fill-opacity': on ? 0.15 : 1 },
    'og-streets-tint': { 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 9, on ? 0.35 : 0.85, 12, on ? 0.15 : 0.45, 14, on ? 0.05 : 0.2] as ExpressionSpecification },
    'og-mask': { 'fill-opacity': on ? 0.45 : 0.9 },
  };
}

function layers(withBasemap: boolean): LayerSpecification[] {
  const see = basemapPaint(withBasemap);
  const list: LayerSpecification[] = [{ id: 'og-background', type: 'background', paint: { 'background-color': COLORS.background } }];
  if (withBasemap) list.push({ id: BASEMAP_LAYER, type: 'raster', source: SOURCES.basemap, paint: { 'raster-saturation': -0.35 } });
  list.push(
    { id: 'og-district-fill', type: 'fill', source: SOURCES.district, paint: { 'fill-color': COLORS.district, ...see['og-district-fill'] } },
    { id: 'og-streets-tint', type: 'fill', source: SOURCES.streets, paint: { 'fill-color': ['coalesce', ['get', 'tone'], STREET_TONES[0]], ...see['og-streets-tint'] } },
    { id: PICK_LAYERS.streets, type: 'fill', source: SOURCES.streets, maxzoom: ZOOM.community, paint: { 'fill-color': COLORS.hover, 'fill-opacity': ['case', hovered, 0.1, 0] } },
    { id: PICK_LAYERS.communities, type: 'fill', source: SOURCES.communities, minzoom: ZOOM.community, maxzoom: ZOOM.grid, paint: { 'fill-color': COLORS.hover, 'fill-opacity': ['case', hovered, 0.1, 0] } },
    {
      id: PICK_LAYERS.grids, type: 'fill', source: SOURCES.grids, minzoom: ZOOM.grid,
      paint: { 'fill-color': ['case', selected, COLORS.selected, COLORS.hover], 'fill-opacity': ['case', selected, 0.16, hovered, 0.12, 0] },
    },
    {
      id: 'og-grids-line', type: 'line', source: SOURCES.grids, minzoom: ZOOM.grid,
      paint: { 'line-color': COLORS.gridLine, 'line-width': ['interpolate', ['linear'], ['zoom'], ZOOM.grid, 0.4, 16, 1.2], 'line-opacity': fadeIn(ZOOM.grid, ZOOM.grid + 0.6) },
    },
    {
      id: 'og-communities-line', type: 'line', source: SOURCES.communities, minzoom: ZOOM.community,
      paint: { 'line-color': COLORS.communityLine, 'line-width': ['interpolate', ['linear'], ['zoom'], ZOOM.community, 0.6, 14, 1.6], 'line-opacity': fadeIn(ZOOM.community, ZOOM.community + 0.6) },
    },
    {
      id: 'og-streets-line', type: 'line', source: SOURCES.streets,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.streetLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.9, 13, 2.2] },
    },
    // everything outside the district sits under a veil, so the eye stays on the jurisdiction
    { id: 'og-mask', type: 'fill', source: SOURCES.mask, paint: { 'fill-color': COLORS.veil, ...see['og-mask'] } },
    // a soft band along the boundary line, the way printed district maps mark their edge
    { id: 'og-district-halo', type: 'line', source: SOURCES.district, layout: { 'line-join': 'round' }, paint: { 'line-color': COLORS.districtLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 7, 14, 14], 'line-opacity': 0.12 } },
    { id: 'og-district-line', type: 'line', source: SOURCES.district, layout: { 'line-join': 'round' }, paint: { 'line-color': COLORS.districtLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 2, 14, 3.5] } },
    {
      id: 'og-grids-hover-line', type: 'line', source: SOURCES.grids, minzoom: ZOOM.grid,
      paint: { 'line-color': ['case', selected, COLORS.selected, COLORS.hover], 'line-width': ['case', selected, 3, hovered, 2, 0] },
    },
    { id: 'og-communities-hover-line', type: 'line', source: SOURCES.communities, minzoom: ZOOM.community, maxzoom: ZOOM.grid, paint: { 'line-color': COLORS.hover, 'line-width': ['case', hovered, 2, 0] } },
    { id: 'og-streets-hover-line', type: 'line', source: SOURCES.streets, maxzoom: ZOOM.community, paint: { 'line-color': COLORS.hover, 'line-width': ['case', hovered, 2.5, 0] } },
    label('og-grid-labels', SOURCES.gridLabels, { minzoom: ZOOM.gridNumbers }, ['step', ['zoom'], ['get', 'short'], ZOOM.gridCodes, ['get', 'code']], FONT_REGULAR, ['interpolate', ['linear'], ['zoom'], ZOOM.gridNumbers, 10, 17, 12], COLORS.gridLabel),
    label('og-community-labels', SOURCES.communityLabels, { minzoom: ZOOM.community + 0.8, maxzoom: ZOOM.communityLabelsUntil }, ['get', 'name'], FONT_REGULAR, ['interpolate', ['linear'], ['zoom'], 11, 11, 14, 13], COLORS.communityLabel),
    label('og-street-labels', SOURCES.streetLabels, { maxzoom: ZOOM.streetLabelsUntil }, ['get', 'name'], FONT_BOLD, ['interpolate', ['linear'], ['zoom'], 9, 12, 11.5, 15], COLORS.streetLabel),
    {
      id: COVERAGE_LAYER, type: 'circle', source: SOURCES.coverage,
      paint: {
        'circle-color': ['match', ['get', 'kind'], 'overlap', COLORS.overlap, 'gap', COLORS.gap, COLORS.outside],
        'circle-radius': ['case', ['get', 'sliver'], 5, ['interpolate', ['linear'], ['get', 'areaM2'], 0, 7, 10_000, 10, 1_000_000, 16]],
        'circle-opacity': ['case', ['get', 'sliver'], 0.55, 0.9],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    },
    {
      id: 'og-coverage-labels', type: 'symbol', source: SOURCES.coverage,
      layout: { 'text-field': ['get', 'label'], 'text-font': FONT_BOLD, 'text-size': 12, 'text-offset': [0, 1.4], 'text-anchor': 'top', 'text-optional': true },
      paint: { 'text-color': ['match', ['get', 'kind'], 'overlap', COLORS.overlap, 'gap', COLORS.gap, COLORS.outside], 'text-halo-color': '#ffffff', 'text-halo-width': 1.6 },
    },
  );
  return list;
}

function label(
  id: string,
  source: string,
  zooms: { minzoom?: number; maxzoom?: number },
  text: ExpressionSpecification,
  font: string[],
  size: ExpressionSpecification,
  color: string,
): LayerSpecification {
  return {
    id, type: 'symbol', source, ...zooms,
    layout: { 'text-field': text, 'text-font': font, 'text-size': size, 'text-max-width': 7, 'text-padding': 3, 'symbol-sort-key': ['length', ['get', 'name']] },
    paint: { 'text-color': color, 'text-halo-color': 'rgba(255,255,255,0.92)', 'text-halo-width': 1.4 },
  };
}

/** The whole style; the division sources start empty and are filled once the layers arrive. */
export function buildStyle(basemapUrl: string | null): StyleSpecification {
  const geojson = (promoteId?: string) => ({ type: 'geojson' as const, data: emptyCollection(), ...(promoteId && { promoteId }) });
  return {
    version: 8,
    name: 'OneGrid',
    sources: {
      [SOURCES.mask]: geojson(),
      [SOURCES.district]: geojson(),
      [SOURCES.streets]: geojson('code'),
      [SOURCES.communities]: geojson('code'),
      [SOURCES.grids]: geojson('code'),
      [SOURCES.streetLabels]: geojson(),
      [SOURCES.communityLabels]: geojson(),
      [SOURCES.gridLabels]: geojson(),
      [SOURCES.coverage]: geojson(),
      ...(basemapUrl && { [SOURCES.basemap]: { type: 'raster' as const, tiles: [basemapUrl], tileSize: 256, maxzoom: 18 } }),
    },
    layers: layers(basemapUrl !== null),
  };
}

function overlaps(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/**
 * Gives each street a tint different from every street whose box touches its own (a cheap stand-in
 * for "shares a border"), greedily in code order so the colours stay put from one visit to the next.
 */
export function assignTones(streets: DivisionCollection, boxes: (BBox | null)[]): FeatureCollection<Polygon | MultiPolygon, DivisionProperties & { tone: string }> {
  const tones: number[] = [];
  const features = streets.features.map((feature, i) => {
    const box = boxes[i];
    const taken = new Set<number>();
    if (box) for (let j = 0; j < i; j++) if (boxes[j] && overlaps(box, boxes[j]!)) taken.add(tones[j]!);
    let tone = 0;
    while (taken.has(tone) && tone < STREET_TONES.length - 1) tone++;
    tones.push(tone);
    return { ...feature, properties: { ...feature.properties, tone: STREET_TONES[tone]! } };
  });
  return { ...streets, features };
}
