import { LeftOutlined, RightOutlined, SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Dropdown, Empty, Input, Row, Select, Space, Statistic, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.js';
import { describeError } from '../../app/errors.js';
import { useDocumentTitle, useRequest, useSaving } from '../../app/hooks.js';
import { ErrorState } from '../../ui/EmptyState.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { fetchCalendarYear, saveCalendarYear } from './api.js';
import { TimingSettingsCard } from './TimingSettings.js';
import { bodyOf, breaksOf, choicesOf, countsOf, mark, marksOf, monthWeeks, nameBreak, sameMarks, weekdayOf, type DayKind, type Marks } from './calendar.js';
import './admin.css';

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

/** Today's date where the reader is, as YYYY-MM-DD. */
function todayOf(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * /admin/calendar — 工作日历: a year's holidays and adjusted working days, which every time limit
 * counted in working days runs on. Each December the State Council publishes the next year's
 * holidays; the district's administrator marks them here, day by day, and saves the year whole.
 */
export default function CalendarPage() {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
  useDocumentTitle(t('admin.calendar.title'));
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const loaded = useRequest((signal) => fetchCalendarYear(year, signal), [year]);
  const saved = useMemo(() => (loaded.data && loaded.data.year === year ? marksOf(loaded.data) : null), [loaded.data, year]);
  const [marks, setMarks] = useState<Marks | null>(null);
  useEffect(() => setMarks(saved), [saved]);
  const { saving, save } = useSaving();
  const changed = marks !== null && saved !== null && !sameMarks(marks, saved);

  /** Another year; unsaved marks are given up only when the administrator says so. */
  const goTo = (next: number) => {
    if (!changed) {
      setYear(next);
      return;
    }
    modal.confirm({
      title: t('admin.calendar.discardTitle', { year }),
      content: t('admin.calendar.discardBody'),
      okText: t('admin.calendar.discard'),
      cancelText: t('admin.common.cancel'),
      onOk: () => setYear(next),
    });
  };

  const submit = () => save(async () => {
    if (!marks || !loaded.data) return;
    try {
      const out = await saveCalendarYear(year, { ...bodyOf(marks), baseVersion: loaded.data.version });
      void message.success(t('admin.calendar.saved', { year, count: out.workingDays }));
      loaded.reload();
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'stale_version') throw err;
      // someone saved the year since it was read here: theirs is shown before anything is saved again
      modal.warning({ title: t('admin.calendar.staleTitle', { year }), content: t('admin.calendar.staleBody'), okText: t('admin.calendar.loadCurrent'), onOk: loaded.reload });
    }
  });

  const counts = marks ? countsOf(year, marks) : null;
  const breaks = marks ? breaksOf(marks) : [];
  const years = Array.from({ length: 5 }, (_, i) => thisYear - 2 + i);
  if (!years.includes(year)) years.push(year);

  return (
    <>
      <PageHeader
        title={t('admin.calendar.title')}
        subtitle={t('admin.calendar.subtitle')}
        breadcrumb={[{ title: t('nav.home'), to: '/' }, { title: t('admin.calendar.title') }]}
        extra={(
          <Space.Compact>
            <Button icon={<LeftOutlined />} aria-label={t('admin.calendar.previousYear')} onClick={() => goTo(year - 1)} disabled={year <= 1970} />
            <Select
              aria-label={t('admin.calendar.year')}
              value={year}
              style={{ width: 110 }}
              options={years.sort((a, b) => a - b).map((y) => ({ value: y, label: t('admin.calendar.yearLabel', { year: y }) }))}
              onChange={goTo}
            />
            <Button icon={<RightOutlined />} aria-label={t('admin.calendar.nextYear')} onClick={() => goTo(year + 1)} disabled={year >= 2200} />
          </Space.Compact>
        )}
      />
      {loaded.status === 'error' ? (
        <Card><ErrorState title={t('common.loadFailed')} message={describeError(loaded.error, t, i18n.language)} retryLabel={t('common.retry')} onRetry={loaded.reload} /></Card>
      ) : (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Card loading={!marks}>
            <Row gutter={[24, 16]} align="middle">
              <Col xs={12} md={6}><Statistic title={t('admin.calendar.workingDays')} value={counts?.workingDays ?? 0} suffix={t('admin.calendar.days')} /></Col>
              <Col xs={12} md={6}><Statistic title={t('admin.calendar.holidays')} value={counts?.holidays ?? 0} suffix={t('admin.calendar.days')} /></Col>
              <Col xs={12} md={6}><Statistic title={t('admin.calendar.workdays')} value={counts?.workdays ?? 0} suffix={t('admin.calendar.days')} /></Col>
              <Col xs={12} md={6} style={{ textAlign: 'end' }}>
                <Space wrap>
                  {changed && <Tag color="orange">{t('admin.calendar.unsaved')}</Tag>}
                  <Button icon={<UndoOutlined />} disabled={!changed || saving} onClick={() => setMarks(saved)}>{t('admin.calendar.undo')}</Button>
                  <Button type="primary" icon={<SaveOutlined />} disabled={!changed} loading={saving} onClick={() => void submit()}>{t('admin.common.save')}</Button>
                </Space>
              </Col>
            </Row>
            <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }}>{t('admin.calendar.hint')}</Typography.Paragraph>
            {saved && saved.size === 0 && <Alert style={{ marginTop: 12 }} type="warning" showIcon message={t('admin.calendar.emptyYear', { year })} />}
          </Card>
          {marks && (
            <Row gutter={[16, 16]}>
              <Col xs={24} xl={18}>
                <Card title={t('admin.calendar.monthsTitle', { year })}>
                  <Legend />
                  <div className="og-cal-months">
                    {MONTHS.map((m) => <Month key={m} year={year} month={m} marks={marks} onMark={(date, kind) => setMarks(mark(marks, date, kind))} />)}
                  </div>
                </Card>
              </Col>
              <Col xs={24} xl={6}>
                <Card title={t('admin.calendar.breaksTitle')}>
                  {breaks.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.calendar.noBreaks')} /> : (
                    <ul className="og-cal-breaks">
                      {breaks.map((b) => (
                        <li key={b.from}>
                          <div className="og-cal-break-dates">{b.from === b.to ? b.from.slice(5) : `${b.from.slice(5)} ~ ${b.to.slice(5)}`} · {t('admin.calendar.breakDays', { count: b.days })}</div>
                          <Input
                            size="small"
                            maxLength={40}
                            placeholder={t('admin.calendar.breakName')}
                            aria-label={t('admin.calendar.breakNameOf', { from: b.from, to: b.to })}
                            value={b.name ?? ''}
                            onChange={(e) => setMarks(nameBreak(marks, b, e.target.value))}
                          />
                        </li>
                      ))}
                    </ul>
                  )}
                </Card>
              </Col>
            </Row>
          )}
          <TimingSettingsCard />
        </Space>
      )}
    </>
  );
}

function Legend() {
  const { t } = useTranslation();
  return (
    <Space size={12} wrap className="og-cal-legend" aria-hidden>
      <span><i className="og-cal-swatch og-cal-holiday" />{t('admin.calendar.kind.holiday')}</span>
      <span><i className="og-cal-swatch og-cal-workday" />{t('admin.calendar.kind.workday')}</span>
      <span><i className="og-cal-swatch og-cal-weekend" />{t('admin.calendar.weekend')}</span>
    </Space>
  );
}

/** One month, Monday first; each day a button whose menu marks it. */
function Month({ year, month, marks, onMark }: { year: number; month: number; marks: Marks; onMark: (date: string, kind: DayKind | null) => void }) {
  const { t, i18n } = useTranslation();
  const weekdays = t('admin.calendar.weekdays').split(',');
  const name = new Intl.DateTimeFormat(i18n.language, { month: 'long', timeZone: 'UTC' }).format(Date.UTC(year, month - 1, 1));
  return (
    <table className="og-cal-month">
      <caption>{t('admin.calendar.monthLabel', { year, month, name })}</caption>
      <thead>
        <tr>{weekdays.map((w) => <th key={w} scope="col">{w}</th>)}</tr>
      </thead>
      <tbody>
        {monthWeeks(year, month).map((week, i) => (
          <tr key={i}>
            {week.map((date, j) => (date === null ? <td key={j} /> : (
              <td key={date}>
                <Day date={date} marks={marks} onMark={onMark} />
              </td>
            )))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Day({ date, marks, onMark }: { date: string; marks: Marks; onMark: (date: string, kind: DayKind | null) => void }) {
  const { t } = useTranslation();
  const m = marks.get(date);
  const weekend = weekdayOf(date) >= 5;
  const state = m?.kind ?? (weekend ? 'weekend' : 'normal');
  const items = [
    ...choicesOf(date).filter((k) => k !== m?.kind).map((k) => ({ key: k, label: t(`admin.calendar.mark.${k}`) })),
    ...(m ? [{ key: 'clear', label: t(weekend ? 'admin.calendar.mark.clearWeekend' : 'admin.calendar.mark.clearWeekday') }] : []),
  ];
  // read after the visible number and mark: the date, its weekday, what it is and the break's name
  const spoken = [date, t('admin.calendar.weekdayNames').split(',')[weekdayOf(date)], t(`admin.calendar.state.${state}`), m?.name].filter(Boolean).join(' ');
  const today = date === todayOf();
  return (
    <Dropdown trigger={['click']} autoFocus menu={{ items, onClick: ({ key }) => onMark(date, key === 'clear' ? null : (key as DayKind)) }}>
      <button type="button" className={`og-cal-day og-cal-${state}${today ? ' og-cal-today' : ''}`} aria-current={today ? 'date' : undefined} title={m?.name ?? undefined}>
        {Number(date.slice(8))}
        {m && <span className="og-cal-mark">{t(`admin.calendar.short.${m.kind}`)}</span>}
        <span className="og-visually-hidden"> {spoken}</span>
      </button>
    </Dropdown>
  );
}
