/**
 * The HTTP server in front of Remix, as one Express app: request ids and
 * access logs, the security headers, compression, static files, the guards
 * (bad addresses, cross-site state changes, body kinds and limits, per-IP
 * limits) and then Remix, fed the body the guards read, or a public page
 * kept for visitors without cookies (kept-pages.server.ts). server.js only
 * imports the build, calls `createApp` and listens; tests call it with a
 * build of their own (tests/http) and go through the same server.
 */
import { randomUUID } from "node:crypto";
import { type Readable } from "node:stream";
import {
  createReadableStreamFromReadable,
  createRequestHandler,
  type AppLoadContext,
  type HeadersFunction,
  type ServerBuild,
} from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request as ExpressRequest, type Response as ExpressResponse } from "express";
import { guardRequest } from "./guards.server";
import { chooseEncoding, KeptPages, type KeptPage } from "./kept-pages.server";
import { securityHeaders } from "./headers.server";
import { sweepStaleUploads } from "./uploads.server";
import { i18nInstance } from "~/i18n/index.server";
import type { AppContext } from "~/utils/context.server";
import { env } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      requestId?: string;
      logger?: typeof logger;
    }
  }
}

export interface AppOptions {
  /** The server build, or a getter for the newest one (development rebuilds). */
  build: ServerBuild | (() => ServerBuild);
  mode?: string;
  /** Where public/ is (tests run elsewhere). */
  publicDir?: string;
  /** The public pages kept for anonymous visitors (tests bring their own to look into it). */
  keptPages?: KeptPages;
  /**
   * Runs around every request Remix answers (entry.server.tsx passes the
   * seller app's replays, done once per key, and the officers' audit trail,
   * which records what an officer's change did). `run` takes the request to
   * hand on when it is not the one given (a body read through a hash).
   */
  around?: (request: Request, requestId: string, run: (request?: Request) => Promise<Response>) => Promise<Response>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

function requestLog(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
  const incoming = req.get("X-Request-Id");
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = requestId;
  res.locals.logger = logger.child({ requestId });
  res.setHeader("X-Request-Id", requestId);
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    if (req.path.startsWith("/build/")) return;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // The path only: queries carry phone numbers (/login/code?phone=) and feed tokens.
    res.locals.logger!.info(
      { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 },
      "request",
    );
  });
  next();
}

function headersOf(req: ExpressRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

async function send(res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  // A route's own header wins over the same header set by the layers above.
  for (const name of new Set(response.headers.keys())) if (name !== "set-cookie") res.removeHeader(name);
  for (const [name, value] of response.headers) res.append(name, value);
  if (response.body) await writeBody(response.body, res);
  else res.end();
}

/**
 * A body written as fast as the client takes it: when the socket (or the
 * compressor in front of it) is full, the next piece is not read until it
 * drains, so a streamed feed read from the database batch by batch is never
 * piled up in memory for a slow client. Each piece is flushed through
 * compression as it comes. A client that goes away cancels the body.
 */
async function writeBody(body: ReadableStream<Uint8Array>, res: ExpressResponse) {
  const reader = body.getReader();
  let wake: (() => void) | null = null;
  const resume = () => {
    wake?.();
    wake = null;
  };
  // One listener each for the whole body: compression() hands "drain" listeners to its own stream,
  // where removing them again is not possible.
  res.on("drain", resume);
  res.on("close", resume);
  try {
    for (;;) {
      if (res.destroyed) return void (await reader.cancel());
      const { done, value } = await reader.read();
      if (done) return void res.end();
      const roomLeft = res.write(value);
      (res as ExpressResponse & { flush?: () => void }).flush?.();
      if (!roomLeft && !res.destroyed) await new Promise<void>((resolve) => (wake = resolve));
    }
  } catch (error) {
    res.destroy(error as Error);
    throw error;
  } finally {
    res.off("close", resume);
    reader.releaseLock();
  }
}

/** The address Remix sees: through TRUST_PROXY, the host the visitor asked for. */
function remixUrl(req: ExpressRequest): URL {
  const forwardedHost = env().TRUST_PROXY > 0 ? req.get("X-Forwarded-Host")?.split(",")[0]?.trim() : undefined;
  return new URL(`${req.protocol}://${forwardedHost || req.get("Host") || "localhost"}${req.originalUrl}`);
}

/** The Fetch Request Remix reads: Express's URL and headers, and the body the guards left. */
function remixRequest(req: ExpressRequest, res: ExpressResponse, url = remixUrl(req)): Request {
  let controller: AbortController | null = new AbortController();
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  const headers = headersOf(req);
  // The guards made the one cross-site check (Sec-Fetch-Site, Origin, Referer against this
  // deployment's origin). Remix's own compares Origin with Host only, and answers a proxy
  // that rewrites Host, or a PUBLIC_URL, with a 500: it has nothing left to add.
  headers.delete("origin");
  const init: RequestInit & { duplex?: "half" } = {
    method: req.method,
    headers,
    signal: controller.signal,
  };
  const body = res.locals.guardedBody;
  if (req.method !== "GET" && req.method !== "HEAD" && body !== undefined) {
    if (Buffer.isBuffer(body)) init.body = new Uint8Array(body);
    else {
      init.body = createReadableStreamFromReadable(body as Readable);
      init.duplex = "half";
    }
  }
  return new Request(url.href, init);
}

/**
 * What a route's loader and action say in their headers reaches the page: a
 * cart's `Cache-Control: private, no-store`, a refusal's `Retry-After`.
 * Remix keeps only their cookies unless the route exports `headers`; routes
 * that do not get this one (parent's headers, then the route's own).
 */
export const passRouteHeaders: HeadersFunction = ({ parentHeaders, loaderHeaders, actionHeaders, errorHeaders }) => {
  const headers = new Headers(parentHeaders);
  for (const own of [loaderHeaders, actionHeaders, errorHeaders]) {
    own?.forEach((value, name) => {
      if (name !== "set-cookie") headers.set(name, value);
    });
  }
  return headers;
};

function withRouteHeaders(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    routes[id] = route.module.headers ? route : { ...route, module: { ...route.module, headers: passRouteHeaders } };
  }
  return { ...build, routes };
}

/** A kept page (kept-pages.server.ts), in the encoding the visitor takes, under this response's own headers. */
function sendKept(req: ExpressRequest, res: ExpressResponse, pages: KeptPages, key: string, page: KeptPage) {
  res.status(page.status);
  for (const [name, value] of page.headers) res.setHeader(name, value);
  if (page.nonce) {
    // Script tags with a nonce: this response's own in them, compressed by compression() as any page.
    return void res.end(pages.withNonce(page, res.locals.cspNonce ?? ""));
  }
  const encoding = chooseEncoding(req.get("Accept-Encoding"));
  const body = pages.body(key, page, encoding);
  // compression() leaves an encoded body alone and adds Vary: Accept-Encoding.
  if (encoding !== "identity") res.setHeader("Content-Encoding", encoding);
  res.setHeader("Content-Length", body.length);
  res.end(body);
}

function remixHandler(options: AppOptions) {
  const handlers = new WeakMap<ServerBuild, ReturnType<typeof createRequestHandler>>();
  const mode = options.mode ?? env().NODE_ENV;
  const kept = options.keptPages ?? new KeptPages();
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      const build = typeof options.build === "function" ? options.build() : options.build;
      let handle = handlers.get(build);
      if (!handle) handlers.set(build, (handle = createRequestHandler(withRouteHeaders(build), mode)));
      const url = remixUrl(req);
      // Development rebuilds change pages without a write: keep nothing there.
      const key = typeof options.build === "function" ? null : kept.keyFor(req, url.href);
      const keptPage = key ? kept.lookup(key) : undefined;
      if (key && keptPage) return sendKept(req, res, kept, key, keptPage);
      const writesBefore = key ? kept.writeCount() : null;
      const context: AppContext = {
        requestId: res.locals.requestId!,
        logger: res.locals.logger!,
        clientIp: req.ip ?? "unknown",
        cspNonce: res.locals.cspNonce ?? "",
      };
      const request = remixRequest(req, res, url);
      const run = (handed = request) => handle(handed, context as unknown as AppLoadContext);
      const response = options.around ? await options.around(request, context.requestId, run) : await run();
      // A body over its limit was already answered with 413 (guards.server.ts).
      if (res.headersSent || res.destroyed) return;
      if (key && writesBefore !== null && response.status === 200 && response.body) {
        const body = Buffer.from(await response.arrayBuffer());
        kept.keep(key, writesBefore, response, body, context.cspNonce);
        return await send(res, new Response(body, response));
      }
      await send(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/** The last resort: an error no route handled. Logged (without personal data), answered 500. */
function serverError(error: unknown, req: ExpressRequest, res: ExpressResponse, _next: NextFunction) {
  (res.locals.logger ?? logger).error({ err: error, method: req.method, path: req.path }, "request failed");
  if (res.headersSent) return void res.destroy();
  const t = i18nInstance("vi").getFixedT("vi", "common");
  const title = t("errors.server.title");
  res
    .status(500)
    .type("html")
    .send(
      `<!doctype html><html lang="vi"><meta charset="utf-8"><title>${title}</title><h1>${title}</h1><p>${t("errors.server.body")}</p>`,
    );
}

export function createApp(options: AppOptions) {
  const publicDir = options.publicDir ?? "public";
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", env().TRUST_PROXY);
  app.use(requestLog);
  app.use(securityHeaders());
  app.use(compression());
  // Fingerprinted by the Remix compiler: cache forever.
  app.use("/build", express.static(`${publicDir}/build`, { immutable: true, maxAge: "1y" }));
  // The seller app's worker (ADR 031): the browser asks again on every check, so a new version is seen at once.
  app.get("/seller-sw.js", (_req, res, next) => {
    res.setHeader("Cache-Control", "no-cache");
    next();
  });
  app.use(express.static(publicDir, { maxAge: "1h" }));
  app.use(guardRequest);
  app.all("*", remixHandler(options));
  app.use(serverError);
  void sweepStaleUploads().catch(() => {});
  return app;
}
