/**
 * What logout clears of the seller app on the phone, on its own (no IndexedDB
 * wrapper, no queue code): the account menu of every hydrated page imports it.
 */

/** The queue's IndexedDB database (app/offline/queue.ts opens it). */
export const QUEUE_DB = "ghs-offline";
/** When the pages to read offline were last fetched, and for whom (register.ts). */
export const SYNC_KEY = "ghs-offline-synced";

/**
 * Logout on a shared phone: the seller app's caches, the queue's database and
 * the worker go before the form is posted (the server's `Clear-Site-Data`
 * answer does it again where the browser honours it). Never waits more than
 * 2 seconds: signing out must not hang on storage.
 */
export async function clearOfflineData(): Promise<void> {
  const work = (async () => {
    const jobs: Promise<unknown>[] = [];
    if (typeof caches !== "undefined")
      jobs.push(caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))));
    if (typeof indexedDB !== "undefined")
      jobs.push(
        new Promise<void>((resolve) => {
          const request = indexedDB.deleteDatabase(QUEUE_DB);
          request.onsuccess = request.onerror = request.onblocked = () => resolve();
        }),
      );
    if (typeof navigator !== "undefined" && "serviceWorker" in navigator)
      jobs.push(navigator.serviceWorker.getRegistrations().then((all) => Promise.all(all.map((r) => r.unregister()))));
    try {
      localStorage.removeItem(SYNC_KEY);
    } catch {
      // Storage off: nothing was kept there either.
    }
    await Promise.allSettled(jobs);
  })();
  await Promise.race([work, new Promise((resolve) => setTimeout(resolve, 2000))]);
}
