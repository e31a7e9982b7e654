/**
 * The seller app in the browser (ADR 031): registering the worker from the
 * dashboard once the page is idle, handing a new version over only when the
 * queue allows it, telling the worker whose pages it keeps, asking it to sync
 * the pages to read offline, and clearing it all at logout.
 */
import { SYNC_KEY } from "./clear";
import { onQueueChange, queueIsIdle } from "./queue";
import { SELLER_SCOPE, SELLER_WORKER, type SyncResult, type WorkerMessage } from "./sw/caches";

/** At most one sync of the pages to read offline per 10 minutes (they cost the farmer's data). */
export const SYNC_INTERVAL_MS = 10 * 60 * 1000;
/** How often a waiting version asks again whether it may take over. */
const TAKE_OVER_RETRY_MS = 30 * 1000;
/** After the queue changes, how long to let its sender finish before asking again. */
const QUEUE_SETTLE_MS = 1000;

export interface RegisterOptions {
  /** Whose pages the worker keeps: another user's copies are deleted first. */
  userId: string;
  /** Whether a new version may take over now: by default when the queue has nothing waiting or in flight. */
  canTakeOver?: () => Promise<boolean>;
  /** A new version took over: the page tells the farmer. */
  onUpdated?: () => void;
  /** The pages to read offline were fetched again. */
  onSynced?: (result: SyncResult) => void;
}

/** Whether this page may run the seller app's worker: a production build, a browser that has workers, the farmer's own pages. */
export function sellerAppAvailable(): boolean {
  return (
    process.env.NODE_ENV === "production" &&
    typeof navigator !== "undefined" &&
    "serviceWorker" in navigator &&
    (location.pathname === SELLER_SCOPE || location.pathname.startsWith(`${SELLER_SCOPE}/`))
  );
}

function whenIdle(run: () => void): () => void {
  if (typeof window.requestIdleCallback === "function") {
    const id = window.requestIdleCallback(run, { timeout: 5000 });
    return () => window.cancelIdleCallback(id);
  }
  const id = window.setTimeout(run, 2000);
  return () => window.clearTimeout(id);
}

/** Sends a message to a worker and waits for its answer on a channel of its own. */
function ask<T>(worker: ServiceWorker, message: WorkerMessage): Promise<T> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data as T);
    worker.postMessage(message, [channel.port2]);
  });
}

function lastSync(userId: string): number {
  try {
    const stored = JSON.parse(localStorage.getItem(SYNC_KEY) ?? "null") as { userId: string; at: number } | null;
    return stored?.userId === userId ? stored.at : 0;
  } catch {
    return 0;
  }
}

/**
 * Registers /seller-sw.js (scope /seller) when the page is idle; returns a
 * function that stops what has not started yet. Does nothing in development,
 * without service workers, or outside the farmer's own pages (an officer's
 * /officer/h/… pages are never the app's).
 */
export function registerSellerApp({
  userId,
  canTakeOver = queueIsIdle,
  onUpdated,
  onSynced,
}: RegisterOptions): () => void {
  if (!sellerAppAvailable()) return () => {};
  let stopped = false;
  const timers: number[] = [];
  const container = navigator.serviceWorker;
  let controlled = !!container.controller;

  const onControllerChange = () => {
    // The first install claims the page: nothing new for the farmer. A later version is.
    if (controlled && !stopped) onUpdated?.();
    controlled = true;
  };
  container.addEventListener("controllerchange", onControllerChange);

  const unwatch: (() => void)[] = [];
  const offerTakeOver = async (waiting: ServiceWorker) => {
    if (stopped || !container.controller) return;
    if (await canTakeOver().catch(() => false)) {
      return waiting.postMessage({ type: "SKIP_WAITING" } satisfies WorkerMessage);
    }
    // Asked again soon after the queue next changes (its last item sent, the sender's lock let go), or in a while.
    let asked = false;
    const again = () => {
      if (asked) return;
      asked = true;
      stopWatching();
      void offerTakeOver(waiting);
    };
    const stopWatching = onQueueChange(() => timers.push(window.setTimeout(again, QUEUE_SETTLE_MS)));
    unwatch.push(stopWatching);
    timers.push(window.setTimeout(again, TAKE_OVER_RETRY_MS));
  };

  const start = async () => {
    const registration = await container.register(SELLER_WORKER, { scope: SELLER_SCOPE });
    if (registration.waiting) void offerTakeOver(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const installing = registration.installing;
      installing?.addEventListener("statechange", () => {
        if (installing.state === "installed") void offerTakeOver(installing);
      });
    });
    const ready = await container.ready;
    const active = ready.active;
    if (!active || stopped) return;
    await ask(active, { type: "user", userId });
    if (Date.now() - lastSync(userId) < SYNC_INTERVAL_MS || !navigator.onLine) return;
    const result = await ask<SyncResult>(active, { type: "sync", userId });
    if (result.ok) localStorage.setItem(SYNC_KEY, JSON.stringify({ userId, at: Date.now() }));
    document.documentElement.dataset.offlineSynced = result.at;
    onSynced?.(result);
  };
  const cancelIdle = whenIdle(() => {
    // Blocked (a test browser, a private window) or offline before the first install: the page works as before.
    start().catch(() => {});
  });
  return () => {
    stopped = true;
    cancelIdle();
    timers.forEach((t) => window.clearTimeout(t));
    unwatch.forEach((stop) => stop());
    container.removeEventListener("controllerchange", onControllerChange);
  };
}

/**
 * Every seller page tells the worker that controls it whose page it is: a
 * different user than the one its copies belong to, and they are deleted
 * before anything else (a shared phone, a session that ran out).
 */
export function tellWorkerTheUser(userId: string) {
  if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.controller?.postMessage({ type: "user", userId } satisfies WorkerMessage);
}
