import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useRequest } from '../../app/hooks.js';
import { fetchLayer, type DivisionCollection } from '../map/api.js';
import type { Dashboard } from './api.js';
import { mapOption } from './charts.js';
import { EChart } from './EChart.js';

/**
 * The choropleth (分布图) of problem density: the area's communities (or, inside a community, its
 * grids) shaded by reports per km², drawn offline from the division shapes — no map tiles.
 */
const layers = new Map<string, Promise<DivisionCollection>>();
function layer(name: 'communities' | 'grids'): Promise<DivisionCollection> {
  let p = layers.get(name);
  if (!p) {
    p = fetchLayer(name);
    p.catch(() => layers.delete(name));
    layers.set(name, p);
  }
  return p;
}

export function DensityMap({ data, onArea }: { data: Dashboard; onArea: (code: string) => void }) {
  const { t } = useTranslation();
  const prefix = data.map.layer === 'grids' ? data.map.focus.slice(0, 12) : data.map.focus;
  const shapes = useRequest(() => layer(data.map.layer), [data.map.layer]);
  const mapName = `og-${data.map.layer}-${prefix}`;
  const geo = useMemo(() => {
    if (!shapes.data) return null;
    return { type: 'FeatureCollection', features: shapes.data.features.filter((f) => String(f.properties.code).startsWith(prefix)) };
  }, [shapes.data, prefix]);
  const prepare = useCallback((ec: { registerMap: (name: string, geo: never) => void }) => {
    if (geo) ec.registerMap(mapName, geo as never);
  }, [geo, mapName]);
  const option = useMemo(() => (geo && geo.features.length ? mapOption(data, mapName, t('evaluation.dashboard.perKm2')) : null), [geo, data, mapName, t]);
  return (
    <EChart
      option={option}
      prepare={prepare}
      height={440}
      label={t('evaluation.dashboard.map')}
      testId="density-map"
      onClick={(e) => {
        const code = e.name;
        // a community or grid of the area: drill into it (a grid inside a community opens the grid)
        if (code && code !== data.area.code && code.startsWith(prefix)) onArea(code);
      }}
    />
  );
}
