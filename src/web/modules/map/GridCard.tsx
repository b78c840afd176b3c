import { CloseOutlined, PhoneOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Avatar, Button, Descriptions, Flex, Skeleton, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { FORCES } from '../../../shared/team.js';
import { useAuth } from '../../app/auth.js';
import { describeError } from '../../app/errors.js';
import type { RequestState } from '../../app/hooks.js';
import { currentLanguage } from '../../app/i18n.js';
import { ErrorState } from '../../ui/EmptyState.js';
import { StatusTag } from '../../ui/StatusTag.js';
import { formatArea } from '../divisions/format.js';
import { FORCE_COLOR, FORCE_TONE, forceLabel, teamRoleLabel } from '../team/labels.js';
import type { GridCard as Card, TeamMember } from './api.js';
import { shortName } from './geometry.js';

const FIRST_MEMBERS = 8;

interface GridCardProps {
  request: RequestState<Card | null> & { reload: () => void };
  onClose: () => void;
  /** Move focus into the card when it opens from the keyboard (search), not from a map click. */
  focusOnOpen: boolean;
}

/** 网格卡片: where a grid is, how big, who heads it and who works in it. */
export function GridCard({ request, onClose, focusOnOpen }: GridCardProps) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  const { can } = useAuth();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [showAll, setShowAll] = useState(false);
  const card = request.data;

  useEffect(() => setShowAll(false), [card?.code]);
  useEffect(() => {
    if (focusOnOpen && card) headingRef.current?.focus();
  }, [focusOnOpen, card]);

  const close = (
    <Button type="text" icon={<CloseOutlined />} onClick={onClose} aria-label={t('map.card.close')} className="og-grid-card-close" />
  );

  if (request.status === 'error') {
    return (
      <div className="og-grid-card-body">
        {close}
        <ErrorState title={t('common.loadFailed')} message={describeError(request.error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={request.reload} />
      </div>
    );
  }
  if (!card) {
    return (
      <div className="og-grid-card-body" aria-busy>
        {close}
        <Skeleton active title={{ width: '70%' }} paragraph={{ rows: 8 }} />
      </div>
    );
  }

  const others = card.team.filter((m) => m.role !== 'grid_head');
  const shown = showAll ? others : others.slice(0, FIRST_MEMBERS);

  return (
    <div className="og-grid-card-body" data-testid="grid-card" aria-busy={request.status === 'loading'}>
      <header className="og-grid-card-head">
        <div style={{ minWidth: 0 }}>
          <div className="og-grid-card-kicker">{t('map.card.title')}</div>
          <Typography.Title level={4} style={{ margin: 0 }} tabIndex={-1} ref={headingRef} className="og-grid-card-title">
            {card.name}
          </Typography.Title>
          <Typography.Text copyable={{ text: card.code }} className="og-grid-card-code" data-testid="grid-card-code">
            {card.code}
          </Typography.Text>
          {card.retiredAt && <> <StatusTag tone="warning">{t('map.card.retired')}</StatusTag></>}
        </div>
        {close}
      </header>
      {card.retiredAt && (
        <Alert type="warning" showIcon data-testid="grid-card-retired" style={{ marginBottom: 12 }}
          title={t('map.card.retiredAt', { date: new Date(card.retiredAt).toLocaleDateString(lang, { timeZone: 'Asia/Shanghai' }) })} />
      )}

      <Descriptions
        size="small"
        column={1}
        className="og-grid-card-facts"
        items={[
          { key: 'street', label: t('map.card.street'), children: card.street?.name ?? t('common.unknown') },
          { key: 'community', label: t('map.card.community'), children: shortName(card.community) },
          { key: 'area', label: t('map.card.area'), children: formatArea(card.areaM2, t, lang) },
        ]}
      />

      <section className="og-grid-card-section" aria-labelledby="og-grid-head-title">
        <h3 id="og-grid-head-title" className="og-grid-card-section-title">{t('map.card.head')}</h3>
        {card.head ? (
          <Flex align="center" gap={12} className="og-grid-head" data-testid="grid-head">
            <Avatar size={44} icon={<UserOutlined />} className="og-grid-head-avatar" />
            <div style={{ minWidth: 0 }}>
              <div className="og-grid-head-name">{card.head.name}</div>
              <Typography.Text type="secondary">
                <PhoneOutlined /> {card.head.phone ?? t('map.card.noPhone')}
              </Typography.Text>
            </div>
          </Flex>
        ) : (
          <Typography.Text type="secondary">{t('map.card.headNone')}</Typography.Text>
        )}
      </section>

      <section className="og-grid-card-section" aria-labelledby="og-grid-team-title">
        <Flex justify="space-between" align="baseline">
          <h3 id="og-grid-team-title" className="og-grid-card-section-title">{t('map.card.team')}</h3>
          <Typography.Text type="secondary">{t('map.card.teamCount', { count: card.team.length })}</Typography.Text>
        </Flex>
        <ForceBar counts={card.counts} lang={lang} />
        {card.team.length === 0 ? (
          <Typography.Text type="secondary">{t('map.card.empty')}</Typography.Text>
        ) : (
          <ul className="og-team-list" aria-label={t('map.card.team')}>
            {shown.map((member) => (
              <MemberRow key={member.id} member={member} lang={lang} />
            ))}
          </ul>
        )}
        {others.length > FIRST_MEMBERS && (
          <Button type="link" size="small" onClick={() => setShowAll((v) => !v)} style={{ paddingInline: 0 }}>
            {showAll ? t('map.card.showLess') : t('map.card.showAll', { count: others.length - FIRST_MEMBERS })}
          </Button>
        )}
        {can('team.read') && (
          <div style={{ marginTop: 8 }}>
            <Link to={`/team?area=${card.code}`}>
              <TeamOutlined /> {t('map.card.viewTeam')}
            </Link>
          </div>
        )}
      </section>
    </div>
  );
}

/** The three forces of the team as one stacked bar with the figures under it. */
function ForceBar({ counts, lang }: { counts: Card['counts']; lang: 'zh-CN' | 'en' }) {
  const total = FORCES.reduce((sum, f) => sum + counts[f], 0);
  return (
    <div className="og-force-bar-wrap">
      <div className="og-force-bar" aria-hidden>
        {FORCES.map((force) =>
          counts[force] > 0 ? <span key={force} style={{ flexGrow: counts[force], background: FORCE_COLOR[force] }} /> : null,
        )}
        {total === 0 && <span style={{ flexGrow: 1, background: '#e5e7eb' }} />}
      </div>
      <Flex gap={12} wrap className="og-force-legend">
        {FORCES.map((force) => (
          <span key={force} className="og-force-legend-item">
            <i style={{ background: FORCE_COLOR[force] }} aria-hidden />
            {forceLabel(force, lang)} <strong>{counts[force]}</strong>
          </span>
        ))}
      </Flex>
    </div>
  );
}

function MemberRow({ member, lang }: { member: TeamMember; lang: 'zh-CN' | 'en' }) {
  return (
    <li className="og-team-row">
      <span className="og-team-name">{member.name}</span>
      <StatusTag tone={FORCE_TONE[member.force]}>{teamRoleLabel(member.role, lang)}</StatusTag>
      <span className="og-team-meta">{member.departmentName ?? member.phone ?? ''}</span>
    </li>
  );
}
