import { Card, Col, Grid, Row } from 'antd';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { useDocumentTitle, useRequest } from '../../app/hooks.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { fetchDivision, type Division } from './api.js';
import { DivisionDetail } from './DivisionDetail.js';
import { DivisionTree } from './DivisionTree.js';

/** /divisions and /divisions/:code — the tree on the left, the selected division on the right. */
export default function DivisionsPage() {
  const { t } = useTranslation();
  const { code = null } = useParams<{ code: string }>();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const detailRef = useRef<HTMLDivElement>(null);
  const detail = useRequest((signal) => (code ? fetchDivision(code, signal) : Promise.resolve(null)), [code]);
  useDocumentTitle(detail.data?.division.name ?? t('divisions.title'));

  // On a phone the panel sits under the tree: a pick in the tree brings the panel into view.
  const stacked = !screens.lg;
  const open = useCallback(
    (next: string) => {
      navigate(`/divisions/${encodeURIComponent(next)}`);
      if (stacked) detailRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    },
    [navigate, stacked],
  );

  // With nothing selected, show the top of the jurisdiction rather than an empty panel.
  const onRootsLoaded = useCallback(
    (roots: Division[]) => {
      const first = roots[0];
      if (!code && first) navigate(`/divisions/${encodeURIComponent(first.code)}`, { replace: true });
    },
    [code, navigate],
  );

  // names changed here since the tree loaded them
  const [renamed, setRenamed] = useState<Record<string, string>>({});
  const { reload } = detail;
  const onRenamed = useCallback((d: Division) => {
    setRenamed((names) => ({ ...names, [d.code]: d.name }));
    reload();
  }, [reload]);

  const reveal = useMemo(() => detail.data?.path.map((d) => d.code) ?? [], [detail.data]);

  return (
    <>
      <PageHeader
        title={t('divisions.title')}
        subtitle={t('divisions.subtitle')}
        breadcrumb={[{ title: t('nav.home'), to: '/' }, { title: t('divisions.title') }]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9} xl={8} xxl={6}>
          <Card title={t('divisions.treeTitle')} className="og-tree-card">
            <DivisionTree selectedCode={code} reveal={reveal} renamed={renamed} onSelect={open} onRootsLoaded={onRootsLoaded} />
          </Card>
        </Col>
        <Col xs={24} lg={15} xl={16} xxl={18} ref={detailRef}>
          <DivisionDetail request={detail} onRenamed={onRenamed} />
        </Col>
      </Row>
    </>
  );
}
