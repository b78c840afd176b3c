import { SearchOutlined } from '@ant-design/icons';
import { AutoComplete, Input } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../../app/api.js';
import { useErrorToast } from '../../app/hooks.js';
import { StatusTag } from '../../ui/StatusTag.js';
import { searchDivisions, type SearchHit } from './api.js';
import { isGridCode } from './geometry.js';

const LEVEL_KEY: Record<number, 'l30' | 'l20' | 'l10' | 'l0'> = { 30: 'l30', 20: 'l20', 10: 'l10', 0: 'l0' };

/**
 * Find a street, community or grid by code prefix or name. Enter on a full 15-digit grid code goes
 * straight to that grid, so a dispatcher reading a code off a report never has to pick from a list.
 */
export function MapSearch({ onGo }: { onGo: (hit: SearchHit) => void }) {
  const { t } = useTranslation();
  const showError = useErrorToast();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [searched, setSearched] = useState('');
  const pending = useRef<AbortController | null>(null);

  useEffect(() => {
    const q = text.trim();
    if (!q) {
      setHits([]);
      return;
    }
    const timer = window.setTimeout(() => {
      pending.current?.abort();
      const controller = new AbortController();
      pending.current = controller;
      searchDivisions(q, controller.signal).then(
        (items) => {
          setHits(items);
          setSearched(q);
        },
        (err: unknown) => {
          if (!isAbort(err)) showError(err);
        },
      );
    }, 200);
    return () => window.clearTimeout(timer);
  }, [text, showError]);

  const go = (hit: SearchHit | undefined) => {
    if (!hit) return;
    setText(hit.code);
    onGo(hit);
  };

  const submit = async () => {
    const q = text.trim();
    if (!q) return;
    const exact = hits.find((h) => h.code === q);
    if (exact) return go(exact);
    if (isGridCode(q) || searched !== q) {
      try {
        const items = await searchDivisions(q);
        setHits(items);
        setSearched(q);
        go(items.find((h) => h.code === q) ?? items[0]);
      } catch (err) {
        showError(err);
      }
      return;
    }
    go(hits[0]);
  };

  return (
    <AutoComplete
      className="og-map-search"
      value={text}
      onChange={setText}
      onSelect={(code: string) => go(hits.find((h) => h.code === code))}
      options={hits.map((hit) => ({
        value: hit.code,
        label: (
          <div className="og-search-option">
            <span className="og-search-option-name">{hit.name}</span>
            <span className="og-search-option-meta">
              <span className="og-search-option-code">{hit.code}</span>
              <StatusTag tone={hit.level === 0 ? 'brand' : 'neutral'}>{t(`divisions.levels.${LEVEL_KEY[hit.level] ?? 'l0'}`)}</StatusTag>
            </span>
          </div>
        ),
      }))}
      notFoundContent={text.trim() && searched === text.trim() ? t('map.search.empty') : null}
      popupMatchSelectWidth={420}
      style={{ width: '100%' }}
    >
      <Input.Search
        aria-label={t('map.search.label')}
        placeholder={t('map.search.placeholder')}
        enterButton={<SearchOutlined aria-label={t('map.search.button')} />}
        allowClear
        size="large"
        data-testid="map-search"
        onSearch={(_, event) => {
          // Enter while an option is highlighted picks it (onSelect); otherwise search what was typed.
          if (event && 'key' in event && (event.target as HTMLElement).getAttribute('aria-activedescendant')) return;
          void submit();
        }}
      />
    </AutoComplete>
  );
}
