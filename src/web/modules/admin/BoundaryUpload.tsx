import { UploadOutlined } from '@ant-design/icons';
import { Button, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.js';
import { describeError } from '../../app/errors.js';
import { currentLanguage } from '../../app/i18n.js';
import { setBoundary, type GridProblem } from './api.js';

type State = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; name: string; areaKm2: number } | { kind: 'failed'; message: string };

/**
 * 上传区界: the district's official boundary, which the coverage check holds the grids against. A
 * GeoJSON polygon, feature, or a city's file of districts (the one with the district's code is taken).
 */
export function BoundaryUpload({ onDone }: { onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const reasonWords = (reason: string) => {
    const k = `admin.grids.reasons.${reason}`;
    return i18n.exists(k) ? t(k as 'admin.grids.reasons.code_format') : reason;
  };

  const send = async (file: File) => {
    setState({ kind: 'busy' });
    let geojson: unknown;
    try {
      geojson = JSON.parse(await file.text());
    } catch {
      return setState({ kind: 'failed', message: t('admin.grids.notJson') });
    }
    try {
      const set = await setBoundary(geojson);
      setState({ kind: 'done', name: set.name, areaKm2: set.areaM2 / 1e6 });
      onDone();
    } catch (error) {
      const problems = error instanceof ApiError && error.code === 'import_failed' ? (error.details as { problems?: GridProblem[] } | null)?.problems : undefined;
      setState({ kind: 'failed', message: problems?.length ? t('admin.grids.boundary.invalid', { reason: reasonWords(problems[0]!.reason) }) : describeError(error, t, i18n.language) });
    }
  };

  return (
    <span className="og-boundary-upload">
      <Upload accept=".geojson,.json,application/geo+json,application/json" showUploadList={false} beforeUpload={(f) => { void send(f); return false; }}>
        <Button icon={<UploadOutlined />} loading={state.kind === 'busy'} data-testid="boundary-upload">{t('admin.grids.boundary.upload')}</Button>
      </Upload>
      {state.kind === 'done' && (
        <Typography.Text type="success" data-testid="boundary-done">
          {t('admin.grids.boundary.done', { name: state.name, area: new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(state.areaKm2) })}
        </Typography.Text>
      )}
      {state.kind === 'failed' && <Typography.Text type="danger">{state.message}</Typography.Text>}
    </span>
  );
}
