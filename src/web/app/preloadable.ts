import { createElement, lazy, type ComponentType, type ReactElement } from 'react';

/**
 * A component whose code loads on first use, like React.lazy, that can also be asked to load
 * early. Once loaded it renders at once: no Suspense fallback, and so none of the pause React keeps
 * before it replaces a fallback.
 */
export interface Preloadable<P extends object> {
  (props: P): ReactElement;
  preload(): Promise<unknown>;
}

export function preloadable<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): Preloadable<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<unknown> | null = null;
  const start = () =>
    (loading ??= load().then(
      (m) => (loaded = m.default),
      (err: unknown) => {
        loading = null; // a failed download is tried again on the next visit
        throw err;
      },
    ));
  const Lazy = lazy(() => start().then(() => ({ default: loaded! })));
  const render = (props: P) => createElement(loaded ?? Lazy, props);
  return Object.assign(render, { preload: start });
}
