/**
 * The service worker's Background Sync: the page asks for a `ghs-queue` sync
 * after each enqueue (where the browser has Background Sync); the browser
 * fires it once there is signal, even with the page closed, and the worker
 * sends the queue with the same sender the page uses (one at a time, under
 * the queue's Web Lock). The worker (app/offline/sw/worker.ts) calls
 * `listenForQueueSync` (a call, not a bare import: package.json says our
 * modules have no side effects, and the bundler drops such an import).
 */
import { QUEUE_SYNC_TAG } from "../queue";
import { sendQueue } from "../sender";

interface SyncEvent extends Event {
  readonly tag: string;
  waitUntil(promise: Promise<unknown>): void;
}

/** The browser tries a rejected sync again later: reject while work is left that signal may let through. */
export async function syncQueue(): Promise<void> {
  const summary = await sendQueue();
  if (summary.stop === "network" || summary.stop === "offline" || summary.stop === "wait") {
    throw new Error(`queue not sent yet: ${summary.stop}`);
  }
}

export function listenForQueueSync(worker: EventTarget) {
  worker.addEventListener("sync", (event) => {
    const sync = event as SyncEvent;
    if (sync.tag === QUEUE_SYNC_TAG) sync.waitUntil(syncQueue());
  });
}
