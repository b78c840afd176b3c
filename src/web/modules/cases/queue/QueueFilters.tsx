import { ClearOutlined, FilterOutlined } from '@ant-design/icons';
import { Button, Cascader, DatePicker, Input, Segmented, Select, TreeSelect } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_SOURCES, STATES } from '../../../../shared/cases/workflow.js';
import { currentLanguage } from '../../../app/i18n.js';
import { fetchChildren, fetchTopDivisions, type DivisionRow } from '../api.js';
import { useCategories, useDepartments } from '../hooks.js';
import type { Light } from '../shared/api.js';
import { LIGHT_COLORS, sourceLabel, stateLabel } from '../shared/labels.js';
import { hasFilters, type QueueView } from './filters.js';
import '../pages.css';

interface AreaOption {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: AreaOption[];
}

const toOption = (d: DivisionRow): AreaOption => ({ value: d.code, label: d.name, isLeaf: d.level <= 10 || d.childCount === 0 });

/** Streets (and their communities, loaded on opening) of the reader's jurisdiction. */
function useAreaOptions(): [AreaOption[], (path: AreaOption[]) => void] {
  const [options, setOptions] = useState<AreaOption[]>([]);
  useEffect(() => {
    let live = true;
    (async () => {
      const tops = await fetchTopDivisions();
      const out: AreaOption[] = [];
      for (const top of tops) {
        if (top.level >= 30) out.push(...(await fetchChildren(top.code)).map(toOption));
        else if (top.level >= 10) out.push(toOption(top));
      }
      if (live) setOptions(out);
    })().catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  const load = (path: AreaOption[]) => {
    const target = path[path.length - 1];
    if (!target || target.children) return;
    void fetchChildren(target.value).then((kids) => {
      target.children = kids.filter((k) => k.level >= 10).map((k) => ({ ...toOption(k), isLeaf: true }));
      setOptions((prev) => [...prev]);
    });
  };
  return [options, load];
}

interface QueueFiltersProps {
  view: QueueView;
  onChange: (change: Partial<QueueView>) => void;
  onClear: () => void;
}

/** The search box, the state and light filters up front; the rest one click away (open when in use). */
export function QueueFilters({ view, onChange, onClear }: QueueFiltersProps) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const tree = useCategories();
  const departments = useDepartments();
  const [areaOptions, loadArea] = useAreaOptions();
  const advancedInUse = Boolean(view.category || view.grid || view.department || view.source?.length || view.from || view.to);
  const [expanded, setExpanded] = useState(advancedInUse);
  const [q, setQ] = useState(view.q ?? '');
  const [grid, setGrid] = useState(view.grid ?? '');
  useEffect(() => setQ(view.q ?? ''), [view.q]);
  useEffect(() => setGrid(view.grid ?? ''), [view.grid]);

  const categoryTree = useMemo(
    () =>
      (tree?.classes ?? []).map((c) => ({
        value: c.code,
        title: `${c.code} ${lang === 'en' ? c.name_en : c.name_zh}`,
        children: c.subcategories.map((s) => ({ value: s.code, title: `${s.code} ${lang === 'en' ? s.name_en : s.name_zh}` })),
      })),
    [tree, lang],
  );
  const areaValue = view.community ? [view.community.slice(0, 9), view.community] : view.street ? [view.street] : undefined;
  const gridValid = grid === '' || /^\d{15}$/.test(grid);
  const lightOptions = [
    { value: 'all', label: t('cases.desk.filters.lightAll') },
    ...(['red', 'yellow', 'green'] as Light[]).map((l) => ({
      value: l,
      label: (
        <span className="og-light-option">
          <span className="og-light" style={{ background: LIGHT_COLORS[l] }} aria-hidden />
          {t(`cases.shared.light.${l}`)}
        </span>
      ),
    })),
  ];

  return (
    <section className="og-queue-filters" aria-label={t('cases.desk.filters.label')}>
      <div className="og-filter-row">
        <Input.Search
          className="og-filter-search"
          allowClear
          value={q}
          placeholder={t('cases.desk.filters.search')}
          aria-label={t('cases.desk.filters.search')}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(value) => onChange({ q: value.trim() || undefined })}
        />
        <Select
          className="og-filter-state"
          mode="multiple"
          allowClear
          maxTagCount="responsive"
          placeholder={t('cases.desk.filters.state')}
          aria-label={t('cases.desk.filters.state')}
          value={view.state ?? []}
          options={STATES.map((s) => ({ value: s, label: stateLabel(s, lang) }))}
          onChange={(state) => onChange({ state: state.length ? state : undefined })}
        />
        <Cascader
          className="og-filter-area"
          changeOnSelect
          allowClear
          placeholder={t('cases.desk.filters.area')}
          aria-label={t('cases.desk.filters.area')}
          options={areaOptions}
          loadData={(path) => loadArea(path as AreaOption[])}
          value={areaValue}
          onChange={(path) => {
            const last = (path as string[] | undefined)?.at(-1);
            onChange({ street: last?.length === 9 ? last : undefined, community: last?.length === 12 ? last : undefined });
          }}
        />
        <Segmented
          className="og-filter-light"
          aria-label={t('cases.desk.filters.light')}
          value={view.light ?? 'all'}
          options={lightOptions}
          onChange={(v) => onChange({ light: v === 'all' ? undefined : (v as Light) })}
        />
        <Button icon={<FilterOutlined />} onClick={() => setExpanded((x) => !x)} aria-expanded={expanded}>
          {expanded ? t('cases.desk.filters.less') : t('cases.desk.filters.more')}
        </Button>
        {hasFilters(view) && (
          <Button icon={<ClearOutlined />} type="link" onClick={onClear}>
            {t('cases.desk.filters.clear')}
          </Button>
        )}
      </div>
      {expanded && (
        <div className="og-filter-row">
          <TreeSelect
            className="og-filter-category"
            allowClear
            showSearch={{ treeNodeFilterProp: 'title' }}
            placeholder={t('cases.desk.filters.category')}
            aria-label={t('cases.desk.filters.category')}
            treeData={categoryTree}
            value={view.category}
            onChange={(v: string | undefined) => onChange({ category: v || undefined })}
          />
          <Input
            className="og-filter-grid"
            allowClear
            inputMode="numeric"
            maxLength={15}
            status={gridValid ? undefined : 'error'}
            placeholder={t('cases.desk.filters.grid')}
            aria-label={t('cases.desk.filters.grid')}
            title={gridValid ? undefined : t('cases.desk.filters.gridInvalid')}
            value={grid}
            onChange={(e) => {
              const next = e.target.value.replace(/\D/g, '');
              setGrid(next);
              if (next === '' || next.length === 15) onChange({ grid: next || undefined });
            }}
          />
          <Select
            className="og-filter-department"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('cases.desk.filters.department')}
            aria-label={t('cases.desk.filters.department')}
            value={view.department}
            options={departments.map((d) => ({ value: d.code, label: lang === 'en' && d.nameEn ? d.nameEn : d.name }))}
            onChange={(v: string | undefined) => onChange({ department: v || undefined })}
          />
          <Select
            className="og-filter-source"
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            placeholder={t('cases.desk.filters.source')}
            aria-label={t('cases.desk.filters.source')}
            value={view.source ?? []}
            options={CASE_SOURCES.map((s) => ({ value: s, label: sourceLabel(s, lang) }))}
            onChange={(source) => onChange({ source: source.length ? source : undefined })}
          />
          <DatePicker.RangePicker
            className="og-filter-dates"
            allowEmpty={[true, true]}
            placeholder={[t('cases.desk.filters.dates.from'), t('cases.desk.filters.dates.to')]}
            value={[view.from ? dayjs(view.from) : null, view.to ? dayjs(view.to) : null]}
            onChange={(range) =>
              onChange({ from: range?.[0]?.format('YYYY-MM-DD') ?? undefined, to: range?.[1]?.format('YYYY-MM-DD') ?? undefined })
            }
          />
        </div>
      )}
    </section>
  );
}
