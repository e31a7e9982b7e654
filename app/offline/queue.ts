/**
 * The phone's queue of things done without signal (IndexedDB through `idb`,
 * database `ghs-offline`, store `queue`). Browser-safe and DOM-free: the page
 * and the service worker both read and write it. Every change is announced on
 * the BroadcastChannel `ghs-queue`, so each open page (and the worker) sees it.
 *
 * An item is one form POST, stored already serialised (the body's bytes and
 * its Content-Type, multipart boundary included): every send of it is the
 * same request, byte for byte, with the same idempotency key.
 */
import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import { QUEUE_DB } from "./clear";

export { QUEUE_DB };

export const QUEUE_STORE = "queue";
export const QUEUE_CHANNEL = "ghs-queue";
/** The Web Lock every sender takes, and the Background Sync tag. */
export const QUEUE_LOCK = "ghs-queue";
export const QUEUE_SYNC_TAG = "ghs-queue";

export type QueueKind =
  "listing.create" | "listing.photo" | "listing.save" | "listing.status" | "order.advance" | "order.received";

/**
 * - waiting: to be sent (again); `notBefore` when the server asked to wait (429/503/409 Retry-After);
 * - sending: a sender has it in flight (a sender that died mid-way leaves it: it is sent again, same key);
 * - signed_out: the server sent the phone to /login; sent again once someone is signed in;
 * - refused: the server (or the queue) will not do it: shown with why until the farmer dismisses it.
 */
export type QueueState = "waiting" | "sending" | "refused" | "signed_out";

/** Why an item was refused, when the server's own words are not there. */
export type RefusalReason = "refused" | "dependency" | "other_user";

export interface QueueResult {
  status: number;
  reason: RefusalReason;
  /** The server's words (X-Refusal-Message, or a photo's JSON `error`), in the reader's language. */
  message?: string;
  /** Where the farmer sees what happened instead (the order, the listing). */
  href?: string;
}

export interface QueueItem {
  id?: number;
  /** The Idempotency-Key, made when the farmer acted. */
  key: string;
  userId: string;
  kind: QueueKind;
  /** What the farmer did, in their words at the time ("Xác nhận đơn ABCD-EFGH"). */
  label: string;
  url: string;
  method: "POST";
  contentType: string;
  body: Blob;
  accept?: string;
  /** When the farmer did it, by the phone's clock (ISO 8601). */
  doneAt: string;
  state: QueueState;
  attempts: number;
  /** Epoch ms before which it is not sent (the server's Retry-After). */
  notBefore: number;
  /** The key of an item that must land first (a new listing, for its photos). */
  dependsOn?: string;
  /** The page that shows what this item is about (the order, the listing). */
  href?: string;
  result?: QueueResult;
}

interface QueueDB extends DBSchema {
  queue: { key: number; value: QueueItem; indexes: { key: string } };
}

/** `done`: landed and left the queue; `refused`: settled, not done (both change what the pages show). */
export type QueueMessage = { type: "changed" } | { type: "done" | "refused"; key: string; kind: QueueKind };

let opened: Promise<IDBPDatabase<QueueDB>> | null = null;

function database() {
  opened ??= openDB<QueueDB>(QUEUE_DB, 1, {
    upgrade(db) {
      const store = db.createObjectStore(QUEUE_STORE, { keyPath: "id", autoIncrement: true });
      store.createIndex("key", "key", { unique: true });
    },
    // Another tab (or logout's clearing) deletes the database: let it, and open afresh next time.
    blocking() {
      void opened?.then((db) => db.close());
      opened = null;
    },
    terminated() {
      opened = null;
    },
  });
  return opened;
}

/** Tells every page and the worker that the queue changed. */
export function announce(message: QueueMessage = { type: "changed" }) {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(QUEUE_CHANNEL);
  channel.postMessage(message);
  channel.close();
}

/** Calls `listener` on every change announced by any page or the worker (also this one); returns the unsubscribe. */
export function onQueueChange(listener: (message: QueueMessage) => void): () => void {
  if (typeof BroadcastChannel === "undefined") return () => {};
  const channel = new BroadcastChannel(QUEUE_CHANNEL);
  channel.onmessage = (event: MessageEvent<QueueMessage>) => listener(event.data);
  const local = (event: Event) => listener((event as CustomEvent<QueueMessage>).detail);
  // A BroadcastChannel does not echo to its own context: the same page hears its own changes this way.
  localTarget.addEventListener("message", local);
  return () => {
    channel.close();
    localTarget.removeEventListener("message", local);
  };
}

const localTarget = new EventTarget();
function changed(message: QueueMessage = { type: "changed" }) {
  announce(message);
  localTarget.dispatchEvent(new CustomEvent("message", { detail: message }));
}

export type NewQueueItem = Omit<QueueItem, "id" | "state" | "attempts" | "notBefore" | "result">;

/** Adds items in this order, in one transaction (a listing and its photos go in together or not at all). */
export async function enqueue(...items: NewQueueItem[]): Promise<void> {
  const db = await database();
  const tx = db.transaction(QUEUE_STORE, "readwrite");
  for (const item of items) await tx.store.add({ ...item, state: "waiting", attempts: 0, notBefore: 0 });
  await tx.done;
  changed();
}

/** Every item, oldest first (the order they are sent in). */
export async function listQueue(): Promise<QueueItem[]> {
  return (await database()).getAll(QUEUE_STORE);
}

export async function getQueueItem(id: number): Promise<QueueItem | undefined> {
  return (await database()).get(QUEUE_STORE, id);
}

export async function updateQueueItem(
  id: number,
  change: Partial<Omit<QueueItem, "id" | "key">>,
  message: QueueMessage = { type: "changed" },
): Promise<void> {
  const db = await database();
  const tx = db.transaction(QUEUE_STORE, "readwrite");
  const item = await tx.store.get(id);
  if (item) await tx.store.put({ ...item, ...change });
  await tx.done;
  changed(message);
}

/** Takes an item out: it landed (`done`), or the farmer dismissed it. */
export async function removeQueueItem(id: number, done?: { key: string; kind: QueueKind }): Promise<void> {
  await (await database()).delete(QUEUE_STORE, id);
  changed(done ? { type: "done", ...done } : { type: "changed" });
}

/** The farmer read why a refused item was not done: it leaves the list. Only refused items can be dismissed. */
export async function dismissQueueItem(id: number): Promise<void> {
  const item = await getQueueItem(id);
  if (item?.state === "refused") await removeQueueItem(id);
}

/** Empties the queue on this phone (logout: the next person must not send, or see, what this one did). */
export async function clearQueue(): Promise<void> {
  await (await database()).clear(QUEUE_STORE);
  changed();
}

/** What the sender needs of the queue (IndexedDB here; a test may hand it a plain list). */
export interface QueueStore {
  list(): Promise<QueueItem[]>;
  update(id: number, change: Partial<Omit<QueueItem, "id" | "key">>, message?: QueueMessage): Promise<void>;
  remove(id: number, done?: { key: string; kind: QueueKind }): Promise<void>;
}

export const idbQueueStore: QueueStore = { list: listQueue, update: updateQueueItem, remove: removeQueueItem };

/** States that still mean "will be sent". */
export const PENDING_STATES: readonly QueueState[] = ["waiting", "sending", "signed_out"];

/**
 * Nothing is being sent or waits to be: a new service worker may take over
 * (the worker update waits for this; refused items wait only for the farmer).
 */
export async function queueIsIdle(): Promise<boolean> {
  if (typeof indexedDB === "undefined") return true;
  const items = await listQueue();
  if (items.some((item) => PENDING_STATES.includes(item.state))) return false;
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  if (!locks) return true;
  const { held = [] } = await locks.query();
  return !held.some((lock) => lock.name === QUEUE_LOCK);
}
