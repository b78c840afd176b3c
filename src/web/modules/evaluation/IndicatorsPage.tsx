import { DownloadOutlined, SettingOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, InputNumber, Modal, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../app/auth.js';
import { describeError } from '../../app/errors.js';
import { useFocusHeadingOn } from '../../app/focusHeading.js';
import { useFocusReturn } from '../../app/focusReturn.js';
import { useDocumentTitle, useErrorToast, useRequest } from '../../app/hooks.js';
import { ErrorState } from '../../ui/EmptyState.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { SUBJECT_KINDS, type SubjectKind } from '../../../shared/evaluation/indicators.js';
import { SCORE_COMPONENTS, SCORE_MODELS, type EvaluationWeights } from '../../../shared/evaluation/scores.js';
import { exportUrl, fetchMeta, fetchTable, fetchWeights, saveWeights, type CasesQuery } from './api.js';
import { CasesDrawer } from './CasesDrawer.js';
import { indicatorLabel, langOf, periodText, rangeEnd, subjectLabel } from './format.js';
import { PeriodPicker, periodFromParams, type PeriodState } from './PeriodPicker.js';
import { RankTable } from './RankTable.js';
import './evaluation.css';

/**
 * /evaluation/indicators — 考核表: every indicator of the streets, communities, grids, departments,
 * grid workers or dispatchers of an area, with score and grade, sortable, exportable; each figure
 * opens its cases. Admins set the weights and grade bands here.
 */
const SUBJECTS = SUBJECT_KINDS.filter((s) => s !== 'district');

export default function IndicatorsPage() {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const meta = useRequest((signal) => fetchMeta(signal), []);
  const period = periodFromParams(params, meta.data?.years[0] ?? new Date().getFullYear());
  const query = periodText(period.kind, period.year, period.part, period.range);
  const subject = (params.get('subject') as SubjectKind | null) ?? 'street';
  const area = params.get('area') ?? undefined;
  const ready = meta.status !== 'loading' || !!meta.data;
  const table = useRequest((signal) => (ready ? fetchTable({ ...query, subject, area }, signal) : new Promise<never>(() => {})), [ready, JSON.stringify(query), subject, area]);
  const [drill, setDrill] = useState<CasesQuery | null>(null);
  const [weightsOpen, setWeightsOpen] = useState(false);
  useDocumentTitle(t('evaluation.table.title'));
  // a street's or community's name opens the table of the areas inside it: the title, naming that
  // area, takes the focus from the row that went with the old table
  const heading = useFocusHeadingOn(table.data?.area.code);

  const changed = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) (v === undefined ? next.delete(k) : next.set(k, v));
    return next;
  };
  const update = (changes: Record<string, string | undefined>) => setParams(changed(changes));
  const setPeriod = (p: PeriodState) => update({ period: undefined, from: undefined, to: undefined, ...periodText(p.kind, p.year, p.part, p.range) });
  const data = table.data;
  const exportQuery = { ...query, subject, area: data?.area.code ?? area } as Record<string, string | undefined>;
  const indicators = (data?.indicators ?? []).filter((k) => k !== 'score' && k !== 'grade');
  return (
    <Flex vertical gap={16} className="og-eval">
      <PageHeader
        headingRef={heading}
        title={table.data ? `${table.data.area.name} · ${t('evaluation.table.title')}` : t('evaluation.table.title')}
        subtitle={data ? t('evaluation.table.subtitle', { area: data.area.name, from: data.range.from, to: rangeEnd(data.range) }) : undefined}
        extra={
          <>
            <PeriodPicker value={period} years={meta.data?.years ?? []} onChange={setPeriod} />
            {can('evaluation.configure', 'district') && <Button icon={<SettingOutlined />} onClick={() => setWeightsOpen(true)}>{t('evaluation.table.weights')}</Button>}
          </>
        }
      />
      <Card size="small">
        <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 12 }}>
          <Segmented<SubjectKind> value={subject} onChange={(s) => update({ subject: s })} options={SUBJECTS.map((s) => ({ value: s, label: subjectLabel(s, lang) }))} />
          {can('exports.run') && (
            <Flex gap={8}>
              <Button icon={<DownloadOutlined />} href={exportUrl('/api/evaluation/indicators', exportQuery, 'csv', lang)} data-testid="export-table-csv">{t('evaluation.cases.exportCsv')}</Button>
              <Button icon={<DownloadOutlined />} href={exportUrl('/api/evaluation/indicators', exportQuery, 'xlsx', lang)}>{t('evaluation.cases.exportXlsx')}</Button>
            </Flex>
          )}
        </Flex>
        {table.status === 'error' && !data ? (
          <ErrorState title={t('common.loadFailed')} message={describeError(table.error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={table.reload} />
        ) : (
          <RankTable
            rows={data?.rows ?? []}
            indicators={indicators}
            minimum={data?.rankMinimum ?? 0}
            pageSize={20}
            place={subject === 'worker' || subject === 'dispatcher'}
            // a street's or community's name opens the table of the areas inside it, a grid's its own row
            nameTo={subject === 'street' || subject === 'community' || subject === 'grid'
              ? (r) => `/evaluation/indicators?${changed({ area: r.id, subject: subject === 'street' ? 'community' : 'grid' }).toString()}`
              : undefined}
            onFigure={(r, k) => setDrill({
              ...query, indicator: k,
              subject: subject === 'department' ? `dept:${r.id}` : subject === 'worker' || subject === 'dispatcher' ? `person:${r.id}` : r.id,
              area: data?.area.code,
            })}
            testId="indicator-table"
          />
        )}
      </Card>
      <CasesDrawer query={drill} onClose={() => setDrill(null)} />
      {weightsOpen && <WeightsModal onClose={(saved) => { setWeightsOpen(false); if (saved) table.reload(); }} />}
    </Flex>
  );
}

function WeightsModal({ onClose }: { onClose: (saved: boolean) => void }) {
  useFocusReturn();
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const { message } = App.useApp();
  const toast = useErrorToast();
  const current = useRequest((signal) => fetchWeights(signal), []);
  const [form] = Form.useForm<EvaluationWeights>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      await saveWeights(await form.validateFields());
      void message.success(t('evaluation.table.saved'));
      onClose(true);
    } catch (err) {
      if (!(err && typeof err === 'object' && 'errorFields' in err)) toast(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('evaluation.table.weightsTitle')} onCancel={() => onClose(false)} onOk={() => void save()} confirmLoading={busy}
      okText={t('evaluation.table.save')} cancelText={t('evaluation.table.cancel')} width={640} loading={current.status === 'loading'}>
      <Typography.Paragraph type="secondary">{t('evaluation.table.weightsHint')}</Typography.Paragraph>
      {current.data && (
        <Form form={form} layout="vertical" initialValues={current.data} requiredMark={false}>
          {SCORE_MODELS.map((model) => (
            <fieldset key={model} className="og-eval-weights">
              <legend>{t(`evaluation.table.models.${model}`)}</legend>
              <Flex gap={12} wrap>
                {SCORE_COMPONENTS[model].map((k) => (
                  <Form.Item key={k} name={[model, k]} label={indicatorLabel(k, lang)} rules={[{ required: true }]}>
                    <InputNumber min={0} max={100} style={{ width: 120 }} />
                  </Form.Item>
                ))}
              </Flex>
            </fieldset>
          ))}
          <fieldset className="og-eval-weights">
            <legend>{t('evaluation.table.rankMinimum')}</legend>
            <Form.Item name="rankMinimum" extra={t('evaluation.table.rankMinimumHint')} rules={[{ required: true }]}>
              <InputNumber min={0} max={100000} precision={0} style={{ width: 120 }} aria-label={t('evaluation.table.rankMinimum')} />
            </Form.Item>
          </fieldset>
          <fieldset className="og-eval-weights">
            <legend>{t('evaluation.table.gradeBands')}</legend>
            <Flex gap={12} wrap>
              {(['A', 'B', 'C', 'D'] as const).map((g) => (
                <Form.Item key={g} name={['grades', g]} label={g} rules={[{ required: true }]}>
                  <InputNumber min={0} max={100} style={{ width: 120 }} />
                </Form.Item>
              ))}
            </Flex>
          </fieldset>
        </Form>
      )}
      {current.status === 'error' && <Typography.Text type="danger">{describeError(current.error, t, i18n.language)}</Typography.Text>}
    </Modal>
  );
}
