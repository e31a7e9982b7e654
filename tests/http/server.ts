/**
 * The whole app behind a real HTTP server, in the test's own process: the
 * route files Remix's compiler would find (its own flat-routes reader, with
 * remix.config.js's ignore list), loaded through Vitest, put together as a
 * ServerBuild and served by app/http's `createApp` — the same headers,
 * guards, body limits and Remix adapter as `node server.js`. Tests speak
 * HTTP to it (status codes, headers and limits as a browser or curl sees
 * them) and still read the test file's database directly.
 *
 * The browser assets are not built: pages render with script tags that point
 * nowhere, which no HTTP test follows.
 */
import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import type { Express } from "express";
import { afterAll, beforeAll } from "vitest";
import remixConfig from "../../remix.config.js";
import type { AppOptions } from "~/http/index.server";
import { env } from "~/utils/env.server";

const ROOT = path.resolve(import.meta.dirname, "../..");
const APP = path.join(ROOT, "app");

type RouteEntry = {
  id: string;
  file: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  parentId?: string;
};

/** The route manifest the compiler would write: file-system routes and remix.config.js's own. */
export function routeManifest(): Record<string, RouteEntry> {
  const require = createRequire(import.meta.url);
  // The compiler's own reader of app/routes (a CommonJS module of @remix-run/dev).
  const { flatRoutes } = require("@remix-run/dev/dist/config/flat-routes.js") as {
    flatRoutes: (appDir: string, ignored?: string[]) => Record<string, RouteEntry>;
  };
  // And the routes remix.config.js defines itself (the seller's pages again for an acting officer).
  const { defineRoutes } = require("@remix-run/dev/dist/config/routes.js") as {
    defineRoutes: Parameters<NonNullable<typeof remixConfig.routes>>[0];
  };
  return {
    root: { id: "root", file: "root.tsx", path: "" },
    ...flatRoutes(APP, remixConfig.ignoredRouteFiles),
    ...(remixConfig.routes!(defineRoutes) as Record<string, RouteEntry>),
  };
}

/** Every route but root with its path pattern from the root (`/officer/h/:householdId/seller/orders/:orderCode`). */
export function routePatterns(): { id: string; file: string; pattern: string; index: boolean }[] {
  const manifest = routeManifest();
  const chain = (id: string): RouteEntry[] => {
    const entry = manifest[id]!;
    return entry.parentId ? [...chain(entry.parentId), entry] : [entry];
  };
  return Object.values(manifest)
    .filter((entry) => entry.id !== "root")
    .map((entry) => ({
      id: entry.id,
      file: entry.file,
      index: entry.index === true,
      pattern: `/${chain(entry.id)
        .map((e) => e.path)
        .filter(Boolean)
        .join("/")}`,
    }));
}

let building: Promise<ServerBuild> | undefined;

/** The app as the compiler would build it for the server, from the sources. */
export function testBuild(): Promise<ServerBuild> {
  building ??= (async () => {
    const manifest = routeManifest();
    const entries = await Promise.all(
      Object.values(manifest).map(async (route) => ({ route, module: await import(path.join(APP, route.file)) })),
    );
    const routes: Record<string, unknown> = {};
    const assetRoutes: Record<string, unknown> = {};
    for (const { route, module } of entries) {
      const { id, parentId, path: routePath, index, caseSensitive } = route;
      routes[id] = { id, parentId, path: routePath, index, caseSensitive, module };
      assetRoutes[id] = {
        id,
        parentId,
        path: routePath,
        index,
        caseSensitive,
        module: `/build/${id}.js`,
        imports: [],
        hasAction: typeof module.action === "function",
        hasLoader: typeof module.loader === "function",
        hasClientAction: false,
        hasClientLoader: false,
        hasErrorBoundary: typeof module.ErrorBoundary === "function",
      };
    }
    return {
      mode: "production",
      entry: { module: await import(path.join(APP, "entry.server.tsx")) },
      routes,
      assets: {
        entry: { imports: [], module: "/build/entry.client.js" },
        routes: assetRoutes,
        url: "/build/manifest-test.js",
        version: "test",
      },
      publicPath: "/build/",
      assetsBuildDirectory: "public/build",
      future: { ...remixConfig.future, v3_routeConfig: false, unstable_optimizeDeps: false },
      isSpaMode: false,
    } as unknown as ServerBuild;
  })();
  return building;
}

export interface TestServer {
  origin: string;
  /** fetch() against the server; redirects are not followed. */
  fetch(pathname: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The app served for the tests of this file: started in beforeAll, closed in
 * afterAll. `trustProxy` puts it behind one trusted proxy (TRUST_PROXY=1),
 * so a test chooses the client's address with X-Forwarded-For
 * (tests/http/forms.ts), the way production sees it behind a load balancer.
 */
export function serveAppForThisFile({ trustProxy = false } = {}): TestServer {
  let started: TestServer | undefined;
  beforeAll(async () => {
    if (trustProxy) env().TRUST_PROXY = 1;
    started = await startTestServer();
  });
  afterAll(() => started?.close());
  const live = () => {
    if (!started) throw new Error("the test server starts in beforeAll");
    return started;
  };
  return {
    get origin() {
      return live().origin;
    },
    fetch: (pathname, init) => live().fetch(pathname, init),
    close: () => live().close(),
  };
}

/** Starts the app on a free port of 127.0.0.1 (with `options` for createApp). Close it in afterAll. */
export async function startTestServer(options: Partial<AppOptions> = {}): Promise<TestServer> {
  const build = await testBuild();
  // As server.js does: the entry's createApp, with what it wraps around every request.
  const { createApp } = build.entry.module as unknown as { createApp: (options: AppOptions) => Express };
  const app = createApp({ build, mode: "production", publicDir: path.join(ROOT, "public"), ...options });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    fetch: (pathname, init = {}) => fetch(origin + pathname, { redirect: "manual", ...init }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Body bytes the client had written when the answer's headers arrived. */
  sentBeforeAnswer: number;
  /** Milliseconds from the first byte sent to the answer's headers. */
  answeredAfterMs: number;
}

/**
 * A POST whose body is streamed in 64 KB chunks (`bodyBytes` of them, with a
 * Content-Length unless `chunked`), as a client would send a large upload; it
 * resolves with the server's answer as soon as it arrives, and stops sending
 * then. What a refusal before reading the body looks like from outside.
 */
export function streamedPost(
  origin: string,
  pathname: string,
  {
    bodyBytes,
    headers = {},
    chunked = false,
  }: { bodyBytes: number; headers?: Record<string, string>; chunked?: boolean },
): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let sent = 0;
    let answered = false;
    const req = http.request({
      host: hostname,
      port,
      path: pathname,
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        ...(chunked ? { "Transfer-Encoding": "chunked" } : { "Content-Length": String(bodyBytes) }),
        ...headers,
      },
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (!answered && sent < bodyBytes) {
        const piece = chunk.subarray(0, Math.min(chunk.length, bodyBytes - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    req.on("response", (res) => {
      answered = true;
      const sentBeforeAnswer = sent;
      const answeredAfterMs = performance.now() - started;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (text: string) => (body += text));
      const done = () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, sentBeforeAnswer, answeredAfterMs });
      res.once("end", done);
      res.once("error", done);
      res.once("close", done);
    });
    // The server may close the connection while we are still writing: only an error before any answer counts.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    pump();
  });
}
