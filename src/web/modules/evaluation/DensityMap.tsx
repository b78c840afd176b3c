import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useRequest } from '../../app/hooks.js';
import { sharedLayer } from '../map/api.js';
import type { Dashboard } from './api.js';
import { drillsInto, heatOption, mapOption, mapPrefix } from './charts.js';
import { chartText } from './chartText.js';
import { EChart } from './EChart.js';
import { langOf } from './format.js';

/**
 * Where problems are, drawn offline from the division shapes (no map tiles): the choropleth (分布图)
 * shades the area's communities (inside a community, its grids) by reports per km²; the heat map
 * (热力图) glows where grids have many reports.
 */
export function DensityMap({ data, onArea, mode }: { data: Dashboard; onArea: (code: string) => void; mode: 'choropleth' | 'heat' }) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const prefix = mapPrefix(data);
  const at = layerMoment(data);
  const shapes = useRequest(() => sharedLayer(data.map.layer, undefined, at), [data.map.layer, at]);
  const mapName = `og-${data.map.layer}-${prefix}${at === undefined ? '' : `-${at}`}`;
  const geo = useMemo(() => {
    if (!shapes.data) return null;
    return { type: 'FeatureCollection', features: shapes.data.features.filter((f) => String(f.properties.code).startsWith(prefix)) };
  }, [shapes.data, prefix]);
  const prepare = useCallback((ec: { registerMap: (name: string, geo: never) => void }) => {
    if (geo) ec.registerMap(mapName, geo as never);
  }, [geo, mapName]);
  const option = useMemo(() => {
    if (!geo || !geo.features.length) return null;
    return mode === 'heat' ? heatOption(data, mapName, lang) : mapOption(data, mapName, t('evaluation.dashboard.perKm2'));
  }, [geo, data, mapName, t, mode, lang]);
  return (
    <EChart
      option={option}
      prepare={prepare}
      height={440}
      label={chartText('map', data, lang, t)}
      testId={`density-map-${mode}`}
      // a community or grid of the area: drill into it (a grid inside a community opens the grid)
      onClick={(e) => drillsInto(data, e.name) && onArea(e.name)}
    />
  );
}

/**
 * A past period's grids and communities are drawn as they stood at its end (Beijing time): a grid
 * retired or reshaped since, or a community merged since, keeps its figures on the map. Today's for
 * a period still running.
 */
export function layerMoment(data: Pick<Dashboard, 'range'>, now = Date.now()): number | undefined {
  const end = Date.parse(`${data.range.to}T00:00:00+08:00`) + 86_400_000 - 1;
  return Number.isFinite(end) && end < now ? end : undefined;
}
