import { CloudUploadOutlined, FileTextOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Flex, Input, Popconfirm, Progress, Select, Table, Tag, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { classifyFailure } from '../../app/api.js';
import { useAuth } from '../../app/auth.js';
import { useDocumentTitle, useErrorToast, useRequest } from '../../app/hooks.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { cancelImport, fetchImport, fetchImports, startImport, type ImportJob } from './api.js';
import { timeLeftMs, type ProgressSample } from '../../../shared/evaluation/progress.js';
import { beijingTime, formatCount, formatTimeLeft, langOf } from './format.js';
import './evaluation.css';

// the fields and how a column's name is taken for one, shared with `onegrid import cases`
export { IMPORT_FIELDS, guessField, guessFieldInAnyLanguage } from '../../../shared/evaluation/import-headers.js';
import { IMPORT_FIELDS, guessFieldInAnyLanguage, type ImportField as Field } from '../../../shared/evaluation/import-headers.js';
import { usePrinting } from '../../app/printing.js';

/**
 * /evaluation/import — 历史数据导入: pick a CSV from another system, say which column is which field,
 * and import. Every row is checked first; the report lists each problem by line. Progress shows
 * while the server works.
 */
/** The header row of a CSV (quotes honoured). */
export function headerOf(text: string): string[] {
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(cur), (cur = '');
    else cur += ch;
  }
  out.push(cur);
  return out.map((h) => h.trim());
}

/** UTF-8, or GB 18030 / GBK when the bytes are not UTF-8 (older Chinese systems). */
export function decode(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** The longest source system name the server keeps (SOURCE_SYSTEM_MAX in server/modules/evaluation/import/system.ts). */
const SYSTEM_MAX = 40;

/** The wait before the next look at a running job: 0.4 s, longer after each look that failed (at most 10 s). */
export const missedDelayMs = (missed: number) => Math.min(400 * 2 ** missed, 10_000);

/** A job still on its way (the list shows the rows it has done, the one this page follows as it goes). */
const runningJob = (j: ImportJob) => j.status === 'checking' || j.status === 'importing';

/** A failed import that was cancelled on purpose (its cases removed again). */
const wasCancelled = (j: ImportJob) => j.status === 'failed' && j.problems[0]?.code === 'cancelled';

export default function ImportPage() {
  const printing = usePrinting();
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const toast = useErrorToast();
  useDocumentTitle(t('evaluation.import.title'));
  const labels = t('evaluation.import.fields', { returnObjects: true }) as Record<Field, string>;
  const [file, setFile] = useState<{ name: string; text: string; header: string[] } | null>(null);
  const [mapping, setMapping] = useState<Record<string, Field | undefined>>({});
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [system, setSystem] = useState('');
  const [job, setJob] = useState<ImportJob | null>(null);
  const [cancelling, setCancelling] = useState(false);
  // the first progress seen of the job's current phase (checking, importing): the rate to tell the time left by
  const [phaseStart, setPhaseStart] = useState<ProgressSample & { id: number; status: string } | null>(null);
  // an import writes into every area of the district: an administrator of a street is told so, not shown a form the server refuses
  const allowed = useAuth().can('evaluation.configure', 'district');
  const recent = useRequest((signal) => (allowed ? fetchImports(signal) : Promise.resolve({ items: [] })), [job?.status, allowed]);
  const crumbs = [{ title: t('nav.home'), to: '/' }, { title: t('evaluation.import.title') }];

  // follow the job until it has an answer; a look that fails (the network, a busy or restarting
  // server) is tried again later, so the page never stops following a job that still runs
  const [missed, setMissed] = useState(0);
  useEffect(() => {
    if (!job || !runningJob(job)) return;
    setPhaseStart((s) => (s && s.id === job.id && s.status === job.status ? s : { id: job.id, status: job.status, at: Date.now(), done: job.done }));
    const timer = setTimeout(() => void fetchImport(job.id).then((next) => {
      setMissed(0);
      setJob(next);
    }, (err: unknown) => {
      // no answer, or the server could not answer now: look again later; anything else (signed
      // out, the import gone) ends the following
      const kind = classifyFailure(err);
      if (kind === 'offline' || kind === 'retry') setMissed((n) => n + 1);
      else toast(err);
    }), missedDelayMs(missed));
    return () => clearTimeout(timer);
  }, [job, missed, toast]);

  const pick = async (f: File) => {
    // the file chosen before goes at once: reading a large file takes a moment, and 开始导入 in that
    // moment would have sent the earlier one
    setFile(null);
    setJob(null);
    const text = decode(await f.arrayBuffer());
    const header = headerOf(text);
    setFile({ name: f.name, text, header });
    setMapping(Object.fromEntries(header.map((h) => [h, guessFieldInAnyLanguage(h)])));
    setJob(null);
  };
  const submit = async () => {
    if (!file) return;
    const map = Object.entries(mapping).filter(([, f]) => f).map(([column, f]) => `${column}=${f}`);
    try {
      setCancelling(false);
      setMissed(0);
      // the server compares the file's numbers with those imported from the same system (none named: the shared ones)
      setJob(await startImport({ fileName: file.name, csv: file.text, map, skipInvalid, system: system.trim() || undefined }));
    } catch (err) {
      toast(err);
    }
  };
  const problemTexts = t('evaluation.import.problems', { returnObjects: true }) as Record<string, string>;
  /** The server's problem in the reader's language (its English message when the code is new to this screen). */
  const problemText = (p: ImportJob['problems'][number]) => {
    const template = problemTexts[p.code];
    if (!template) return p.message;
    const value = p.code === 'before' && p.value ? (labels[p.value as Field] ?? p.value) : (p.value ?? '');
    return template.replace('{{value}}', value);
  };
  const cancel = async () => {
    if (!job) return;
    setCancelling(true);
    try {
      setJob(await cancelImport(job.id));
    } catch (err) {
      setCancelling(false);
      toast(err);
    }
  };
  const failures = t('evaluation.import.failures', { returnObjects: true }) as Record<string, string>;
  const running = job && runningJob(job);
  const percent = job && job.total ? Math.floor((job.done / job.total) * 100) : 0;
  const left = job && phaseStart && phaseStart.id === job.id && phaseStart.status === job.status
    ? timeLeftMs(phaseStart, { at: Date.now(), done: job.done }, job.total) : null;
  if (!allowed) {
    return (
      <Flex vertical gap={16} className="og-eval">
        <PageHeader title={t('evaluation.import.title')} subtitle={t('evaluation.import.subtitle')} breadcrumb={crumbs} />
        <Card size="small"><EmptyState title={t('evaluation.import.districtOnly')} description={t('evaluation.import.districtOnlyHint')} /></Card>
      </Flex>
    );
  }
  return (
    <Flex vertical gap={16} className="og-eval">
      <PageHeader title={t('evaluation.import.title')} subtitle={t('evaluation.import.subtitle')} breadcrumb={crumbs} />
      <Card size="small">
        <Upload.Dragger accept=".csv,text/csv" multiple={false} showUploadList={false} beforeUpload={(f) => { void pick(f); return Upload.LIST_IGNORE; }}>
          <p className="ant-upload-drag-icon"><CloudUploadOutlined /></p>
          <p className="ant-upload-text">{t('evaluation.import.pick')}</p>
          <p className="ant-upload-hint">{t('evaluation.import.pickHint')}</p>
        </Upload.Dragger>
        {file && (
          <Flex vertical gap={12} style={{ marginTop: 16 }}>
            <Typography.Text><FileTextOutlined /> {file.name}</Typography.Text>
            <Typography.Title level={5} style={{ margin: 0 }}>{t('evaluation.import.mapping')}</Typography.Title>
            <Table size="small" pagination={false} rowKey="column" dataSource={file.header.map((column) => ({ column }))} columns={[
              { title: t('evaluation.import.column'), dataIndex: 'column' },
              {
                title: t('evaluation.import.field'), key: 'field', width: 260,
                render: (_v, r: { column: string }) => (
                  <Select style={{ width: 240 }} allowClear placeholder={t('evaluation.import.ignore')} value={mapping[r.column]}
                    onChange={(f) => setMapping((m) => ({ ...m, [r.column]: f }))}
                    options={IMPORT_FIELDS.map((f) => ({ value: f, label: `${labels[f]} (${f})` }))} />
                ),
              },
            ]} />
            <Flex vertical gap={4}>
              <Typography.Text strong>{t('evaluation.import.system')}</Typography.Text>
              <Input style={{ width: 320, maxWidth: '100%' }} maxLength={SYSTEM_MAX} allowClear value={system} onChange={(e) => setSystem(e.target.value)}
                placeholder={t('evaluation.import.systemPlaceholder')} aria-label={t('evaluation.import.system')} />
              <Typography.Text type="secondary">{t('evaluation.import.systemHint')}</Typography.Text>
            </Flex>
            <Checkbox checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)}>{t('evaluation.import.skipInvalid')}</Checkbox>
            <div>
              <Button type="primary" icon={<CloudUploadOutlined />} onClick={() => void submit()} loading={!!running}>{t('evaluation.import.start')}</Button>
            </div>
          </Flex>
        )}
        {job && (
          <Flex vertical gap={12} style={{ marginTop: 16 }} data-testid="import-job">
            {running && (
              <div className="og-eval-import-progress">
                <Flex justify="space-between" align="center">
                  <Typography.Text>{t(cancelling ? 'evaluation.import.cancelling' : job.status === 'checking' ? 'evaluation.import.checking' : 'evaluation.import.importing')}</Typography.Text>
                  <Popconfirm title={t('evaluation.import.cancelConfirm')} onConfirm={() => void cancel()} okButtonProps={{ danger: true }}>
                    <Button size="small" danger disabled={cancelling}>{t('evaluation.import.cancel')}</Button>
                  </Popconfirm>
                </Flex>
                <Progress percent={percent} status="active" />
                <Typography.Text type="secondary" data-testid="import-progress-text">
                  {t('evaluation.import.rowsDone', { done: formatCount(job.done, lang), total: formatCount(job.total, lang) })}
                  {left !== null && ` · ${t('evaluation.import.timeLeft', { time: formatTimeLeft(left, lang) })}`}
                </Typography.Text>
                {missed > 1 && <div><Typography.Text type="warning">{t('evaluation.import.reconnecting')}</Typography.Text></div>}
              </div>
            )}
            {job.status === 'imported' && <Alert type="success" showIcon title={t('evaluation.import.imported', { imported: formatCount(job.imported, lang), skipped: formatCount(job.skipped, lang) })} />}
            {job.status === 'invalid' && <Alert type="error" showIcon title={t('evaluation.import.invalid', { count: job.problemCount, problems: formatCount(job.problemCount, lang) })} />}
            {job.status === 'failed' && (
              <Alert type={wasCancelled(job) ? 'warning' : 'error'} showIcon title={t(wasCancelled(job) ? 'evaluation.import.cancelled' : 'evaluation.import.failed')}
                description={failures[job.problems[0]?.code ?? ''] ?? job.problems[0]?.message} />
            )}
            {job.problems.length > 0 && job.status !== 'failed' && (
              <Table size="small" rowKey={(p) => `${p.line}-${p.field}-${p.message}`} dataSource={job.problems} pagination={printing ? false : { pageSize: 20, size: 'small' }} columns={[
                { title: t('evaluation.import.line'), dataIndex: 'line', width: 80 },
                { title: t('evaluation.import.problemField'), dataIndex: 'field', width: 160, render: (f: string | null) => (f ? `${labels[f as Field] ?? f} (${f})` : '—') },
                { title: t('evaluation.import.problem'), key: 'problem', render: (_v, p: ImportJob['problems'][number]) => problemText(p) },
              ]} />
            )}
          </Flex>
        )}
      </Card>
      {recent.data && recent.data.items.length > 0 && (
        <Card size="small" title={t('evaluation.import.recent')}>
          <Table size="small" rowKey="id" pagination={false} dataSource={recent.data.items.map((i) => (job && i.id === job.id ? job : i))} columns={[
            { title: '#', dataIndex: 'id', width: 60 },
            {
              title: t('evaluation.import.file'), dataIndex: 'fileName',
              render: (name: string, j: ImportJob) => (j.system ? <>{name} <Tag>{j.system}</Tag></> : name),
            },
            { title: t('evaluation.import.time'), dataIndex: 'createdAt', width: 160, render: (v: number) => beijingTime(v) },
            {
              title: t('evaluation.import.result'), dataIndex: 'status', width: 120,
              render: (s: ImportJob['status'], j: ImportJob) => wasCancelled(j) ? <Tag>{t('evaluation.import.statuses.cancelled')}</Tag>
                : <Tag color={s === 'imported' ? 'green' : s === 'invalid' || s === 'failed' ? 'red' : 'blue'}>{t(`evaluation.import.statuses.${s}`)}</Tag>,
            },
            { title: t('evaluation.import.rows'), key: 'n', width: 160, render: (_v, j: ImportJob) => `${formatCount(runningJob(j) ? j.done : j.imported, lang)} / ${formatCount(j.total, lang)}` },
          ]} />
        </Card>
      )}
    </Flex>
  );
}
