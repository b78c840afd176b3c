import { CompressOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Grid, Spin, Switch, Tooltip } from 'antd';
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../app/auth.js';
import { describeError } from '../../app/errors.js';
import { useDocumentTitle, useRequest } from '../../app/hooks.js';
import { currentLanguage } from '../../app/i18n.js';
import { usePublicConfig } from '../../app/publicConfig.js';
import { ErrorState } from '../../ui/EmptyState.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { preloadable } from '../../app/preloadable.js';
import { fetchCoverage, fetchGridCard, fetchLayer, LAYER_NAMES, type BBox, type SearchHit } from './api.js';
import { coverageMarkers, coverageRows, formatM2, type CoverageRow } from './coverage.js';
import { CoverageSummary } from './CoverageSummary.js';
import { bboxOf } from './geometry.js';
import { GridCard } from './GridCard.js';
import type { GridMapHandle, MapFocus, MapLayers, ZoomBand } from './GridMap.js';
import { MapLegend } from './MapLegend.js';
import { MapSearch } from './MapSearch.js';
import './map.css';

// MapLibre is 1 MB: it arrives in its own chunk while the layers load, and the page around it shows at once.
const GridMap = preloadable(() => import('./GridMap.js'));
void GridMap.preload().catch(() => undefined); // a failure shows where the map would be

/** /map — the district's one net: streets, communities and grids by zoom, search, grid cards, coverage. */
export default function MapPage() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  const { can } = useAuth();
  const config = usePublicConfig();
  const screens = Grid.useBreakpoint();
  const [params, setParams] = useSearchParams();
  const mapRef = useRef<GridMapHandle>(null);
  useDocumentTitle(t('map.title'));

  const nf = useMemo(() => new Intl.NumberFormat(lang), [lang]);
  const selectedCode = params.get('grid');
  const coverageOn = params.get('coverage') === '1' && can('grids.manage');
  const [band, setBand] = useState<ZoomBand>('streets');
  const [mapUnavailable, setMapUnavailable] = useState(false);
  const [showBasemap, setShowBasemap] = useState(true);
  // A grid chosen by search or by link is flown to; one clicked on the map is already in view.
  const flyToCard = useRef(selectedCode !== null);
  const [focus, setFocus] = useState<MapFocus | null>(null);
  const [focusCard, setFocusCard] = useState(false);

  const layers = useRequest<MapLayers>(async (signal) => {
    const [district, streets, communities, grids] = await Promise.all(LAYER_NAMES.map((layer) => fetchLayer(layer, signal)));
    return { district: district!, streets: streets!, communities: communities!, grids: grids! };
  }, []);
  const emptyLayers = useMemo<MapLayers>(() => ({ district: null, streets: null, communities: null, grids: null }), []);
  const home = useMemo<BBox | null>(() => {
    const l = layers.data;
    return l ? (bboxOf(l.grids) ?? bboxOf(l.communities) ?? bboxOf(l.streets) ?? bboxOf(l.district)) : null;
  }, [layers.data]);

  const card = useRequest((signal) => (selectedCode ? fetchGridCard(selectedCode, signal) : Promise.resolve(null)), [selectedCode]);
  useEffect(() => {
    if (card.status !== 'ok' || !card.data?.bbox || !flyToCard.current) return;
    flyToCard.current = false;
    setFocus({ bbox: card.data.bbox, maxZoom: 14.6 });
  }, [card.status, card.data]);

  const coverage = useRequest((signal) => (coverageOn ? fetchCoverage(undefined, signal) : Promise.resolve(null)), [coverageOn]);
  const markers = useMemo(() => {
    if (!coverageOn || !coverage.data) return null;
    return coverageMarkers(coverageRows(coverage.data), (row) => t('map.coverage.marker', { kind: t(`map.coverage.${row.kind}`), area: formatM2(row.areaM2, lang) }));
  }, [coverageOn, coverage.data, t, lang]);

  // ?at=lon,lat (from the import page's "locate") flies there once the map is up.
  const at = params.get('at');
  useEffect(() => {
    if (!at) return;
    const [lon, lat] = at.split(',').map(Number);
    if (Number.isFinite(lon) && Number.isFinite(lat)) setFocus({ center: [lon!, lat!], zoom: 15 });
  }, [at]);

  const setParam = useCallback(
    (key: string, value: string | null) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (value === null) next.delete(key);
          else next.set(key, value);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  const openGrid = useCallback(
    (code: string, fromKeyboard: boolean) => {
      flyToCard.current = fromKeyboard;
      setFocusCard(fromKeyboard);
      setParam('grid', code);
    },
    [setParam],
  );
  const closeCard = useCallback(() => setParam('grid', null), [setParam]);

  const onSearch = (hit: SearchHit) => {
    if (hit.level === 0) return openGrid(hit.code, true);
    if (hit.bbox) setFocus({ bbox: hit.bbox, maxZoom: hit.level >= 20 ? 12.4 : 14 });
  };
  const locate = (row: CoverageRow) => setFocus({ center: row.location, zoom: 15 });

  useEffect(() => {
    if (!selectedCode) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && closeCard();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectedCode, closeCard]);

  // The card is a side panel on wide screens and a bottom sheet on phones (see map.css).
  const phone = screens.md === false;
  const stageRef = useRef<HTMLDivElement>(null);
  const cardInset = useMemo(
    () =>
      selectedCode
        ? phone
          ? { right: 0, bottom: Math.round((stageRef.current?.clientHeight ?? 500) * 0.55) }
          : { right: screens.xxl ? 440 : 400, bottom: 0 }
        : { right: 0, bottom: 0 },
    [selectedCode, phone, screens.xxl],
  );

  const basemapUrl = config?.basemapUrl ?? null;
  const toolbar = (
    <>
      <Tooltip title={t('map.toolbar.fitAllHint')}>
        <Button icon={<CompressOutlined />} onClick={() => mapRef.current?.fitHome()} disabled={!home}>
          {t('map.toolbar.fitAll')}
        </Button>
      </Tooltip>
      {basemapUrl && (
        <label className="og-map-switch">
          <Switch size="small" checked={showBasemap} onChange={setShowBasemap} /> {t('map.toolbar.basemap')}
        </label>
      )}
      {can('grids.manage') && (
        <Tooltip title={t('map.toolbar.coverageHint')}>
          <label className="og-map-switch">
            <Switch size="small" checked={coverageOn} onChange={(on) => setParam('coverage', on ? '1' : null)} data-testid="coverage-toggle" />
            <SafetyCertificateOutlined /> {t('map.toolbar.coverage')}
          </label>
        </Tooltip>
      )}
    </>
  );

  return (
    <div className="og-map-page">
      <PageHeader title={t('map.title')} subtitle={screens.md ? t('map.subtitle') : undefined} breadcrumb={[{ title: t('nav.home'), to: '/' }, { title: t('map.title') }]} extra={toolbar} />
      <div className={`og-map-stage${selectedCode ? ' og-map-stage-with-card' : ''}`} ref={stageRef}>
        {mapUnavailable ? (
          <Alert type="warning" showIcon title={t('map.webglMissing')} className="og-map-unavailable" />
        ) : (
          <Suspense fallback={<div className="og-map-overlay"><Spin /></div>}>
            <GridMap
              key={i18n.language}
              ref={mapRef}
              layers={layers.data ?? emptyLayers}
              home={home}
              basemapUrl={basemapUrl}
              showBasemap={showBasemap}
              selectedCode={selectedCode}
              coverage={markers}
              onPickGrid={(code) => openGrid(code, false)}
              onZoomBand={setBand}
              onUnavailable={() => setMapUnavailable(true)}
              cardInset={cardInset}
              focus={focus}
            />
          </Suspense>
        )}

        <div className="og-map-float og-map-float-search">
          <MapSearch onGo={onSearch} />
          {!mapUnavailable && layers.data && (
            <div className="og-map-chips">
              <span className="og-map-band" aria-live="polite">{t(`map.level.${band}`)}</span>
              <span className="og-map-band og-map-counts" data-testid="map-counts">
                {(['streets', 'communities', 'grids'] as const)
                  .map((layer) => [layer, layers.data?.[layer]?.features.length ?? 0] as const)
                  .filter(([, count]) => count > 0)
                  .map(([layer, count]) => t(`map.counts.${layer}`, { n: nf.format(count) }))
                  .join(' · ')}
              </span>
            </div>
          )}
          {coverageOn && (
            <Card size="small" className="og-map-coverage-panel" title={t('map.coverage.title')} extra={<Button type="text" size="small" onClick={() => setParam('coverage', null)} aria-label={t('map.coverage.close')}>×</Button>}>
              {coverage.status === 'error' ? (
                <Alert type="error" title={describeError(coverage.error, t, i18n.language)} />
              ) : coverage.data ? (
                <CoverageSummary report={coverage.data} onLocate={locate} compact />
              ) : (
                <div className="og-map-coverage-running" role="status">
                  <Spin size="small" /> {t('map.coverage.running')}
                </div>
              )}
            </Card>
          )}
        </div>

        {layers.status === 'loading' && !layers.data && (
          <div className="og-map-overlay" role="status">
            <Spin />
            <span>{t('map.loading')}</span>
          </div>
        )}
        {layers.status === 'error' && (
          <div className="og-map-overlay">
            <ErrorState title={t('map.loadFailed')} message={describeError(layers.error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={layers.reload} />
          </div>
        )}

        <MapLegend coverage={coverageOn} />

        {selectedCode && (
          <aside className="og-grid-card" aria-label={t('map.card.title')}>
            <GridCard request={card} onClose={closeCard} focusOnOpen={focusCard} />
          </aside>
        )}
      </div>
    </div>
  );
}
