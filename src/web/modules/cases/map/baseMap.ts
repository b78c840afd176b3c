import 'maplibre-gl/dist/maplibre-gl.css';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { sharedLayer } from '../../map/api.js';
import type { Layer as LayerName } from '../../../../shared/geo.js';

/**
 * The case maps' common ground: the net of grids drawn with no basemap (offline, nothing to
 * download), on which the case screens put their cases. Loaded only with the map chunk.
 */
maplibregl.setWorkerUrl(workerUrl);

export { maplibregl };

export type Polygons = FeatureCollection<Polygon | MultiPolygon, { code: string; name: string; community_code?: string }>;

/** A division layer inside the reader's jurisdiction as polygons: the maps' shared layer (map/api.ts `sharedLayer`), typed for these maps. */
export function sharedPolygons(layer: LayerName): Promise<Polygons> {
  return sharedLayer(layer) as Promise<Polygons>;
}

export const MAP_COLORS = {
  background: '#e8edf3',
  district: '#fbfcfe',
  districtLine: '#1650a8',
  streetLine: '#6f8cbd',
  gridLine: '#b8c4d6',
  focusGrid: '#1650a8',
};

/** Chinese labels come from the reader's own fonts; there is no glyph server to call. */
export const LOCAL_IDEOGRAPH_FONT = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif";
export const LABEL_FONT = ['Noto Sans CJK SC Bold', 'Microsoft YaHei Bold', 'sans-serif'];

const empty = () => ({ type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } });

/** The base style: district, streets and grids; callers add their own sources and layers on top. */
export function baseStyle(extraSources: StyleSpecification['sources'], extraLayers: LayerSpecification[]): StyleSpecification {
  return {
    version: 8,
    sources: { district: empty(), streets: empty(), grids: empty(), ...extraSources },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': MAP_COLORS.background } },
      { id: 'district-fill', type: 'fill', source: 'district', paint: { 'fill-color': MAP_COLORS.district } },
      {
        id: 'grids-line', type: 'line', source: 'grids', minzoom: 11,
        paint: { 'line-color': MAP_COLORS.gridLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.3, 16, 1.2] },
      },
      { id: 'streets-line', type: 'line', source: 'streets', paint: { 'line-color': MAP_COLORS.streetLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.8, 14, 2] } },
      { id: 'district-line', type: 'line', source: 'district', paint: { 'line-color': MAP_COLORS.districtLine, 'line-width': 2 } },
      ...extraLayers,
    ],
  };
}

export function setData(map: maplibregl.Map, source: string, data: GeoJSON.GeoJSON): void {
  (map.getSource(source) as maplibregl.GeoJSONSource | undefined)?.setData(data);
}

/** Whether this browser can draw a WebGL map at all (some locked-down desktops cannot). */
export function webglAvailable(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return Boolean(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}
