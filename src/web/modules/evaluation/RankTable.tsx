import { Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { usePrinting } from '../../app/printing.js';
import { placesOf } from '../../../shared/evaluation/figures.js';
import { INDICATOR_BY_KEY } from '../../../shared/evaluation/indicators.js';
import { rowName, type TableRow } from './api.js';
import { FigureButton } from './FigureButton.js';
import { formatValue, GRADE_COLORS, indicatorFormula, indicatorLabel, langOf } from './format.js';

/**
 * A ranking or indicator table: one row per subject, one column per indicator, then score and
 * grade. A subject's name can lead further down (drill), and each figure opens the cases behind it.
 * Both are reached with Tab and used with Enter, and each is named by what it opens: the drill is a
 * link to the page further down (so it also opens in a new tab), a figure a button.
 */
interface RankTableProps {
  rows: TableRow[];
  indicators: readonly string[];
  /** The address of the page a subject's name leads to, further down. */
  nameTo?: (row: TableRow) => string;
  onFigure?: (row: TableRow, indicator: string) => void;
  withScore?: boolean;
  rank?: boolean;
  pageSize?: number | false;
  testId?: string;
  place?: boolean;
  /** The least work for a place (the weights' rankMinimum), said to a row without one. */
  minimum: number;
}

export function RankTable({ rows, indicators, nameTo, onFigure, withScore = true, rank = true, pageSize = false, testId, place = false, minimum }: RankTableProps) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  // on paper every row, not the page on screen
  const printing = usePrinting();
  const columns: ColumnsType<TableRow> = [];
  // places as the server ranked the rows (a subject with too little work takes none), whatever column the table is sorted by
  const places = placesOf(rows);
  const unrankedHint = t('evaluation.table.unrankedHint', { n: minimum });
  // nobody did enough for a place (a quiet period, a small demo): one note above, not a tag on every row
  const noneRanked = rank && rows.length > 0 && places.size === 0;
  const tagUnranked = rank && !noneRanked;
  if (rank) {
    columns.push({
      title: '#', key: 'rank', width: 48, align: 'center',
      render: (_v, row) => (places.has(row.id)
        ? <span className={places.get(row.id)! <= 3 ? 'og-eval-rank og-eval-rank-top' : 'og-eval-rank'}>{places.get(row.id)}</span>
        : <Tooltip title={unrankedHint}><span className="og-eval-unranked" aria-label={t('evaluation.table.unranked')}>—</span></Tooltip>),
    });
  }
  columns.push({
    title: t('evaluation.dashboard.name'), dataIndex: 'name', key: 'name', fixed: 'left', ellipsis: true, width: 170,
    render: (_name: string, row) => (nameTo
      ? <Link to={nameTo(row)} aria-label={t('evaluation.dashboard.drill', { name: rowName(row, lang) })} data-testid={`drill-${row.id}`}>{rowName(row, lang)}</Link>
      : rowName(row, lang)),
  });
  if (place) columns.push({ title: t('evaluation.cases.grid'), dataIndex: 'place', key: 'place', width: 150, ellipsis: true, render: (v: string | null) => v ?? '—' });
  for (const key of indicators) {
    const drillable = !!INDICATOR_BY_KEY.get(key)?.drill && !!onFigure;
    columns.push({
      title: <Tooltip title={indicatorFormula(key, lang)}>{indicatorLabel(key, lang)}</Tooltip>,
      key, align: 'right', width: 104,
      sorter: (a, b) => (a.figures.values[key] ?? -1) - (b.figures.values[key] ?? -1),
      render: (_v, row) => {
        const text = formatValue(key, row.figures.values[key], lang);
        if (!drillable || row.figures.values[key] === null) return <span className="og-tabular">{text}</span>;
        return <FigureButton shown={text} name={rowName(row, lang)} indicator={indicatorLabel(key, lang)} onClick={() => onFigure!(row, key)} />;
      },
    });
  }
  if (withScore) {
    columns.push({
      title: t('evaluation.dashboard.score'), key: 'score', align: 'right', width: tagUnranked && places.size < rows.length ? 150 : 80, defaultSortOrder: undefined,
      sorter: (a, b) => (a.figures.score ?? -1) - (b.figures.score ?? -1),
      render: (_v, row) => (
        <span className="og-tabular">
          {row.figures.score === null ? '—' : row.figures.score.toFixed(1)}
          {tagUnranked && !row.ranked && row.figures.score !== null && <Tooltip title={unrankedHint}><Tag className="og-eval-unranked-tag" data-testid={`unranked-${row.id}`}>{t('evaluation.table.unranked')}</Tag></Tooltip>}
        </span>
      ),
    });
    columns.push({
      title: t('evaluation.dashboard.grade'), key: 'grade', align: 'center', width: 64,
      render: (_v, row) => (row.figures.grade ? <Tag color={GRADE_COLORS[row.figures.grade]} className="og-eval-grade">{row.figures.grade}</Tag> : '—'),
    });
  }
  const table = (
    <Table<TableRow>
      size="small"
      rowKey="id"
      columns={columns}
      dataSource={rows}
      pagination={pageSize && !printing ? { pageSize, showSizeChanger: false, size: 'small' } : false}
      scroll={{ x: 'max-content' }}
      data-testid={testId}
    />
  );
  if (!noneRanked) return table;
  return (
    <>
      <Typography.Paragraph type="secondary" className="og-eval-none-ranked" data-testid={testId ? `${testId}-none-ranked` : undefined}>
        {t('evaluation.table.noneRanked', { n: minimum })}
      </Typography.Paragraph>
      {table}
    </>
  );
}
