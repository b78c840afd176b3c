import { useEffect } from 'react';
import type { ReactElement } from 'react';

/**
 * The field app (/field) and the resident pages (/report, /track) start without the console: no
 * Ant Design, no console router, so a phone on a weak network downloads a fraction of it. main.tsx
 * asks here which page a path is before it loads anything else.
 */
export function lightPageOf(pathname: string): (() => Promise<ReactElement>) | null {
  if (pathname === '/field' || pathname.startsWith('/field/')) {
    return () => import('./FieldRoot.js').then(({ FieldRoot }) => <FieldRoot />);
  }
  if (pathname === '/report' || pathname === '/track' || pathname.startsWith('/track/')) {
    return () => import('../public/PublicRoot.js').then(({ PublicRoot }) => <PublicRoot />);
  }
  return null;
}

/** A console route that leads into a light page: the light pages run in their own document. */
export function LightPageRedirect() {
  useEffect(() => {
    window.location.replace(window.location.href);
  }, []);
  return null;
}
