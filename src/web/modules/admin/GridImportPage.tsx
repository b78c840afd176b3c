import { CloudUploadOutlined, DeleteOutlined, DownloadOutlined, FileTextOutlined, GlobalOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Flex, Space, Spin, Steps, Table, Tooltip, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError } from '../../app/api.js';
import { describeError } from '../../app/errors.js';
import { useDocumentTitle } from '../../app/hooks.js';
import { currentLanguage } from '../../app/i18n.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { StatusTag } from '../../ui/StatusTag.js';
import { fetchCoverage, type CoverageReport } from '../map/api.js';
import { CoverageSummary } from '../map/CoverageSummary.js';
import '../map/map.css';
import { importGrids, type GridImportResult, type GridProblem, type RetiredGrid } from './api.js';
import { formatBytes } from './format.js';
import { readGridFile, type GridFile } from './gridFile.js';
import './admin.css';

type Outcome = { kind: 'failed'; problems: GridProblem[] } | { kind: 'done'; result: GridImportResult } | { kind: 'error'; error: unknown };

/** /admin/grids — upload a grid file, see every problem, import, then check the coverage (无缝拼接). */
export default function GridImportPage() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  const navigate = useNavigate();
  useDocumentTitle(t('admin.grids.title'));
  const [file, setFile] = useState<GridFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [retireMissing, setRetireMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [coverage, setCoverage] = useState<{ status: 'running' } | { status: 'ok'; report: CoverageReport } | { status: 'error'; error: unknown } | null>(null);

  const choose = async (picked: File) => {
    setOutcome(null);
    setCoverage(null);
    const read = await readGridFile(picked);
    if (read.ok) {
      setFile(read.file);
      setFileError(null);
    } else {
      setFile(null);
      setFileError(t(read.reason === 'not_json' ? 'admin.grids.notJson' : 'admin.grids.notCollection'));
    }
  };

  const runCoverage = async () => {
    setCoverage({ status: 'running' });
    try {
      setCoverage({ status: 'ok', report: await fetchCoverage() });
    } catch (error) {
      setCoverage({ status: 'error', error });
    }
  };

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setOutcome(null);
    setCoverage(null);
    try {
      const result = await importGrids(file.collection, skipInvalid, retireMissing);
      setOutcome({ kind: 'done', result });
      void runCoverage();
    } catch (error) {
      const problems = error instanceof ApiError && error.code === 'import_failed' ? (error.details as { problems?: GridProblem[] } | null)?.problems : undefined;
      setOutcome(problems ? { kind: 'failed', problems } : { kind: 'error', error });
    } finally {
      setBusy(false);
    }
  };

  const step = coverage ? 2 : outcome ? 1 : file ? 1 : 0;

  return (
    <>
      <PageHeader
        title={t('admin.grids.title')}
        subtitle={t('admin.grids.subtitle')}
        breadcrumb={[{ title: t('nav.home'), to: '/' }, { title: t('admin.grids.title') }]}
        extra={
          <Tooltip title={t('admin.grids.exportHint')}>
            <Button icon={<DownloadOutlined />} href="/api/geo/export?layer=grids" download="grids.geojson">
              {t('admin.grids.export')}
            </Button>
          </Tooltip>
        }
      />
      <Flex vertical gap={16}>
        <Card>
          <Steps
            className="og-import-steps"
            current={step}
            items={[{ title: t('admin.grids.steps.file') }, { title: t('admin.grids.steps.check') }, { title: t('admin.grids.steps.coverage') }]}
          />
          {file ? (
            <div className="og-import-file" data-testid="import-file">
              <FileTextOutlined className="og-import-file-icon" />
              <div style={{ flex: 1, minWidth: 0 }}>
                <div className="og-import-file-name">{file.name}</div>
                <Typography.Text type="secondary">{t('admin.grids.fileInfo', { count: file.featureCount, size: formatBytes(file.size, lang) })}</Typography.Text>
              </div>
              <Button type="text" icon={<DeleteOutlined />} aria-label={t('admin.grids.remove')} onClick={() => { setFile(null); setOutcome(null); setCoverage(null); }} />
            </div>
          ) : (
            <Upload.Dragger
              accept=".geojson,.json,application/geo+json,application/json"
              multiple={false}
              showUploadList={false}
              beforeUpload={(picked) => {
                void choose(picked);
                return Upload.LIST_IGNORE;
              }}
            >
              <p className="ant-upload-drag-icon">
                <CloudUploadOutlined />
              </p>
              <p className="ant-upload-text">{t('admin.grids.upload')}</p>
              <p className="ant-upload-hint">{t('admin.grids.uploadHint')}</p>
            </Upload.Dragger>
          )}
          {fileError && <Alert type="error" showIcon title={fileError} style={{ marginTop: 12 }} />}
          <Flex justify="space-between" align="center" gap={12} wrap style={{ marginTop: 16 }}>
            <Flex vertical gap={8}>
              <Tooltip title={t('admin.grids.skipInvalidHint')}>
                <Checkbox checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} data-testid="skip-invalid">
                  {t('admin.grids.skipInvalid')}
                </Checkbox>
              </Tooltip>
              <Tooltip title={t('admin.grids.retireMissingHint')}>
                <Checkbox checked={retireMissing} onChange={(e) => setRetireMissing(e.target.checked)} data-testid="retire-missing">
                  {t('admin.grids.retireMissing')}
                </Checkbox>
              </Tooltip>
            </Flex>
            <Button type="primary" size="large" icon={<CloudUploadOutlined />} disabled={!file} loading={busy} onClick={() => void submit()}>
              {busy ? t('admin.grids.importing') : t('admin.grids.submit')}
            </Button>
          </Flex>
        </Card>

        {outcome?.kind === 'error' && <Alert type="error" showIcon title={describeError(outcome.error, t, i18n.language)} />}
        {outcome?.kind === 'failed' && (
          <Card data-testid="import-problems">
            <Alert type="error" showIcon title={t('admin.grids.failedTitle')} description={t('admin.grids.failedDetail', { count: outcome.problems.length })} style={{ marginBottom: 16 }} />
            <ProblemTable problems={outcome.problems} />
          </Card>
        )}
        {outcome?.kind === 'done' && (
          <Card data-testid="import-done">
            <Alert
              type="success"
              showIcon
              title={t('admin.grids.doneTitle')}
              description={[
                t('admin.grids.doneDetail', { imported: outcome.result.imported, inserted: outcome.result.inserted, updated: outcome.result.updated }),
                outcome.result.revived > 0 ? t('admin.grids.revivedDetail', { count: outcome.result.revived }) : null,
              ].filter(Boolean).join(' ')}
            />
            {outcome.result.retired.length > 0 && (
              <div data-testid="import-retired">
                <Typography.Title level={5} style={{ marginTop: 16 }}>
                  {t('admin.grids.retiredTitle', { count: outcome.result.retired.length })}
                </Typography.Title>
                <Typography.Paragraph type="secondary">{t('admin.grids.retiredHint')}</Typography.Paragraph>
                <RetiredTable grids={outcome.result.retired} />
              </div>
            )}
            {outcome.result.skipped.length > 0 && (
              <>
                <Typography.Title level={5} style={{ marginTop: 16 }}>
                  {t('admin.grids.skippedTitle', { count: outcome.result.skipped.length })}
                </Typography.Title>
                <ProblemTable problems={outcome.result.skipped} />
              </>
            )}
          </Card>
        )}

        <Card
          title={t('admin.grids.checkTitle')}
          extra={
            <Space wrap>
              <Button icon={<ReloadOutlined />} loading={coverage?.status === 'running'} onClick={() => void runCoverage()}>
                {coverage ? t('admin.grids.rerunCheck') : t('admin.grids.runCheck')}
              </Button>
              <Link to="/map?coverage=1">
                <GlobalOutlined /> {t('admin.grids.openMap')}
              </Link>
            </Space>
          }
        >
          {!coverage && <Typography.Text type="secondary">{t('map.toolbar.coverageHint')}</Typography.Text>}
          {coverage?.status === 'running' && (
            <Flex align="center" gap={12}>
              <Spin /> {t('admin.grids.checking')}
            </Flex>
          )}
          {coverage?.status === 'error' && <Alert type="error" showIcon title={describeError(coverage.error, t, i18n.language)} />}
          {coverage?.status === 'ok' && (
            <CoverageSummary report={coverage.report} onLocate={(row) => navigate(`/map?coverage=1&at=${row.location[0]},${row.location[1]}`)} />
          )}
        </Card>
      </Flex>
    </>
  );
}

/** The grids a redraw retired, with what still refers to each: open cases, assigned team members. */
function RetiredTable({ grids }: { grids: RetiredGrid[] }) {
  const { t } = useTranslation();
  const count = (n: number, to?: string) => {
    if (n === 0) return <Typography.Text type="secondary">0</Typography.Text>;
    const tag = <StatusTag tone="warning">{n}</StatusTag>;
    return to ? <Link to={to}>{tag}</Link> : tag;
  };
  return (
    <Table<RetiredGrid>
      size="small"
      rowKey="code"
      dataSource={grids}
      pagination={grids.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      columns={[
        { key: 'code', title: t('admin.grids.code'), width: 190, render: (_, g) => <Link to={`/map?grid=${g.code}`}><Typography.Text code>{g.code}</Typography.Text></Link> },
        { key: 'name', title: t('admin.grids.gridName'), dataIndex: 'name' },
        { key: 'openCases', title: t('admin.grids.openCases'), width: 140, align: 'right', render: (_, g) => count(g.openCases) },
        { key: 'teamMembers', title: t('admin.grids.teamMembers'), width: 170, align: 'right', render: (_, g) => count(g.teamMembers, `/team?area=${g.code}`) },
        { key: 'grants', title: t('admin.grids.grants'), width: 170, align: 'right', render: (_, g) => count(g.grants, '/admin/users') },
      ]}
    />
  );
}

/** Every problem with the feature's position in the file, its code and the reason in words. */
function ProblemTable({ problems }: { problems: GridProblem[] }) {
  const { t, i18n } = useTranslation();
  const reason = (key: string) => {
    const k = `admin.grids.reasons.${key}`;
    return i18n.exists(k) ? t(k as 'admin.grids.reasons.code_format') : key;
  };
  return (
    <Table<GridProblem & { key: number }>
      size="small"
      rowKey="key"
      dataSource={problems.map((p, key) => ({ ...p, key }))}
      pagination={problems.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      scroll={{ x: 820 }}
      columns={[
        {
          key: 'index',
          title: t('admin.grids.index'),
          width: 110,
          render: (_, p) => (p.index < 0 ? t('admin.grids.wholeFile') : <span className="og-problem-index">features[{p.index}]</span>),
        },
        { key: 'code', title: t('admin.grids.code'), width: 170, render: (_, p) => (p.code ? <Typography.Text code>{p.code}</Typography.Text> : <Typography.Text type="secondary">{t('admin.grids.noCode')}</Typography.Text>) },
        { key: 'reason', title: t('admin.grids.reason'), width: 230, render: (_, p) => <StatusTag tone="danger">{reason(p.reason)}</StatusTag> },
        { key: 'message', title: t('admin.grids.message'), render: (_, p) => <span className="og-audit-detail">{p.message}</span> },
        { key: 'location', title: t('admin.grids.location'), width: 180, render: (_, p) => (p.location ? <span className="og-num">{p.location.map((v) => v.toFixed(5)).join(', ')}</span> : '—') },
      ]}
    />
  );
}
