import { CloudUploadOutlined, DeleteOutlined, DownloadOutlined, FileTextOutlined, GlobalOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Flex, Select, Space, Spin, Steps, Table, Tooltip, Typography, Upload } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError } from '../../app/api.js';
import { describeError } from '../../app/errors.js';
import { useDocumentTitle, useErrorToast } from '../../app/hooks.js';
import { currentLanguage } from '../../app/i18n.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { StatusTag } from '../../ui/StatusTag.js';
import { fetchDivision } from '../divisions/api.js';
import { fetchCoverage, type CoverageReport } from '../map/api.js';
import { CoverageSummary } from '../map/CoverageSummary.js';
import '../map/map.css';
import { importGrids, type GridImportResult, type GridProblem, type RetiredCommunity, type RetiredGrid } from './api.js';
import { formatBytes } from './format.js';
import { communityNamed, mergeGroupsOf, mergeRefusalOf, namedCommunities, streetsOf, type MergeGroup } from './merge.js';
import { readGridFile, type GridFile } from './gridFile.js';
import { BoundaryUpload } from './BoundaryUpload.js';
import { useAuth } from '../../app/auth.js';
import './admin.css';
import { usePrinting } from '../../app/printing.js';

type Outcome = { kind: 'failed'; problems: GridProblem[] } | { kind: 'done'; result: GridImportResult } | { kind: 'error'; error: unknown };

/** /admin/grids — upload a grid file, see every problem, import, then check the coverage (无缝拼接). */
export default function GridImportPage() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  const navigate = useNavigate();
  const { can } = useAuth();
  // the district's outline is set by those who manage the whole district's grids
  const mayDrawBoundary = can('grids.manage', 'district');
  useDocumentTitle(t('admin.grids.title'));
  const [file, setFile] = useState<GridFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [retireMissing, setRetireMissing] = useState(false);
  const [mergeCommunities, setMergeCommunities] = useState<string[]>([]);
  const [mergeGroups, setMergeGroups] = useState<MergeGroup[] | null>(null);
  const [mergeLoads, setMergeLoads] = useState(0);
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

  // 社区合并: with a redraw, the other communities in use of the file's streets may be merged in.
  const offerMerge = retireMissing && file !== null;
  const showError = useErrorToast();
  useEffect(() => {
    if (!offerMerge || !file) return;
    const named = namedCommunities(file.collection);
    const controller = new AbortController();
    setMergeGroups(null);
    // a street outside the jurisdiction (or not in the district) offers nothing: the server refuses the file's grids there anyway
    const load = (street: string) => fetchDivision(street, controller.signal).catch((error: unknown) => {
      if (error instanceof ApiError && error.code === 'not_found') return null;
      throw error;
    });
    Promise.all(streetsOf(named).map(load))
      .then((details) => {
        const groups = mergeGroupsOf(details, named);
        const offered = new Set(groups.flatMap((g) => g.communities.map((c) => c.code)));
        setMergeGroups(groups);
        setMergeCommunities((chosen) => chosen.filter((c) => offered.has(c)));
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setMergeGroups([]);
        showError(error);
      });
    return () => controller.abort();
  }, [offerMerge, file, mergeLoads, showError]);
  /** The refusal in words: its reason with the community's name where the list knows it, else the server's message. */
  const refusalText = (refusal: NonNullable<ReturnType<typeof mergeRefusalOf>>) => {
    if (!refusal.reason) return refusal.message;
    const known = communityNamed(mergeGroups ?? [], refusal.code);
    const community = known ? t('admin.grids.mergeOption', { name: known.name, code: known.code }) : refusal.code;
    return t(`admin.grids.mergeReasons.${refusal.reason}`, { code: refusal.code, community });
  };
  const refusal = outcome?.kind === 'error' ? mergeRefusalOf(outcome.error) : null;
  const mergeOptions = (mergeGroups ?? []).map((g) => ({
    label: g.street.name,
    title: g.street.name,
    options: g.communities.map((c) => ({ value: c.code, label: t('admin.grids.mergeOption', { name: c.name, code: c.code }) })),
  }));

  const removeFile = () => {
    setFile(null);
    setMergeCommunities([]);
    setOutcome(null);
    setCoverage(null);
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
      const result = await importGrids(file.collection, skipInvalid, retireMissing, retireMissing ? mergeCommunities : []);
      setOutcome({ kind: 'done', result });
      // the communities merged in are no longer in use: offer what is left
      if (result.retiredCommunities.length > 0) setMergeLoads((n) => n + 1);
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
              <Button type="text" icon={<DeleteOutlined />} aria-label={t('admin.grids.remove')} onClick={removeFile} />
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
                <Checkbox
                  checked={retireMissing}
                  onChange={(e) => {
                    setRetireMissing(e.target.checked);
                    if (!e.target.checked) setMergeCommunities([]);
                  }}
                  data-testid="retire-missing"
                >
                  {t('admin.grids.retireMissing')}
                </Checkbox>
              </Tooltip>
              {offerMerge && (
                <div className="og-import-merge">
                  <label htmlFor="merge-communities" className="og-import-merge-label">
                    {t('admin.grids.mergeCommunities')}
                  </label>
                  <Select
                    id="merge-communities"
                    data-testid="merge-communities"
                    mode="multiple"
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    loading={mergeGroups === null}
                    options={mergeOptions}
                    value={mergeCommunities}
                    onChange={setMergeCommunities}
                    placeholder={t('admin.grids.mergePlaceholder')}
                    notFoundContent={mergeGroups === null ? <Spin size="small" /> : t('admin.grids.mergeNone')}
                    status={refusal ? 'error' : undefined}
                    className="og-import-merge-select"
                  />
                  <Typography.Text type="secondary" className="og-import-merge-hint">
                    {t('admin.grids.mergeCommunitiesHint')}
                  </Typography.Text>
                </div>
              )}
            </Flex>
            <Button type="primary" size="large" icon={<CloudUploadOutlined />} disabled={!file} loading={busy} onClick={() => void submit()}>
              {busy ? t('admin.grids.importing') : t('admin.grids.submit')}
            </Button>
          </Flex>
        </Card>

        {outcome?.kind === 'error' &&
          (refusal ? (
            <Alert type="error" showIcon title={t('admin.grids.mergeRefused')} description={refusalText(refusal)} data-testid="merge-refused" />
          ) : (
            <Alert type="error" showIcon title={describeError(outcome.error, t, i18n.language)} />
          ))}
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
                outcome.result.reshaped > 0 ? t('admin.grids.reshapedDetail', { count: outcome.result.reshaped }) : null,
              ].filter(Boolean).join(' ')}
            />
            {outcome.result.retiredCommunities.length > 0 && (
              <ResultSection testId="import-retired-communities" title={t('admin.grids.retiredCommunitiesTitle', { count: outcome.result.retiredCommunities.length })} hint={t('admin.grids.retiredCommunitiesHint')}>
                <RetiredCommunityTable communities={outcome.result.retiredCommunities} />
              </ResultSection>
            )}
            {outcome.result.retired.length > 0 && (
              <ResultSection testId="import-retired" title={t('admin.grids.retiredTitle', { count: outcome.result.retired.length })} hint={t('admin.grids.retiredHint')}>
                <RetiredTable grids={outcome.result.retired} />
              </ResultSection>
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
              {mayDrawBoundary && <BoundaryUpload onDone={() => void runCoverage()} />}
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
          {coverage?.status === 'error' && (coverage.error instanceof ApiError && coverage.error.code === 'unprocessable'
            ? <Alert type="info" showIcon title={t('admin.grids.boundary.missing')} />
            : <Alert type="error" showIcon title={describeError(coverage.error, t, i18n.language)} />)}
          {coverage?.status === 'ok' && (
            <CoverageSummary report={coverage.report} onLocate={(row) => navigate(`/map?coverage=1&at=${row.location[0]},${row.location[1]}`)} />
          )}
        </Card>
      </Flex>
    </>
  );
}

/** A part of the import's answer: a title, what to do about it, and its table. */
function ResultSection({ testId, title, hint, children }: { testId: string; title: string; hint: string; children: ReactNode }) {
  return (
    <div data-testid={testId}>
      <Typography.Title level={5} style={{ marginTop: 16 }}>{title}</Typography.Title>
      <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>
      {children}
    </div>
  );
}

/** A count of what still refers to a retired area: a quiet 0, or a warning (a link to where it is dealt with). */
function count(n: number, to?: string) {
  if (n === 0) return <Typography.Text type="secondary">0</Typography.Text>;
  const tag = <StatusTag tone="warning">{n}</StatusTag>;
  return to ? <Link to={to}>{tag}</Link> : tag;
}

/** The communities a redraw merged in (社区合并), with what still refers to each: open cases, granted roles. */
function RetiredCommunityTable({ communities }: { communities: RetiredCommunity[] }) {
  const { t } = useTranslation();
  return (
    <Table<RetiredCommunity>
      size="small"
      rowKey="code"
      dataSource={communities}
      pagination={false}
      columns={[
        { key: 'code', title: t('admin.grids.communityCode'), width: 190, render: (_, c) => <Typography.Text code>{c.code}</Typography.Text> },
        { key: 'name', title: t('admin.grids.communityName'), dataIndex: 'name' },
        { key: 'openCases', title: t('admin.grids.openCases'), width: 140, align: 'right', render: (_, c) => count(c.openCases) },
        { key: 'grants', title: t('admin.grids.grants'), width: 170, align: 'right', render: (_, c) => count(c.grants, '/admin/users?retired=1') },
      ]}
    />
  );
}

/** The grids a redraw retired, with what still refers to each: open cases, assigned team members. */
function RetiredTable({ grids }: { grids: RetiredGrid[] }) {
  const printing = usePrinting();
  const { t } = useTranslation();
  return (
    <Table<RetiredGrid>
      size="small"
      rowKey="code"
      dataSource={grids}
      pagination={grids.length > 20 && !printing ? { pageSize: 20, showSizeChanger: false } : false}
      columns={[
        { key: 'code', title: t('admin.grids.code'), width: 190, render: (_, g) => <Link to={`/map?grid=${g.code}`}><Typography.Text code>{g.code}</Typography.Text></Link> },
        { key: 'name', title: t('admin.grids.gridName'), dataIndex: 'name' },
        { key: 'openCases', title: t('admin.grids.openCases'), width: 140, align: 'right', render: (_, g) => count(g.openCases) },
        { key: 'teamMembers', title: t('admin.grids.teamMembers'), width: 170, align: 'right', render: (_, g) => count(g.teamMembers, `/team?area=${g.code}`) },
        { key: 'grants', title: t('admin.grids.grants'), width: 170, align: 'right', render: (_, g) => count(g.grants, '/admin/users?retired=1') },
      ]}
    />
  );
}

/** Every problem with the feature's position in the file, its code and the reason in words. */
function ProblemTable({ problems }: { problems: GridProblem[] }) {
  const printing = usePrinting();
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
      pagination={problems.length > 20 && !printing ? { pageSize: 20, showSizeChanger: false } : false}
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
