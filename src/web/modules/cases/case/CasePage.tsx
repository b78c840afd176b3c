import { Alert, Button, Card, Col, Flex, Row, Skeleton } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { Action } from '../../../../shared/cases/workflow.js';
import { useAuth } from '../../../app/auth.js';
import { describeError } from '../../../app/errors.js';
import { currentLanguage } from '../../../app/i18n.js';
import { useDocumentTitle } from '../../../app/hooks.js';
import { ErrorState } from '../../../ui/EmptyState.js';
import { PageHeader } from '../../../ui/PageHeader.js';
import { departmentNamer, useAreaNames, useDepartments } from '../hooks.js';
import { fetchCase, type CaseDetail } from '../shared/api.js';
import { CaseTimeline } from '../shared/CaseTimeline.js';
import { actionLabel, byTime, categoryName } from '../shared/labels.js';
import { useCaseChanges } from '../shared/live.js';
import { BeforeAfter } from '../shared/PhotoViewer.js';
import { StateTag } from '../shared/StateTag.js';
import { TimingLight } from '../shared/TimingLight.js';
import { ActionDialog } from './ActionDialog.js';
import { actionTone, NOT_ON_CASE_PAGE, orderActions } from './actionForm.js';
import { DuplicatesCard, FactsCard, LocationCard, RequestCard, ReturnedCard, TimingCard } from './CasePanels.js';
import '../pages.css';

/** Where the breadcrumb leads back to: the desk the reader works from. */
function useHomeCrumb(): { title: string; to: string } {
  const { t } = useTranslation();
  const { can } = useAuth();
  if (can('cases.dispatch')) return { title: t('cases.desk.title'), to: '/cases' };
  if (can('cases.handle')) return { title: t('cases.tasks.title'), to: '/cases/tasks' };
  return { title: t('nav.home'), to: '/' };
}

/**
 * 案件详情: the problem, its photos before and after, where it is, the whole timeline, and the
 * actions the server says this reader may take now — no more, no fewer. The page follows live
 * changes of the case, so two dispatchers looking at it see the same thing.
 */
export default function CasePage() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  const { id = '' } = useParams<{ id: string }>();
  const [c, setC] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [action, setAction] = useState<Action | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const departments = useDepartments();
  const names = useAreaNames(c ? [c.gridCode] : []);
  const home = useHomeCrumb();
  const shown = useRef<CaseDetail | null>(null);
  shown.current = c;
  // the reader's own action comes back live too; its answer already brings the case
  const acting = useRef(false);

  // the case the address names now: a read for one the reader has since left answers into nothing
  const asked = useRef(id);
  asked.current = id;

  const load = useCallback(async (): Promise<CaseDetail | null> => {
    try {
      const next = await fetchCase(id);
      if (asked.current !== id) return null;
      // two reads in flight (the page's first and the stream's, say) may answer out of order: an
      // older version of the same case never replaces a newer one
      setC((prev) => (prev && prev.id === next.id && prev.version > next.version ? prev : next));
      setError(null);
      return next;
    } catch (err) {
      if (asked.current === id) setError(err);
      return null;
    }
  }, [id]);

  useEffect(() => {
    setC(null);
    setNotice(null);
    void load();
  }, [load]);

  useCaseChanges((change) => {
    const current = shown.current;
    if (acting.current) return;
    // without a change, the stream has just (re)opened and may have missed some: read the case again
    if (change && (!current || change.id !== current.id || change.version <= current.version)) return;
    void load().then((next) => {
      if (!next || !current || next.version <= current.version) return;
      const action = change?.action ?? [...next.timeline].sort(byTime).at(-1)?.action;
      if (action) setNotice(t('cases.case.live.changed', { action: actionLabel(action, lang) }));
    });
  });

  useDocumentTitle(c ? t('cases.case.title', { number: c.number }) : t('cases.case.breadcrumb'));

  if (error && !c) {
    return <ErrorState title={t('cases.case.loadFailed')} message={describeError(error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={() => void load()} />;
  }
  if (!c) return <Skeleton active paragraph={{ rows: 10 }} />;

  const actions = orderActions(c.allowedActions.filter((a) => !NOT_ON_CASE_PAGE.includes(a)));
  const nameOfDepartment = departmentNamer(departments);
  const actorName = (actorId: string) => {
    const userId = Number(actorId.replace(/^user:/, ''));
    return c.timeline.find((e) => e.actor.userId === userId)?.actor.name ?? actorId;
  };

  return (
    <div className="og-case-page" data-case-id={c.id} data-state={c.state} data-version={c.version}>
      <PageHeader
        title={
          <Flex align="center" gap={12} wrap>
            <span className="og-case-title">{c.number}</span>
            <StateTag state={c.state} size="large" />
            {c.dueAt && <TimingLight light={c.light} dueAt={c.dueAt} frozen={c.state === 'suspended'} />}
          </Flex>
        }
        subtitle={[categoryName(c.category, lang), c.address].filter(Boolean).join(' · ')}
        breadcrumb={[{ title: home.title, to: home.to }, { title: t('cases.case.breadcrumb') }]}
      />
      {notice && <Alert type="info" showIcon closable className="og-case-notice" title={notice} onClose={() => setNotice(null)} role="status" />}

      <Card size="small" className="og-action-bar" title={t('cases.case.actions.label')}>
        {actions.length ? (
          <Flex gap={8} wrap role="toolbar" aria-label={t('cases.case.actions.label')}>
            {actions.map((a) => {
              const tone = actionTone(a);
              return (
                <Button key={a} autoInsertSpace={false} type={tone === 'default' ? 'default' : 'primary'} danger={tone === 'danger'} ghost={tone === 'danger'} onClick={() => setAction(a)} data-action={a}>
                  {actionLabel(a, lang)}
                </Button>
              );
            })}
          </Flex>
        ) : (
          <div className="og-muted" data-testid="no-actions">
            {t('cases.case.actions.none')} · {t('cases.case.actions.noneHint')}
          </div>
        )}
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Flex vertical gap={16}>
            <FactsCard c={c} departmentName={nameOfDepartment} />
            <Card title={t('cases.case.timeline.title')} size="small" className="og-case-card">
              <CaseTimeline events={c.timeline} departmentName={nameOfDepartment} divisionName={(code) => names.get(code)} />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} xl={9}>
          <Flex vertical gap={16}>
            <TimingCard c={c} />
            <RequestCard c={c} byName={actorName} />
            <ReturnedCard c={c} />
            <Card title={t('cases.case.photos.title')} size="small" className="og-case-card">
              <BeforeAfter photos={c.photos} />
            </Card>
            <LocationCard c={c} />
            <DuplicatesCard c={c} />
          </Flex>
        </Col>
      </Row>

      <ActionDialog
        c={c}
        action={action}
        names={names}
        onClose={() => setAction(null)}
        onDone={(next) => {
          setC(next);
          setAction(null);
          setNotice(null);
        }}
        onStale={load}
        onBusy={(busy) => (acting.current = busy)}
      />
    </div>
  );
}
