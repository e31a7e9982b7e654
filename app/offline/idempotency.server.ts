/**
 * "Sent exactly once" (ADR 030): the phone's queue replays a farmer's form
 * POST until it hears an answer, so the server must do it once however many
 * times it arrives, and give every replay the first answer.
 *
 * `withIdempotency` runs around Remix (entry.server.tsx, outside the
 * officers' audit trail, so a replay records nothing). For a state change
 * with an `Idempotency-Key` from a signed-in user:
 * - a malformed key → 400; `X-Queued-For` naming another user → 403, nothing done;
 * - the key is claimed (a row in idempotency_keys, INSERT … ON CONFLICT DO
 *   NOTHING) and the request runs; its answer (status, headers but cookies,
 *   body up to ANSWER_BODY_MAX) is kept on the row;
 * - the key was already there: another user's → 403; another method, path or
 *   body → 422; still running → waited for (up to `waitMs`), else 409 with
 *   Retry-After and `X-Refusal: offline:in_progress`; done → its answer again,
 *   with `Idempotent-Replayed: true`;
 * - a first run that throws or answers ≥ 500 releases the key: a retry does it.
 * Without a signed-in user the key is ignored and the route answers as usual
 * (/login), so the phone learns it was signed out.
 *
 * The body is hashed as it passes to the route (sha256 of the content type
 * and the bytes), never buffered whole: a request with photos is a stream.
 * Logs carry the key and user id only.
 */
import { createHash } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import { idempotencyKeys } from "#db/schema";
import type { Database } from "#db/client";
import { DONE_AT_HEADER, IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_HEADER, QUEUED_FOR_HEADER, REPLAYED_HEADER } from "./index";
import { refusalResponse, Refusal } from "~/http/index.server";
import { logger } from "~/utils/logger.server";
import { RefusalError } from "~/utils/refusal";

/** The most answer body kept for replays; a bigger answer keeps its status and headers only. */
export const ANSWER_BODY_MAX = 1024 * 1024;
/** How long a key is kept (job `offline.prune-idempotency`). */
export const IDEMPOTENCY_KEEP_DAYS = 30;
/** A key still "in progress" this long after it was claimed belongs to a run that died with its process. */
export const ABANDONED_AFTER_MS = 30 * 60 * 1000;
/** Seconds the phone waits before asking again about a key still in progress. */
const RETRY_AFTER_SECONDS = 2;
/** The phone's clock is believed within: a year back, a day ahead (anything else is a wrong clock). */
const DONE_AT_PAST_MS = 366 * 24 * 3600 * 1000;
const DONE_AT_FUTURE_MS = 24 * 3600 * 1000;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
/** Statuses whose Response cannot carry a body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

export type OfflineErrorCode =
  /** The Idempotency-Key is not 16–64 letters, digits, - or _. */
  | "bad_key"
  /** X-Queued-For names another user, or the key is another user's. */
  | "other_user"
  /** The key was used before for another method, path or body. */
  | "key_reused"
  /** The key's first request is still running. */
  | "in_progress";

const STATUS: Record<OfflineErrorCode, number> = { bad_key: 400, other_user: 403, key_reused: 422, in_progress: 409 };

/** A refused replay; messages under `offline:errors.*`. */
export class OfflineError extends RefusalError<OfflineErrorCode> {
  override name = "OfflineError";
  readonly namespace = "offline";

  get messageKey(): string {
    return `errors.${this.code}`;
  }

  override get httpStatus(): number {
    return STATUS[this.code];
  }

  override get headers(): Record<string, string> {
    return this.code === "in_progress" ? { "Retry-After": String(RETRY_AFTER_SECONDS) } : {};
  }
}

/** A refused replay as the queue reads it: status, X-Refusal, X-Refusal-Message, and a page or JSON. */
const offlineRefusal = (request: Request, code: OfflineErrorCode) => refusalResponse(request, new OfflineError(code));

/** X-Done-At as a time worth recording: ISO 8601 and within reason of the server's clock, else null. */
export function phoneTime(header: string | null, now = Date.now()): Date | null {
  if (!header || !ISO_TIME.test(header)) return null;
  const at = new Date(header);
  const ms = at.getTime();
  if (Number.isNaN(ms) || ms < now - DONE_AT_PAST_MS || ms > now + DONE_AT_FUTURE_MS) return null;
  return at;
}

/**
 * The request again, its body hashed as the route reads it. `digest()` reads
 * what the route left unread (bounded by the path's body limit) and gives the
 * hash, or null when the body could not be read to its end.
 */
function hashedRequest(request: Request): { request: Request; digest: () => Promise<string | null> } {
  const hash = createHash("sha256").update(`${request.headers.get("Content-Type") ?? ""}\n`);
  const source = request.body?.getReader();
  let state: "reading" | "done" | "failed" = source ? "reading" : "done";
  let result: string | null = source ? null : hash.digest("hex");
  // One read at a time: the route's and digest()'s.
  let queue: Promise<unknown> = Promise.resolve();
  const readOne = (): Promise<Uint8Array | null> => {
    const next = queue.then(async () => {
      if (state !== "reading") return null;
      try {
        const { done, value } = await source!.read();
        if (done) {
          state = "done";
          result = hash.digest("hex");
          return null;
        }
        hash.update(value);
        return value;
      } catch (error) {
        state = "failed";
        throw error;
      }
    });
    queue = next.catch(() => {});
    return next;
  };
  if (!source) return { request, digest: async () => result };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await readOne();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
    // A route that stops reading leaves the rest to digest().
    cancel() {},
  });
  const init: RequestInit & { duplex: "half" } = {
    method: request.method,
    headers: request.headers,
    body,
    signal: request.signal,
    duplex: "half",
  };
  return {
    request: new Request(request.url, init),
    digest: async () => {
      while (state === "reading") await readOne().catch(() => {});
      return result;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function release(db: Database, key: string) {
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, "in_progress")));
}

/** The first answer, kept on the key's row, and given back as it was (its body read at most ANSWER_BODY_MAX into memory). */
async function keepAnswer(db: Database, key: string, bodyHash: string, response: Response): Promise<Response> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let tooBig = false;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size > ANSWER_BODY_MAX) {
        tooBig = true;
        break;
      }
    }
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie" && name !== "content-length") headers[name] = value;
  });
  const kept = Buffer.concat(chunks);
  await db
    .update(idempotencyKeys)
    .set({
      state: "done",
      bodyHash,
      status: response.status,
      headers,
      body: tooBig || !reader ? null : kept.toString("base64"),
      completedAt: sql`now()`,
    })
    .where(eq(idempotencyKeys.key, key));
  if (tooBig)
    logger.warn({ key, bytes: size }, "idempotent answer too big to keep: replays get its status and headers");
  const init = { status: response.status, statusText: response.statusText, headers: response.headers };
  if (!reader || NULL_BODY.has(response.status)) return new Response(null, init);
  if (!tooBig) return new Response(kept, init);
  // What was read, then the rest as it comes.
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(kept);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(rest, init);
}

function replay(row: typeof idempotencyKeys.$inferSelect): Response {
  const headers = new Headers(row.headers ?? {});
  headers.set(REPLAYED_HEADER, "true");
  const status = row.status ?? 200;
  const body = row.body !== null && !NULL_BODY.has(status) ? Buffer.from(row.body, "base64") : null;
  return new Response(body, { status, headers });
}

export interface IdempotencyOptions {
  /**
   * The signed-in user of a request (app/auth's `getUser`, passed in by
   * entry.server.tsx: app/offline does not import app/auth, whose own imports
   * lead back to the listing form that queues through app/offline).
   */
  userOf: (request: Request) => Promise<{ id: string } | null>;
  /** How long a replay waits for the first request still running before answering 409. */
  waitMs?: number;
  pollMs?: number;
}

/**
 * Runs `run` once per Idempotency-Key (see the top of this file); `run` gets
 * the request to hand on (the same one, or one whose body is hashed as it is read).
 */
export async function withIdempotency(
  db: Database,
  request: Request,
  run: (request: Request) => Promise<Response>,
  { userOf, waitMs = 10_000, pollMs = 100 }: IdempotencyOptions,
): Promise<Response> {
  if (request.method === "GET" || request.method === "HEAD") return run(request);
  const key = request.headers.get(IDEMPOTENCY_KEY_HEADER);
  const queuedFor = request.headers.get(QUEUED_FOR_HEADER);
  if (key === null && queuedFor === null) return run(request);
  const user = await userOf(request);
  if (!user) return run(request);
  if (queuedFor !== null && queuedFor !== user.id) return offlineRefusal(request, "other_user");
  if (key === null) return run(request);
  if (!IDEMPOTENCY_KEY.test(key)) return offlineRefusal(request, "bad_key");

  const url = new URL(request.url);
  const method = request.method;
  const path = `${url.pathname}${url.search}`;
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ key, userId: user.id, method, path, doneAt: phoneTime(request.headers.get(DONE_AT_HEADER)) })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  const hashed = hashedRequest(request);

  if (claimed.length === 0) {
    return answerAgain(db, request, hashed.digest, { key, userId: user.id, method, path, waitMs, pollMs });
  }

  let response: Response;
  try {
    response = await run(hashed.request);
  } catch (error) {
    await release(db, key);
    throw error;
  }
  if (response.status >= 500) {
    await release(db, key);
    return response;
  }
  const bodyHash = await hashed.digest();
  if (bodyHash === null) {
    // The body broke off (the client went, or it was over the limit): nothing to compare a replay with.
    await release(db, key);
    return response;
  }
  try {
    return await keepAnswer(db, key, bodyHash, response);
  } catch (error) {
    await release(db, key);
    throw error;
  }
}

async function answerAgain(
  db: Database,
  request: Request,
  digest: () => Promise<string | null>,
  ask: { key: string; userId: string; method: string; path: string; waitMs: number; pollMs: number },
): Promise<Response> {
  const read = async () => (await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, ask.key)))[0];
  let row = await read();
  if (row && row.userId !== ask.userId) {
    logger.warn({ key: ask.key, userId: ask.userId }, "idempotency key of another user");
    return offlineRefusal(request, "other_user");
  }
  if (row && (row.method !== ask.method || row.path !== ask.path)) return offlineRefusal(request, "key_reused");
  const own = await digest();
  if (own === null) return refusalResponse(request, new Refusal("badRequest"));
  const deadline = Date.now() + ask.waitMs;
  for (;;) {
    // Released meanwhile (the first run failed): the phone's next try claims it.
    if (!row) return offlineRefusal(request, "in_progress");
    if (row.bodyHash !== null && row.bodyHash !== own) return offlineRefusal(request, "key_reused");
    if (row.state === "done") return replay(row);
    if (Date.now() - row.createdAt.getTime() > ABANDONED_AFTER_MS) {
      await release(db, ask.key);
      return offlineRefusal(request, "in_progress");
    }
    if (Date.now() >= deadline) return offlineRefusal(request, "in_progress");
    await sleep(ask.pollMs);
    row = await read();
  }
}

/** The daily clean-up (job `offline.prune-idempotency`): keys older than IDEMPOTENCY_KEEP_DAYS. Says how many went. */
export async function pruneIdempotencyKeys(db: Database, now = new Date()): Promise<{ keys: number }> {
  const before = new Date(now.getTime() - IDEMPOTENCY_KEEP_DAYS * 24 * 3600 * 1000);
  const gone = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, before))
    .returning({ key: idempotencyKeys.key });
  return { keys: gone.length };
}
