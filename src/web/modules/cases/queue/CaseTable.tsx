import { Grid, Table, Tag, type TableProps } from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { currentLanguage } from '../../../app/i18n.js';
import { HintTooltip } from '../../../ui/HintTooltip.js';
import type { CaseListQuery, CaseSummary } from '../shared/api.js';
import { departmentNamer, useDepartments } from '../hooks.js';
import { formatFullTime, formatTime } from '../shared/format.js';
import { categoryName, sourceLabel } from '../shared/labels.js';
import { StateTag } from '../shared/StateTag.js';
import { TimingLight } from '../shared/TimingLight.js';
import '../pages.css';

type SortKey = NonNullable<CaseListQuery['sort']>;

export interface TableChange {
  page?: number;
  pageSize?: number;
  sort?: SortKey;
  order?: 'asc' | 'desc';
}

interface CaseTableProps {
  items: readonly CaseSummary[];
  total: number;
  loading: boolean;
  query: CaseListQuery;
  onChange: (change: TableChange) => void;
  /** Street and community names by code (a summary carries only its grid code). */
  names: ReadonlyMap<string, string>;
  /** Cases that just changed live: their rows flash once. */
  highlight?: ReadonlySet<number>;
  emptyText: React.ReactNode;
  pageSizes?: readonly number[];
  /** Columns a narrower panel leaves out (the community workstation knows its own area). */
  hide?: readonly string[];
  /** Below this width the table scrolls sideways instead of squeezing the problem text away. */
  minWidth?: number;
}

/**
 * The case list of the command centre: one line per case, the timing light first, dense enough for
 * fifty rows on a dispatch wall; columns give way on narrow screens, the number and the light stay.
 */
export const CaseTable = memo(function CaseTable({ items, total, loading, query, onChange, names, highlight, emptyText, pageSizes = [20, 50, 100], hide = [], minWidth }: CaseTableProps) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const navigate = useNavigate();
  const departmentName = departmentNamer(useDepartments());
  const screens = Grid.useBreakpoint();
  // on a phone the state rides under the number instead of taking a column of its own
  const narrow = Object.keys(screens).length > 0 && !screens.sm;
  const now = Date.now();
  const sortOrder = (key: SortKey): SortOrder => (query.sort === key ? (query.order === 'asc' ? 'ascend' : 'descend') : null);

  const all: NonNullable<TableProps<CaseSummary>['columns']> = [
    {
      key: 'light',
      title: <span className="og-visually-hidden">{t('cases.desk.table.light')}</span>,
      width: 36,
      align: 'center',
      render: (_, c) => <TimingLight light={c.light} dueAt={c.dueAt} frozen={c.state === 'suspended'} dotOnly />,
    },
    {
      key: 'number',
      dataIndex: 'number',
      title: t('cases.desk.table.number'),
      sorter: true,
      sortOrder: sortOrder('number'),
      width: 186,
      render: (_, c) => (
        <div className="og-case-cell">
          <Link to={`/cases/${c.id}`} className="og-case-number" aria-label={t('cases.desk.table.open', { number: c.number })} onClick={(e) => e.stopPropagation()}>
            {c.number}
          </Link>
          <span className="og-case-sub">{categoryName(c.category, lang) ?? t('cases.desk.table.noCategory')}</span>
          {narrow && <StateTag state={c.state} />}
        </div>
      ),
    },
    {
      key: 'state',
      title: t('cases.desk.table.state'),
      responsive: ['sm'],
      // English state names run longer than the four characters of Chinese ones
      width: lang === 'en' ? 170 : 132,
      render: (_, c) => (
        <div className="og-case-state-cell">
          <StateTag state={c.state} />
          {c.reworkCount > 0 && <Tag color="magenta" variant="outlined">{t('cases.desk.table.rework', { count: c.reworkCount })}</Tag>}
          {c.pendingRequest && (
            <Tag color="gold" variant="outlined">
              {t('cases.desk.table.request', { kind: t(`cases.shared.requestKinds.${c.pendingRequest}`) })}
            </Tag>
          )}
        </div>
      ),
    },
    {
      key: 'description',
      title: t('cases.desk.table.description'),
      responsive: ['md'],
      ellipsis: true,
      render: (_, c) => (
        <div className="og-case-cell">
          <HintTooltip title={c.description} placement="topLeft">
            <span className="og-case-desc">{c.description}</span>
          </HintTooltip>
          {c.address && <span className="og-case-sub">{c.address}</span>}
        </div>
      ),
    },
    {
      key: 'area',
      title: t('cases.desk.table.area'),
      responsive: ['lg'],
      width: 150,
      ellipsis: true,
      render: (_, c) => (
        <div className="og-case-cell">
          <span>{names.get(c.gridCode.slice(0, 12)) ?? c.gridCode.slice(0, 12)}</span>
          {names.has(c.gridCode.slice(0, 9)) && <span className="og-case-sub">{names.get(c.gridCode.slice(0, 9))}</span>}
        </div>
      ),
    },
    {
      key: 'holder',
      title: t('cases.desk.table.holder'),
      responsive: ['xl'],
      width: 140,
      ellipsis: true,
      render: (_, c) =>
        c.holder ? ((c.holder.kind === 'department' ? departmentName(c.holder.code) : null) ?? c.holder.name ?? c.holder.code) : <span className="og-muted">—</span>,
    },
    {
      key: 'due',
      title: t('cases.desk.table.due'),
      sorter: true,
      sortOrder: sortOrder('due_at'),
      responsive: ['sm'],
      width: 212,
      render: (_, c) => (c.dueAt ? <TimingLight light={c.light} dueAt={c.dueAt} frozen={c.state === 'suspended'} /> : <span className="og-muted">—</span>),
    },
    {
      key: 'source',
      title: t('cases.desk.table.source'),
      responsive: ['xxl'],
      width: 120,
      ellipsis: true,
      render: (_, c) => sourceLabel(c.source, lang),
    },
    {
      key: 'created_at',
      title: t('cases.desk.table.createdAt'),
      sorter: true,
      sortOrder: sortOrder('created_at'),
      responsive: ['xxl'],
      width: 108,
      render: (_, c) => (
        <time dateTime={new Date(c.createdAt).toISOString()} title={formatFullTime(c.createdAt)} className="og-tabular">
          {formatTime(c.createdAt, now)}
        </time>
      ),
    },
  ];

  const columns = all.filter((c) => !hide.includes(String(c.key)));

  return (
    <Table<CaseSummary>
      className="og-case-table"
      size="middle"
      rowKey="id"
      columns={columns}
      dataSource={items as CaseSummary[]}
      loading={loading}
      locale={{ emptyText }}
      rowClassName={(c) => `og-case-row og-case-row-${c.light ?? 'none'}${highlight?.has(c.id) ? ' og-row-flash' : ''}`}
      onRow={(c) => ({ onClick: () => navigate(`/cases/${c.id}`), 'data-case-id': c.id }) as React.HTMLAttributes<HTMLTableRowElement>}
      tableLayout="fixed"
      scroll={minWidth ? { x: minWidth } : undefined}
      pagination={{
        current: query.page ?? 1,
        pageSize: query.pageSize ?? pageSizes[0],
        total,
        showSizeChanger: true,
        pageSizeOptions: pageSizes.map(String),
        showTotal: (n) => t('cases.desk.table.total', { total: n.toLocaleString(lang) }),
      }}
      onChange={(pagination, _filters, sorter) => {
        const s = Array.isArray(sorter) ? sorter[0] : sorter;
        const key = s?.columnKey === 'due' ? 'due_at' : (s?.columnKey as SortKey | undefined);
        const change: TableChange = { page: pagination.current, pageSize: pagination.pageSize };
        if (s?.order && key) {
          change.sort = key;
          change.order = s.order === 'ascend' ? 'asc' : 'desc';
        } else if (s && !s.order) {
          change.sort = undefined;
          change.order = undefined;
        }
        onChange(change);
      }}
    />
  );
});
