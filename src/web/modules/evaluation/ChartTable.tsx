import { TableOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrinting } from '../../app/printing.js';
import { round1, type ChartRow } from './charts.js';
import { FigureButton } from './FigureButton.js';
import { formatCount, formatRate, langOf } from './format.js';

/**
 * A dashboard chart in its card, with the chart's figures as a table (数据表) behind a toggle in the
 * card's head. A canvas takes only the mouse: in the table each bar, slice or area is a row, and what
 * a click on it opens is a button there, reached with Tab and used with Enter (WCAG 2.1.1). The table
 * also gives the exact numbers, and it prints. While it is hidden the card looks as it did before.
 */
interface ChartCardProps {
  title: string;
  /** Whether the table shows: the page keeps it per chart for as long as it is open. */
  shown: boolean;
  onToggle: () => void;
  /** What else the card's head holds, before the toggle. */
  extra?: ReactNode;
  /** The chart. */
  children: ReactNode;
  /** The chart's table, mounted only while it shows. */
  table: ReactNode;
}

export function ChartCard({ title, shown, onToggle, extra, children, table }: ChartCardProps) {
  const { t } = useTranslation();
  const id = useId();
  // one name for the toggle and the table it shows, so each of the four says which chart it is about
  const name = t('evaluation.dashboard.dataTable.named', { title });
  const toggle = (
    <Button size="small" icon={<TableOutlined />} className="og-no-print" aria-label={name} aria-expanded={shown}
      aria-controls={shown ? id : undefined} onClick={onToggle}>
      {t('evaluation.dashboard.dataTable.toggle')}
    </Button>
  );
  return (
    <Card title={title} size="small" extra={extra ? <Flex gap={12} align="center">{extra}{toggle}</Flex> : toggle}>
      {children}
      {shown && <section id={id} aria-label={name} className="og-eval-chart-table">{table}</section>}
    </Card>
  );
}

/** A column of figures: how they read, and whether each opens the cases behind it as the chart's click does. */
export interface ChartColumn {
  key: string;
  title: string;
  kind: 'count' | 'rate' | 'density';
  opens?: boolean;
}

interface ChartTableProps {
  rows: ChartRow[];
  /** The first column's title: the period, the source, the class, the area. */
  nameTitle: string;
  columns: ChartColumn[];
  /** What a figure that opens does: the same function as the chart's click on its part. */
  onFigure?: (row: ChartRow, key: string) => void;
  /** A row's name that leads somewhere (the map's areas drill down), with what it is called. */
  drill?: { can: (row: ChartRow) => boolean; open: (row: ChartRow) => void; label: (row: ChartRow) => string };
  testId?: string;
}

export function ChartTable({ rows, nameTitle, columns, onFigure, drill, testId }: ChartTableProps) {
  const { i18n } = useTranslation();
  const lang = langOf(i18n.language);
  // on paper every row: the map's table of a district's 600-odd communities is dozens of pages on screen
  const printing = usePrinting();
  const text = (kind: ChartColumn['kind'], v: number | null) => (kind === 'count' ? formatCount(v, lang) : kind === 'rate' ? formatRate(v) : v === null ? '—' : round1(v));
  const table: ColumnsType<ChartRow> = [
    {
      title: nameTitle, key: 'name',
      render: (_v, row) => (drill?.can(row)
        ? <Button type="link" size="small" className="og-eval-link" aria-label={drill.label(row)} onClick={() => drill.open(row)}>{row.name}</Button>
        : row.name),
    },
    ...columns.map((c): ColumnsType<ChartRow>[number] => ({
      title: c.title, key: c.key, align: 'right',
      render: (_v, row) => {
        const v = row.values[c.key] ?? null;
        const shown = text(c.kind, v);
        if (!c.opens || !onFigure || v === null) return <span className="og-tabular">{shown}</span>;
        return <FigureButton shown={shown} name={row.name} indicator={c.title} onClick={() => onFigure(row, c.key)} />;
      },
    })),
  ];
  return (
    <Table<ChartRow>
      size="small"
      rowKey="key"
      columns={table}
      dataSource={rows}
      pagination={rows.length > PAGE && !printing ? { pageSize: PAGE, showSizeChanger: false, size: 'small' } : false}
      data-testid={testId}
    />
  );
}

/** Rows a page: a year's months or a quarter's weeks (up to 14) on one, a month's days on three. */
const PAGE = 14;
