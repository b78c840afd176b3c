import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { FORCE_LABELS, TEAM_ROLES, type TeamRole } from '../../../../shared/team.js';
import { currentLanguage } from '../../../app/i18n.js';
import { useRequest } from '../../../app/hooks.js';
import { fetchChildren, fetchTeam, type TeamMember } from '../api.js';
import type { CaseSummary } from '../shared/api.js';
import { LIGHT_COLORS } from '../shared/labels.js';

interface GridRow {
  code: string;
  name: string;
  open: number;
  red: number;
}

/** The community's grids with how many open cases lie in each, overdue ones counted apart. */
export function GridsTab({ community, cases, mapLink, casesLink }: { community: string; cases: readonly CaseSummary[]; mapLink: string | null; casesLink: string | null }) {
  const { t } = useTranslation();
  const grids = useRequest(() => fetchChildren(community), [community]);
  const rows: GridRow[] = (grids.data ?? []).map((g) => {
    const mine = cases.filter((c) => c.gridCode === g.code);
    return { code: g.code, name: g.name, open: mine.length, red: mine.filter((c) => c.light === 'red').length };
  });
  return (
    <Table<GridRow>
      size="small"
      rowKey="code"
      loading={grids.status === 'loading'}
      dataSource={rows}
      pagination={false}
      locale={{ emptyText: t('cases.community.gridsEmpty') }}
      columns={[
        { key: 'name', title: t('cases.community.grid'), dataIndex: 'name' },
        { key: 'code', title: t('cases.community.gridCode'), dataIndex: 'code', responsive: ['sm'], render: (v: string) => <span className="og-code">{v}</span> },
        {
          key: 'open',
          title: t('cases.community.openCases'),
          dataIndex: 'open',
          align: 'right',
          render: (n: number, g) => (!n ? <span className="og-muted">0</span> : casesLink ? <Link to={`${casesLink}?grid=${g.code}&status=open`}>{n}</Link> : n),
        },
        {
          key: 'red',
          title: t('cases.community.redCases'),
          dataIndex: 'red',
          align: 'right',
          render: (n: number) => (n ? <strong style={{ color: LIGHT_COLORS.red }}>{n}</strong> : <span className="og-muted">0</span>),
        },
        ...(mapLink
          ? [{ key: 'map', title: '', render: (_: unknown, g: GridRow) => <Link to={`${mapLink}?grid=${g.code}`}>{t('cases.community.viewOnMap')}</Link> }]
          : []),
      ]}
    />
  );
}

/** The grid team of the community (phones masked unless the reader may see them). */
export function TeamTab({ community, teamLink }: { community: string; teamLink: string | null }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const team = useRequest((signal) => fetchTeam(community, 1, 100, signal), [community]);
  return (
    <>
      <Table<TeamMember>
        size="small"
        rowKey="id"
        loading={team.status === 'loading'}
        dataSource={team.data?.items ?? []}
        pagination={{ pageSize: 12, size: 'small', hideOnSinglePage: true }}
        locale={{ emptyText: t('cases.community.teamEmpty') }}
        columns={[
          { key: 'name', title: t('cases.community.teamName'), dataIndex: 'name' },
          { key: 'role', title: t('cases.community.teamRole'), render: (_, m) => { const r = TEAM_ROLES[m.role as TeamRole]; return r ? (lang === 'en' ? r.en : r.zh) : m.role; } },
          { key: 'force', title: t('cases.community.teamForce'), responsive: ['xxl'], render: (_, m) => (lang === 'en' ? FORCE_LABELS[m.force].en : FORCE_LABELS[m.force].zh) },
          { key: 'phone', title: t('cases.community.teamPhone'), dataIndex: 'phone', responsive: ['sm'], render: (v: string | null) => v ?? '—' },
          { key: 'grids', title: t('cases.community.teamGrids'), responsive: ['lg'], render: (_, m) => m.gridCodes.map((g) => g.slice(12)).join('、') },
        ]}
      />
      <div className="og-team-foot">
        {team.data && <span className="og-muted">{t('cases.community.teamTotal', { total: team.data.total })}</span>}
        {teamLink && <Link to={`${teamLink}?area=${community}`}>{t('cases.community.openTeamPage')} →</Link>}
      </div>
    </>
  );
}
