import { useTranslation } from 'react-i18next';
import type { GeoProblem } from '../map/useGeolocation.js';
import { FieldMap, type MapArea, type Position } from '../map/FieldMap.js';
import { contains, type LonLat } from '../map/projection.js';
import { Icon } from '../ui/Icon.js';

export interface ChosenPlace extends LonLat {
  located: 'gps' | 'pin';
}

/**
 * 位置: the phone's position by default; "在地图上选点" lets the worker tap where the problem is
 * (across the road, up the lane). Says which of their grids the point is in, without a connection.
 */
export function LocationField({
  areas, position, problem, value, onChange, invalid,
}: { areas: MapArea[]; position: Position | null; problem: GeoProblem | null; value: ChosenPlace | null; onChange: (p: ChosenPlace | null) => void; invalid: boolean }) {
  const { t } = useTranslation();
  const picking = value?.located === 'pin';
  const grid = value ? areas.find((a) => contains(a.geometry, value)) : undefined;
  const anchor = value ?? position ?? areaCentre(areas);
  return (
    <div className={invalid ? 'fa-invalid' : undefined}>
      <div className="fa-segment" role="group" aria-label={t('field.report.location')}>
        <button type="button" aria-pressed={!picking} onClick={() => onChange(position ? { ...position, located: 'gps' } : null)} data-testid="loc-gps">
          <Icon name="locate" size={20} />
          {t('field.report.useGps')}
        </button>
        <button
          type="button"
          aria-pressed={picking}
          // a pin needs something to be placed against: the position, a point already chosen, or grids
          disabled={!anchor}
          onClick={() => anchor && onChange({ ...anchor, located: 'pin' })}
          data-testid="loc-pin"
        >
          <Icon name="pin" size={20} />
          {t('field.report.usePin')}
        </button>
      </div>
      <FieldMap
        areas={areas}
        position={position}
        pin={value}
        focus={value ? 'pin' : position ? 'position' : 'areas'}
        onPick={picking ? (p) => onChange({ ...p, located: 'pin' }) : undefined}
        height={230}
        label={picking ? t('field.report.pinHelp') : t('field.report.location')}
      />
      <div className="fa-where" data-testid="report-where">
        {value ? (
          <>
            {/* the worker is told whether the point is in their grids; a resident has none */}
            {areas.length > 0 && (
              <span className={grid ? 'fa-ok' : 'fa-warn-text'}>
                {grid ? t('field.report.inGrid', { name: grid.name }) : t('field.report.outsideGrids')}
              </span>
            )}
            {/* on a line of its own: a narrow phone wrapped the two into each other */}
            <span className={areas.length ? 'fa-muted' : 'fa-ok'}>
              {value.located !== 'gps' ? t('field.report.byPin') : position?.accuracy ? t('field.report.byGps', { m: Math.round(position.accuracy) }) : t('field.report.byGpsNoAccuracy')}
            </span>
          </>
        ) : (
          <span className="fa-muted">{problem ? t(`field.geo.${problem}`) : t('field.geo.locating')}</span>
        )}
      </div>
      {picking && <p className="fa-hint">{t('field.report.pinHelp')}</p>}
    </div>
  );
}

function areaCentre(areas: MapArea[]): LonLat | null {
  const first = areas[0];
  if (!first) return null;
  const ring = first.geometry.type === 'Polygon' ? first.geometry.coordinates[0] : first.geometry.coordinates[0]?.[0];
  if (!ring?.length) return null;
  return { lon: ring.reduce((s, p) => s + p[0]!, 0) / ring.length, lat: ring.reduce((s, p) => s + p[1]!, 0) / ring.length };
}
