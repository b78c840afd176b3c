import { DatePicker, Flex, Segmented, Select } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { PeriodKind } from './format.js';

/** The period a dashboard or table covers: a year, a quarter, a month, or any range of days. */
export interface PeriodState {
  kind: PeriodKind;
  year: number;
  part: number;
  range: [string, string] | null;
}

export function periodFromParams(p: URLSearchParams, fallbackYear: number): PeriodState {
  const period = p.get('period');
  const from = p.get('from');
  const to = p.get('to');
  if (from && to) return { kind: 'range', year: Number(from.slice(0, 4)), part: 1, range: [from, to] };
  let m: RegExpExecArray | null;
  if (period && (m = /^(\d{4})-Q([1-4])$/.exec(period))) return { kind: 'quarter', year: Number(m[1]), part: Number(m[2]), range: null };
  if (period && (m = /^(\d{4})-(\d{2})$/.exec(period))) return { kind: 'month', year: Number(m[1]), part: Number(m[2]), range: null };
  if (period && /^\d{4}$/.test(period)) return { kind: 'year', year: Number(period), part: 1, range: null };
  return { kind: 'year', year: fallbackYear, part: 1, range: null };
}

export function PeriodPicker({ value, years, onChange }: { value: PeriodState; years: number[]; onChange: (v: PeriodState) => void }) {
  const { t } = useTranslation();
  const yearOptions = [...new Set([...years, value.year])].sort((a, b) => b - a).map((y) => ({ value: y, label: String(y) }));
  return (
    <Flex gap={8} align="center" wrap className="og-eval-period" aria-label={t('evaluation.dashboard.period')}>
      <Segmented<PeriodKind>
        value={value.kind}
        onChange={(kind) => onChange({ ...value, kind, part: kind === value.kind ? value.part : 1, range: kind === 'range' ? value.range ?? [`${value.year}-01-01`, `${value.year}-12-31`] : null })}
        options={[
          { value: 'year', label: t('evaluation.dashboard.year') },
          { value: 'quarter', label: t('evaluation.dashboard.quarter') },
          { value: 'month', label: t('evaluation.dashboard.month') },
          { value: 'range', label: t('evaluation.dashboard.range') },
        ]}
      />
      {value.kind !== 'range' && (
        <Select style={{ width: 96 }} value={value.year} options={yearOptions} onChange={(year) => onChange({ ...value, year })} aria-label={t('evaluation.dashboard.year')} data-testid="period-year" />
      )}
      {value.kind === 'quarter' && (
        <Select style={{ width: 80 }} value={value.part} onChange={(part) => onChange({ ...value, part })}
          options={[1, 2, 3, 4].map((q) => ({ value: q, label: `Q${q}` }))} aria-label={t('evaluation.dashboard.quarter')} />
      )}
      {value.kind === 'month' && (
        <Select style={{ width: 88 }} value={value.part} onChange={(part) => onChange({ ...value, part })}
          options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: String(i + 1).padStart(2, '0') }))} aria-label={t('evaluation.dashboard.month')} />
      )}
      {value.kind === 'range' && (
        <DatePicker.RangePicker
          allowClear={false}
          value={value.range ? [dayjs(value.range[0]), dayjs(value.range[1])] : null}
          onChange={(v) => v && v[0] && v[1] && onChange({ ...value, range: [v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')] })}
        />
      )}
    </Flex>
  );
}
