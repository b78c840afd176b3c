import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Flex, Segmented, Skeleton } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Action } from '../../../../shared/cases/workflow.js';
import { describeError } from '../../../app/errors.js';
import { currentLanguage } from '../../../app/i18n.js';
import { useDocumentTitle, useRequest } from '../../../app/hooks.js';
import { EmptyState, ErrorState } from '../../../ui/EmptyState.js';
import { PageHeader } from '../../../ui/PageHeader.js';
import { ActionDialog } from '../case/ActionDialog.js';
import { actionTone, orderActions } from '../case/actionForm.js';
import { useAreaNames } from '../hooks.js';
import { fetchCase, listCases, type CaseDetail } from '../shared/api.js';
import { formatDuration, formatFullTime } from '../shared/format.js';
import { actionLabel, categoryName } from '../shared/labels.js';
import { useCaseChanges } from '../shared/live.js';
import { LiveBadge } from '../shared/LiveBadge.js';
import { StateTag } from '../shared/StateTag.js';
import { TimingLight } from '../shared/TimingLight.js';
import { approvalItems, DECISIONS, KINDS, type ApprovalItem, type ApprovalKind } from './items.js';
import '../pages.css';

const LIMIT = 100;

async function loadApprovals(signal: AbortSignal): Promise<ApprovalItem[]> {
  const [requests, returned] = await Promise.all([
    listCases({ queue: 'approvals', sort: 'updated_at', order: 'asc', pageSize: LIMIT }, signal),
    listCases({ queue: 'to_dispatch', state: ['returned'], sort: 'updated_at', order: 'asc', pageSize: LIMIT }, signal),
  ]);
  // a request's reason, requested due time and a return's reason live on the case itself
  const ids = [...new Set([...requests.items, ...returned.items].map((c) => c.id))];
  const details = await Promise.all(ids.map((id) => fetchCase(id, signal)));
  return approvalItems(details);
}

/**
 * 审批: every postponement, suspension and cancellation waiting for a second person, and every
 * case a department returned, in one list with the decision buttons the server allows.
 */
export default function ApprovalsPage() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  const [kind, setKind] = useState<ApprovalKind | 'all'>('all');
  const [open, setOpen] = useState<{ c: CaseDetail; action: Action } | null>(null);
  const list = useRequest((signal) => loadApprovals(signal), []);
  const names = useAreaNames(list.data?.map((i) => i.c.gridCode) ?? []);
  useDocumentTitle(t('cases.desk.approvals.title'));

  const reload = list.reload;
  useCaseChanges(useCallback(() => reload(), [reload]));

  const counts = useMemo(() => {
    const out: Record<ApprovalKind | 'all', number> = { all: 0, postpone: 0, suspend: 0, cancel: 0, return: 0 };
    for (const i of list.data ?? []) {
      out[i.kind]++;
      out.all++;
    }
    return out;
  }, [list.data]);
  const shown = (list.data ?? []).filter((i) => kind === 'all' || i.kind === kind);

  const refresh = async (c: CaseDetail) => {
    const fresh = await fetchCase(c.id).catch(() => null);
    if (fresh && open) setOpen({ ...open, c: fresh });
    return fresh;
  };

  return (
    <div className="og-approvals">
      <PageHeader
        title={t('cases.desk.approvals.title')}
        subtitle={t('cases.desk.approvals.subtitle')}
        breadcrumb={[{ title: t('cases.desk.title'), to: '/cases' }, { title: t('cases.desk.approvals.title') }]}
        extra={
          <>
            <LiveBadge />
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              {t('cases.desk.refresh')}
            </Button>
          </>
        }
      />
      <Segmented
        className="og-approvals-kinds"
        value={kind}
        onChange={(v) => setKind(v as ApprovalKind | 'all')}
        options={(['all', ...KINDS] as const).map((k) => ({ value: k, label: `${t(`cases.desk.approvals.kinds.${k}`)} ${counts[k]}` }))}
      />
      {list.status === 'error' && !list.data ? (
        <ErrorState title={t('common.loadFailed')} message={describeError(list.error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={list.reload} />
      ) : !list.data ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : shown.length === 0 ? (
        <Card>
          <EmptyState title={t('cases.desk.approvals.empty')} description={t('cases.desk.approvals.emptyHint')} />
        </Card>
      ) : (
        <ul className="og-approval-list" aria-label={t('cases.desk.approvals.count', { count: shown.length })}>
          {shown.map((item) => {
            const { c } = item;
            const decisions = orderActions(c.allowedActions.filter((a) => DECISIONS[item.kind].includes(a)));
            return (
              <li key={`${item.kind}-${c.id}`} className="og-approval-item" data-case-id={c.id} data-kind={item.kind}>
                <div className="og-approval-head">
                  <span className={`og-approval-kind og-approval-kind-${item.kind}`}>{t(`cases.desk.approvals.kinds.${item.kind}`)}</span>
                  <Link to={`/cases/${c.id}`} className="og-case-number">
                    {c.number}
                  </Link>
                  <StateTag state={c.state} />
                  <span className="og-case-sub">{categoryName(c.category, lang) ?? ''}</span>
                  <span className="og-case-sub">{names.get(c.gridCode.slice(0, 12)) ?? ''}</span>
                  {c.dueAt && <TimingLight light={c.light} dueAt={c.dueAt} frozen={c.state === 'suspended'} />}
                </div>
                <p className="og-approval-desc">{c.description}</p>
                <Descriptions
                  size="small"
                  column={{ xs: 1, md: 2, xl: 4 }}
                  items={item.facts.map((f) => ({
                    key: f.key,
                    label: t(f.label),
                    span: f.key === 'reason' ? ('filled' as const) : undefined,
                    children: f.time ? (
                      <span className={f.key === 'newDue' ? 'og-approval-newdue' : undefined}>
                        {formatFullTime(f.time)}
                        {f.key === 'newDue' && c.dueAt && ` (+${formatDuration(f.time - c.dueAt, t)})`}
                      </span>
                    ) : (
                      f.text
                    ),
                  }))}
                />
                <Flex gap={8} wrap className="og-approval-actions">
                  {decisions.map((a) => {
                    const tone = actionTone(a);
                    return (
                      <Button key={a} autoInsertSpace={false} type={tone === 'default' ? 'default' : 'primary'} danger={tone === 'danger'} ghost={tone === 'danger'} data-action={a} onClick={() => setOpen({ c, action: a })}>
                        {actionLabel(a, lang)}
                      </Button>
                    );
                  })}
                  <Link to={`/cases/${c.id}`} className="og-approval-open">
                    {t('cases.desk.approvals.openCase')}
                  </Link>
                </Flex>
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
          onStale={() => refresh(open.c)}
        />
      )}
    </div>
  );
}
