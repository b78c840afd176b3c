import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STATE_COLORS } from '../shared/labels.js';
import type { State } from '../../../../shared/cases/workflow.js';
import { baseStyle, sharedPolygons, LOCAL_IDEOGRAPH_FONT, MAP_COLORS, maplibregl, setData, webglAvailable } from './baseMap.js';
import { boundsOf } from './mapData.js';
import '../pages.css';

interface LocationMapProps {
  lon: number;
  lat: number;
  gridCode: string;
  state: State;
}

/** A small map on the case page: the case's grid outlined among its neighbours and the reported point. */
export default function LocationMap({ lon, lat, gridCode, state }: LocationMapProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const [unavailable] = useState(() => !webglAvailable());

  useEffect(() => {
    if (unavailable || !container.current) return;
    const map = new maplibregl.Map({
      container: container.current,
      style: baseStyle({ point: { type: 'geojson', data: { type: 'Point', coordinates: [lon, lat] } } }, [
        { id: 'focus-fill', type: 'fill', source: 'grids', filter: ['==', ['get', 'code'], gridCode], paint: { 'fill-color': MAP_COLORS.focusGrid, 'fill-opacity': 0.1 } },
        { id: 'focus-line', type: 'line', source: 'grids', filter: ['==', ['get', 'code'], gridCode], paint: { 'line-color': MAP_COLORS.focusGrid, 'line-width': 2.5 } },
        { id: 'point-halo', type: 'circle', source: 'point', paint: { 'circle-radius': 14, 'circle-color': STATE_COLORS[state], 'circle-opacity': 0.2 } },
        { id: 'point', type: 'circle', source: 'point', paint: { 'circle-radius': 7, 'circle-color': STATE_COLORS[state], 'circle-stroke-color': '#fff', 'circle-stroke-width': 2.5 } },
      ]),
      center: [lon, lat],
      zoom: 15,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      cooperativeGestures: false,
      localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT,
      locale: { 'Map.Title': t('cases.case.location.mapLabel') },
    });
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    let live = true;
    map.on('load', () => {
      void Promise.all([sharedPolygons('district'), sharedPolygons('grids').catch(() => null)]).then(([district, grids]) => {
        if (!live) return;
        setData(map, 'district', district);
        if (grids) {
          setData(map, 'grids', grids);
          const own = grids.features.filter((f) => f.properties.code === gridCode);
          const box = own.length ? boundsOf({ type: 'FeatureCollection', features: own }) : null;
          if (box) map.fitBounds(box, { padding: 36, maxZoom: 16.5, duration: 0 });
        }
      });
    });
    return () => {
      live = false;
      map.remove();
    };
  }, [unavailable, lon, lat, gridCode, state, t]);

  if (unavailable) return null;
  return <div ref={container} className="og-location-map" role="region" aria-label={t('cases.case.location.mapLabel')} />;
}
