import { Button, Card, Flex, Segmented, Select, Table, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FORCES } from '../../../shared/team.js';
import { currentLanguage } from '../../app/i18n.js';
import type { TeamCountRow } from './api.js';
import { FORCE_COLOR, forceLabel } from './labels.js';
import { sumCounts } from './summary.js';
import { usePrinting } from '../../app/printing.js';

interface TeamCountsProps {
  streets: TeamCountRow[] | null;
  communities: TeamCountRow[] | null;
  loading: boolean;
  onPickArea: (code: string) => void;
}

/** How many of each force work in each street or community, with the totals under the table. */
export function TeamCounts({ streets, communities, loading, onPickArea }: TeamCountsProps) {
  const printing = usePrinting();
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [level, setLevel] = useState<'street' | 'community'>('street');
  const [street, setStreet] = useState<string | null>(null);
  const nf = useMemo(() => new Intl.NumberFormat(lang), [lang]);

  const rows = useMemo(() => {
    if (level === 'street') return streets ?? [];
    return (communities ?? []).filter((row) => !street || row.code.startsWith(street));
  }, [level, street, streets, communities]);
  const totals = useMemo(() => sumCounts(rows), [rows]);
  const max = useMemo(() => Math.max(1, ...rows.map((r) => r.total)), [rows]);

  return (
    <Card
      title={t('team.counts.title')}
      className="og-team-counts"
      extra={
        <Flex gap={8} wrap justify="flex-end">
          {level === 'community' && (
            <Select
              aria-label={t('team.counts.filterStreet')}
              style={{ minWidth: 180 }}
              value={street ?? ''}
              onChange={(v) => setStreet(v || null)}
              options={[{ value: '', label: t('team.counts.allStreets') }, ...(streets ?? []).map((s) => ({ value: s.code, label: s.name }))]}
            />
          )}
          <Segmented
            value={level}
            onChange={(v) => setLevel(v as 'street' | 'community')}
            options={[
              { value: 'street', label: t('team.counts.byStreet') },
              { value: 'community', label: t('team.counts.byCommunity') },
            ]}
          />
        </Flex>
      }
      styles={{ body: { padding: 0 } }}
    >
      <Table<TeamCountRow>
        rowKey="code"
        size="small"
        loading={loading}
        dataSource={rows}
        pagination={rows.length > 12 && !printing ? { pageSize: 12, showSizeChanger: false, size: 'small' } : false}
        scroll={{ x: 640 }}
        columns={[
          {
            key: 'name',
            title: t('team.counts.area'),
            fixed: 'left',
            sorter: (a, b) => a.code.localeCompare(b.code),
            render: (_, row) => (
              <Tooltip title={t('team.counts.showMembers')}>
                <Button type="link" size="small" onClick={() => onPickArea(row.code)} className="og-link-cell">
                  {row.name}
                </Button>
              </Tooltip>
            ),
          },
          ...FORCES.map((force) => ({
            key: force,
            title: forceLabel(force, lang),
            align: 'right' as const,
            sorter: (a: TeamCountRow, b: TeamCountRow) => a[force] - b[force],
            render: (_: unknown, row: TeamCountRow) => <span className="og-num">{nf.format(row[force])}</span>,
          })),
          {
            key: 'total',
            title: t('team.counts.total'),
            align: 'right',
            defaultSortOrder: undefined,
            sorter: (a, b) => a.total - b.total,
            render: (_, row) => <strong className="og-num">{nf.format(row.total)}</strong>,
          },
          {
            key: 'mix',
            title: t('team.counts.mix'),
            width: 180,
            render: (_, row) => (
              <div className="og-mix-bar" style={{ width: `${Math.max(8, (row.total / max) * 100)}%` }} aria-hidden>
                {FORCES.map((force) => (row[force] > 0 ? <span key={force} style={{ flexGrow: row[force], background: FORCE_COLOR[force] }} /> : null))}
              </div>
            ),
          },
        ]}
        summary={() =>
          rows.length > 0 ? (
            <Table.Summary fixed>
              <Table.Summary.Row className="og-summary-row">
                <Table.Summary.Cell index={0}>{t('team.counts.summary', { count: rows.length })}</Table.Summary.Cell>
                {FORCES.map((force, i) => (
                  <Table.Summary.Cell index={i + 1} key={force} align="right">
                    <span className="og-num">{nf.format(totals[force])}</span>
                  </Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={4} align="right">
                  <strong className="og-num">{nf.format(totals.total)}</strong>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5}>
                  <Typography.Text type="secondary" className="og-num">
                    {FORCES.map((f) => `${Math.round((totals[f] / Math.max(totals.total, 1)) * 100)}%`).join(' / ')}
                  </Typography.Text>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            </Table.Summary>
          ) : null
        }
      />
    </Card>
  );
}
