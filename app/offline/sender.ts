/**
 * Sends the queue's waiting items in order, one at a time, under the Web Lock
 * `ghs-queue`: the page (on load, on `online`, "Gửi ngay") and the service
 * worker (Background Sync) may all start a sender, and only one sends at a
 * time; the others wait, then find nothing left to do. DOM-free: runs in a
 * window and in a worker alike.
 *
 * How an answer is read (the wire protocol, docs/decisions/030-*):
 * - redirected to a page other than /login, or 2xx → done: the item leaves the queue;
 * - redirected to /login → signed out: stop, keep it (sent when someone signs in again);
 * - 409 with `X-Refusal: offline:in_progress` → another sender has it in flight: try again after Retry-After;
 * - 429 / 503 → wait Retry-After seconds: stop;
 * - any other 4xx → refused: kept, with the server's words (X-Refusal-Message, a photo's JSON
 *   `error`), until the farmer dismisses it; the items that depend on it are refused too;
 * - network error / other 5xx → stop, try later (same key: the server does it at most once).
 */
import { REFUSAL_CODE_HEADER, REFUSAL_MESSAGE_HEADER } from "~/utils/refusal";
import { DONE_AT_HEADER, IDEMPOTENCY_KEY_HEADER, QUEUED_FOR_HEADER } from "./index";
import { idbQueueStore, PENDING_STATES, QUEUE_LOCK, type QueueItem, type QueueResult, type QueueStore } from "./queue";

export type SendStop =
  /** Nothing left to send. */
  | "empty"
  | "offline"
  | "signed_out"
  /** The server asked to wait (`retryAt`). */
  | "wait"
  /** No answer, or a server error: try later. */
  | "network";

export interface SendSummary {
  sent: number;
  refused: number;
  stop: SendStop;
  /** Epoch ms when sending may start again (stop = "wait"). */
  retryAt?: number;
}

export interface SendOptions {
  /**
   * The signed-in user, where the page knows it: items of another user are
   * never sent but refused ("other_user"). The worker does not know: the
   * server refuses an item queued for someone else (X-Queued-For).
   */
  userId?: string | null;
  fetch?: typeof fetch;
  /** The phone's IndexedDB queue unless given. */
  store?: QueueStore;
  /** Waits between tries of an item another sender has in flight (409); the tests shorten it. */
  sleep?: (ms: number) => Promise<void>;
}

const IN_PROGRESS = "offline:in_progress";
/** How often an item another sender holds (409) is tried again before this sender gives up for now. */
const IN_PROGRESS_TRIES = 5;
const DEFAULT_WAIT_SECONDS = 30;

/** Runs `task` holding the queue's lock (a promise chain where the browser has no Web Locks). */
function withQueueLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  if (locks) return locks.request(QUEUE_LOCK, task) as Promise<T>;
  const run = fallbackChain.then(task, task);
  fallbackChain = run.catch(() => undefined);
  return run;
}
let fallbackChain: Promise<unknown> = Promise.resolve();

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function retryAfterMs(response: Response): number {
  const header = response.headers.get("Retry-After");
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(header);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return DEFAULT_WAIT_SECONDS * 1000;
}

function decodeMessage(header: string | null): string | undefined {
  if (!header) return undefined;
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}

async function refusalOf(item: QueueItem, response: Response): Promise<QueueResult> {
  let message = decodeMessage(response.headers.get(REFUSAL_MESSAGE_HEADER));
  if (!message && (response.headers.get("Content-Type") ?? "").includes("application/json")) {
    try {
      const body = (await response.json()) as { error?: unknown };
      if (typeof body.error === "string" && body.error) message = body.error;
    } catch {
      /* not the JSON it said */
    }
  }
  return { status: response.status, reason: "refused", message, href: item.href };
}

type Outcome =
  | { kind: "done" }
  | { kind: "refused"; result: QueueResult }
  | { kind: "signed_out" }
  | { kind: "in_progress"; waitMs: number }
  | { kind: "wait"; waitMs: number }
  | { kind: "network" };

async function sendOne(item: QueueItem, doFetch: typeof fetch): Promise<Outcome> {
  const headers = new Headers({
    "Content-Type": item.contentType,
    [IDEMPOTENCY_KEY_HEADER]: item.key,
    [QUEUED_FOR_HEADER]: item.userId,
    [DONE_AT_HEADER]: item.doneAt,
  });
  if (item.accept) headers.set("Accept", item.accept);
  let response: Response;
  try {
    response = await doFetch(item.url, {
      method: item.method,
      body: item.body,
      headers,
      redirect: "follow",
      credentials: "same-origin",
    });
  } catch {
    return { kind: "network" };
  }
  if (response.redirected) {
    const landed = new URL(response.url);
    void response.body?.cancel();
    return landed.pathname === "/login" ? { kind: "signed_out" } : { kind: "done" };
  }
  const { status } = response;
  if (status >= 200 && status < 300) {
    void response.body?.cancel();
    return { kind: "done" };
  }
  if (status === 409 && response.headers.get(REFUSAL_CODE_HEADER) === IN_PROGRESS) {
    void response.body?.cancel();
    return { kind: "in_progress", waitMs: retryAfterMs(response) };
  }
  if (status === 429 || status === 503) {
    void response.body?.cancel();
    return { kind: "wait", waitMs: retryAfterMs(response) };
  }
  if (status >= 400 && status < 500) return { kind: "refused", result: await refusalOf(item, response) };
  void response.body?.cancel();
  return { kind: "network" };
}

/** Sends what waits, oldest first; see the file's comment for what each answer does. */
export function sendQueue(options: SendOptions = {}): Promise<SendSummary> {
  return withQueueLock(() => sendAll(options));
}

async function sendAll({
  userId,
  fetch: doFetch = fetch,
  sleep = sleepFor,
  store = idbQueueStore,
}: SendOptions): Promise<SendSummary> {
  const summary: SendSummary = { sent: 0, refused: 0, stop: "empty" };
  const refusedKeys = new Set<string>();
  const items = await store.list();
  for (const item of items) if (item.state === "refused") refusedKeys.add(item.key);

  for (const item of items) {
    if (!PENDING_STATES.includes(item.state) || item.id === undefined) continue;
    const id = item.id;
    const refuse = async (result: QueueResult) => {
      await store.update(id, { state: "refused", result }, { type: "refused", key: item.key, kind: item.kind });
      refusedKeys.add(item.key);
      summary.refused++;
    };
    if (userId && item.userId !== userId) {
      // Someone else's work on a shared phone: never sent under this session.
      await refuse({ status: 0, reason: "other_user", href: item.href });
      continue;
    }
    if (item.dependsOn && refusedKeys.has(item.dependsOn)) {
      await refuse({ status: 0, reason: "dependency", href: item.href });
      continue;
    }
    if (item.notBefore > Date.now()) return { ...summary, stop: "wait", retryAt: item.notBefore };
    if (typeof navigator !== "undefined" && navigator.onLine === false) return { ...summary, stop: "offline" };

    for (let tries = 1; ; tries++) {
      await store.update(id, { state: "sending", attempts: item.attempts + tries });
      const outcome = await sendOne(item, doFetch);
      if (outcome.kind === "done") {
        await store.remove(id, { key: item.key, kind: item.kind });
        summary.sent++;
        break;
      }
      if (outcome.kind === "refused") {
        await refuse(outcome.result);
        break;
      }
      if (outcome.kind === "signed_out") {
        await store.update(id, { state: "signed_out" });
        return { ...summary, stop: "signed_out" };
      }
      if (outcome.kind === "network") {
        await store.update(id, { state: "waiting" });
        return { ...summary, stop: "network" };
      }
      const retryAt = Date.now() + outcome.waitMs;
      if (outcome.kind === "wait" || tries >= IN_PROGRESS_TRIES) {
        await store.update(id, { state: "waiting", notBefore: retryAt });
        return { ...summary, stop: "wait", retryAt };
      }
      // Another sender (an older tab, a worker that lost the lock's race) has this key in flight: its answer is ours.
      await store.update(id, { state: "waiting" });
      await sleep(outcome.waitMs);
    }
  }
  return summary;
}
