import { DeleteOutlined, EditOutlined, EyeInvisibleOutlined, EyeOutlined, UserAddOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Input, Popconfirm, Row, Select, Space, Table, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { FORCES, type Force, type TeamRole } from '../../../shared/team.js';
import { useAuth } from '../../app/auth.js';
import { describeError } from '../../app/errors.js';
import { useErrorToast, useRequest } from '../../app/hooks.js';
import { currentLanguage } from '../../app/i18n.js';
import { EmptyState, ErrorState } from '../../ui/EmptyState.js';
import { StatusTag } from '../../ui/StatusTag.js';
import { DivisionPicker } from '../admin/DivisionPicker.js';
import { gridNumber, shortName } from '../map/geometry.js';
import { MemberDialog } from './MemberDialog.js';
import { fetchTeam, removeTeamMember, type TeamListItem, type TeamQuery } from './api.js';
import { FORCE_TONE, forceLabel, rolesOf, teamRoleLabel } from './labels.js';

const SHOWN_GRIDS = 1;

interface TeamMembersProps {
  query: TeamQuery;
  onQuery: (next: Partial<TeamQuery>) => void;
  /** Names of streets and communities by code, for the area column. */
  areaNames: ReadonlyMap<string, string>;
  onChanged: () => void;
}

/** The member list: filters, masked phones, the grids each one serves; add, edit and remove for team.manage. */
export function TeamMembers({ query, onQuery, areaNames, onChanged }: TeamMembersProps) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useErrorToast();
  const manage = can('team.manage');
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<TeamListItem | null>(null);
  const [name, setName] = useState(query.q ?? '');
  const list = useRequest((signal) => fetchTeam(query, signal), [query.area, query.force, query.role, query.q, query.page]);
  const nf = new Intl.NumberFormat(lang);

  const remove = async (member: TeamListItem) => {
    try {
      await removeTeamMember(member.id);
      void message.success(t('team.members.removed', { name: member.name }));
      list.reload();
      onChanged();
    } catch (err) {
      showError(err);
    }
  };

  // Grid workers are based in a grid: name it by its community and number.
  const areaLabel = (code: string) => {
    const name = areaNames.get(code);
    if (name) return shortName({ name });
    const community = code.length === 15 ? areaNames.get(code.slice(0, 12)) : undefined;
    return community ? t('team.members.gridOf', { community: shortName({ name: community }), number: gridNumber(code) }) : code;
  };

  const filtered = Boolean(query.area || query.force || query.role || query.q);

  return (
    <Card
      title={
        <Space size={12} wrap>
          {t('team.members.title')}
          {list.data && <Typography.Text type="secondary" style={{ fontWeight: 400 }} data-testid="team-total">{t('team.members.count', { total: nf.format(list.data.total) })}</Typography.Text>}
        </Space>
      }
      extra={
        manage && (
          <Button type="primary" icon={<UserAddOutlined />} onClick={() => setAdding(true)}>
            {t('team.add.button')}
          </Button>
        )
      }
    >
      <Row gutter={[12, 12]} className="og-filter-bar">
        <Col xs={24} sm={12} lg={7}>
          <DivisionPicker aria-label={t('team.members.filterArea')} placeholder={t('team.members.filterArea')} value={query.area ?? null} onChange={(area) => onQuery({ area: area ?? undefined })} />
        </Col>
        <Col xs={12} sm={6} lg={4}>
          <Select
            aria-label={t('team.members.filterForce')}
            style={{ width: '100%' }}
            value={query.force ?? ''}
            onChange={(force: Force | '') => onQuery({ force: force || undefined, role: undefined })}
            options={[{ value: '', label: t('team.members.allForces') }, ...FORCES.map((f) => ({ value: f, label: forceLabel(f, lang) }))]}
          />
        </Col>
        <Col xs={12} sm={6} lg={4}>
          <Select
            aria-label={t('team.members.filterRole')}
            style={{ width: '100%' }}
            value={query.role ?? ''}
            onChange={(role: TeamRole | '') => onQuery({ role: role || undefined })}
            options={[{ value: '', label: t('team.members.allRoles') }, ...rolesOf(query.force).map((r) => ({ value: r, label: teamRoleLabel(r, lang) }))]}
          />
        </Col>
        <Col xs={24} sm={16} lg={6}>
          <Input.Search
            aria-label={t('team.members.filterName')}
            placeholder={t('team.members.filterName')}
            allowClear
            value={name}
            onChange={(e) => setName(e.target.value)}
            onSearch={(q) => onQuery({ q: q.trim() || undefined })}
          />
        </Col>
        <Col xs={24} sm={8} lg={3}>
          <Button block disabled={!filtered} onClick={() => { setName(''); onQuery({ area: undefined, force: undefined, role: undefined, q: undefined }); }}>
            {t('team.members.reset')}
          </Button>
        </Col>
      </Row>

      {list.status === 'error' ? (
        <ErrorState title={t('common.loadFailed')} message={describeError(list.error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={list.reload} />
      ) : (
        <Table<TeamListItem>
          rowKey="id"
          size="middle"
          loading={list.status === 'loading'}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <EmptyState title={t('team.members.empty')} description={filtered ? t('team.members.emptyHint') : undefined} /> }}
          scroll={{ x: 900 }}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            onChange: (page) => onQuery({ page }),
          }}
          columns={[
            { key: 'name', title: t('team.members.name'), fixed: 'left', width: 110, render: (_, m) => <strong>{m.name}</strong> },
            // a long role (Department staff in the grid) is cut with an ellipsis rather than run into the next column
            { key: 'role', title: t('team.members.role'), width: 150, ellipsis: { showTitle: false }, render: (_, m) => <Tooltip title={teamRoleLabel(m.role, lang)}><span><StatusTag tone={FORCE_TONE[m.force]}>{teamRoleLabel(m.role, lang)}</StatusTag></span></Tooltip> },
            { key: 'force', title: t('team.members.force'), width: 100, render: (_, m) => forceLabel(m.force, lang) },
            {
              key: 'phone',
              title: (
                // the server masks the numbers unless the reader may see them whole (and audits that read)
                <Tooltip title={t(can('persons.read_unmasked') ? 'team.members.phoneUnmasked' : 'team.members.phoneMasked')}>
                  <span>
                    {t('team.members.phone')} {can('persons.read_unmasked') ? <EyeOutlined /> : <EyeInvisibleOutlined />}
                  </span>
                </Tooltip>
              ),
              width: 130,
              render: (_, m) => <span className="og-num">{m.phone ?? '—'}</span>,
            },
            { key: 'area', title: t('team.members.area'), ellipsis: true, render: (_, m) => areaLabel(m.divisionCode) },
            { key: 'department', title: t('team.members.department'), ellipsis: true, render: (_, m) => (lang === 'en' ? m.departmentNameEn || m.departmentName : m.departmentName) ?? '—' },
            {
              key: 'grids',
              title: t('team.members.grids'),
              width: 220,
              render: (_, m) => (
                <Space size={4}>
                  {m.grids.slice(0, SHOWN_GRIDS).map((g) => (
                    <Tooltip key={g.code} title={g.retired ? t('team.members.retiredHint', { name: g.name }) : g.name}>
                      <Link to={`/map?grid=${g.code}`} className={g.retired ? 'og-grid-chip og-grid-chip-retired' : 'og-grid-chip'} data-retired={g.retired || undefined}>
                        {g.code}
                      </Link>
                    </Tooltip>
                  ))}
                  {m.grids.length > SHOWN_GRIDS && (
                    <Tooltip title={m.grids.slice(SHOWN_GRIDS).map((g) => (g.retired ? `${g.code}（${t('team.members.retired')}）` : g.code)).join('、')}>
                      <Typography.Text type={m.grids.slice(SHOWN_GRIDS).some((g) => g.retired) ? 'warning' : 'secondary'}>
                        {t('team.members.moreGrids', { count: m.grids.length - SHOWN_GRIDS })}
                      </Typography.Text>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            ...(manage
              ? [
                  {
                    key: 'actions',
                    title: t('team.members.actions'),
                    fixed: 'right' as const,
                    // Edit and Remove side by side: English words are longer than 编辑 / 移除
                    width: lang === 'en' ? 180 : 150,
                    render: (_: unknown, m: TeamListItem) => (
                      <Space size={0}>
                        <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(m)} aria-label={t('team.edit.title', { name: m.name })}>
                          {t('team.edit.button')}
                        </Button>
                        <Popconfirm
                          title={t('team.members.removeConfirm', { name: m.name })}
                          description={t('team.members.removeHint')}
                          okButtonProps={{ danger: true }}
                          onConfirm={() => remove(m)}
                        >
                          <Button size="small" danger type="text" icon={<DeleteOutlined />}>
                            {t('team.members.remove')}
                          </Button>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {manage && (
        <MemberDialog
          open={adding || editing !== null}
          member={editing}
          defaultGrid={query.area?.length === 15 ? query.area : undefined}
          onClose={() => { setAdding(false); setEditing(null); }}
          onSaved={() => {
            setAdding(false);
            setEditing(null);
            list.reload();
            onChanged();
          }}
        />
      )}
    </Card>
  );
}
