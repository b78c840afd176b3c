import { EnvironmentOutlined, ReloadOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Button, Segmented } from 'antd';
import { lazy, Suspense, useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../../app/auth.js';
import { describeError } from '../../../app/errors.js';
import { grantScope } from '../../../app/grants.js';
import { FullPageSpinner } from '../../../app/guards.js';
import { useDocumentTitle, useRequest } from '../../../app/hooks.js';
import { EmptyState, ErrorState } from '../../../ui/EmptyState.js';
import { PageHeader } from '../../../ui/PageHeader.js';
import { useAreaNames } from '../hooks.js';
import { listCases, type Queue } from '../shared/api.js';
import { useCaseChanges } from '../shared/live.js';
import { LiveBadge } from '../shared/LiveBadge.js';
import { CaseTable, type TableChange } from './CaseTable.js';
import { hasFilters, listQuery, serializeView, withFilter, type QueueView } from './filters.js';
import { QueueFilters } from './QueueFilters.js';
import { arrivedList, fetchTileCounts, viewOf, WITH_HOLDERS } from './data.js';
import { isWithHolders, QueueTabs, type QueueChoice } from './QueueTabs.js';
import '../pages.css';

const CasesMap = lazy(() => import('../map/CasesMap.js'));

/** How long a burst of live changes is gathered before the list is read again. */
const LIVE_DEBOUNCE_MS = 600;

/**
 * 指挥中心: the work lists of a district centre or street sub-centre, their counts, filters, and the
 * same cases as a map; everything refreshes by itself when a case changes in the jurisdiction.
 */
export default function QueuePage() {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  // with nothing chosen, a dispatcher starts on every open case, the most overdue first
  const view = useMemo(() => viewOf(params), [params]);
  const query = useMemo(() => listQuery(view), [view]);
  const queryKey = JSON.stringify(query);
  const [highlight, setHighlight] = useState<ReadonlySet<number>>(new Set());

  const list = useRequest((signal) => listCases(query, signal), [queryKey], () => arrivedList(query));
  const counts = useRequest((signal) => fetchTileCounts(signal), []);
  // a live refresh keeps the rows on screen; only a new query shows the spinner
  const shownKey = useRef<string | null>(null);
  if (list.status === 'ok') shownKey.current = queryKey;
  const names = useAreaNames(list.data?.items.map((c) => c.gridCode) ?? []);

  const pending = useRef(new Set<number>());
  const timer = useRef<number | null>(null);
  const reloadCounts = counts.reload;
  const reloadList = list.reload;
  useCaseChanges(
    useCallback(
      (change) => {
        if (change) pending.current.add(change.id);
        if (timer.current !== null) return;
        timer.current = window.setTimeout(() => {
          timer.current = null;
          setHighlight(new Set(pending.current));
          pending.current.clear();
          reloadCounts();
          reloadList();
        }, LIVE_DEBOUNCE_MS);
      },
      [reloadCounts, reloadList],
    ),
  );

  const setView = (next: QueueView) => setParams(serializeView(next));
  const change = (c: Partial<QueueView>) => setView(withFilter(view, c));
  const active: QueueChoice = view.queue ?? (isWithHolders(view.state) ? 'with_holders' : view.status === 'open' ? 'open' : 'all');
  const selectQueue = (choice: QueueChoice) => {
    const reset = { sort: undefined, order: undefined };
    if (choice === 'with_holders') change({ ...reset, queue: undefined, status: undefined, state: [...WITH_HOLDERS] });
    else if (choice === 'open') change({ ...reset, queue: undefined, status: 'open', state: undefined });
    // "all" is written as status=all so that a bare address still means "open"
    else if (choice === 'all') change({ ...reset, queue: undefined, status: 'all', state: isWithHolders(view.state) ? undefined : view.state });
    else change({ ...reset, queue: choice as Queue, status: undefined, state: isWithHolders(view.state) ? undefined : view.state });
  };

  const scope = user.grants[0] ? grantScope(user.grants[0], t) : null;
  useDocumentTitle(t('cases.desk.title'));

  const refresh = () => {
    counts.reload();
    list.reload();
  };

  // the table is the costly part of the page: it draws again only when its own inputs change
  const filtered = hasFilters(view);
  const emptyText = useMemo(
    () => (
      <EmptyState
        title={filtered ? t('cases.desk.table.emptyFiltered') : t('cases.desk.table.empty')}
        description={t('cases.desk.table.emptyHint')}
      />
    ),
    [filtered, t],
  );
  const onTableChange = useCallback((c: TableChange) => setParams(serializeView({ ...view, ...c })), [view, setParams]);

  return (
    <div className="og-desk">
      <PageHeader
        title={t('cases.desk.title')}
        subtitle={scope ? t('cases.desk.subtitle', { scope }) : t('cases.desk.subtitleNoScope')}
        extra={
          <>
            <LiveBadge />
            <Segmented
              aria-label={t('cases.desk.views.label')}
              value={view.view}
              onChange={(v) => setView({ ...view, view: v as QueueView['view'] })}
              options={[
                { value: 'list', icon: <UnorderedListOutlined />, label: t('cases.desk.views.list') },
                { value: 'map', icon: <EnvironmentOutlined />, label: t('cases.desk.views.map') },
              ]}
            />
            <Button icon={<ReloadOutlined />} onClick={refresh}>
              {t('cases.desk.refresh')}
            </Button>
          </>
        }
      />
      <QueueTabs counts={counts.data} active={active} onSelect={selectQueue} />
      <QueueFilters view={view} onChange={change} onClear={() => setView({ view: view.view, queue: view.queue, status: view.status })} />
      {list.status === 'error' && !list.data ? (
        <ErrorState title={t('common.loadFailed')} message={describeError(list.error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={list.reload} />
      ) : view.view === 'map' ? (
        <Suspense fallback={<FullPageSpinner />}>
          <CasesMap query={query} refreshKey={list.data ? `${queryKey}:${list.data.total}:${[...highlight].join(',')}` : queryKey} />
        </Suspense>
      ) : (
        <CaseTable
          items={list.data?.items ?? []}
          total={list.data?.total ?? 0}
          loading={list.status === 'loading' && shownKey.current !== queryKey}
          query={query}
          names={names}
          highlight={highlight}
          emptyText={emptyText}
          onChange={onTableChange}
        />
      )}
    </div>
  );
}
