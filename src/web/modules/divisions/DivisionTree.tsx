import { Alert, Button, Skeleton, Tree, type TreeDataNode } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorToast } from '../../app/hooks.js';
import { describeError } from '../../app/errors.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { fetchChildDivisions, fetchTopDivisions, type Division } from './api.js';
import { LevelIcon } from './LevelIcon.js';

interface DivisionTreeProps {
  selectedCode: string | null;
  /** Codes to open so the selection is visible (the ancestors of a deep-linked division). */
  reveal: readonly string[];
  /** Names changed since the tree loaded them, by code. */
  renamed?: Readonly<Record<string, string>>;
  onSelect: (code: string) => void;
  onRootsLoaded?: (roots: Division[]) => void;
}

/**
 * The jurisdiction as a tree, loaded one level at a time: Tongzhou alone has 656 communities, a
 * city has tens of thousands of grids, so nothing below an open node is fetched.
 */
export function DivisionTree({ selectedCode, reveal, renamed, onSelect, onRootsLoaded }: DivisionTreeProps) {
  const { t, i18n } = useTranslation();
  const showError = useErrorToast();
  const [roots, setRoots] = useState<Division[] | null>(null);
  const [rootError, setRootError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [children, setChildren] = useState<Record<string, Division[]>>({});
  const [expanded, setExpanded] = useState<string[]>([]);
  // Loads started but not finished, so a reveal and a click on the same node fetch it once.
  const pending = useRef(new Map<string, Promise<void>>());
  const loaded = useRef<Record<string, Division[]>>({});
  const rootsCallback = useRef(onRootsLoaded);
  rootsCallback.current = onRootsLoaded;

  const loadChildren = useCallback(
    (code: string): Promise<void> => {
      if (loaded.current[code]) return Promise.resolve();
      const inFlight = pending.current.get(code);
      if (inFlight) return inFlight;
      const job = fetchChildDivisions(code)
        .then((items) => {
          loaded.current = { ...loaded.current, [code]: items };
          setChildren(loaded.current);
        })
        .catch((err: unknown) => {
          showError(err);
          throw err;
        })
        .finally(() => pending.current.delete(code));
      pending.current.set(code, job);
      return job;
    },
    [showError],
  );

  useEffect(() => {
    const controller = new AbortController();
    setRootError(null);
    fetchTopDivisions(controller.signal).then(
      (items) => {
        setRoots(items);
        rootsCallback.current?.(items);
        // One district at the top is the usual case: open it so its streets show straight away.
        const only = items.length === 1 ? items[0] : undefined;
        if (only && only.childCount > 0) {
          loadChildren(only.code).then(
            () => setExpanded((keys) => (keys.includes(only.code) ? keys : [...keys, only.code])),
            () => undefined,
          );
        }
      },
      (err: unknown) => {
        if (!controller.signal.aborted) setRootError(err);
      },
    );
    return () => controller.abort();
  }, [attempt, loadChildren]);

  // Open each ancestor of the selection that the tree knows, top down; each open makes the next known.
  const revealKey = reveal.join('/');
  useEffect(() => {
    if (!roots || reveal.length === 0) return;
    let cancelled = false;
    void (async () => {
      for (const code of reveal) {
        const known = roots.some((d) => d.code === code) || Object.values(loaded.current).some((list) => list.some((d) => d.code === code));
        if (!known || cancelled) continue;
        try {
          await loadChildren(code);
        } catch {
          return;
        }
        if (cancelled) return;
        setExpanded((keys) => (keys.includes(code) ? keys : [...keys, code]));
      }
    })();
    return () => {
      cancelled = true;
    };
    // revealKey stands for `reveal`, whose identity changes on every render
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [roots, revealKey, loadChildren]);

  // Keep the selected node in view when it was opened from elsewhere (a link, the detail panel).
  useEffect(() => {
    if (!selectedCode) return;
    const el = document.querySelector(`[data-division-code="${CSS.escape(selectedCode)}"]`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [selectedCode, children]);

  const treeData = useMemo(() => {
    const toNodes = (list: Division[]): TreeDataNode[] =>
      list.map((d) => {
        const kids = children[d.code];
        return {
          key: d.code,
          icon: <LevelIcon level={d.level} />,
          isLeaf: d.childCount === 0,
          children: kids ? toNodes(kids) : undefined,
          title: (
            <span className="og-tree-node" data-division-code={d.code}>
              <span className="og-tree-name">{renamed?.[d.code] ?? d.name}</span>
              {d.childCount > 0 && (
                <span className="og-tree-count" aria-label={t('divisions.childCountShort', { count: d.childCount })}>
                  {d.childCount}
                </span>
              )}
            </span>
          ),
        };
      });
    return roots ? toNodes(roots) : [];
  }, [roots, children, renamed, t]);

  if (rootError) {
    return (
      <Alert
        type="warning"
        showIcon
        title={describeError(rootError, t, i18n.language)}
        action={<Button size="small" onClick={() => setAttempt((n) => n + 1)}>{t('common.retry')}</Button>}
      />
    );
  }
  if (!roots) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (roots.length === 0) return <EmptyState title={t('divisions.treeEmpty')} description={t('divisions.treeEmptyHint')} />;

  return (
    <Tree
      aria-label={t('divisions.treeLabel')}
      className="og-division-tree"
      blockNode
      showIcon
      showLine={{ showLeafIcon: false }}
      treeData={treeData}
      loadData={(node) => loadChildren(String(node.key)).catch(() => undefined)}
      loadedKeys={Object.keys(children)}
      expandedKeys={expanded}
      onExpand={(keys) => setExpanded(keys.map(String))}
      selectedKeys={selectedCode ? [selectedCode] : []}
      onSelect={(keys) => {
        const code = keys[0];
        if (code !== undefined) onSelect(String(code));
      }}
    />
  );
}
