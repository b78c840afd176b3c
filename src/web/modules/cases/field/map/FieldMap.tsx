import type { MultiPolygon, Polygon } from 'geojson';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type WheelEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../ui/Icon.js';
import {
  boxOf, fitView, fromScreen, labelPoint, labelsThatFit, localProjection, pathOf, scaleBar, toScreen, verticesOf, zoomAt, type LonLat, type View,
} from './projection.js';

/**
 * The field app's map: the worker's grids, their position, cases and a pin, drawn as SVG in metres.
 * No basemap and no map library: the platform's maps have no basemap offline anyway, and a phone
 * should not download a WebGL engine to show three polygons and a dot.
 */
export interface MapArea {
  code: string;
  name: string;
  geometry: Polygon | MultiPolygon;
  /** The worker's own grids stand out; others are context. */
  mine?: boolean;
}

export interface MapMarker {
  id: string;
  lon: number;
  lat: number;
  color: string;
  /** Accessible name and the text shown when tapped. */
  label: string;
  /** Drawn hollow: a report still on this phone. */
  waiting?: boolean;
  onOpen?: () => void;
}

export interface Position extends LonLat {
  accuracy: number | null;
}

interface FieldMapProps {
  areas: readonly MapArea[];
  markers?: readonly MapMarker[];
  position?: Position | null;
  pin?: LonLat | null;
  /** Pick mode: a tap (or Enter) places the pin there. */
  onPick?: (p: LonLat) => void;
  /** Frame the position rather than the areas at first (placing a pin near where one stands). */
  focus?: 'areas' | 'position' | 'pin';
  height: number;
  label: string;
}

const TAP_SLOP_PX = 10;
const MARKER_HIT_PX = 24;

export function FieldMap({ areas, markers = [], position = null, pin = null, onPick, focus = 'areas', height, label }: FieldMapProps) {
  const { t } = useTranslation();
  const wrapRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [view, setView] = useState<View | null>(null);
  const pointers = useRef(new Map<number, { x: number; y: number; sx: number; sy: number; at: number }>());
  const gesture = useRef<{ moved: boolean; pinch: number | null }>({ moved: false, pinch: null });

  // The origin is fixed once something is known, so the view does not jump when data arrives.
  const originRef = useRef<LonLat | null>(null);
  if (!originRef.current) {
    const first = areas[0];
    originRef.current = first ? labelPoint(first.geometry) : (pin ?? markers[0] ?? position ?? null);
  }
  const origin = originRef.current;
  const proj = useMemo(() => (origin ? localProjection(origin) : null), [origin]);

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  const frame = (what: 'areas' | 'position' | 'pin'): View | null => {
    if (!proj || !width) return null;
    const point = what === 'position' ? position : what === 'pin' ? pin : null;
    if (point) {
      const [cx, cy] = proj.project(point);
      return { cx, cy, scale: Math.max(view?.scale ?? 0, 1.2) };
    }
    const box = boxOf(areas.filter((a) => a.mine ?? true).flatMap((a) => verticesOf(a.geometry)));
    if (box) return fitView(box, proj, width, height, 28);
    // no areas: whatever points there are, at street level at least
    const points = [...markers, ...(position ? [position] : []), ...(pin ? [pin] : [])];
    const around = boxOf(points);
    if (!around) return null;
    const fitted = fitView(around, proj, width, height, 48);
    return { ...fitted, scale: Math.min(fitted.scale, 1.2) };
  };

  // Frame what there is to show, and again when something better arrives (the grids after the
  // position), until the worker moves the map themselves.
  const touched = useRef(false);
  const framed = useRef<string | null>(null);
  useEffect(() => {
    if (touched.current || !proj || !width) return;
    const preferred = focus === 'position' && position ? 'position' : focus === 'pin' && pin ? 'pin' : 'areas';
    const key = preferred === 'areas' ? (areas.length ? 'areas' : markers.length || pin || position ? 'points' : null) : preferred;
    if (!key || key === framed.current) return;
    const next = frame(preferred);
    if (next) {
      framed.current = key;
      setView(next);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- framing follows what is known, not every move
  }, [proj, width, areas, position, pin, focus, markers.length]);

  const paths = useMemo(() => (proj ? areas.map((a) => ({ area: a, d: pathOf(a.geometry, proj), label: proj.project(labelPoint(a.geometry)) })) : []), [areas, proj]);
  // the worker's own grids first, then the context around them; only names that fit are drawn
  const labels = useMemo(() => {
    if (!view) return [];
    const ordered = [...paths.filter((p) => p.area.mine !== false), ...paths.filter((p) => p.area.mine === false)]
      .map(({ area, label: [lx, ly] }) => {
        const [x, y] = toScreen(view, width, height, lx, ly);
        return { area, x, y, text: area.name };
      });
    const fits = labelsThatFit(ordered, width, height);
    return ordered.filter((_, i) => fits[i]);
  }, [paths, view, width, height]);

  const screen = (p: LonLat): [number, number] | null => {
    if (!proj || !view) return null;
    const [x, y] = proj.project(p);
    return toScreen(view, width, height, x, y);
  };
  const lonLatAt = (sx: number, sy: number): LonLat | null => {
    if (!proj || !view) return null;
    const [x, y] = fromScreen(view, width, height, sx, sy);
    return proj.unproject(x, y);
  };

  const localXY = (e: PointerEvent | WheelEvent) => {
    const r = wrapRef.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    touched.current = true;
    e.currentTarget.setPointerCapture(e.pointerId);
    const { x, y } = localXY(e);
    pointers.current.set(e.pointerId, { x, y, sx: x, sy: y, at: Date.now() });
    if (pointers.current.size === 1) gesture.current = { moved: false, pinch: null };
    if (pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()];
      gesture.current.pinch = Math.hypot(a!.x - b!.x, a!.y - b!.y);
      gesture.current.moved = true;
    }
  };

  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const p = pointers.current.get(e.pointerId);
    if (!p || !view) return;
    const { x, y } = localXY(e);
    if (pointers.current.size === 1) {
      if (Math.hypot(x - p.sx, y - p.sy) > TAP_SLOP_PX) gesture.current.moved = true;
      if (gesture.current.moved) setView({ ...view, cx: view.cx - (x - p.x) / view.scale, cy: view.cy - (y - p.y) / view.scale });
      p.x = x;
      p.y = y;
      return;
    }
    p.x = x;
    p.y = y;
    const [a, b] = [...pointers.current.values()];
    const dist = Math.hypot(a!.x - b!.x, a!.y - b!.y);
    if (gesture.current.pinch && dist > 0) {
      setView(zoomAt(view, width, height, (a!.x + b!.x) / 2, (a!.y + b!.y) / 2, dist / gesture.current.pinch));
      gesture.current.pinch = dist;
    }
  };

  const onPointerUp = (e: PointerEvent<SVGSVGElement>) => {
    const p = pointers.current.get(e.pointerId);
    pointers.current.delete(e.pointerId);
    if (!p || gesture.current.moved || pointers.current.size > 0) return;
    const { x, y } = localXY(e);
    // a tap: the nearest marker within reach opens; otherwise, in pick mode, the pin goes there
    let nearest: { m: MapMarker; d: number } | null = null;
    for (const m of markers) {
      const s = screen(m);
      if (!s || !m.onOpen) continue;
      const d = Math.hypot(s[0] - x, s[1] - y);
      if (d < MARKER_HIT_PX && (!nearest || d < nearest.d)) nearest = { m, d };
    }
    if (nearest && !onPick) {
      nearest.m.onOpen?.();
      return;
    }
    const at = lonLatAt(x, y);
    if (at && onPick) onPick(at);
  };

  const onWheel = (e: WheelEvent<SVGSVGElement>) => {
    if (!view) return;
    touched.current = true;
    const { x, y } = localXY(e);
    setView(zoomAt(view, width, height, x, y, Math.exp(-e.deltaY * 0.0015)));
  };

  const zoom = (factor: number) => {
    touched.current = true;
    if (view) setView(zoomAt(view, width, height, width / 2, height / 2, factor));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!view) return;
    const step = 60 / view.scale;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      touched.current = true;
      setView({ ...view, cx: view.cx + move[0], cy: view.cy + move[1] });
    } else if (e.key === '+' || e.key === '=') zoom(1.5);
    else if (e.key === '-') zoom(1 / 1.5);
    else if (e.key === 'Enter' && onPick) {
      const at = lonLatAt(width / 2, height / 2);
      if (at) onPick(at);
    }
  };

  const bar = view ? scaleBar(view.scale) : null;
  const pos = position ? screen(position) : null;
  const pinAt = pin ? screen(pin) : null;
  const transform = view ? `translate(${width / 2 - view.cx * view.scale} ${height / 2 - view.cy * view.scale}) scale(${view.scale})` : undefined;
  const posInProj = position && proj ? proj.project(position) : null;

  return (
    <div
      ref={wrapRef}
      className={`fa-map${onPick ? ' fa-map-pick' : ''}`}
      style={{ height }}
      tabIndex={0}
      role="application"
      aria-label={label}
      aria-roledescription={t('field.map.roleDescription')}
      onKeyDown={onKeyDown}
    >
      {width > 0 && (
        <svg
          width={width}
          height={height}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={(e) => pointers.current.delete(e.pointerId)}
          onWheel={onWheel}
          data-testid="field-map"
        >
          <defs>
            <pattern id="fa-map-paper" width="24" height="24" patternUnits="userSpaceOnUse">
              <path d="M24 0H0V24" fill="none" stroke="#dfe5ee" strokeWidth="1" />
            </pattern>
          </defs>
          <rect width={width} height={height} fill="url(#fa-map-paper)" />
          {transform && (
            <g transform={transform}>
              {paths.map(({ area, d }) => (
                <path key={area.code} d={d} className={area.mine === false ? 'fa-map-area' : 'fa-map-area fa-map-area-mine'} fillRule="evenodd" vectorEffect="non-scaling-stroke" />
              ))}
              {posInProj && position?.accuracy ? (
                <circle cx={posInProj[0]} cy={posInProj[1]} r={position.accuracy} className="fa-map-accuracy" vectorEffect="non-scaling-stroke" />
              ) : null}
            </g>
          )}
          {labels.map(({ area, x, y }) => (
            <text key={`l-${area.code}`} x={x} y={y} className={area.mine === false ? 'fa-map-label fa-map-label-context' : 'fa-map-label'} textAnchor="middle">
              {area.name}
            </text>
          ))}
          {markers.map((m) => {
            const s = screen(m);
            if (!s) return null;
            return (
              <g key={m.id} transform={`translate(${s[0]} ${s[1]})`} className="fa-map-marker" aria-label={m.label} role="img">
                <path d="M0 0c-6-8-10-12-10-17a10 10 0 0 1 20 0c0 5-4 9-10 17Z" fill={m.waiting ? '#fff' : m.color} stroke={m.color} strokeWidth={m.waiting ? 3 : 1.5} />
                <circle cx="0" cy="-17" r="3.6" fill={m.waiting ? m.color : '#fff'} />
              </g>
            );
          })}
          {pos && (
            <g transform={`translate(${pos[0]} ${pos[1]})`} aria-label={t('field.map.you')} role="img" data-testid="map-position">
              <circle r="11" className="fa-map-you-halo" />
              <circle r="7" className="fa-map-you" />
            </g>
          )}
          {pinAt && (
            <g transform={`translate(${pinAt[0]} ${pinAt[1]})`} aria-label={t('field.map.pin')} role="img" data-testid="map-pin">
              <path d="M0 0c-8-10-13-15-13-22a13 13 0 0 1 26 0c0 7-5 12-13 22Z" className="fa-map-pin" />
              <circle cx="0" cy="-22" r="4.5" fill="#fff" />
            </g>
          )}
        </svg>
      )}
      <div className="fa-map-controls">
        <button type="button" className="fa-map-btn" onClick={() => zoom(1.6)} aria-label={t('field.map.zoomIn')}>
          <Icon name="plus" />
        </button>
        <button type="button" className="fa-map-btn" onClick={() => zoom(1 / 1.6)} aria-label={t('field.map.zoomOut')}>
          <span aria-hidden className="fa-map-minus" />
        </button>
        {position && (
          <button type="button" className="fa-map-btn" onClick={() => setView(frame('position'))} aria-label={t('field.map.toMe')}>
            <Icon name="locate" />
          </button>
        )}
        {areas.length > 0 && (
          <button type="button" className="fa-map-btn" onClick={() => setView(frame('areas'))} aria-label={t('field.map.toGrids')}>
            <Icon name="map" />
          </button>
        )}
      </div>
      {bar && (
        <div className="fa-map-scale" aria-hidden>
          <span style={{ width: bar.px }} />
          {bar.metres >= 1000 ? `${bar.metres / 1000} km` : `${bar.metres} m`}
        </div>
      )}
      {!origin && <div className="fa-map-empty">{t('field.map.nothing')}</div>}
    </div>
  );
}
