/**
 * After an upgrade the server has a new build, and a page opened before it still names the old
 * build's files: the first page whose code is not yet loaded fails to download it. The page then
 * loads itself again, once, and so gets the new build. A second failure within a minute is not
 * an upgrade (the server is down, or the network): it is left to the page's error screen.
 */
export const STALE_RELOAD_KEY = 'onegrid.staleCodeReload';
const WINDOW_MS = 60_000;

interface Storage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Whether to load the page again now; if so, remembers when. */
export function reloadDue(storage: Storage, now: number): boolean {
  let last = Number.NaN;
  try {
    last = Number(storage.getItem(STALE_RELOAD_KEY));
  } catch {
    return false; // storage refused (private mode): no way to stop a loop, so no reload
  }
  if (Number.isFinite(last) && now - last >= 0 && now - last < WINDOW_MS) return false;
  try {
    storage.setItem(STALE_RELOAD_KEY, String(now));
  } catch {
    return false;
  }
  return true;
}

/** Listens for the build's failed downloads of code (Vite's `vite:preloadError`). */
export function reloadOnStaleCode(win: Window = window): void {
  win.addEventListener('vite:preloadError', () => {
    if (reloadDue(win.sessionStorage, Date.now())) win.location.reload();
  });
}

/** Whether an error is a browser's failure to download a piece of the page's code (Chromium, Firefox, Safari). */
export function isStaleCodeError(err: unknown): boolean {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  return /dynamically imported module|Importing a module script failed|Unable to preload CSS/i.test(message);
}
