import { Skeleton } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import { useEffect, useRef, useState } from 'react';

type Echarts = typeof import('./echarts.setup.js')['echarts'];
type Instance = ReturnType<Echarts['init']>;

let loading: Promise<Echarts> | null = null;
/** ECharts, loaded on first use. */
export function loadEcharts(): Promise<Echarts> {
  loading ??= import('./echarts.setup.js').then((m) => m.echarts);
  return loading;
}

export interface ChartClick {
  name: string;
  seriesName?: string;
  dataIndex: number;
  data?: unknown;
}

interface EChartProps {
  option: EChartsCoreOption | null;
  height: number;
  /** What the chart shows, in words from its figures (chartText): the canvas says nothing to a screen reader. */
  label: string;
  onClick?: (e: ChartClick) => void;
  /** Runs before the option is set (e.g. to register a map's shapes). */
  prepare?: (echarts: Echarts) => void;
  testId?: string;
}

/** One chart: ECharts on a canvas that follows its container's width. */
export function EChart({ option, height, label, onClick, prepare, testId }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<Instance | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let gone = false;
    let observer: ResizeObserver | null = null;
    void loadEcharts().then((ec) => {
      if (gone || !box.current) return;
      chart.current = ec.init(box.current, undefined, { renderer: 'canvas' });
      chart.current.on('click', (e) => click.current?.(e as unknown as ChartClick));
      observer = new ResizeObserver(() => chart.current?.resize());
      observer.observe(box.current);
      setReady(true);
    });
    return () => {
      gone = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (!ready || !chart.current || !option) return;
    void loadEcharts().then((ec) => {
      prepare?.(ec);
      chart.current?.setOption(option, true);
    });
  }, [ready, option, prepare]);

  return (
    <div className="og-eval-chart" style={{ height }} role="img" aria-label={label} data-testid={testId} data-ready={ready ? 'true' : 'false'}>
      <div ref={box} style={{ width: '100%', height: '100%' }} />
      {!ready && <Skeleton active paragraph={{ rows: 4 }} className="og-eval-chart-loading" />}
    </div>
  );
}
