import { ApartmentOutlined, BankOutlined, BorderOutlined, ExpandOutlined, HomeOutlined } from '@ant-design/icons';
import { Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/errors.js';
import { currentLanguage, joinNames } from '../../app/i18n.js';
import { useRequest } from '../../app/hooks.js';
import { ErrorState } from '../../ui/EmptyState.js';
import { StatCard } from '../../ui/StatCard.js';
import type { DivisionLevel } from './api.js';
import { areaParts, levelName } from './format.js';
import { fetchJurisdictionSummary } from './summary.js';

const LEVEL_ICONS: Record<DivisionLevel, typeof BankOutlined> = {
  40: BankOutlined,
  30: BankOutlined,
  20: ApartmentOutlined,
  10: HomeOutlined,
  0: BorderOutlined,
};

const PLACEHOLDER_COUNTS: { level: DivisionLevel; count: number }[] = [
  { level: 20, count: 0 },
  { level: 10, count: 0 },
];

/** Headline figures of the user's jurisdiction, for the home page. */
export function JurisdictionOverview() {
  const { t, i18n } = useTranslation();
  const summary = useRequest((signal) => fetchJurisdictionSummary(signal), []);
  const lang = i18n.language;

  if (summary.status === 'error') {
    return (
      <ErrorState title={t('common.loadFailed')} message={describeError(summary.error, t, lang)} retryLabel={t('common.retry')} onRetry={summary.reload} />
    );
  }
  const data = summary.data;
  const loading = !data;
  const rootNames = data ? joinNames(data.roots.map((r) => r.name), currentLanguage()) : '';
  const area = data && data.areaM2 !== null ? areaParts(data.areaM2, t, lang) : null;
  const counts = data?.counts ?? PLACEHOLDER_COUNTS;
  // Jurisdiction + one card per level + area, laid out so no row is left half empty.
  const cards = counts.length + 2;
  const span = { xs: 24, sm: cards === 3 ? 8 : 12, xxl: Math.floor(24 / cards) };
  const countSpan = { ...span, xs: counts.length % 2 === 0 ? 12 : 24 };

  return (
    <Row gutter={[16, 16]}>
      <Col {...span}>
        <StatCard
          loading={loading}
          icon={<BankOutlined />}
          label={t('home.jurisdiction')}
          value={<span className="og-stat-text" title={rootNames}>{rootNames || t('common.none')}</span>}
          hint={data?.roots[0] ? levelName(data.roots[0].level, t) : undefined}
        />
      </Col>
      {counts.map(({ level, count }) => {
        const Icon = LEVEL_ICONS[level];
        return (
          <Col {...countSpan} key={level}>
            <StatCard loading={loading} icon={<Icon />} label={levelName(level, t)} value={count.toLocaleString(lang)} unit={t('home.unitCount')} />
          </Col>
        );
      })}
      <Col {...span}>
        <StatCard
          loading={loading}
          icon={<ExpandOutlined />}
          label={t('home.area')}
          value={area ? area.value : '—'}
          unit={area?.unit}
          hint={area ? undefined : t('divisions.areaUnknown')}
        />
      </Col>
    </Row>
  );
}
