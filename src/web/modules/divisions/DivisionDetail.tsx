import { EditOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Card, Descriptions, Flex, Grid, Skeleton, Table, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { describeError } from '../../app/errors.js';
import type { RequestState } from '../../app/hooks.js';
import { EmptyState, ErrorState } from '../../ui/EmptyState.js';
import { StatusTag } from '../../ui/StatusTag.js';
import type { Division, DivisionDetail as Detail } from './api.js';
import { formatArea, levelName } from './format.js';
import { LevelIcon } from './LevelIcon.js';
import { RenameDialog } from './RenameDialog.js';
import { usePrinting } from '../../app/printing.js';

const divisionPath = (code: string) => `/divisions/${encodeURIComponent(code)}`;

interface DivisionDetailProps {
  request: RequestState<Detail | null> & { reload: () => void };
  /** A division renamed here: the page refreshes what shows its name. */
  onRenamed?: (renamed: Division) => void;
}

/** What one division is, where it sits, and what lies directly below it. */
export function DivisionDetail({ request, onRenamed }: DivisionDetailProps) {
  const printing = usePrinting();
  const { t, i18n } = useTranslation();
  const [renaming, setRenaming] = useState(false);
  const screens = Grid.useBreakpoint();

  if (request.status === 'error') {
    return (
      <Card>
        <ErrorState
          title={t('common.loadFailed')}
          message={describeError(request.error, t, i18n.language)}
          retryLabel={t('common.retry')}
          onRetry={request.reload}
        />
      </Card>
    );
  }
  if (request.status === 'ok' && request.data === null) {
    return (
      <Card>
        <EmptyState title={t('divisions.selectHint')} />
      </Card>
    );
  }
  if (!request.data) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    );
  }

  const { division, path, children, rename, parent } = request.data;
  const lang = i18n.language;

  return (
    <Flex vertical gap={16}>
      <Card
        aria-busy={request.status === 'loading'}
        title={
          <Flex align="center" gap={10} wrap>
            <span className="og-detail-icon">
              <LevelIcon level={division.level} />
            </span>
            <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
              {division.name}
            </Typography.Title>
            <StatusTag tone="brand">{levelName(division.level, t)}</StatusTag>
          </Flex>
        }
        extra={rename === 'allowed' ? (
          <Button icon={<EditOutlined />} onClick={() => setRenaming(true)}>{t('divisions.rename.action')}</Button>
        ) : rename === 'named_above' && (
          // an administrator of this area, who may not name the area itself: say who does
          <Tooltip title={t('divisions.rename.namedAbove')}>
            <Button icon={<EditOutlined />} disabled>{t('divisions.rename.action')}</Button>
          </Tooltip>
        )}
      >
        {renaming && (
          <RenameDialog
            division={division}
            onClose={() => setRenaming(false)}
            onDone={(renamed) => {
              setRenaming(false);
              onRenamed?.(renamed);
            }}
          />
        )}
        <Breadcrumb
          className="og-detail-path"
          aria-label={t('divisions.path')}
          items={[...path, division].map((d, i, all) => ({
            title: i < all.length - 1 ? <Link to={divisionPath(d.code)}>{d.name}</Link> : d.name,
          }))}
        />
        <Descriptions
          className="og-detail-facts"
          column={{ xs: 1, sm: 2, xxl: 3 }}
          // a phone's narrow card: smaller cells, so a grid's 15-digit code keeps inside it
          size={screens.sm === false ? 'small' : 'middle'}
          bordered
          items={[
            {
              key: 'code',
              label: t('divisions.code'),
              children: <Typography.Text copyable code className="og-code">{division.code}</Typography.Text>,
            },
            { key: 'level', label: t('divisions.level'), children: levelName(division.level, t) },
            {
              key: 'parent',
              label: t('divisions.parent'),
              children: !parent ? t('common.none') : parent.inScope ? <Link to={divisionPath(parent.code)}>{parent.name}</Link> : parent.name,
            },
            { key: 'childCount', label: t('divisions.childCount'), children: division.childCount.toLocaleString(lang) },
            { key: 'area', label: t('divisions.area'), children: formatArea(division.areaM2, t, lang) },
          ]}
        />
      </Card>

      <Card
        title={t('divisions.children')}
        extra={<Typography.Text type="secondary">{t('divisions.childrenCount', { count: children.length })}</Typography.Text>}
        styles={{ body: { padding: children.length ? 0 : undefined } }}
      >
        {children.length === 0 ? (
          <EmptyState title={t('divisions.noChildren')} />
        ) : (
          <Table<Division>
            rowKey="code"
            size="middle"
            dataSource={children}
            pagination={children.length > 20 && !printing ? { pageSize: 20, showSizeChanger: false } : false}
            scroll={{ x: 520 }}
            columns={[
              {
                key: 'name',
                title: t('divisions.columnName'),
                render: (_, row) => <Link to={divisionPath(row.code)}>{row.name}</Link>,
              },
              { key: 'code', title: t('divisions.columnCode'), dataIndex: 'code', render: (code: string) => <Typography.Text code className="og-code">{code}</Typography.Text> },
              { key: 'level', title: t('divisions.columnLevel'), render: (_, row) => levelName(row.level, t) },
              {
                key: 'children',
                title: t('divisions.columnChildren'),
                align: 'right',
                render: (_, row) => row.childCount.toLocaleString(lang),
              },
              {
                key: 'area',
                title: t('divisions.area'),
                align: 'right',
                render: (_, row) => formatArea(row.areaM2, t, lang),
              },
            ]}
          />
        )}
      </Card>
    </Flex>
  );
}
