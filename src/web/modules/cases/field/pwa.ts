import { useSyncExternalStore } from 'react';

/**
 * Installing the field app on a phone's home screen (the web app manifest) and opening it without a
 * connection (the service worker at /sw.js keeps the app shell). The manifest link is added here,
 * not in index.html, so only the field app offers itself for installing, not the console.
 */
interface InstallPrompt extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

let deferred: InstallPrompt | null = null;
let installed = false;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

export function addManifest(): void {
  if (document.querySelector('link[rel="manifest"]')) return;
  const link = document.createElement('link');
  link.rel = 'manifest';
  link.href = '/manifest.webmanifest';
  document.head.appendChild(link);
  const icon = document.createElement('link');
  icon.rel = 'apple-touch-icon';
  icon.href = '/icons/icon-192.png';
  document.head.appendChild(icon);
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault(); // offered from the "me" page, when the worker asks
    deferred = e as InstallPrompt;
    notify();
  });
  window.addEventListener('appinstalled', () => {
    installed = true;
    deferred = null;
    notify();
  });
}

/**
 * Registers the service worker and hands it every file this page has loaded so far: the page was
 * fetched before the worker existed, and those files must be kept for the next offline start.
 */
export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    const ready = await navigator.serviceWorker.ready;
    const urls = performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((u) => {
        const url = new URL(u, window.location.href);
        return url.origin === window.location.origin && url.pathname.startsWith('/assets/');
      });
    ready.active?.postMessage({ type: 'keep', urls: [...new Set(urls)] });
  } catch (err) {
    console.warn('service worker not registered', err);
  }
}

export function useInstall(): { canInstall: boolean; installed: boolean; install: () => Promise<void> } {
  const snapshot = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => (deferred ? 'prompt' : installed ? 'installed' : 'none'),
  );
  const standalone = typeof window !== 'undefined' && window.matchMedia?.('(display-mode: standalone)').matches;
  return {
    canInstall: snapshot === 'prompt',
    installed: snapshot === 'installed' || Boolean(standalone),
    install: async () => {
      if (!deferred) return;
      await deferred.prompt();
      await deferred.userChoice;
      deferred = null;
      notify();
    },
  };
}
