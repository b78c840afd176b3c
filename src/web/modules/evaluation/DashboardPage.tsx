import {
  CheckCircleOutlined, ClockCircleOutlined, FieldTimeOutlined, FileAddOutlined, RollbackOutlined, SyncOutlined, TableOutlined, TrophyOutlined,
} from '@ant-design/icons';
import { Alert, Button, Card, Col, Flex, Row, Segmented, Spin, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useDocumentTitle, useRequest } from '../../app/hooks.js';
import { describeError } from '../../app/errors.js';
import { useFocusHeadingOn } from '../../app/focusHeading.js';
import { EmptyState, ErrorState } from '../../ui/EmptyState.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { StatCard } from '../../ui/StatCard.js';
import { fetchDashboard, fetchMeta, type CasesQuery, type Dashboard, type TableRow } from './api.js';
import { CasesDrawer } from './CasesDrawer.js';
import { ChartCard, ChartTable, type ChartColumn } from './ChartTable.js';
import { categoryBar, categoryOption, categoryRows, drillsInto, mapRows, sourceOption, sourceRows, trendOption, trendPeriod, trendRows } from './charts.js';
import { chartText, type ChartKind } from './chartText.js';
import { DensityMap } from './DensityMap.js';
import { EChart, type ChartClick } from './EChart.js';
import { formatCount, formatHours, formatRate, formatValue, indicatorLabel, langOf, periodText, rangeEnd, subjectLabel } from './format.js';
import { PeriodPicker, periodFromParams, type PeriodState } from './PeriodPicker.js';
import { hasFigures, headlineChange } from './previous.js';
import { RankTable } from './RankTable.js';
import { formatChange } from './report.js';
import './evaluation.css';

/**
 * /dashboard — 领导驾驶舱: the area's headline figures for the period, the trend, categories and
 * sources, where problems are (density by community or grid), and rankings of the areas below, of
 * departments and of grid workers. Every figure opens the cases behind it; every area drills down
 * (district → street → community → grid).
 */
const AREA_COLUMNS = ['reported', 'closed', 'completion_rate', 'on_time_closure_rate', 'handle_on_time_rate'];
const DEPT_COLUMNS = ['due', 'handled', 'dept_closure_rate', 'handle_on_time_rate', 'rework_rate', 'avg_handling_hours'];
const WORKER_COLUMNS = ['reported', 'valid_rate', 'verify_on_time_rate', 'check_on_time_rate', 'missed_rate'];

export default function DashboardPage() {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const meta = useRequest((signal) => fetchMeta(signal), []);
  const fallbackYear = meta.data?.years[0] ?? new Date().getFullYear();
  const period = periodFromParams(params, fallbackYear);
  const area = params.get('area') ?? undefined;
  const query = periodText(period.kind, period.year, period.part, period.range);
  const ready = meta.status !== 'loading' || !!meta.data;
  const dash = useRequest((signal) => (ready ? fetchDashboard({ ...query, area }, signal) : new Promise<Dashboard>(() => {})), [ready, JSON.stringify(query), area]);
  const [drill, setDrill] = useState<CasesQuery | null>(null);
  const [mapMode, setMapMode] = useState<'choropleth' | 'heat'>('choropleth');
  // which charts show their data table: kept while the page is open, across periods and areas
  const [tables, setTables] = useState<Partial<Record<ChartKind, boolean>>>({});
  const d = dash.data;
  useDocumentTitle(t('evaluation.dashboard.title'));
  // drilled into another area (a ranking's name, the map or its table, the breadcrumb): the control
  // used went with the old area's content, and the title, which names the new one, takes the focus
  const heading = useFocusHeadingOn(d?.area.code);

  const setPeriod = (p: PeriodState) => {
    const next = new URLSearchParams(params);
    for (const k of ['period', 'from', 'to']) next.delete(k);
    for (const [k, v] of Object.entries(periodText(p.kind, p.year, p.part, p.range))) if (v) next.set(k, v);
    setParams(next);
  };
  // the page's address with another area: what the map's click opens, and where a ranking's name links
  const withArea = (code: string) => {
    const next = new URLSearchParams(params);
    next.set('area', code);
    return next;
  };
  const setArea = (code: string) => setParams(withArea(code));
  const cases = (indicator: string, extra: Partial<CasesQuery> = {}) => setDrill({ ...query, area: d?.area.code, indicator, ...extra });

  const breadcrumb = d ? d.path.map((p, i) => (i < d.path.length - 1 ? { title: p.name, to: `/dashboard?${new URLSearchParams({ ...query, area: p.code } as Record<string, string>).toString()}` } : { title: p.name })) : [];
  const trendNames = { reported: t('evaluation.dashboard.trendReported'), closed: t('evaluation.dashboard.trendClosed') };
  const trend = useMemo(() => (d ? trendOption(d, lang, trendNames) : null), [d, lang]); // eslint-disable-line react-hooks/exhaustive-deps
  const categories = useMemo(() => (d ? categoryOption(d, lang, trendNames) : null), [d, lang]); // eslint-disable-line react-hooks/exhaustive-deps
  const sources = useMemo(() => (d ? sourceOption(d, lang) : null), [d, lang]);

  // what a click on a part of a chart opens, and its button in the chart's table: one function each
  const seriesIndicator = (e: ChartClick) => (e.seriesName === trendNames.closed ? 'closed' : 'reported');
  const openTrend = (start: string | undefined, indicator: string) => {
    const days = d && start ? trendPeriod(d, start) : null;
    if (d && days) setDrill({ area: d.area.code, indicator, ...days });
  };
  const openSource = (source: string | undefined) => cases('reported', { source });
  const openClass = (code: string | undefined, indicator: string) => {
    if (code) cases(indicator, { class: code });
  };
  const countColumns: ChartColumn[] = [
    { key: 'reported', title: indicatorLabel('reported', lang), kind: 'count', opens: true },
    { key: 'closed', title: indicatorLabel('closed', lang), kind: 'count', opens: true },
  ];
  const toggleTable = (kind: ChartKind) => setTables((shown) => ({ ...shown, [kind]: !shown[kind] }));

  const v = d?.figures.values ?? {};
  // the period before, when it has figures to compare with
  const before = d && hasFigures(d.previous.figures.values) ? d.previous : null;
  const empty = d && (v.reported ?? 0) === 0 && (v.closed ?? 0) === 0;
  return (
    <Flex vertical gap={16} className="og-eval">
      <PageHeader
        headingRef={heading}
        breadcrumb={breadcrumb}
        title={d ? `${d.area.name} · ${t('evaluation.dashboard.title')}` : t('evaluation.dashboard.title')}
        subtitle={d ? t('evaluation.dashboard.subtitle', { area: subjectLabel(d.area.subject, lang), from: d.range.from, to: rangeEnd(d.range) }) : undefined}
        extra={
          <>
            <PeriodPicker value={period} years={meta.data?.years ?? []} onChange={setPeriod} />
            {/* one control, one Tab stop (a button inside a link took two) */}
            <Button icon={<TableOutlined />} onClick={() => navigate(`/evaluation/indicators?${new URLSearchParams({ ...query, ...(d ? { area: d.area.code } : {}) } as Record<string, string>).toString()}`)}>
              {t('evaluation.indicatorsNav')}
            </Button>
          </>
        }
      />
      {dash.status === 'error' && !d && (
        <ErrorState title={t('common.loadFailed')} message={describeError(dash.error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={dash.reload} />
      )}
      {!d && dash.status === 'loading' && <Flex justify="center" style={{ padding: 80 }}><Spin description={t('evaluation.dashboard.loading')} size="large"><div /></Spin></Flex>}
      {d && (
        <Spin spinning={dash.status === 'loading'}>
          <Flex vertical gap={16}>
            {empty && <Alert type="info" showIcon title={t('evaluation.dashboard.noData')} description={t('evaluation.dashboard.noDataHint')} />}
            <Row gutter={[16, 16]} data-testid="headline">
              <Figure span={6} icon={<FileAddOutlined />} k="reported" v={v} before={before} lang={lang} onOpen={() => cases('reported')} />
              <Figure span={6} icon={<CheckCircleOutlined />} k="closed" v={v} before={before} lang={lang} onOpen={() => cases('closed')}
                hint={v.reported ? t('evaluation.dashboard.ofReported', { share: formatRate(v.closed !== null && v.closed !== undefined ? v.closed / v.reported : null) }) : undefined} />
              <Figure span={6} icon={<TrophyOutlined />} k="completion_rate" v={v} before={before} lang={lang} onOpen={() => cases('completion_rate')} accent />
              <Figure span={6} icon={<ClockCircleOutlined />} k="on_time_closure_rate" v={v} before={before} lang={lang} onOpen={() => cases('on_time_closure_rate', { only: 'miss' })} />
              <Figure span={6} icon={<FieldTimeOutlined />} k="handle_on_time_rate" v={v} before={before} lang={lang} onOpen={() => cases('handle_on_time_rate')} />
              <Figure span={6} icon={<ClockCircleOutlined />} k="avg_handling_hours" v={v} before={before} lang={lang} unit={t('evaluation.dashboard.hours')} onOpen={() => cases('avg_handling_hours')}
                hint={v.p90_handling_hours != null ? t('evaluation.dashboard.p90', { hours: formatHours(v.p90_handling_hours) }) : undefined} />
              <Figure span={6} icon={<SyncOutlined />} k="rework" v={v} before={before} lang={lang} onOpen={() => cases('rework')} hint={formatRate(v.rework_rate)} />
              <Figure span={6} icon={<RollbackOutlined />} k="returned" v={v} before={before} lang={lang} onOpen={() => cases('returned')} hint={`${indicatorLabel('dispatch_accuracy', lang)} ${formatRate(v.dispatch_accuracy)}`} />
            </Row>
            <Row gutter={[16, 16]}>
              <Col xs={24} xl={16}>
                <ChartCard title={t('evaluation.dashboard.trend')} shown={!!tables.trend} onToggle={() => toggleTable('trend')}
                  table={<ChartTable rows={trendRows(d, lang)} nameTitle={t('evaluation.dashboard.dataTable.period')} columns={countColumns} onFigure={(r, k) => openTrend(r.key, k)} testId="trend-table" />}>
                  <EChart option={trend} height={300} label={chartText('trend', d, lang, t)} testId="trend-chart"
                    onClick={(e) => openTrend(d.trend.points[e.dataIndex]?.start, seriesIndicator(e))} />
                </ChartCard>
              </Col>
              <Col xs={24} xl={8}>
                <ChartCard title={t('evaluation.dashboard.sources')} shown={!!tables.sources} onToggle={() => toggleTable('sources')}
                  table={<ChartTable rows={sourceRows(d, lang)} nameTitle={t('evaluation.dashboard.dataTable.source')} onFigure={(r) => openSource(r.key)} testId="sources-table"
                    columns={[countColumns[0]!, { key: 'share', title: t('evaluation.dashboard.dataTable.share'), kind: 'rate' }]} />}>
                  <EChart option={sources} height={300} label={chartText('sources', d, lang, t)}
                    onClick={(e) => openSource((e.data as { source?: string } | undefined)?.source)} />
                </ChartCard>
              </Col>
            </Row>
            <Row gutter={[16, 16]}>
              <Col xs={24} xl={14}>
                <ChartCard title={t('evaluation.dashboard.map')} shown={!!tables.map} onToggle={() => toggleTable('map')}
                  extra={<>
                    <Typography.Text type="secondary" className="og-eval-map-hint">{t('evaluation.dashboard.mapHint')}</Typography.Text>
                    <Segmented size="small" value={mapMode} onChange={(m) => setMapMode(m as typeof mapMode)}
                      options={[{ value: 'choropleth', label: t('evaluation.dashboard.choropleth') }, { value: 'heat', label: t('evaluation.dashboard.heat') }]} />
                  </>}
                  table={<ChartTable rows={mapRows(d)} nameTitle={subjectLabel(d.map.layer === 'grids' ? 'grid' : 'community', lang)} testId="map-table"
                    columns={[countColumns[0]!, { key: 'density', title: t('evaluation.dashboard.dataTable.density'), kind: 'density' }, { key: 'completion_rate', title: indicatorLabel('completion_rate', lang), kind: 'rate' }]}
                    drill={{ can: (r) => drillsInto(d, r.key), open: (r) => setArea(r.key), label: (r) => t('evaluation.dashboard.dataTable.drill', { name: r.name }) }} />}>
                  <DensityMap data={d} onArea={setArea} mode={mapMode} />
                </ChartCard>
              </Col>
              <Col xs={24} xl={10}>
                <ChartCard title={t('evaluation.dashboard.categories')} shown={!!tables.categories} onToggle={() => toggleTable('categories')}
                  table={<ChartTable rows={categoryRows(d, lang)} nameTitle={t('evaluation.dashboard.dataTable.category')} columns={countColumns} onFigure={(r, k) => openClass(r.key, k)} testId="categories-table" />}>
                  <EChart option={categories} height={440} label={chartText('categories', d, lang, t)}
                    onClick={(e) => openClass(categoryBar(d, e.dataIndex)?.code, seriesIndicator(e))} />
                </ChartCard>
              </Col>
            </Row>
            {/* each ranking across the page: at half width their five or six figures did not fit */}
            <Row gutter={[16, 16]}>
              {d.children.subject && (
                <Col span={24}>
                  <Card title={t('evaluation.dashboard.children', { level: subjectLabel(d.children.subject, lang) })} size="small">
                    <RankTable rows={d.children.rows} indicators={AREA_COLUMNS} pageSize={10} testId="children-ranking" minimum={d.rankMinimum}
                      nameTo={(r) => `/dashboard?${withArea(r.id).toString()}`} onFigure={(r, k) => setDrill({ ...query, indicator: k, subject: r.id })} />
                  </Card>
                </Col>
              )}
              <Col span={24}>
                <Card title={t('evaluation.dashboard.departments')} size="small">
                  <RankTable rows={d.departments} indicators={DEPT_COLUMNS} pageSize={10} minimum={d.rankMinimum}
                    onFigure={(r, k) => setDrill({ ...query, indicator: k, subject: `dept:${r.id}`, area: d.area.code })} />
                </Card>
              </Col>
              <Col span={24}>
                <Card title={t('evaluation.dashboard.workers')} size="small">
                  {d.workers.length ? (
                    <RankTable rows={d.workers} indicators={WORKER_COLUMNS} place minimum={d.rankMinimum} testId="workers-ranking"
                      onFigure={(r: TableRow, k) => setDrill({ ...query, indicator: k, subject: `person:${r.id}` })} />
                  ) : <EmptyState title={t('evaluation.table.empty')} />}
                </Card>
              </Col>
            </Row>
          </Flex>
        </Spin>
      )}
      <CasesDrawer query={drill} onClose={() => setDrill(null)} />
    </Flex>
  );
}

function Figure({ k, v, before, lang, icon, unit, hint, onOpen, span, accent }: {
  k: string; v: Record<string, number | null>; before: Dashboard['previous'] | null; lang: 'zh' | 'en'; icon: ReactNode; unit?: string; hint?: ReactNode; onOpen: () => void; span: number; accent?: boolean;
}) {
  return (
    <Col xs={12} lg={span}>
      <div className={`og-eval-figure${accent ? ' og-eval-figure-accent' : ''}`} role="button" tabIndex={0} data-testid={`figure-${k}`}
        onClick={onOpen} onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onOpen())}>
        <StatCard label={indicatorLabel(k, lang)} value={k.endsWith('_hours') ? formatHours(v[k]) : formatValue(k, v[k], lang)} unit={unit} icon={icon} hint={hint ?? (k === 'reported' ? formatCount(v.valid, lang) + ' ' + indicatorLabel('valid', lang) : undefined)}
          footer={before ? <AgainstBefore k={k} v={v} before={before} lang={lang} /> : undefined} />
      </div>
    </Col>
  );
}

/** "较上期 +12.7%" under a headline figure, green where it got better and red where worse. */
function AgainstBefore({ k, v, before, lang }: { k: string; v: Record<string, number | null>; before: Dashboard['previous']; lang: 'zh' | 'en' }) {
  const { t } = useTranslation();
  const c = headlineChange(k, v, before.figures.values);
  const was = k.endsWith('_hours') ? formatHours(c.before) : formatValue(k, c.before, lang);
  const text = c.verdict === 'same' ? t('evaluation.dashboard.previousSame')
    : c.delta === null ? t('evaluation.dashboard.previousWas', { value: was })
    : t('evaluation.dashboard.previousChange', { change: formatChange(c, lang) });
  return (
    <div className={`og-eval-change og-eval-change-${c.verdict}`} data-testid={`change-${k}`} data-verdict={c.verdict}
      title={t('evaluation.dashboard.previousTitle', { from: before.range.from, to: rangeEnd(before.range), value: was })}>
      {text}
      {/* the colour's meaning, for those who do not see it */}
      {(c.verdict === 'better' || c.verdict === 'worse') && <span className="og-visually-hidden">{t(`evaluation.dashboard.previous_${c.verdict}`)}</span>}
    </div>
  );
}
