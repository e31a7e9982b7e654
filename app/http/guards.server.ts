/**
 * What every request passes before Remix sees it, in the order a refusal is
 * cheapest: an address that cannot be read (400), then for a state change
 * (any method but GET/HEAD) the cross-site check (403), the kind of body
 * (415), its declared size (413), the per-IP rate limit (429) — all before
 * one byte of the body is read — and then the body itself, read within the
 * path's limit (413 the moment it goes over). Route policies say what each
 * path allows (route-policies.server.ts).
 *
 * A refusal before the body is read ends the connection with the answer, so
 * a 300 MB upload to /login costs a header's worth of memory, not 300 MB.
 */
import { Transform, type Readable } from "node:stream";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { countHit } from "./rate-limits.server";
import { Refusal } from "./refusal";
import { refusalResponse } from "./responses.server";
import { policyFor, type BodyKind, type RoutePolicy } from "./route-policies.server";
import { env } from "~/utils/env.server";

/** What the guards leave for the Remix adapter: the body, read (small) or limited (uploads). */
export type GuardedBody = Buffer | Readable | undefined;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      guardedBody?: GuardedBody;
    }
  }
}

/** Bodies up to this size are read whole here (and checked); larger ones stream to the route. */
const READ_WHOLE_UP_TO = 1024 * 1024;

const isStateChange = (method: string) => method !== "GET" && method !== "HEAD";

/** The origin this deployment is reached at: PUBLIC_URL when set, else the host as seen through TRUST_PROXY. */
export function deploymentOrigin(req: ExpressRequest): string {
  const publicUrl = env().PUBLIC_URL;
  if (publicUrl) return new URL(publicUrl).origin;
  const forwarded = env().TRUST_PROXY > 0 ? req.get("X-Forwarded-Host")?.split(",")[0]?.trim() : undefined;
  return `${req.protocol}://${forwarded || req.get("Host")}`;
}

/**
 * Is this state change from another site? Sec-Fetch-Site when the browser
 * sends it, else Origin, else Referer. A request with none of the three is
 * not from a browser page (curl, a script, a test) and passes: the session
 * cookie is SameSite=Lax, and no browser sends a cross-site form without at
 * least one of them (ADR 014).
 */
export function isCrossSite(headers: Record<string, string | string[] | undefined>, origin: string): boolean {
  const one = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const site = one("sec-fetch-site");
  if (site) return site !== "same-origin" && site !== "none";
  const from = one("origin");
  if (from) return from !== origin;
  const referer = one("referer");
  if (referer) {
    try {
      return new URL(referer).origin !== origin;
    } catch {
      return true;
    }
  }
  return false;
}

/** The body's kind from its Content-Type, or a refusal. */
function bodyKind(contentType: string | undefined): BodyKind | Refusal {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") return "form";
  if (type === "multipart/form-data")
    return /;\s*boundary=("?)[^";]+\1/i.test(contentType ?? "") ? "multipart" : new Refusal("badRequest");
  if (type === "application/json") return "json";
  return new Refusal("unsupportedType");
}

function hasBody(req: ExpressRequest) {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

/** `%00` or a bad escape in the path or query: PostgreSQL cannot store a NUL, and Remix cannot route a bad escape. */
function unreadableUrl(url: string): boolean {
  if (/%00|\0/i.test(url)) return true;
  try {
    decodeURIComponent(url.split("?")[0]);
    return false;
  } catch {
    return true;
  }
}

/** A form body holding a NUL, raw or escaped. */
function formHoldsNul(body: Buffer): boolean {
  return body.includes(0) || /%00/i.test(body.toString("latin1"));
}

/** How long a connection that was refused mid-body may still send, discarded, before it is cut. */
const LINGER_MS = 2_000;

/**
 * Ends the connection after the answer without losing the answer. Node ends
 * a `Connection: close` answer by destroying the socket as soon as it is
 * written: while the client is still sending its body, that is a reset, and
 * a reset can make the client drop the answer it had not read yet (a 413
 * becomes "connection reset"). Instead, as nginx's lingering close does: send
 * the answer, close our side, discard what still arrives, and cut the
 * connection after LINGER_MS if the client has not closed it by then.
 */
function closeAfterAnswer(req: ExpressRequest) {
  const socket = req.socket;
  socket.destroySoon = () => {
    socket.end();
    req.resume();
    const cut = setTimeout(() => socket.destroy(), LINGER_MS);
    cut.unref();
    socket.once("close", () => clearTimeout(cut));
  };
}

/** Sends the refusal's page and, when the body was not read, ends the connection after it. */
async function refuse(req: ExpressRequest, res: ExpressResponse, refusal: Refusal, bodyUnread: boolean) {
  const close = bodyUnread && hasBody(req);
  const response = await refusalResponse(fetchRequestOf(req), refusal, { close });
  if (res.headersSent) return;
  res.status(response.status);
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
  if (close) closeAfterAnswer(req);
}

/** Just enough of a Fetch Request for the language and Accept of a refusal page. */
function fetchRequestOf(req: ExpressRequest): Request {
  const headers = new Headers();
  for (const name of ["cookie", "accept-language", "accept"]) {
    const value = req.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  return new Request(`http://localhost${req.originalUrl.split("?")[0].replace(/[^\x21-\x7e]/g, "")}`, { headers });
}

/** Reads the whole body within `max` bytes; null (and a 413 sent) when it is larger. */
function readWhole(req: ExpressRequest, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off("data", onData);
        req.pause();
        resolve(null);
      } else chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(size > max ? null : Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

/** The body as a stream that fails, and answers 413, the moment it goes over `max` bytes. */
function limitedStream(req: ExpressRequest, res: ExpressResponse, max: number): Readable {
  let size = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size <= max) return done(null, chunk);
      req.unpipe(limiter);
      void refuse(req, res, new Refusal("tooLarge"), true);
      done(new Refusal("tooLarge"));
    },
  });
  req.once("error", (error) => limiter.destroy(error));
  return req.pipe(limiter);
}

async function guardStateChange(req: ExpressRequest, res: ExpressResponse, policy: RoutePolicy): Promise<boolean> {
  if (policy.crossSite === "check" && isCrossSite(req.headers, deploymentOrigin(req))) {
    await refuse(req, res, new Refusal("crossSite"), true);
    return false;
  }
  if (hasBody(req)) {
    const kind = bodyKind(req.get("Content-Type"));
    if (kind instanceof Refusal || !policy.accepts.includes(kind)) {
      await refuse(req, res, kind instanceof Refusal ? kind : new Refusal("unsupportedType"), true);
      return false;
    }
    if (Number(req.headers["content-length"] ?? 0) > policy.maxBodyBytes) {
      await refuse(req, res, new Refusal("tooLarge"), true);
      return false;
    }
  }
  if (policy.ipLimit) {
    const limited = await countHit(policy.ipLimit, req.ip ?? "unknown");
    if (!limited.allowed) {
      await refuse(req, res, new Refusal("tooMany", limited.retryAfterSeconds), true);
      return false;
    }
  }
  if (!hasBody(req)) return true;
  if (policy.maxBodyBytes > READ_WHOLE_UP_TO) {
    res.locals.guardedBody = limitedStream(req, res, policy.maxBodyBytes);
    return true;
  }
  const body = await readWhole(req, policy.maxBodyBytes);
  if (body === null) {
    await refuse(req, res, new Refusal("tooLarge"), true);
    return false;
  }
  if (bodyKind(req.get("Content-Type")) === "form" && formHoldsNul(body)) {
    await refuse(req, res, new Refusal("badRequest"), false);
    return false;
  }
  res.locals.guardedBody = body;
  return true;
}

/** The guards as one Express middleware. */
export async function guardRequest(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
  try {
    if (unreadableUrl(req.originalUrl)) return await refuse(req, res, new Refusal("badRequest"), true);
    if (!isStateChange(req.method)) return next();
    if (await guardStateChange(req, res, policyFor(req.path))) next();
  } catch (error) {
    next(error);
  }
}
