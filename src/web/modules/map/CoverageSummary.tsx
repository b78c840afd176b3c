import { AimOutlined, CheckCircleFilled, WarningFilled } from '@ant-design/icons';
import { Alert, Button, Col, Row, Statistic, Table, Tooltip, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../app/i18n.js';
import { StatusTag, type Tone } from '../../ui/StatusTag.js';
import { areaParts } from '../divisions/format.js';
import type { CoverageReport } from './api.js';
import { coverageRows, formatM2, type CoverageKind, type CoverageRow } from './coverage.js';
import { usePrinting } from '../../app/printing.js';

export const KIND_TONE: Record<CoverageKind, Tone> = { overlap: 'danger', gap: 'warning', outside: 'brand' };

interface CoverageSummaryProps {
  report: CoverageReport;
  /** Where "locate" takes the user: the map flies there; elsewhere it links to the map. */
  onLocate: (row: CoverageRow) => void;
  /** Narrow panels get a list; pages get the full table. */
  compact?: boolean;
}

/** The verdict of the coverage check (无缝拼接), its figures, and every problem with its area. */
export function CoverageSummary({ report, onLocate, compact = false }: CoverageSummaryProps) {
  const printing = usePrinting();
  const { t } = useTranslation();
  const lang = currentLanguage();
  const rows = useMemo(() => coverageRows(report), [report]);
  const ok = report.verdict === 'ok';
  const km2 = (m2: number) => {
    const { value, unit } = areaParts(m2, t, lang);
    return `${value} ${unit}`;
  };
  const kindTag = (row: CoverageRow) => (
    <StatusTag tone={KIND_TONE[row.kind]}>{t(`map.coverage.${row.kind}`)}</StatusTag>
  );
  const sliverTag = (row: CoverageRow) =>
    row.sliver ? (
      <Tooltip title={t('map.coverage.sliverHint')}>
        <span>
          <StatusTag>{t('map.coverage.sliver')}</StatusTag>
        </span>
      </Tooltip>
    ) : null;

  return (
    <div className="og-coverage" data-testid="coverage-summary" data-verdict={report.verdict}>
      <Alert
        type={ok ? 'success' : 'error'}
        showIcon
        icon={ok ? <CheckCircleFilled /> : <WarningFilled />}
        title={ok ? t('map.coverage.ok') : t('map.coverage.problems')}
        description={
          ok
            ? t('map.coverage.okDetail', { count: new Intl.NumberFormat(lang).format(report.gridCount) })
            : t('map.coverage.problemsDetail', { overlaps: report.overlaps.length, gaps: report.gaps.length, outside: report.outside.length })
        }
      />
      <Row gutter={[12, 12]} className="og-coverage-figures">
        <Col span={compact ? 12 : 6}>
          <Statistic title={t('map.coverage.gridCount')} value={report.gridCount} />
        </Col>
        <Col span={compact ? 12 : 6}>
          <Statistic title={t('map.coverage.boundaryArea')} value={km2(report.boundaryAreaM2)} />
        </Col>
        <Col span={compact ? 12 : 6}>
          <Statistic title={t('map.coverage.gridsArea')} value={km2(report.gridsAreaM2)} />
        </Col>
        <Col span={compact ? 12 : 6}>
          <Statistic title={t('map.coverage.difference')} value={formatM2(Math.abs(report.gridsAreaM2 - report.boundaryAreaM2), lang)} />
        </Col>
      </Row>
      {rows.length > 0 && compact && (
        <ul className="og-coverage-list" aria-label={t('map.coverage.title')}>
          {rows.map((row) => (
            <li key={row.key}>
              <Button type="text" block className="og-coverage-item" onClick={() => onLocate(row)}>
                {kindTag(row)}
                <span className="og-coverage-area">{formatM2(row.areaM2, lang)}</span>
                <span className="og-coverage-grids">{row.grids.join(' / ')}</span>
                {sliverTag(row)}
                <AimOutlined aria-label={t('map.coverage.locate')} />
              </Button>
            </li>
          ))}
        </ul>
      )}
      {rows.length > 0 && !compact && (
        <Table<CoverageRow>
          rowKey="key"
          size="small"
          dataSource={rows}
          pagination={rows.length > 10 && !printing ? { pageSize: 10, showSizeChanger: false } : false}
          scroll={{ x: 640 }}
          columns={[
            { key: 'kind', title: t('map.coverage.kind'), render: (_, row) => <>{kindTag(row)} {sliverTag(row)}</> },
            { key: 'area', title: t('map.coverage.area'), align: 'right', render: (_, row) => formatM2(row.areaM2, lang) },
            {
              key: 'grids',
              title: t('map.coverage.grids'),
              render: (_, row) => (row.grids.length ? row.grids.map((g) => <Typography.Text code key={g} className="og-code">{g}</Typography.Text>) : '—'),
            },
            { key: 'location', title: t('map.coverage.location'), render: (_, row) => <span className="og-mono">{row.location.map((v) => v.toFixed(5)).join(', ')}</span> },
            {
              key: 'locate',
              title: '',
              render: (_, row) => (
                <Button size="small" icon={<AimOutlined />} onClick={() => onLocate(row)}>
                  {t('map.coverage.locate')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </div>
  );
}
