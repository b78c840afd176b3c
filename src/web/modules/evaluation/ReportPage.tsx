import { FileWordOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Flex, Select, Skeleton, Spin } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { describeError } from '../../app/errors.js';
import { useDocumentTitle, useRequest, useSaving } from '../../app/hooks.js';
import { EmptyState, ErrorState } from '../../ui/EmptyState.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { fetchDashboard, fetchMeta, type Dashboard } from './api.js';
import { beijingTime, langOf } from './format.js';
import { reportModel, type ReportModel, type ReportTable, type Translate } from './report.js';
import './evaluation.css';

/**
 * /evaluation/report — 年度运行报告: an area's year as a document to print (A4) or read on screen,
 * from one dashboard answer: the year in sentences, the indicators with their formulas, the months,
 * the areas below, problem classes and sources, departments and the best grid workers. The page's
 * controls and the console around it are left out of the print.
 */

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
  const d = dash.data;
  // when the document was made: printed on it, so a copy on paper says how fresh it was
  const madeAt = useMemo(() => beijingTime(Date.now()), [d]);
  // the year of the answer shown (the last one stays, under a spinner, while the next loads), and the
  // year before when it has figures (同比): the dashboard's period before, which for a year not yet
  // over is the same days of the year before
  const shown = d ? Number(d.range.from.slice(0, 4)) : year;
  const prior = d && years.includes(shown - 1) ? d.previous : null;
  const model = useMemo(() => (d ? reportModel({ d, before: prior, year: shown, lang, t: t as unknown as Translate, madeAt }) : null), [d, prior, shown, lang, t, madeAt]);
  useDocumentTitle(d ? t('evaluation.report.docTitle', { area: d.area.name, year: shown }) : t('evaluation.report.nav'));

  // the Word file is written in the browser, with its library loaded on the first click
  const { saving, save } = useSaving();
  const saveWord = () => save(async () => {
    if (!model) return;
    const { reportDocx } = await import('./reportDocx.js');
    const url = URL.createObjectURL(await reportDocx(model));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${model.fileName}.docx`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  });

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
              <Button icon={<FileWordOutlined />} disabled={!model} loading={saving} onClick={() => void saveWord()}>{t('evaluation.report.word')}</Button>
              <Button type="primary" icon={<PrinterOutlined />} disabled={!model} onClick={() => window.print()}>{t('evaluation.report.print')}</Button>
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
          {model ? <Report model={model} areaCode={d.area.code} year={shown} /> : (
            <article className="og-report">
              <EmptyState title={t('evaluation.report.empty', { area: d.area.name, year: shown })} description={t('evaluation.dashboard.noDataHint')} />
            </article>
          )}
        </Spin>
      )}
    </Flex>
  );
}

/** The model drawn as a sheet of paper (print CSS in evaluation.css). */
function Report({ model, areaCode, year }: { model: ReportModel; areaCode: string; year: number }) {
  const { t } = useTranslation();
  return (
    <article className="og-report" aria-labelledby="og-report-title">
      <header className="og-report-head">
        <h1 id="og-report-title">{model.title}</h1>
        <p className="og-report-meta">{model.meta}</p>
      </header>
      {model.sections.map((s) => (
        <section key={s.title} className="og-report-section">
          <h2>{s.title}</h2>
          {s.text && <p className="og-report-summary">{s.text}</p>}
          {s.figures && (
            <div className="og-report-headline">
              {s.figures.map((f) => (
                <div key={f.key} className="og-report-figure">
                  <div className="og-report-figure-value">{f.value}</div>
                  <div className="og-report-figure-label">{f.label}</div>
                  {f.change && <div className="og-report-figure-change" data-testid={`change-${f.key}`}>{f.change}</div>}
                </div>
              ))}
            </div>
          )}
          <ReportTableView table={s.table} />
        </section>
      ))}
      <footer className="og-report-foot">
        {model.note}{' '}
        <Link className="og-no-print" to={`/dashboard?${new URLSearchParams({ period: String(year), area: areaCode }).toString()}`}>{t('evaluation.report.toDashboard')}</Link>
      </footer>
    </article>
  );
}

function ReportTableView({ table }: { table: ReportTable }) {
  const cls = (i: number) => (table.numeric[i] ? 'og-num' : i === 1 && table.head[0] === '#' ? 'og-name' : undefined);
  return (
    <table className="og-report-table" data-testid={table.id}>
      <thead><tr>{table.head.map((h, i) => <th key={i} scope="col" className={table.numeric[i] ? 'og-num' : undefined}>{h}</th>)}</tr></thead>
      <tbody>{table.rows.map((r, j) => <tr key={j}>{r.map((c, i) => <td key={i} className={cls(i)}>{c}</td>)}</tr>)}</tbody>
      {table.foot && <tfoot><tr>{table.foot.map((c, i) => <td key={i} className={cls(i)}>{c}</td>)}</tr></tfoot>}
    </table>
  );
}
