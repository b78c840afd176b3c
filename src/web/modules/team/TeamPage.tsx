import { ApartmentOutlined, SolutionOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { Col, Flex, Row } from 'antd';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { FORCES, type Force } from '../../../shared/team.js';
import { useDocumentTitle, useRequest } from '../../app/hooks.js';
import { currentLanguage } from '../../app/i18n.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { StatCard } from '../../ui/StatCard.js';
import { fetchTeamCounts, type TeamQuery } from './api.js';
import { forceLabel } from './labels.js';
import { nameStreetRows, parseTeamQuery, sumCounts, teamQueryParams } from './summary.js';
import { TeamCounts } from './TeamCounts.js';
import { TeamMembers } from './TeamMembers.js';
import './team.css';

const FORCE_ICON: Record<Force, React.ReactNode> = { fulltime: <UserOutlined />, social: <TeamOutlined />, professional: <SolutionOutlined /> };

/** /team — the grid team (网格工作团队): its three forces by area, and the people in it. */
export default function TeamPage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [params, setParams] = useSearchParams();
  useDocumentTitle(t('team.title'));

  const query = useMemo(() => parseTeamQuery(params), [params]);
  const setQuery = useCallback(
    (next: Partial<TeamQuery>) => {
      // a new filter starts again from the first page
      const merged = { ...query, ...next, page: next.page ?? 1 };
      setParams(teamQueryParams(merged));
    },
    [query, setParams],
  );

  const counts = useRequest(async (signal) => {
    const [streets, communities] = await Promise.all([fetchTeamCounts('street', signal), fetchTeamCounts('community', signal)]);
    return { streets, communities: nameStreetRows(communities, streets, t('team.counts.acrossCommunities')) };
  }, [t]);

  // Community rows cover every member, street rows miss a community user's; count from the finest.
  const totals = useMemo(() => (counts.data ? sumCounts(counts.data.communities.length ? counts.data.communities : counts.data.streets) : null), [counts.data]);
  const areaNames = useMemo(() => {
    const names = new Map<string, string>();
    for (const row of [...(counts.data?.communities ?? []), ...(counts.data?.streets ?? [])]) names.set(row.code, row.name);
    return names;
  }, [counts.data]);
  const nf = new Intl.NumberFormat(lang);
  const percent = (part: number) => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(totals && totals.total ? part / totals.total : 0);

  return (
    <Flex vertical gap={16}>
      <PageHeader title={t('team.title')} subtitle={t('team.subtitle')} breadcrumb={[{ title: t('nav.home'), to: '/' }, { title: t('team.title') }]} />
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <StatCard
            label={t('team.stats.total')}
            icon={<ApartmentOutlined />}
            loading={!totals}
            value={totals ? nf.format(totals.total) : ''}
            unit={t('team.stats.unit')}
            hint={totals ? t('team.stats.gridHeads', { count: nf.format(totals.heads) }) : undefined}
          />
        </Col>
        {FORCES.map((force) => (
          <Col xs={12} lg={6} key={force}>
            <StatCard
              label={forceLabel(force, lang)}
              icon={FORCE_ICON[force]}
              loading={!totals}
              value={totals ? nf.format(totals[force]) : ''}
              unit={t('team.stats.unit')}
              hint={totals ? t('team.stats.share', { percent: percent(totals[force]) }) : undefined}
            />
          </Col>
        ))}
      </Row>
      <TeamCounts
        streets={counts.data?.streets ?? null}
        communities={counts.data?.communities ?? null}
        loading={counts.status === 'loading'}
        onPickArea={(area) => {
          setQuery({ area });
          document.getElementById('og-team-members')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
        }}
      />
      <div id="og-team-members">
        <TeamMembers query={query} onQuery={setQuery} areaNames={areaNames} onChanged={counts.reload} />
      </div>
    </Flex>
  );
}
