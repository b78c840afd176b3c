import { useEffect, useState } from 'react';
import type { Position } from './FieldMap.js';

export type GeoProblem = 'denied' | 'unavailable' | 'timeout' | 'unsupported';

/**
 * The phone's position while a page needs it (GPS works without a connection). Stops watching when
 * the page goes away, to spare the battery.
 */
export function useGeolocation(active = true): { position: Position | null; problem: GeoProblem | null; at: number | null } {
  const [state, setState] = useState<{ position: Position | null; problem: GeoProblem | null; at: number | null }>({ position: null, problem: null, at: null });
  useEffect(() => {
    if (!active) return;
    if (!('geolocation' in navigator)) {
      setState((s) => ({ ...s, problem: 'unsupported' }));
      return;
    }
    const id = navigator.geolocation.watchPosition(
      (p) =>
        setState({
          position: { lon: p.coords.longitude, lat: p.coords.latitude, accuracy: Number.isFinite(p.coords.accuracy) ? p.coords.accuracy : null },
          problem: null,
          at: p.timestamp,
        }),
      (err) =>
        setState((s) => ({
          ...s,
          // a position already known stays shown; the problem is still said
          problem: err.code === err.PERMISSION_DENIED ? 'denied' : err.code === err.TIMEOUT ? 'timeout' : 'unavailable',
        })),
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 20_000 },
    );
    return () => navigator.geolocation.clearWatch(id);
  }, [active]);
  return state;
}
