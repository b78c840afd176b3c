/*
 * OneGrid service worker: keeps the app shell (the page and its hashed script and style files) so
 * the field app opens without a connection. It never keeps API answers: the field app keeps the
 * data it needs in IndexedDB itself, per user, and forgets it on sign-out. Nothing here fetches
 * from anywhere but this server.
 */
const SHELL = 'onegrid-shell-v1';
const PAGE = '/index.html';
const START = '/field';
/** Hashed files pile up across releases; past this many the oldest go. */
const MAX_ASSETS = 150;
/** On a connection that neither works nor fails, the kept page is shown after this long. */
const PAGE_TIMEOUT_MS = 4000;

const keepable = (url) => url.pathname.startsWith('/assets/') || url.pathname.startsWith('/icons/') || url.pathname === '/manifest.webmanifest';

async function keep(urls) {
  const cache = await caches.open(SHELL);
  await Promise.all(
    urls.map(async (u) => {
      if (await cache.match(u)) return;
      try {
        const res = await fetch(u, { credentials: 'same-origin' });
        if (res.ok) await cache.put(u, res);
      } catch {
        // the next visit online tries again
      }
    }),
  );
  await trim(cache);
}

async function trim(cache) {
  const keys = (await cache.keys()).filter((r) => new URL(r.url).pathname.startsWith('/assets/'));
  for (const r of keys.slice(0, Math.max(0, keys.length - MAX_ASSETS))) await cache.delete(r);
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      try {
        const res = await fetch(START, { cache: 'no-store', credentials: 'same-origin' });
        if (res.ok) {
          const html = await res.clone().text();
          const cache = await caches.open(SHELL);
          await cache.put(PAGE, res);
          const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
          await keep([...new Set([...assets, '/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png'])]);
        }
      } catch {
        // installed while offline: the page and files are kept as they pass by
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== SHELL) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const data = event.data;
  if (data && data.type === 'keep' && Array.isArray(data.urls)) {
    const urls = data.urls.filter((u) => typeof u === 'string' && keepable(new URL(u, self.location.origin)));
    event.waitUntil(keep(urls));
  }
});

async function page(request) {
  const cache = await caches.open(SHELL);
  const network = fetch(request).then(async (res) => {
    if (res.ok && (res.headers.get('content-type') || '').includes('text/html')) await cache.put(PAGE, res.clone());
    return res;
  });
  const timeout = new Promise((resolve) => setTimeout(resolve, PAGE_TIMEOUT_MS, null));
  try {
    const res = await Promise.race([network, timeout]);
    if (res) return res;
  } catch {
    // no connection: the kept page below
  }
  const kept = await cache.match(PAGE);
  if (kept) return kept;
  return network;
}

async function asset(request) {
  const cache = await caches.open(SHELL);
  const kept = await cache.match(request);
  if (kept) return kept;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') event.respondWith(page(request));
  else if (keepable(url)) event.respondWith(asset(request));
});
