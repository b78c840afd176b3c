import { PrinterOutlined } from '@ant-design/icons';
import { Button, Flex, Select, Skeleton, Spin } from 'antd';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { describeError } from '../../app/errors.js';
import { useDocumentTitle, useRequest } from '../../app/hooks.js';
import { EmptyState, ErrorState } from '../../ui/EmptyState.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { fetchDashboard, fetchMeta, type Dashboard, type TableRow } from './api.js';
import { beijingTime, formatCount, formatRate, formatValue, indicatorFormula, indicatorLabel, langOf, subjectLabel, type Lang } from './format.js';
import {
  categoryShares, changesOf, COMPARED, comparisonSentence, formatChange, monthRows, REPORT_INDICATORS, sourceShares, summaryOf, type ShareRow,
} from './report.js';
import './evaluation.css';

/**
 * /evaluation/report — 年度运行报告: an area's year as a document to print (A4) or read on screen,
 * from one dashboard answer: the year in sentences, the indicators with their formulas, the months,
 * the areas below, problem classes and sources, departments and the best grid workers. The page's
 * controls and the console around it are left out of the print.
 */
const NUMERALS: Record<Lang, string[]> = {
  zh: ['一', '二', '三', '四', '五', '六', '七', '八'],
  en: ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'],
};

export default function ReportPage() {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const [params, setParams] = useSearchParams();
  const meta = useRequest((signal) => fetchMeta(signal), []);
  const years = meta.data?.years ?? [];
  const year = Number(params.get('year')) || years[0] || new Date().getFullYear();
  const area = params.get('area') ?? undefined;
  const ready = !!meta.data || meta.status === 'error';
  const dash = useRequest((signal) => (ready ? fetchDashboard({ period: String(year), area }, signal) : new Promise<Dashboard>(() => {})), [ready, year, area]);
  // the year before, when it has figures: the report compares with it (同比)
  const hasBefore = years.includes(year - 1);
  const before = useRequest((signal) => (ready && hasBefore ? fetchDashboard({ period: String(year - 1), area }, signal) : Promise.resolve(null)), [ready, hasBefore, year, area]);
  const d = dash.data;
  // when the document was made: printed on it, so a copy on paper says how fresh it was
  const madeAt = useMemo(() => Date.now(), [d]);
  useDocumentTitle(d ? t('evaluation.report.docTitle', { area: d.area.name, year }) : t('evaluation.report.nav'));

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) next.set(k, v);
    setParams(next);
  };
  const areaOptions = d ? [...d.path, ...d.children.rows.map((r) => ({ code: r.id, name: r.name }))] : [];

  return (
    <Flex vertical gap={16} className="og-eval og-report-page">
      <div className="og-no-print">
        <PageHeader
          title={t('evaluation.report.nav')}
          subtitle={t('evaluation.report.subtitle')}
          breadcrumb={[{ title: t('nav.home'), to: '/' }, { title: t('evaluation.nav'), to: '/dashboard' }, { title: t('evaluation.report.nav') }]}
          extra={
            <>
              <Select aria-label={t('evaluation.report.year')} value={year} style={{ width: 110 }} onChange={(y) => update({ year: String(y) })}
                options={(years.length ? years : [year]).map((y) => ({ value: y, label: t('evaluation.report.yearOption', { year: y }) }))} />
              <Select aria-label={t('evaluation.report.area')} value={d?.area.code ?? area} style={{ width: 180 }} disabled={!d} showSearch optionFilterProp="label"
                onChange={(code) => update({ area: code })} options={areaOptions.map((a) => ({ value: a.code, label: a.name }))} />
              <Button type="primary" icon={<PrinterOutlined />} disabled={!d} onClick={() => window.print()}>{t('evaluation.report.print')}</Button>
            </>
          }
        />
      </div>
      {dash.status === 'error' && !d && (
        <ErrorState title={t('common.loadFailed')} message={describeError(dash.error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={dash.reload} />
      )}
      {!d && dash.status !== 'error' && <div className="og-report"><Skeleton active paragraph={{ rows: 12 }} /></div>}
      {d && (
        <Spin spinning={dash.status === 'loading'}>
          <Report d={d} before={before.data?.area.code === d.area.code ? before.data : null} year={year} lang={lang} madeAt={madeAt} />
        </Spin>
      )}
    </Flex>
  );
}

function Report({ d, before, year, lang, madeAt }: { d: Dashboard; before: Dashboard | null; year: number; lang: Lang; madeAt: number }) {
  const { t } = useTranslation();
  const v = d.figures.values;
  if (!v.reported && !v.closed) {
    return (
      <article className="og-report">
        <EmptyState title={t('evaluation.report.empty', { area: d.area.name, year })} description={t('evaluation.dashboard.noDataHint')} />
      </article>
    );
  }
  const changes = before ? changesOf(v, before.figures.values) : null;
  const { months, total } = monthRows(d.trend.grain === 'month' ? d.trend.points : []);
  const byScore = (rows: TableRow[]) => [...rows].sort((a, b) => (b.figures.score ?? -1) - (a.figures.score ?? -1));
  const sections: { title: string; body: ReactNode }[] = [];
  sections.push({
    title: t('evaluation.report.overview'),
    body: (
      <>
        <p className="og-report-summary">{summaryOf(d, year, lang)}{changes ? comparisonSentence(changes, year, lang) : ''}</p>
        <div className="og-report-headline">
          {COMPARED.map(([k], i) => (
            <div key={k} className="og-report-figure">
              <div className="og-report-figure-value">{formatValue(k, v[k], lang)}</div>
              <div className="og-report-figure-label">{indicatorLabel(k, lang)}</div>
              {changes && (
                <div className="og-report-figure-change" data-testid={`change-${k}`}>
                  {t('evaluation.report.change', { change: formatChange(changes[i]!, lang), before: formatValue(k, changes[i]!.before, lang), year: year - 1 })}
                </div>
              )}
            </div>
          ))}
        </div>
        <table className="og-report-table" data-testid="report-indicators">
          <thead><tr><th>{t('evaluation.report.indicator')}</th><th className="og-num">{t('evaluation.report.value')}</th><th>{t('evaluation.report.formula')}</th></tr></thead>
          <tbody>
            {REPORT_INDICATORS.map((k) => (
              <tr key={k}><td>{indicatorLabel(k, lang)}</td><td className="og-num">{formatValue(k, v[k], lang)}</td><td className="og-report-formula">{indicatorFormula(k, lang)}</td></tr>
            ))}
          </tbody>
        </table>
      </>
    ),
  });
  if (months.length) {
    sections.push({
      title: t('evaluation.report.months'),
      body: (
        <table className="og-report-table" data-testid="report-months">
          <thead><tr>{(['month', 'reported', 'closed', 'completion', 'handled', 'handleOnTime', 'closeOnTime'] as const).map((c) => <th key={c} className={c === 'month' ? undefined : 'og-num'}>{t(`evaluation.report.col.${c}`)}</th>)}</tr></thead>
          <tbody>
            {months.map((m) => (
              <tr key={m.month}>
                <td>{t('evaluation.report.monthName', { month: m.month })}</td>
                <td className="og-num">{formatCount(m.reported, lang)}</td><td className="og-num">{formatCount(m.closed, lang)}</td><td className="og-num">{formatRate(m.completionRate)}</td>
                <td className="og-num">{formatCount(m.handled, lang)}</td><td className="og-num">{formatRate(m.handleOnTimeRate)}</td><td className="og-num">{formatRate(m.closeOnTimeRate)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td>{t('evaluation.report.total')}</td>
              <td className="og-num">{formatCount(total.reported, lang)}</td><td className="og-num">{formatCount(total.closed, lang)}</td><td className="og-num">{formatRate(total.completionRate)}</td>
              <td className="og-num">{formatCount(total.handled, lang)}</td><td className="og-num">{formatRate(total.handleOnTimeRate)}</td><td className="og-num">{formatRate(total.closeOnTimeRate)}</td>
            </tr>
          </tfoot>
        </table>
      ),
    });
  }
  if (d.children.subject && d.children.rows.length) {
    sections.push({
      title: t('evaluation.report.areas', { subject: lang === 'en' ? subjectLabel(d.children.subject, lang).toLowerCase() : subjectLabel(d.children.subject, lang) }),
      body: <RowsTable rows={byScore(d.children.rows)} keys={['reported', 'closed', 'completion_rate', 'on_time_closure_rate', 'handle_on_time_rate', 'avg_handling_hours']} lang={lang} testId="report-areas" />,
    });
  }
  sections.push({ title: t('evaluation.report.classes'), body: <SharesTable rows={categoryShares(d, lang)} lang={lang} first={t('evaluation.report.col.class')} /> });
  sections.push({ title: t('evaluation.report.sources'), body: <SharesTable rows={sourceShares(d, lang)} lang={lang} first={t('evaluation.report.col.source')} /> });
  if (d.departments.length) {
    sections.push({
      title: t('evaluation.report.departments'),
      body: <RowsTable rows={byScore(d.departments)} keys={['due', 'handled', 'handle_on_time_rate', 'dept_closure_rate', 'rework_rate', 'avg_handling_hours']} lang={lang} testId="report-departments" />,
    });
  }
  if (d.workers.length) {
    sections.push({
      title: t('evaluation.report.workers', { count: d.workers.length }),
      body: <RowsTable rows={d.workers} keys={['reported', 'valid_rate', 'verify_on_time_rate', 'check_on_time_rate']} lang={lang} place grade={false} />,
    });
  }
  return (
    <article className="og-report" aria-labelledby="og-report-title">
      <header className="og-report-head">
        <h1 id="og-report-title">{t('evaluation.report.docTitle', { area: d.area.name, year })}</h1>
        <p className="og-report-meta">
          {t('evaluation.report.meta', { from: d.range.from, to: d.range.to, at: beijingTime(madeAt) })}
        </p>
      </header>
      {sections.map((s, i) => (
        <section key={s.title} className="og-report-section">
          <h2>{lang === 'en' ? `${NUMERALS.en[i]}. ${s.title}` : `${NUMERALS.zh[i]}、${s.title}`}</h2>
          {s.body}
        </section>
      ))}
      <footer className="og-report-foot">
        {t('evaluation.report.note')}{' '}
        <Link className="og-no-print" to={`/dashboard?${new URLSearchParams({ period: String(year), area: d.area.code }).toString()}`}>{t('evaluation.report.toDashboard')}</Link>
      </footer>
    </article>
  );
}

/** Areas, departments or people with some indicators, then score and grade. */
function RowsTable({ rows, keys, lang, place = false, grade = true, testId }: { rows: TableRow[]; keys: string[]; lang: Lang; place?: boolean; grade?: boolean; testId?: string }) {
  const { t } = useTranslation();
  return (
    <table className="og-report-table" data-testid={testId}>
      <thead>
        <tr>
          <th className="og-num">#</th><th>{t('evaluation.dashboard.name')}</th>{place && <th>{t('evaluation.cases.grid')}</th>}
          {keys.map((k) => <th key={k} className="og-num">{indicatorLabel(k, lang)}</th>)}
          <th className="og-num">{t('evaluation.dashboard.score')}</th>{grade && <th>{t('evaluation.dashboard.grade')}</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={r.id}>
            <td className="og-num">{i + 1}</td><td className="og-name">{r.name}</td>{place && <td>{r.place ?? '—'}</td>}
            {keys.map((k) => <td key={k} className="og-num">{formatValue(k, r.figures.values[k], lang)}</td>)}
            <td className="og-num">{r.figures.score === null ? '—' : r.figures.score.toFixed(1)}</td>{grade && <td>{r.figures.grade ?? '—'}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Problem classes or sources: reports, share, closures, completion. */
function SharesTable({ rows, lang, first }: { rows: ShareRow[]; lang: Lang; first: string }) {
  const { t } = useTranslation();
  return (
    <table className="og-report-table">
      <thead>
        <tr><th>{first}</th>{(['reported', 'share', 'closed', 'completion'] as const).map((c) => <th key={c} className="og-num">{t(`evaluation.report.col.${c}`)}</th>)}</tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{r.name}</td><td className="og-num">{formatCount(r.reported, lang)}</td><td className="og-num">{formatRate(r.share)}</td>
            <td className="og-num">{formatCount(r.closed, lang)}</td><td className="og-num">{formatRate(r.completionRate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
