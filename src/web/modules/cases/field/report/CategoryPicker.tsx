import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFocusReturn } from '../../../../app/focusReturn.js';
import { currentLanguage } from '../../../../app/i18n.js';
import { Icon } from '../ui/Icon.js';
import { searchCategories, type CategoryOption } from './categories.js';

const nameOf = (o: CategoryOption, lang: string) => (lang === 'en' ? o.nameEn : o.nameZh);

/**
 * 问题类型 in two taps: the recent ones as big chips, everything else one tap away on a full screen
 * with a search box (name in either language, class or code) and the classes as headings.
 */
export function CategoryField({
  options, recent, value, onChange, invalid,
}: { options: CategoryOption[]; recent: string[]; value: CategoryOption | null; onChange: (o: CategoryOption) => void; invalid: boolean }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [open, setOpen] = useState(false);
  const recentOptions = recent.map((c) => options.find((o) => o.code === c)).filter((o): o is CategoryOption => Boolean(o));
  return (
    <div className={invalid ? 'fa-invalid' : undefined}>
      {recentOptions.length > 0 && (
        <div className="fa-chips" role="group" aria-label={t('field.report.recent')}>
          {recentOptions.map((o) => (
            <button key={o.code} type="button" className="fa-chip" aria-pressed={value?.code === o.code} onClick={() => onChange(o)}>
              {nameOf(o, lang)}
            </button>
          ))}
        </div>
      )}
      <button type="button" className="fa-select" onClick={() => setOpen(true)} data-testid="category-open">
        <span>
          {value ? (
            <>
              <strong>{nameOf(value, lang)}</strong>
              <span className="fa-muted"> · {lang === 'en' ? value.classEn : value.classZh}</span>
            </>
          ) : (
            <span className="fa-placeholder">{t('field.report.categoryPlaceholder')}</span>
          )}
        </span>
        <Icon name="search" />
      </button>
      {open && (
        <CategorySheet
          options={options}
          onClose={() => setOpen(false)}
          onPick={(o) => {
            onChange(o);
            setOpen(false);
          }}
        />
      )}
    </div>
  );
}

function CategorySheet({ options, onPick, onClose }: { options: CategoryOption[]; onPick: (o: CategoryOption) => void; onClose: () => void }) {
  useFocusReturn();
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [query, setQuery] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const found = useMemo(() => searchCategories(options, query), [options, query]);
  // without a query the classes head their sub-categories; with one, best matches come first
  const groups = useMemo(() => {
    if (query.trim()) return [{ title: t('field.report.matches', { count: found.length }), items: found }];
    const out: { title: string; items: CategoryOption[] }[] = [];
    for (const o of found) {
      const title = `${o.classCode} ${lang === 'en' ? o.classEn : o.classZh}`;
      const last = out[out.length - 1];
      if (last?.title === title) last.items.push(o);
      else out.push({ title, items: [o] });
    }
    return out;
  }, [found, query, lang, t]);

  return (
    <div className="fa-sheet" role="dialog" aria-modal="true" aria-label={t('field.report.category')}>
      <div className="fa-sheet-head">
        <button type="button" className="fa-icon-btn" onClick={onClose} aria-label={t('field.common.close')}>
          <Icon name="chevronLeft" />
        </button>
        <label className="fa-search">
          <Icon name="search" size={20} />
          <input
            ref={input}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder={t('field.report.searchPlaceholder')}
            aria-label={t('field.report.searchPlaceholder')}
            enterKeyHint="search"
            data-testid="category-search"
          />
        </label>
      </div>
      <div className="fa-sheet-body">
        {found.length === 0 && <p className="fa-muted fa-pad">{t('field.report.noMatch')}</p>}
        {groups.map((g) => (
          <section key={g.title}>
            <h3 className="fa-sheet-group">{g.title}</h3>
            <ul className="fa-options">
              {g.items.map((o) => (
                <li key={o.code}>
                  <button type="button" onClick={() => onPick(o)} data-code={o.code}>
                    <span>{lang === 'en' ? o.nameEn : o.nameZh}</span>
                    <span className="fa-code">{o.code}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}
