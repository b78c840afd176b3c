import 'maplibre-gl/dist/maplibre-gl.css';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { FeatureCollection, GeoJSON, Point } from 'geojson';
import { useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { BBox, DivisionCollection } from './api.js';
import { bboxOf, labelPoints, outsideMask, shortName } from './geometry.js';
import { assignTones, BASEMAP_LAYER, basemapPaint, buildStyle, COVERAGE_LAYER, emptyCollection, LOCAL_IDEOGRAPH_FONT, PICK_LAYERS, SOURCES, ZOOM } from './mapStyle.js';

// Vite copies the worker as a file of its own; MapLibre would otherwise look for it beside a bundle that has none.
maplibregl.setWorkerUrl(workerUrl);

export interface MapLayers {
  district: DivisionCollection | null;
  streets: DivisionCollection | null;
  communities: DivisionCollection | null;
  grids: DivisionCollection | null;
}

export type ZoomBand = 'streets' | 'communities' | 'grids';

export interface CoverageMarkerProps {
  kind: 'overlap' | 'gap' | 'outside';
  areaM2: number;
  sliver: boolean;
  label: string;
}

export interface GridMapHandle {
  fitHome(): void;
}

/**
 * Where the page wants the map to go. A new object each time, so asking twice for the same place
 * still moves the map; applied once the map is ready, so a link or a search made before the map
 * chunk has loaded is not lost.
 */
export type MapFocus = { bbox: BBox; maxZoom: number } | { center: [number, number]; zoom: number };

interface GridMapProps {
  layers: MapLayers;
  /** What "the whole area" means for this user: their jurisdiction's box. */
  home: BBox | null;
  basemapUrl: string | null;
  showBasemap: boolean;
  selectedCode: string | null;
  coverage: FeatureCollection<Point, CoverageMarkerProps> | null;
  onPickGrid: (code: string) => void;
  onZoomBand: (band: ZoomBand) => void;
  onUnavailable: () => void;
  /** Room taken over the map by the grid card, so a grid flown to is not hidden behind it. */
  cardInset: { right: number; bottom: number };
  focus: MapFocus | null;
  ref?: Ref<GridMapHandle>;
}

function bandOf(zoom: number): ZoomBand {
  if (zoom >= ZOOM.grid) return 'grids';
  return zoom >= ZOOM.community ? 'communities' : 'streets';
}

const PICK_ORDER = [PICK_LAYERS.grids, PICK_LAYERS.communities, PICK_LAYERS.streets];
const SOURCE_OF_PICK: Record<string, string> = {
  [PICK_LAYERS.grids]: SOURCES.grids,
  [PICK_LAYERS.communities]: SOURCES.communities,
  [PICK_LAYERS.streets]: SOURCES.streets,
};

/** The MapLibre map itself; a chunk of its own, loaded only when the map page opens. */
export default function GridMap(props: GridMapProps) {
  const { layers, home, basemapUrl, showBasemap, selectedCode, coverage, ref } = props;
  const { t } = useTranslation();
  const containerRef = useRef<HTMLDivElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const [ready, setReady] = useState(false);
  // Handlers registered once read the newest props through this ref.
  const live = useRef(props);
  live.current = props;

  // Streets and communities zoom to their own box when clicked; grids open their card instead.
  const boxes = useMemo(() => {
    const out = new Map<string, BBox>();
    for (const layer of [layers.streets, layers.communities]) {
      for (const f of layer?.features ?? []) {
        const box = bboxOf({ type: 'FeatureCollection', features: [f] });
        if (box) out.set(f.properties.code, box);
      }
    }
    return out;
  }, [layers.streets, layers.communities]);
  const boxesRef = useRef(boxes);
  boxesRef.current = boxes;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    let map: maplibregl.Map;
    try {
      map = new maplibregl.Map({
        container,
        style: buildStyle(basemapUrl),
        center: [116.4, 39.9],
        zoom: 8,
        minZoom: 6,
        maxZoom: ZOOM.max,
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
        localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT,
        locale: {
          'Map.Title': t('map.mapLabel'),
          'NavigationControl.ZoomIn': t('map.toolbar.zoomIn'),
          'NavigationControl.ZoomOut': t('map.toolbar.zoomOut'),
          'ScaleControl.Meters': t('map.toolbar.meters'),
          'ScaleControl.Kilometers': t('map.toolbar.kilometers'),
        },
      });
    } catch (err) {
      console.warn('map unavailable', err);
      live.current.onUnavailable();
      return;
    }
    mapRef.current = map;
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-right');

    let hover: { source: string; id: string } | null = null;
    const setHover = (next: typeof hover) => {
      if (hover && (!next || next.source !== hover.source || next.id !== hover.id)) map.setFeatureState(hover, { hover: false });
      if (next) map.setFeatureState(next, { hover: true });
      hover = next;
    };
    const pick = (point: maplibregl.PointLike) => {
      const available = PICK_ORDER.filter((id) => map.getLayer(id));
      return map.queryRenderedFeatures(point, { layers: [COVERAGE_LAYER, ...available] })[0];
    };
    const tooltip = tooltipRef.current;

    map.on('mousemove', (e) => {
      const feature = pick(e.point);
      const layerId = feature?.layer.id;
      if (!feature || layerId === COVERAGE_LAYER || feature.id === undefined) {
        setHover(null);
        map.getCanvas().style.cursor = feature ? 'pointer' : '';
        if (tooltip) tooltip.hidden = true;
        return;
      }
      setHover({ source: SOURCE_OF_PICK[layerId!]!, id: String(feature.id) });
      map.getCanvas().style.cursor = 'pointer';
      if (tooltip) {
        const isGrid = layerId === PICK_LAYERS.grids;
        const name = String(feature.properties.name ?? '');
        tooltip.hidden = false;
        tooltip.replaceChildren(
          Object.assign(document.createElement('strong'), { textContent: isGrid ? name : shortName({ name }) }),
          Object.assign(document.createElement('span'), { textContent: isGrid ? String(feature.id) : t('map.hover.zoomIn') }),
        );
        if (isGrid) tooltip.append(Object.assign(document.createElement('span'), { textContent: t('map.hover.openCard') }));
        tooltip.style.transform = `translate(${Math.round(e.point.x + 14)}px, ${Math.round(e.point.y + 14)}px)`;
      }
    });
    map.getCanvas().addEventListener('mouseleave', () => {
      setHover(null);
      if (tooltip) tooltip.hidden = true;
    });
    map.on('click', (e) => {
      const feature = pick(e.point);
      if (!feature) return;
      const layerId = feature.layer.id;
      if (layerId === COVERAGE_LAYER && feature.geometry.type === 'Point') {
        const [lon, lat] = feature.geometry.coordinates as [number, number];
        map.flyTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), 15) });
      } else if (layerId === PICK_LAYERS.grids) {
        live.current.onPickGrid(String(feature.id));
      } else {
        const box = boxesRef.current.get(String(feature.id));
        if (box) map.fitBounds(box, { padding: 40, maxZoom: layerId === PICK_LAYERS.streets ? ZOOM.grid - 0.3 : ZOOM.gridNumbers + 0.4 });
      }
    });

    let band: ZoomBand | null = null;
    const reportBand = () => {
      const next = bandOf(map.getZoom());
      if (next !== band) live.current.onZoomBand((band = next));
    };
    map.on('zoom', reportBand);
    // Whether the map has settled, and at what zoom: for assistive technology (aria-busy) and for
    // browser journeys, which must not take a picture mid-flight.
    map.on('movestart', () => {
      container.dataset.idle = 'false';
      container.setAttribute('aria-busy', 'true');
    });
    map.on('idle', () => {
      container.dataset.idle = 'true';
      container.dataset.zoom = map.getZoom().toFixed(2);
      container.setAttribute('aria-busy', 'false');
    });
    map.on('load', () => {
      reportBand();
      setReady(true);
    });

    // The map fills a flexible panel: follow its size, not just the window's.
    const observer = new ResizeObserver(() => map.resize());
    observer.observe(container);
    return () => {
      observer.disconnect();
      mapRef.current = null;
      setReady(false);
      map.remove();
    };
    // The map is built once per mount; the page remounts it when the language changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Division layers: set once they arrive, with their label points and the veil outside the district.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const set = (source: string, data: GeoJSON) => (map.getSource(source) as maplibregl.GeoJSONSource | undefined)?.setData(data);
    const empty = emptyCollection();
    const mask = outsideMask(layers.district);
    set(SOURCES.mask, mask ?? empty);
    set(SOURCES.district, layers.district ?? empty);
    if (layers.streets) {
      set(SOURCES.streets, assignTones(layers.streets, layers.streets.features.map((f) => boxes.get(f.properties.code) ?? null)));
      set(SOURCES.streetLabels, labelPoints(layers.streets));
    }
    if (layers.communities) {
      set(SOURCES.communities, layers.communities);
      set(SOURCES.communityLabels, labelPoints(layers.communities));
    }
    if (layers.grids) {
      set(SOURCES.grids, layers.grids);
      set(SOURCES.gridLabels, labelPoints(layers.grids));
    }
  }, [ready, layers, boxes]);

  // The first time the jurisdiction is known, frame it.
  // Also set by a search or a link that flies somewhere first: that view must not be overridden.
  const framed = useRef(false);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !home || framed.current) return;
    framed.current = true;
    // a grid worker's jurisdiction is one grid: frame it, but not so close that its streets vanish
    map.fitBounds(home, { padding: 24, duration: 0, maxZoom: 15 });
  }, [ready, home]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    if (map.getLayer(BASEMAP_LAYER)) map.setLayoutProperty(BASEMAP_LAYER, 'visibility', showBasemap ? 'visible' : 'none');
    for (const [layer, paint] of Object.entries(basemapPaint(showBasemap && !!basemapUrl))) {
      for (const [property, value] of Object.entries(paint)) map.setPaintProperty(layer, property as 'fill-opacity', value);
    }
  }, [ready, showBasemap, basemapUrl]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !selectedCode) return;
    const target = { source: SOURCES.grids, id: selectedCode };
    map.setFeatureState(target, { selected: true });
    return () => {
      if (mapRef.current === map) map.setFeatureState(target, { selected: false });
    };
  }, [ready, selectedCode, layers.grids]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    (map.getSource(SOURCES.coverage) as maplibregl.GeoJSONSource | undefined)?.setData(coverage ?? emptyCollection());
  }, [ready, coverage]);

  // Room for the floating search and the card, so what the map flies to is not hidden under them.
  const { cardInset, focus } = props;
  const padding = useCallback(
    (base: number) => ({ top: base + 50, left: base, right: base + cardInset.right, bottom: base + cardInset.bottom }),
    [cardInset.right, cardInset.bottom],
  );
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !focus) return;
    framed.current = true;
    if ('bbox' in focus) map.fitBounds(focus.bbox, { padding: padding(48), maxZoom: focus.maxZoom, duration: 900 });
    else map.flyTo({ center: focus.center, zoom: focus.zoom, padding: padding(0), duration: 900 });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new focus moves the map, a new inset does not
  }, [ready, focus]);

  useImperativeHandle(
    ref,
    () => ({
      fitHome: () => {
        if (home) mapRef.current?.fitBounds(home, { padding: padding(24), duration: 700 });
      },
    }),
    [home, padding],
  );

  return (
    <div className="og-map-canvas-wrap">
      <div ref={containerRef} className="og-map-canvas" data-testid="grid-map" data-ready={ready ? 'true' : 'false'} />
      <div ref={tooltipRef} className="og-map-tooltip" hidden role="presentation" />
    </div>
  );
}
