import { DownOutlined, UpOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COLORS, STREET_TONES } from './mapStyle.js';

type Swatch = { key: string; labelKey: 'district' | 'street' | 'community' | 'grid' | 'selected' | 'overlap' | 'gap' | 'outside'; style: React.CSSProperties; round?: boolean };

const LINES: Swatch[] = [
  { key: 'district', labelKey: 'district', style: { borderTop: `3px solid ${COLORS.districtLine}`, boxShadow: `0 0 0 3px ${COLORS.districtLine}22` } },
  { key: 'street', labelKey: 'street', style: { borderTop: `2px solid ${COLORS.streetLine}`, background: STREET_TONES[0] } },
  { key: 'community', labelKey: 'community', style: { borderTop: `1.5px solid ${COLORS.communityLine}` } },
  { key: 'grid', labelKey: 'grid', style: { borderTop: `1px solid ${COLORS.gridLine}` } },
  { key: 'selected', labelKey: 'selected', style: { border: `2px solid ${COLORS.selected}`, background: `${COLORS.selected}29` } },
];

const PROBLEMS: Swatch[] = [
  { key: 'overlap', labelKey: 'overlap', style: { background: COLORS.overlap }, round: true },
  { key: 'gap', labelKey: 'gap', style: { background: COLORS.gap }, round: true },
  { key: 'outside', labelKey: 'outside', style: { background: COLORS.outside }, round: true },
];

/** What the lines and markers mean; folds away on small screens where the map needs the room. */
export function MapLegend({ coverage }: { coverage: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(() => window.matchMedia('(min-width: 768px)').matches);
  const items = coverage ? [...LINES, ...PROBLEMS] : LINES;
  return (
    <section className="og-map-legend" aria-labelledby="og-map-legend-title">
      <Button
        type="text"
        size="small"
        className="og-map-legend-toggle"
        onClick={() => setOpen((v) => !v)}
        aria-expanded={open}
        aria-controls="og-map-legend-items"
        title={open ? t('map.legend.hide') : t('map.legend.show')}
      >
        <span id="og-map-legend-title">{t('map.legend.title')}</span>
        {open ? <DownOutlined /> : <UpOutlined />}
      </Button>
      {open && (
        <>
          <ul id="og-map-legend-items" className="og-map-legend-items">
            {items.map((item) => (
              <li key={item.key}>
                <span className={item.round ? 'og-legend-dot' : 'og-legend-swatch'} style={item.style} aria-hidden />
                {t(`map.legend.${item.labelKey}`)}
              </li>
            ))}
          </ul>
          <p className="og-map-legend-hint">{t('map.legend.zoomHint')}</p>
        </>
      )}
    </section>
  );
}
