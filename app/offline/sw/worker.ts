/**
 * The seller app's service worker (ADR 031), bundled by esbuild and given its
 * precache list by workbox-build (scripts/build-sw.ts) → public/seller-sw.js,
 * registered with scope /seller from the dashboard (register.ts).
 *
 * - Precached: the seller area's scripts and CSS (the list the build injects),
 *   the offline page, the icons.
 * - Photos (`/media/…` and the S3 origin's, opaque): cache-first in small caches of their own.
 * - Seller pages, their single-fetch `.data` and `/__manifest`: network-first, the
 *   last good copy without signal, else the offline page.
 * - Translations (`/locales/…?v=`) and other build files: cache-first (the URLs are versioned).
 * - Messages from pages: `user` (whose pages these are: another user's copies are
 *   dropped first), `sync` (fetch and keep the pages to read offline), `SKIP_WAITING`.
 */
import { clientsClaim } from "workbox-core";
import { CacheableResponsePlugin } from "workbox-cacheable-response";
import { ExpirationPlugin } from "workbox-expiration";
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute, type PrecacheEntry } from "workbox-precaching";
import { registerRoute, setCatchHandler } from "workbox-routing";
import { CacheFirst, NetworkFirst } from "workbox-strategies";
import {
  DATA_CACHE,
  MEDIA_CACHE,
  META_CACHE,
  OFFLINE_PAGES_PATH,
  PAGE_CACHE,
  REMOTE_PHOTO_CACHE,
  SELLER_OFFLINE_PAGE,
  STATIC_CACHE,
  USER_KEY,
  isSellerPath,
  type WorkerMessage,
} from "./caches";
import { listenForQueueSync } from "./sync";

// The worker's own globals (the project's TypeScript knows the DOM, not the WebWorker lib).
interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface ExtendableMessageEventLike extends ExtendableEventLike {
  data: unknown;
  ports: readonly MessagePort[];
}
declare const self: {
  __WB_MANIFEST: (string | PrecacheEntry)[];
  location: Location;
  skipWaiting(): Promise<void>;
  addEventListener(type: "message", listener: (event: ExtendableMessageEventLike) => void): void;
};

const PHOTO_CACHE_OPTIONS = { purgeOnQuotaError: true } as const;

clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);
// Background Sync: the phone's queue is sent from here too, with the page closed.
listenForQueueSync(self as unknown as EventTarget);

const sameOrigin = (url: URL) => url.origin === self.location.origin;

// Seller pages: the server's answer while there is signal (8 s on a bad one), the last good copy otherwise.
registerRoute(
  ({ request, url }) => request.mode === "navigate" && sameOrigin(url) && isSellerPath(url.pathname),
  new NetworkFirst({
    cacheName: PAGE_CACHE,
    networkTimeoutSeconds: 8,
    // Pages vary by cookie and language; the caches are one user's (claimFor) and the copy is what they last read.
    matchOptions: { ignoreVary: true },
    plugins: [
      new CacheableResponsePlugin({ statuses: [200] }),
      new ExpirationPlugin({ maxEntries: 150, maxAgeSeconds: 14 * 24 * 3600, purgeOnQuotaError: true }),
    ],
  }),
);

// Their data for client navigations (single fetch `.data`) and the routes' lazy discovery (`/__manifest`).
const dataStrategy = new NetworkFirst({
  cacheName: DATA_CACHE,
  networkTimeoutSeconds: 8,
  matchOptions: { ignoreVary: true },
  plugins: [
    new CacheableResponsePlugin({ statuses: [200, 202, 204] }),
    new ExpirationPlugin({ maxEntries: 150, maxAgeSeconds: 14 * 24 * 3600, purgeOnQuotaError: true }),
  ],
});
registerRoute(
  ({ request, url }) =>
    request.method === "GET" &&
    sameOrigin(url) &&
    ((isSellerPath(url.pathname.replace(/\.data$/, "")) && url.pathname.endsWith(".data")) ||
      url.pathname === "/__manifest"),
  dataStrategy,
);

// Photos: cache-first; a cheap phone keeps the last 120 of this site's (30 days)…
registerRoute(
  ({ request, url }) => request.method === "GET" && sameOrigin(url) && url.pathname.startsWith("/media/"),
  new CacheFirst({
    cacheName: MEDIA_CACHE,
    plugins: [
      new CacheableResponsePlugin({ statuses: [200] }),
      new ExpirationPlugin({ maxEntries: 120, maxAgeSeconds: 30 * 24 * 3600, ...PHOTO_CACHE_OPTIONS }),
    ],
  }),
);
// …and only 40 from the S3 origin: opaque answers count heavily (Chrome pads each to megabytes) against the quota.
registerRoute(
  ({ request, url }) => request.destination === "image" && !sameOrigin(url) && url.protocol === "https:",
  new CacheFirst({
    cacheName: REMOTE_PHOTO_CACHE,
    plugins: [
      new CacheableResponsePlugin({ statuses: [0, 200] }),
      new ExpirationPlugin({ maxEntries: 40, maxAgeSeconds: 30 * 24 * 3600, ...PHOTO_CACHE_OPTIONS }),
    ],
  }),
);

// Versioned URLs (translations with ?v=, fingerprinted build files not in the precache): cache-first.
registerRoute(
  ({ request, url }) =>
    request.method === "GET" &&
    sameOrigin(url) &&
    ((url.pathname.startsWith("/locales/") && url.searchParams.has("v")) ||
      url.pathname.startsWith("/build/") ||
      url.pathname === "/enhance.js" ||
      url.pathname === "/favicon.svg"),
  new CacheFirst({
    cacheName: STATIC_CACHE,
    plugins: [
      new CacheableResponsePlugin({ statuses: [200] }),
      new ExpirationPlugin({ maxEntries: 80, maxAgeSeconds: 60 * 24 * 3600, purgeOnQuotaError: true }),
    ],
  }),
);

// No copy and no signal: a seller page answers with the offline page.
setCatchHandler(async ({ request }) => {
  if (request.mode === "navigate") return (await matchPrecache(SELLER_OFFLINE_PAGE)) ?? Response.error();
  return Response.error();
});

/** Whose pages the caches hold; a different user's copies are deleted before anything else. */
async function claimFor(userId: string) {
  const meta = await caches.open(META_CACHE);
  const previous = await meta.match(USER_KEY).then((r) => r?.text());
  if (previous === userId) return;
  await Promise.all([caches.delete(PAGE_CACHE), caches.delete(DATA_CACHE)]);
  await meta.put(USER_KEY, new Response(userId));
}

/** Fetches the pages to read offline (the server's list) and keeps them; answers how many and when. */
async function syncPages(userId: string): Promise<{ ok: boolean; pages: number; at: string }> {
  await claimFor(userId);
  const at = new Date().toISOString();
  const list = await fetch(OFFLINE_PAGES_PATH, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!list.ok || list.redirected) return { ok: false, pages: 0, at };
  const { pages, assets = [] } = (await list.json()) as { pages: string[]; assets?: string[] };
  // The translations the kept pages hydrate with (versioned URLs: fetched once per version).
  const staticCache = await caches.open(STATIC_CACHE);
  for (const asset of assets) {
    if (!(await staticCache.match(asset))) await staticCache.add(asset).catch(() => {});
  }
  const cache = await caches.open(PAGE_CACHE);
  let kept = 0;
  // Two at a time: a cheap server and a 3G link, not a burst.
  const queue = [...pages];
  const next = async (): Promise<void> => {
    const path = queue.shift();
    if (!path) return;
    try {
      const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (response.ok && !response.redirected) {
        await cache.put(new URL(path, self.location.origin).href, response);
        kept++;
      }
    } catch {
      // Signal lost midway: what was kept stays; the next sync tries again.
    }
    return next();
  };
  await Promise.all([next(), next()]);
  return { ok: kept === pages.length, pages: kept, at };
}

self.addEventListener("message", (event) => {
  const message = event.data as WorkerMessage | null;
  const reply = (value: unknown) => event.ports[0]?.postMessage(value);
  if (message?.type === "SKIP_WAITING") {
    event.waitUntil(self.skipWaiting());
  } else if (message?.type === "user") {
    event.waitUntil(claimFor(message.userId).then(() => reply({ ok: true })));
  } else if (message?.type === "sync") {
    event.waitUntil(
      syncPages(message.userId).then(reply, () => reply({ ok: false, pages: 0, at: new Date().toISOString() })),
    );
  }
});
