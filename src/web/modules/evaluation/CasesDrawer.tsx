import { DownloadOutlined, ExportOutlined } from '@ant-design/icons';
import { Button, Descriptions, Drawer, Flex, Segmented, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth } from '../../app/auth.js';
import { useFocusReturn } from '../../app/focusReturn.js';
import { useErrorToast, useRequest } from '../../app/hooks.js';
import { INDICATOR_BY_KEY } from '../../../shared/evaluation/indicators.js';
import { hitRuleOf } from '../../../shared/evaluation/drill.js';
import { exportUrl, fetchCaseDetail, fetchCases, type CasesQuery, type DrillRow } from './api.js';
import { actionLabel, beijingTime, formatCount, formatHours, indicatorLabel, langOf, sourceLabel, stateLabel } from './format.js';

/**
 * The cases behind a figure: the list the figure counts, newest first, with the export buttons,
 * and for a rate whether each case met it. A case opens with its history and the figures it counts in:
 * a click anywhere on its row, or its number, a button reached with Tab. Each drawer, once closed,
 * gives the focus back to what opened it (useFocusReturn): Ant Design's Drawer does only when it has
 * finished sliding in, and one closed sooner (Escape at once) left the focus on the page's body.
 */
export function CasesDrawer({ query, onClose }: { query: CasesQuery | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const { can } = useAuth();
  const toast = useErrorToast();
  useFocusReturn(!!query);
  const [only, setOnly] = useState<'all' | 'hit' | 'miss'>('all');
  const [rows, setRows] = useState<DrillRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [opened, setOpened] = useState<number | null>(null);
  const def = query ? INDICATOR_BY_KEY.get(query.indicator) : undefined;
  // rows are marked in or out of the numerator as the server marks them
  const hasHit = def?.type === 'rate' && hitRuleOf(def) !== null;
  const effective = query ? { ...query, only: only === 'all' ? undefined : only } : null;

  useEffect(() => setOnly('all'), [query]);
  useEffect(() => {
    if (!effective) return;
    const controller = new AbortController();
    setLoading(true);
    fetchCases({ ...effective, limit: 50 }, controller.signal).then(
      (page) => {
        setRows(page.items);
        setNext(page.next);
        setTotal(page.total);
        setLoading(false);
      },
      (err) => {
        if (!controller.signal.aborted) {
          setLoading(false);
          toast(err);
        }
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the query object is the input
  }, [JSON.stringify(effective)]);

  const more = async () => {
    if (!effective || !next) return;
    setLoading(true);
    try {
      const page = await fetchCases({ ...effective, limit: 50, after: next });
      setRows((r) => [...r, ...page.items]);
      setNext(page.next);
    } catch (err) {
      toast(err);
    } finally {
      setLoading(false);
    }
  };

  const exportQuery = effective ? Object.fromEntries(Object.entries(effective).map(([k, v]) => [k, v === undefined ? undefined : String(v)])) : {};
  return (
    <Drawer
      open={!!query}
      onClose={onClose}
      size={Math.min(1100, typeof window === 'undefined' ? 1100 : window.innerWidth - 48)}
      title={query ? t('evaluation.cases.title', { indicator: indicatorLabel(query.indicator, lang) }) : ''}
      destroyOnHidden
      extra={can('exports.run') && query && (
        <Space>
          <Button icon={<DownloadOutlined />} href={exportUrl('/api/evaluation/cases', exportQuery, 'csv', lang)} data-testid="export-cases-csv">{t('evaluation.cases.exportCsv')}</Button>
          <Button icon={<DownloadOutlined />} href={exportUrl('/api/evaluation/cases', exportQuery, 'xlsx', lang)}>{t('evaluation.cases.exportXlsx')}</Button>
        </Space>
      )}
    >
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }} wrap gap={8}>
        <Typography.Text type="secondary">{def?.formula[lang]}</Typography.Text>
        <Flex gap={12} align="center">
          {hasHit && (
            <Segmented
              size="small"
              value={only}
              onChange={(v) => setOnly(v as typeof only)}
              options={[{ value: 'all', label: t('evaluation.cases.all') }, { value: 'miss', label: t('evaluation.cases.onlyMiss') }, { value: 'hit', label: t('evaluation.cases.onlyHit') }]}
            />
          )}
          <Typography.Text strong data-testid="cases-total">{t('evaluation.cases.total', { count: total })}</Typography.Text>
        </Flex>
      </Flex>
      <Table<DrillRow>
        size="small"
        rowKey="markId"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 960 }}
        onRow={(r) => ({ onClick: () => setOpened(r.caseId), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('evaluation.cases.number'), dataIndex: 'number', width: 200,
            render: (n: string, r) => (
              <Button type="link" size="small" className="og-eval-link" aria-label={t('evaluation.cases.open', { number: n })} onClick={() => setOpened(r.caseId)}>{n}</Button>
            ),
          },
          { title: t('evaluation.cases.category'), dataIndex: 'categoryName', ellipsis: true, render: (v: string | null, r) => v ?? r.categoryCode ?? '—' },
          { title: t('evaluation.cases.grid'), dataIndex: 'gridName', ellipsis: true, render: (v: string | null, r) => v ?? r.gridCode },
          { title: t('evaluation.cases.source'), dataIndex: 'source', width: 110, render: (v: string) => sourceLabel(v, lang) },
          { title: t('evaluation.cases.state'), dataIndex: 'state', width: 120, render: (v: string) => <Tag>{stateLabel(v, lang)}</Tag> },
          { title: t('evaluation.cases.at'), dataIndex: 'at', width: 150, render: (v: number) => beijingTime(v) },
          { title: t('evaluation.cases.department'), dataIndex: 'department', width: 90, render: (v: string | null) => v ?? '—' },
          ...(hasHit ? [{ title: t('evaluation.cases.hit'), dataIndex: 'hit', width: 90, render: (v: boolean | null) => (v === null ? '—' : <Tag color={v ? 'green' : 'orange'}>{v ? t('evaluation.cases.yes') : t('evaluation.cases.no')}</Tag>) }] : []),
          ...(query?.indicator.includes('handling') ? [{ title: t('evaluation.cases.hours'), dataIndex: 'hours', width: 100, render: (v: number | null) => formatHours(v) }] : []),
        ]}
      />
      {next && (
        <Flex justify="center" style={{ marginTop: 12 }}>
          <Button onClick={() => void more()} loading={loading}>{t('evaluation.cases.more')} ({formatCount(rows.length, lang)} / {formatCount(total, lang)})</Button>
        </Flex>
      )}
      <CaseDetailDrawer id={opened} onClose={() => setOpened(null)} />
    </Drawer>
  );
}

function CaseDetailDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const { can } = useAuth();
  const detail = useRequest((signal) => (id === null ? Promise.resolve(null) : fetchCaseDetail(id, signal)), [id]);
  const d = detail.data;
  useFocusReturn(id !== null);
  return (
    <Drawer open={id !== null} onClose={onClose} size={560} title={d ? t('evaluation.caseDetail.title', { number: d.case.number }) : ''} loading={detail.status === 'loading'}
      extra={d && can('cases.read') && <Link to={`/cases/${d.case.id}`} data-testid="open-case"><ExportOutlined /> {t('evaluation.caseDetail.openCase')}</Link>}>
      {d && (
        // a stop for Tab, so that the arrow keys scroll a long history: the drawer's body scrolls, and
        // without the case handling link (for a reader without cases.read) holds nothing else to focus
        <Flex vertical gap={16} data-testid="case-detail" tabIndex={0} role="region" aria-label={t('evaluation.caseDetail.title', { number: d.case.number })}>
          <Descriptions size="small" column={1} bordered items={[
            { key: 's', label: t('evaluation.cases.state'), children: <Tag color="blue">{stateLabel(d.case.state, lang)}</Tag> },
            { key: 'c', label: t('evaluation.cases.category'), children: d.case.categoryName ?? d.case.categoryCode ?? '—' },
            { key: 'g', label: t('evaluation.cases.grid'), children: `${d.case.gridName ?? ''} ${d.case.gridCode}` },
            { key: 'src', label: t('evaluation.cases.source'), children: sourceLabel(d.case.source, lang) },
            { key: 'd', label: t('evaluation.caseDetail.description'), children: d.case.description },
            { key: 'r', label: t('evaluation.caseDetail.reportedAt'), children: beijingTime(d.case.reportedAt) },
            { key: 'x', label: t('evaluation.caseDetail.closedAt'), children: beijingTime(d.case.closedAt) },
            { key: 'w', label: t('evaluation.caseDetail.rework'), children: d.case.reworkCount },
          ]} />
          <div>
            <Typography.Title level={5}>{t('evaluation.caseDetail.marks')}</Typography.Title>
            <Space size={[6, 6]} wrap>
              {d.marks.map((m, i) => (
                <Tag key={i} color={m.flags.includes('on_time') || m.flags.includes('valid') ? 'green' : undefined}>
                  {indicatorLabel(m.kind === 'due' ? 'due' : m.kind, lang)}
                  {m.flags.length > 0 && ` · ${m.flags.map((f) => t(`evaluation.caseDetail.flags.${f as 'valid' | 'on_time' | 'accurate' | 'missed'}`)).join('、')}`}
                  {m.hours !== null && ` · ${formatHours(m.hours)} ${t('evaluation.dashboard.hours')}`}
                </Tag>
              ))}
            </Space>
          </div>
          <div>
            <Typography.Title level={5}>{t('evaluation.caseDetail.timeline')}</Typography.Title>
            <Timeline items={d.events.map((e) => ({
              key: e.seq,
              content: (
                <>
                  <Typography.Text strong>{actionLabel(e.action, lang)}</Typography.Text>{' '}
                  <Typography.Text type="secondary">{beijingTime(e.at)} · {e.actorName ?? ''}{e.department ? ` (${e.department})` : ''}</Typography.Text>
                  {e.comment && <div>{e.comment}</div>}
                </>
              ),
            }))} />
          </div>
        </Flex>
      )}
    </Drawer>
  );
}
