import { TreeSelect } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorToast } from '../../app/hooks.js';
import { fetchChildDivisions, fetchDivision, fetchTopDivisions, type Division } from '../divisions/api.js';

interface Node {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  isLeaf: boolean;
}

interface DivisionPickerProps {
  value?: string | null;
  onChange?: (code: string | null) => void;
  /** The finest level offered: 0 for grids, 10 to stop at communities. */
  finestLevel?: 0 | 10 | 20 | 30;
  placeholder?: string;
  allowClear?: boolean;
  id?: string;
  style?: React.CSSProperties;
  'aria-label'?: string;
}

const toNode = (d: Division, finestLevel: number): Node => ({
  id: d.code,
  pId: d.parentCode,
  value: d.code,
  title: d.name,
  isLeaf: d.level <= finestLevel || d.childCount === 0,
});

/**
 * Picks a division inside the user's jurisdiction, loading each level when it is opened, so the
 * 1,809 grids of a district never arrive at once. The search box filters what is loaded already.
 */
export function DivisionPicker({ value, onChange, finestLevel = 0, placeholder, allowClear = true, id, style, ...rest }: DivisionPickerProps) {
  const { t } = useTranslation();
  const showError = useErrorToast();
  const [nodes, setNodes] = useState<Node[]>([]);
  const [expanded, setExpanded] = useState<string[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    fetchTopDivisions(controller.signal)
      .then(async (top) => {
        // one level opened from the start: a district user sees the streets straight away
        const opened = top.length === 1 && top[0]!.level > finestLevel ? top[0]!.code : null;
        const children = opened ? await fetchChildDivisions(opened, controller.signal) : [];
        setNodes([...top, ...children].map((d) => toNode(d, finestLevel)));
        if (opened) setExpanded([opened]);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) showError(err);
      });
    return () => controller.abort();
  }, [finestLevel, showError]);

  // in simple mode the node carries our `id` (the division code) beside antd's own fields
  // A value set from outside (a link to a grid's team) may lie deep in the tree: load the levels
  // down to it, so the field shows its name and the tree opens where it is.
  const known = nodes.some((n) => n.id === value);
  useEffect(() => {
    if (!value || known || nodes.length === 0) return;
    const controller = new AbortController();
    fetchDivision(value, controller.signal)
      .then(async ({ path, division }) => {
        const levels = await Promise.all(path.map((p) => fetchChildDivisions(p.code, controller.signal)));
        const found = [...path, division, ...levels.flat()];
        setNodes((prev) => [...prev, ...found.filter((d, i) => !prev.some((p) => p.id === d.code) && found.findIndex((f) => f.code === d.code) === i).map((d) => toNode(d, finestLevel))]);
        setExpanded((prev) => [...new Set([...prev, ...path.map((p) => p.code)])]);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) showError(err);
      });
    return () => controller.abort();
  }, [value, known, nodes.length === 0, finestLevel, showError]);

  const loadData = async (node: object) => {
    const id = (node as { id?: unknown }).id;
    const parent = typeof id === 'string' ? id : null;
    if (!parent || nodes.some((n) => n.pId === parent)) return;
    try {
      const children = await fetchChildDivisions(parent);
      setNodes((prev) => [...prev, ...children.filter((c) => !prev.some((p) => p.id === c.code)).map((d) => toNode(d, finestLevel))]);
    } catch (err) {
      showError(err);
    }
  };

  return (
    <TreeSelect
      id={id}
      aria-label={rest['aria-label']}
      treeDataSimpleMode
      treeData={nodes}
      loadData={loadData}
      treeExpandedKeys={expanded}
      onTreeExpand={(keys) => setExpanded(keys.map(String))}
      value={value ?? undefined}
      onChange={(next) => onChange?.((next as string | undefined) ?? null)}
      placeholder={placeholder ?? t('admin.common.pickDivision')}
      allowClear={allowClear}
      showSearch={{ treeNodeFilterProp: 'title' }}
      style={{ width: '100%', ...style }}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxHeight: 420, minWidth: 280 } } }}
    />
  );
}
