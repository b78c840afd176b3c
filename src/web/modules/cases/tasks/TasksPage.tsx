import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Skeleton } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Action, State } from '../../../../shared/cases/workflow.js';
import { useAuth } from '../../../app/auth.js';
import { describeError } from '../../../app/errors.js';
import { grantScope } from '../../../app/grants.js';
import { currentLanguage } from '../../../app/i18n.js';
import { useDocumentTitle, useRequest } from '../../../app/hooks.js';
import { EmptyState, ErrorState } from '../../../ui/EmptyState.js';
import { PageHeader } from '../../../ui/PageHeader.js';
import { ActionDialog } from '../case/ActionDialog.js';
import { actionTone, orderActions } from '../case/actionForm.js';
import { useAreaNames } from '../hooks.js';
import { fetchCase, listCases, type CaseDetail, type CaseSummary } from '../shared/api.js';
import { actionLabel, categoryName } from '../shared/labels.js';
import { useCaseChanges } from '../shared/live.js';
import { LiveBadge } from '../shared/LiveBadge.js';
import { StateTag } from '../shared/StateTag.js';
import { TimingLight } from '../shared/TimingLight.js';
import '../pages.css';

/** What a department does from its task list; the rest (urge, escalate …) is on the case page. */
const TASK_ACTIONS: readonly Action[] = ['claim', 'return', 'feedback', 'request_postpone', 'request_suspend', 'withdraw_request'];
const FILTERS = ['all', 'dispatched', 'handling', 'rework', 'red'] as const;
type Filter = (typeof FILTERS)[number];

function matches(c: CaseSummary, f: Filter): boolean {
  if (f === 'all') return true;
  if (f === 'red') return c.light === 'red';
  return c.state === (f as State);
}

/**
 * 我的任务 (the department app): the cases held by the reader's department or community
 * workstation, soonest due first; claim, return with a reason, report the handling with photos,
 * or ask for more time, right from the list. Laid out as cards, so it works on a phone.
 */
export default function TasksPage() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  const { user } = useAuth();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<Filter>('all');
  const [open, setOpen] = useState<{ c: CaseDetail; action: Action } | null>(null);
  const [opening, setOpening] = useState<number | null>(null);
  const list = useRequest((signal) => listCases({ queue: 'to_handle', sort: 'due_at', order: 'asc', pageSize: 200 }, signal), []);
  const names = useAreaNames(list.data?.items.map((c) => c.gridCode) ?? []);
  const reload = list.reload;
  useCaseChanges(useCallback(() => reload(), [reload]));
  useDocumentTitle(t('cases.tasks.title'));

  const items = list.data?.items ?? [];
  const counts = useMemo(() => Object.fromEntries(FILTERS.map((f) => [f, items.filter((c) => matches(c, f)).length])) as Record<Filter, number>, [items]);
  const shown = items.filter((c) => matches(c, filter));
  const unit = user.grants[0] ? grantScope(user.grants[0], t) : null;

  // the form needs the whole case (its due time, its version); read it when a button is pressed
  const start = async (c: CaseSummary, action: Action) => {
    setOpening(c.id);
    try {
      setOpen({ c: await fetchCase(c.id), action });
    } catch (err) {
      void message.error(describeError(err, t, i18n.language));
    } finally {
      setOpening(null);
    }
  };

  return (
    <div className="og-tasks">
      <PageHeader
        title={t('cases.tasks.title')}
        subtitle={unit ? t('cases.tasks.subtitle', { unit }) : t('cases.tasks.subtitleNoUnit')}
        extra={
          <>
            <LiveBadge />
            <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t('cases.desk.refresh')} />
          </>
        }
      />
      <nav aria-label={t('cases.tasks.title')}>
        <ul className="og-queue-tiles og-task-tiles">
          {FILTERS.map((f) => (
            <li key={f}>
              <button
                type="button"
                className={`og-queue-tile${filter === f ? ' og-queue-tile-active' : ''}${f === 'red' && counts.red ? ' og-queue-tile-urgent' : ''}${counts[f] === 0 ? ' og-queue-tile-empty' : ''}`}
                aria-pressed={filter === f}
                data-filter={f}
                onClick={() => setFilter(f)}
              >
                <span className="og-queue-label">{t(`cases.tasks.filters.${f}`)}</span>
                <span className="og-queue-count">{list.data ? counts[f] : '–'}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {list.status === 'error' && !list.data ? (
        <ErrorState title={t('common.loadFailed')} message={describeError(list.error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={list.reload} />
      ) : !list.data ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : shown.length === 0 ? (
        <Card>
          <EmptyState title={t('cases.tasks.empty')} description={t('cases.tasks.emptyHint')} />
        </Card>
      ) : (
        <ul className="og-task-list">
          {shown.map((c) => {
            const actions = orderActions(c.allowedActions.filter((a) => TASK_ACTIONS.includes(a)));
            return (
              <li key={c.id} className={`og-task og-task-${c.light ?? 'none'}`} data-case-id={c.id} data-state={c.state}>
                <div className="og-task-head">
                  <Link to={`/cases/${c.id}`} className="og-case-number">
                    {c.number}
                  </Link>
                  <StateTag state={c.state} />
                  {c.pendingRequest && <span className="og-task-note">{t('cases.tasks.requestPending', { kind: t(`cases.shared.requestKinds.${c.pendingRequest}`) })}</span>}
                </div>
                <div className="og-task-category">{categoryName(c.category, lang) ?? t('cases.desk.table.noCategory')}</div>
                <p className="og-task-desc">{c.description}</p>
                <div className="og-case-sub">
                  {[c.address, names.get(c.gridCode.slice(0, 12)), names.get(c.gridCode.slice(0, 9))].filter(Boolean).join(' · ')}
                </div>
                <div className="og-task-foot">
                  <span className="og-task-due">
                    <span className="og-muted">{t('cases.tasks.due')}</span> <TimingLight light={c.light} dueAt={c.dueAt} frozen={c.state === 'suspended'} />
                  </span>
                  <Flex gap={8} wrap>
                    {actions.map((a) => {
                      const tone = actionTone(a);
                      return (
                        <Button
                          key={a}
                          autoInsertSpace={false}
                          type={tone === 'default' ? 'default' : 'primary'}
                          danger={tone === 'danger'}
                          ghost={tone === 'danger'}
                          loading={opening === c.id}
                          data-action={a}
                          onClick={() => void start(c, a)}
                        >
                          {actionLabel(a, lang)}
                        </Button>
                      );
                    })}
                    <Link to={`/cases/${c.id}`} className="og-task-open">
                      {t('cases.tasks.openCase')}
                    </Link>
                  </Flex>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {open && (
        <ActionDialog
          c={open.c}
          action={open.action}
          names={names}
          onClose={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            list.reload();
          }}
          onStale={async () => {
            const fresh = await fetchCase(open.c.id).catch(() => null);
            if (fresh) setOpen({ ...open, c: fresh });
            return fresh;
          }}
        />
      )}
    </div>
  );
}
