import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';

/**
 * Whether the page is being printed: a table shown in pages asks, and puts all its rows on paper
 * rather than the one page on screen. Both signals are heard: `beforeprint` and `afterprint` around
 * the browser's print, and the print medium's query, which changes with them in Chromium and is the
 * only one that an emulated print medium (a test's) changes. The browser lays the page out for paper
 * as soon as the listeners return, so the rows are drawn then and there (flushSync), not on React's
 * next turn, which would come after the page had been laid out.
 */
export function usePrinting(): boolean {
  const [printing, setPrinting] = useState(() => window.matchMedia('print').matches);
  useEffect(() => {
    const media = window.matchMedia('print');
    const set = (on: boolean) => flushSync(() => setPrinting(on));
    const before = () => set(true);
    const after = () => set(false);
    const changed = (e: MediaQueryListEvent) => set(e.matches);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    media.addEventListener('change', changed);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
      media.removeEventListener('change', changed);
    };
  }, []);
  return printing;
}
