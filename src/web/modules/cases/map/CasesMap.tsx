import { AimOutlined, CloseOutlined } from '@ant-design/icons';
import { Alert, Button, Spin } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { currentLanguage } from '../../../app/i18n.js';
import { listCases, type CaseListQuery, type CaseSummary } from '../shared/api.js';
import { categoryName, LIGHT_COLORS, STATE_GROUPS } from '../shared/labels.js';
import { StateTag } from '../shared/StateTag.js';
import { TimingLight } from '../shared/TimingLight.js';
import { baseStyle, sharedPolygons, LABEL_FONT, LOCAL_IDEOGRAPH_FONT, maplibregl, setData, webglAvailable, type Polygons } from './baseMap.js';
import { boundsOf, caseFeatures, gridCentres, labelPoints } from './mapData.js';
import '../pages.css';

/** The map reads at most this many cases (the newest) for one view; the list has them all. */
export const MAP_LIMIT = 1000;
const PAGE = 200;

async function loadCases(query: CaseListQuery, signal: AbortSignal): Promise<{ items: CaseSummary[]; total: number }> {
  const base = { ...query, sort: 'created_at' as const, order: 'desc' as const, pageSize: PAGE };
  const first = await listCases({ ...base, page: 1 }, signal);
  const pages = Math.min(Math.ceil(first.total / PAGE), MAP_LIMIT / PAGE);
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => listCases({ ...base, page: i + 2 }, signal)));
  return { items: [first, ...rest].flatMap((p) => p.items), total: first.total };
}

interface CasesMapProps {
  query: CaseListQuery;
  /** Changes when the list sees new data (a live update), so the map reads the cases again. */
  refreshKey: string;
  /** A panel beside other things (the community workstation): a shorter map, the legend folded to one line. */
  compact?: boolean;
}

/**
 * 案件地图: the grids of the jurisdiction with the cases of the current filters as clustered
 * markers, filled by state and ringed by timing light; a cluster with an overdue case has a red rim.
 */
export default function CasesMap({ query, refreshKey, compact = false }: CasesMapProps) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const [ready, setReady] = useState(false);
  const [grids, setGrids] = useState<Polygons | null>(null);
  const [cases, setCases] = useState<{ items: CaseSummary[]; total: number } | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [selected, setSelected] = useState<CaseSummary | null>(null);
  const [unavailable] = useState(() => !webglAvailable());
  const home = useRef<[number, number, number, number] | null>(null);

  useEffect(() => {
    if (unavailable || !container.current) return;
    const map = new maplibregl.Map({
      container: container.current,
      style: baseStyle({ 'street-labels': { type: 'geojson', data: { type: 'FeatureCollection', features: [] } }, cases: { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, cluster: true, clusterRadius: 36, clusterMaxZoom: 13, clusterProperties: { red: ['+', ['get', 'red']] } } }, [
        {
          id: 'street-labels', type: 'symbol', source: 'street-labels', maxzoom: 13,
          layout: { 'text-field': ['get', 'name'], 'text-font': LABEL_FONT, 'text-size': 12, 'text-padding': 4 },
          paint: { 'text-color': '#5b6f91', 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.4 },
        },
        {
          id: 'clusters', type: 'circle', source: 'cases', filter: ['has', 'point_count'],
          paint: {
            'circle-color': '#1650a8',
            'circle-opacity': 0.88,
            'circle-radius': ['step', ['get', 'point_count'], 14, 10, 18, 50, 23, 200, 29],
            'circle-stroke-color': ['case', ['>', ['get', 'red'], 0], LIGHT_COLORS.red, '#ffffff'],
            'circle-stroke-width': ['case', ['>', ['get', 'red'], 0], 4, 2],
          },
        },
        {
          id: 'cluster-count', type: 'symbol', source: 'cases', filter: ['has', 'point_count'],
          layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': LABEL_FONT, 'text-size': 13, 'text-allow-overlap': true },
          paint: { 'text-color': '#ffffff' },
        },
        {
          id: 'case-points', type: 'circle', source: 'cases', filter: ['!', ['has', 'point_count']],
          paint: {
            'circle-color': ['get', 'color'],
            'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 6, 16, 9],
            'circle-stroke-color': ['get', 'ring'],
            'circle-stroke-width': 3,
          },
        },
      ]),
      center: [116.66, 39.85],
      zoom: 9.5,
      minZoom: 7,
      maxZoom: 18,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT,
      locale: { 'Map.Title': t('cases.desk.map.label') },
    });
    mapRef.current = map;
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-right');
    map.on('load', () => setReady(true));
    map.on('click', 'clusters', (e) => {
      const f = e.features?.[0];
      if (!f) return;
      const source = map.getSource('cases') as maplibregl.GeoJSONSource;
      void source.getClusterExpansionZoom(Number(f.properties.cluster_id)).then((zoom) => {
        map.easeTo({ center: (f.geometry as GeoJSON.Point).coordinates as [number, number], zoom });
      });
    });
    for (const layer of ['clusters', 'case-points']) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
    }
    const observer = new ResizeObserver(() => map.resize());
    observer.observe(container.current);
    return () => {
      observer.disconnect();
      mapRef.current = null;
      map.remove();
    };
  }, [unavailable, t]);

  // the division layers, once
  useEffect(() => {
    if (!ready) return;
    const map = mapRef.current!;
    let live = true;
    void Promise.all([sharedPolygons('district'), sharedPolygons('streets'), sharedPolygons('grids')]).then(([district, streets, g]) => {
      if (!live) return;
      setData(map, 'district', district);
      setData(map, 'streets', streets);
      setData(map, 'street-labels', labelPoints(streets));
      setData(map, 'grids', g);
      setGrids(g);
      // a community panel frames the community's grids, the desk the whole jurisdiction
      const area = query.community ? { ...g, features: g.features.filter((f) => f.properties.code.startsWith(query.community!)) } : g;
      home.current = boundsOf(area.features.length ? area : district);
      if (home.current) map.fitBounds(home.current, { padding: 24, duration: 0 });
    });
    return () => {
      live = false;
    };
  }, [ready]);

  // the cases of the current filters, again whenever the list sees a change
  const queryKey = JSON.stringify(query);
  useEffect(() => {
    const controller = new AbortController();
    loadCases(query, controller.signal).then(setCases, () => undefined);
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- queryKey names the query
  }, [queryKey, refreshKey]);

  const centres = useMemo(() => (grids ? gridCentres(grids) : new Map()), [grids]);
  const placed = useMemo(() => {
    const visible = (cases?.items ?? []).filter((c) => !hidden.has(STATE_GROUPS.find((g) => g.states.includes(c.state))?.key ?? 'done'));
    return caseFeatures(visible, centres);
  }, [cases, centres, hidden]);

  useEffect(() => {
    if (ready && mapRef.current) setData(mapRef.current, 'cases', placed.collection);
  }, [ready, placed]);

  // a click on a single case shows its card beside the map (also reachable from the list view)
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const onClick = (e: maplibregl.MapLayerMouseEvent) => {
      const id = Number(e.features?.[0]?.properties.id);
      setSelected(cases?.items.find((c) => c.id === id) ?? null);
    };
    map.on('click', 'case-points', onClick);
    return () => {
      map.off('click', 'case-points', onClick);
    };
  }, [ready, cases]);

  if (unavailable) return <Alert type="warning" showIcon title={t('cases.desk.map.unavailable')} />;

  const toggle = (key: string) =>
    setHidden((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  return (
    <div className={`og-cases-map${compact ? ' og-cases-map-compact' : ''}`}>
      <div ref={container} className="og-cases-map-canvas" role="region" aria-label={t('cases.desk.map.label')} />
      {(!ready || !cases) && (
        <div className="og-map-loading" role="status">
          <Spin /> {t('cases.desk.map.loading')}
        </div>
      )}
      <Button className="og-map-home" size={compact ? 'small' : 'middle'} icon={<AimOutlined />} onClick={() => home.current && mapRef.current?.fitBounds(home.current, { padding: 24 })}>
        {t('cases.desk.map.zoomHome')}
      </Button>
      <aside className="og-map-legend" aria-label={t('cases.desk.map.legendTitle')}>
        {!compact && <div className="og-map-legend-title">{t('cases.desk.map.legendState')}</div>}
        {!compact && (
        <ul>
          {STATE_GROUPS.map((g) => (
            <li key={g.key}>
              <button type="button" aria-pressed={!hidden.has(g.key)} className={hidden.has(g.key) ? 'og-legend-off' : ''} onClick={() => toggle(g.key)}>
                <span className="og-legend-swatch" style={{ background: g.color }} aria-hidden />
                {t(`cases.desk.map.groups.${g.key}` as 'cases.desk.map.groups.intake')}
              </button>
            </li>
          ))}
        </ul>
        )}
        <div className="og-map-legend-title">{t('cases.desk.map.legendLight')}</div>
        <div className="og-legend-lights">
          {(['green', 'yellow', 'red'] as const).map((l) => (
            <span key={l}>
              <span className="og-legend-ring" style={{ borderColor: LIGHT_COLORS[l] }} aria-hidden />
              {t(`cases.shared.light.${l}`)}
            </span>
          ))}
        </div>
        {cases && cases.total > cases.items.length && (
          <div className="og-map-note">{t('cases.desk.map.truncated', { shown: cases.items.length.toLocaleString(lang), total: cases.total.toLocaleString(lang) })}</div>
        )}
        {!compact && cases?.items.some((c) => c.lon === undefined) && <div className="og-map-note">{t('cases.desk.map.atGrid')}</div>}
      </aside>
      {selected && (
        <section className="og-map-card" aria-label={selected.number}>
          <header>
            <Link to={`/cases/${selected.id}`} className="og-case-number">
              {selected.number}
            </Link>
            <Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('common.back')} onClick={() => setSelected(null)} />
          </header>
          <div className="og-map-card-tags">
            <StateTag state={selected.state} />
            <TimingLight light={selected.light} dueAt={selected.dueAt} frozen={selected.state === 'suspended'} />
          </div>
          <div className="og-case-sub">{categoryName(selected.category, lang) ?? t('cases.desk.table.noCategory')}</div>
          <p className="og-map-card-desc">{selected.description}</p>
          <Link to={`/cases/${selected.id}`}>{t('cases.desk.map.popupOpen')} →</Link>
        </section>
      )}
    </div>
  );
}
