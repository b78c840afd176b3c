import { Card, Cascader, Col, Row, Tabs } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../../app/auth.js';
import { currentLanguage } from '../../../app/i18n.js';
import { useDocumentTitle, useRequest } from '../../../app/hooks.js';
import { MENU } from '../../../app/menu.js';
import { EmptyState } from '../../../ui/EmptyState.js';
import { PageHeader } from '../../../ui/PageHeader.js';
import { fetchChildren, fetchTopDivisions, type DivisionRow } from '../api.js';
import { listCases } from '../shared/api.js';
import { useCaseChanges } from '../shared/live.js';
import { CommunityCases } from './CommunityCases.js';
import { GridsTab, TeamTab } from './CommunityTabs.js';
import '../pages.css';

const CasesMap = lazy(() => import('../map/CasesMap.js'));

/** The community a reader works in by grant, or the one they pick (street and district staff look after many). */
function useCommunityChoice(): [string | null, (code: string | null) => void, DivisionRow[] | null] {
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const own = user.grants.map((g) => g.divisionCode).find((c) => c?.length === 12) ?? null;
  const chosen = params.get('community');
  const code = chosen && /^\d{12}$/.test(chosen) ? chosen : own;
  const [streets, setStreets] = useState<DivisionRow[] | null>(null);
  useEffect(() => {
    let live = true;
    fetchTopDivisions()
      .then(async (tops) => {
        const out: DivisionRow[] = [];
        for (const top of tops) {
          if (top.level >= 30) out.push(...(await fetchChildren(top.code)));
          else if (top.level === 20) out.push(top);
        }
        if (live) setStreets(out);
      })
      .catch(() => live && setStreets([]));
    return () => {
      live = false;
    };
  }, []);
  const set = (next: string | null) => setParams(next ? { community: next } : {});
  return [code, set, streets];
}

/** A menu entry another module has added (the map, the team), if the reader may open it. */
export function useModuleLink(key: string): string | null {
  const { can } = useAuth();
  const entry = MENU.find((e) => e.key === key);
  return entry && (entry.permission === null || can(entry.permission)) ? entry.path : null;
}

/**
 * 社区工作站: one community's open cases (with what waits for 核实 and 核查), its grids with their
 * case counts, and its grid team; links to the map and team pages where those exist.
 */
export default function CommunityPage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [code, setCode, streets] = useCommunityChoice();
  const [communities, setCommunities] = useState<Record<string, DivisionRow[]>>({});
  const open = useRequest((signal) => (code ? listCases({ community: code, status: 'open', sort: 'due_at', order: 'asc', pageSize: 200 }, signal) : Promise.resolve(null)), [code]);
  const reload = open.reload;
  useCaseChanges(() => reload());

  const street = code?.slice(0, 9);
  useEffect(() => {
    if (street && !communities[street]) void fetchChildren(street).then((kids) => setCommunities((prev) => ({ ...prev, [street]: kids })));
  }, [street, communities]);
  const name = (street && communities[street]?.find((d) => d.code === code)?.name) ?? code ?? '';
  useDocumentTitle(code ? `${t('cases.community.title')} · ${name}` : t('cases.community.title'));

  const options = useMemo(
    () => (streets ?? []).map((s) => ({ value: s.code, label: s.name, isLeaf: s.level <= 10, children: communities[s.code]?.map((c) => ({ value: c.code, label: c.name })) })),
    [streets, communities],
  );
  const items = open.data?.items ?? [];
  const stats = {
    open: open.data?.total ?? 0,
    toVerify: items.filter((c) => c.state === 'pending_verification').length,
    toCheck: items.filter((c) => c.state === 'pending_check').length,
    red: items.filter((c) => c.light === 'red').length,
  };
  const mapQuery = useMemo(() => ({ community: code ?? undefined, status: 'open' as const }), [code]);
  const mapLink = useModuleLink('map');
  const teamLink = useModuleLink('team');
  // the command centre's list, for those who may open it (community staff work from this page)
  const casesLink = useModuleLink('cases');
  const canPick = (streets?.length ?? 0) > 0 && !(streets?.length === 1 && streets[0]!.level === 10);

  return (
    <div className="og-community">
      <PageHeader
        title={code ? `${t('cases.community.title')} · ${name}` : t('cases.community.title')}
        extra={
          canPick && (
            <Cascader
              className="og-community-picker"
              aria-label={t('cases.community.choose')}
              placeholder={t('cases.community.choosePlaceholder')}
              options={options}
              value={code ? [code.slice(0, 9), code] : undefined}
              loadData={(path) => {
                const s = path[path.length - 1];
                if (s && typeof s.value === 'string') void fetchChildren(s.value).then((kids) => setCommunities((prev) => ({ ...prev, [s.value as string]: kids })));
              }}
              onChange={(path) => setCode(((path as string[] | undefined)?.at(-1) as string | undefined) ?? null)}
              allowClear={false}
            />
          )
        }
      />
      {!code ? (
        <Card>
          <EmptyState title={t('cases.community.noCommunity')} description={t('cases.community.noCommunityHint')} />
        </Card>
      ) : (
        <>
          <ul className="og-stat-tiles" aria-label={t('cases.community.title')}>
            {(['open', 'toVerify', 'toCheck', 'red'] as const).map((k) => (
              <li key={k} className={k === 'red' && stats.red ? 'og-stat-red' : undefined}>
                <span className="og-queue-label">{t(`cases.community.stats.${k}`)}</span>
                <span className="og-queue-count">{open.data ? stats[k].toLocaleString(lang) : '–'}</span>
              </li>
            ))}
          </ul>
          {open.data && open.data.total > items.length && <div className="og-muted">{t('cases.community.casesCapped', { count: items.length })}</div>}
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={15}>
              <Card size="small" className="og-case-card">
                <Tabs
                  items={[
                    { key: 'cases', label: t('cases.community.tabs.cases'), children: <CommunityCases community={code} /> },
                    { key: 'grids', label: t('cases.community.tabs.grids'), children: <GridsTab community={code} cases={items} mapLink={mapLink} casesLink={casesLink} /> },
                    { key: 'team', label: t('cases.community.tabs.team'), children: <TeamTab community={code} teamLink={teamLink} /> },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={9}>
              <Suspense fallback={<div className="og-cases-map og-cases-map-compact" />}>
                <CasesMap compact query={mapQuery} refreshKey={`${open.data?.total ?? 0}:${items.map((c) => c.version).join(',')}`} />
              </Suspense>
            </Col>
          </Row>
          {casesLink && (
            <Link to={`${casesLink}?community=${code}&status=open`} className="og-community-more">
              {t('cases.community.allCases')} →
            </Link>
          )}
        </>
      )}
    </div>
  );
}
