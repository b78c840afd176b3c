import { Card, Descriptions, List, Tag } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { currentLanguage } from '../../../app/i18n.js';
import { useRequest } from '../../../app/hooks.js';
import { fetchCaseDuplicates, type CaseDetail } from '../shared/api.js';
import { formatFullTime } from '../shared/format.js';
import { categoryName, levelLabel, limitLabel, sourceLabel, stepLabel } from '../shared/labels.js';
import { StateTag } from '../shared/StateTag.js';
import { TimingLight } from '../shared/TimingLight.js';

const LocationMap = lazy(() => import('../map/LocationMap.js'));

/** The panels around a case's timeline: what, when, where, waiting requests and possible duplicates. */

export function FactsCard({ c, departmentName }: { c: CaseDetail; departmentName?: (code: string) => string | undefined }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const none = t('cases.case.facts.none');
  const items = [
    { key: 'category', label: t('cases.case.facts.category'), children: categoryName(c.category, lang) ?? t('cases.desk.table.noCategory') },
    ...(c.filing
      ? [
          { key: 'filing', label: t('cases.case.facts.filing'), children: c.filing.conditionZh ?? c.filing.conditionCode },
          { key: 'limit', label: t('cases.case.facts.limit'), children: limitLabel(c.filing.limit, lang) },
        ]
      : []),
    { key: 'source', label: t('cases.case.facts.source'), children: sourceLabel(c.source, lang) },
    { key: 'level', label: t('cases.case.facts.level'), children: levelLabel(c.level, lang) },
    {
      key: 'holder',
      label: t('cases.case.facts.holder'),
      children: c.holder ? ((c.holder.kind === 'department' ? departmentName?.(c.holder.code) : undefined) ?? c.holder.name ?? c.holder.code) : none,
    },
    { key: 'reportedAt', label: t('cases.case.facts.reportedAt'), children: formatFullTime(c.createdAt) },
    {
      key: 'reporter',
      label: t('cases.case.facts.reporter'),
      children: (
        <>
          {[c.reporter.name, c.reporter.phone].filter(Boolean).join(' · ') || none}
          {c.reporter.masked && (c.reporter.name || c.reporter.phone) && <Tag className="og-inline-tag">{t('cases.case.facts.masked')}</Tag>}
        </>
      ),
    },
    { key: 'address', label: t('cases.case.facts.address'), children: c.address ?? none },
    ...(c.reworkCount ? [{ key: 'rework', label: t('cases.case.facts.rework'), children: c.reworkCount }] : []),
    { key: 'tracking', label: t('cases.case.facts.tracking'), children: <span className="og-code">{c.trackingCode}</span> },
  ];
  return (
    <Card title={t('cases.case.facts.title')} size="small" className="og-case-card">
      <p className="og-case-description" data-testid="case-description">
        {c.description}
      </p>
      {c.mergedInto && (
        <p>
          <Link to={`/cases/${c.mergedInto}`}>{t('cases.case.facts.merged', { id: c.mergedInto })}</Link>
        </p>
      )}
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} items={items} />
    </Card>
  );
}

export function TimingCard({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const suspended = c.state === 'suspended';
  return (
    <Card title={t('cases.case.timing.title')} size="small" className="og-case-card">
      {c.step || suspended ? (
        <Descriptions
          size="small"
          column={1}
          items={[
            ...(c.step ? [{ key: 'step', label: t('cases.case.timing.step'), children: stepLabel(c.step, lang) }] : []),
            ...(c.dueAt ? [{ key: 'due', label: t('cases.case.timing.due'), children: <TimingLight light={c.light} dueAt={c.dueAt} frozen={suspended} /> }] : []),
            ...(c.stepStartedAt ? [{ key: 'started', label: t('cases.case.timing.started'), children: formatFullTime(c.stepStartedAt) }] : []),
            ...(c.stepLimit ? [{ key: 'limit', label: t('cases.case.timing.limit'), children: limitLabel(c.stepLimit, lang) }] : []),
            ...(suspended && c.suspendedAt ? [{ key: 'suspended', label: '', children: t('cases.case.timing.suspended', { time: formatFullTime(c.suspendedAt) }) }] : []),
          ]}
        />
      ) : (
        <div className="og-muted">
          {c.closedAt ? `${t('cases.case.timing.closedAt')}：${formatFullTime(c.closedAt)}` : t('cases.case.timing.noClock')}
        </div>
      )}
    </Card>
  );
}

export function RequestCard({ c, byName }: { c: CaseDetail; byName: (actorId: string) => string }) {
  const { t } = useTranslation();
  if (!c.request) return null;
  const r = c.request;
  return (
    <Card title={t('cases.case.request.title')} size="small" className="og-case-card og-case-card-attention" data-testid="request-card">
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'kind', label: t('cases.case.request.kind'), children: t(`cases.shared.requestKinds.${r.kind}`) },
          { key: 'by', label: t('cases.case.request.by'), children: byName(r.requestedBy) },
          { key: 'at', label: t('cases.case.request.at'), children: formatFullTime(r.requestedAt) },
          ...(r.dueAt ? [{ key: 'due', label: t('cases.case.request.due'), children: formatFullTime(r.dueAt) }] : []),
          { key: 'reason', label: t('cases.case.request.reason'), children: r.reason },
        ]}
      />
    </Card>
  );
}

export function ReturnedCard({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  if (c.state !== 'returned' || !c.returnedFrom) return null;
  const last = [...c.timeline].reverse().find((e) => e.action === 'return');
  return (
    <Card title={t('cases.case.returned.title')} size="small" className="og-case-card og-case-card-attention">
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'from', label: t('cases.case.returned.from'), children: c.returnedFrom.name ?? c.returnedFrom.code },
          ...(last ? [{ key: 'at', label: t('cases.desk.approvals.returnedAt'), children: formatFullTime(last.at) }] : []),
          ...(last?.comment ? [{ key: 'reason', label: t('cases.desk.approvals.returnReason'), children: last.comment }] : []),
        ]}
      />
    </Card>
  );
}

export function LocationCard({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  return (
    <Card title={t('cases.case.location.title')} size="small" className="og-case-card">
      <Suspense fallback={<div className="og-location-map" />}>
        <LocationMap lon={c.lon} lat={c.lat} gridCode={c.gridCode} state={c.state} />
      </Suspense>
      <Descriptions
        size="small"
        column={1}
        className="og-location-facts"
        items={[
          { key: 'grid', label: t('cases.case.location.grid'), children: <span>{c.grid?.name ?? ''} <span className="og-code og-muted">{c.gridCode}</span></span> },
          { key: 'community', label: t('cases.case.location.community'), children: c.community?.name ?? '—' },
          { key: 'street', label: t('cases.case.location.street'), children: c.street?.name ?? '—' },
          { key: 'coords', label: t('cases.case.location.coords'), children: <span className="og-code">{c.lon.toFixed(6)}, {c.lat.toFixed(6)}</span> },
        ]}
      />
    </Card>
  );
}

const OPEN_FOR_DUPLICATES = new Set(['pending_verification', 'pending_acceptance', 'accepted', 'returned', 'dispatched', 'handling', 'rework']);

export function DuplicatesCard({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const show = OPEN_FOR_DUPLICATES.has(c.state) && c.category !== null;
  const dup = useRequest((signal) => (show ? fetchCaseDuplicates(c.id, signal) : Promise.resolve(null)), [c.id, show]);
  if (!show || !dup.data) return null;
  const { radiusM, windowH, items } = dup.data;
  return (
    <Card title={t('cases.case.duplicates.title')} size="small" className="og-case-card" extra={<span className="og-muted">{items.length}</span>}>
      {items.length === 0 ? (
        <div className="og-muted">{t('cases.case.duplicates.none', { radius: radiusM, hours: windowH })}</div>
      ) : (
        <>
          <div className="og-muted">{t('cases.case.duplicates.hint', { radius: radiusM, hours: windowH })}</div>
          <List
            size="small"
            dataSource={items}
            renderItem={(d) => (
              <List.Item>
                <div className="og-dup-item">
                  <Link to={`/cases/${d.id}`} className="og-case-number">
                    {d.number}
                  </Link>
                  <StateTag state={d.state} />
                  <span className="og-muted">{t('cases.case.duplicates.distance', { meters: Math.round(d.distanceM) })}</span>
                  <div className="og-case-sub">{d.description}</div>
                </div>
              </List.Item>
            )}
          />
        </>
      )}
    </Card>
  );
}
