// The HTTP server: Express in front of the Remix build. It adds what Remix
// leaves to the host: request ids and access logs, compression, static asset
// caching, client IPs behind a proxy, and a clean shutdown.
import { randomUUID } from "node:crypto";
import path from "node:path";
import url from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, installGlobals } from "@remix-run/node";
import compression from "compression";
import express from "express";
import pino from "pino";

installGlobals({ nativeFetch: true });

const isDev = process.env.NODE_ENV === "development";
const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "gian-hang-so" },
  ...(isDev ? { transport: { target: "pino-pretty" } } : {}),
});

const BUILD_PATH = path.resolve("build/index.js");
const VERSION_PATH = path.resolve("build/version.txt");

async function importBuild() {
  const stamp = isDev ? `?t=${Date.now()}` : "";
  return import(url.pathToFileURL(BUILD_PATH).href + stamp);
}

let build;
let jobs = null;
try {
  // Importing the build opens and migrates the database (and seeds an empty demo).
  build = await importBuild();
  // Then the background jobs (app/jobs; JOBS=off leaves them off). Dev rebuilds keep the first runner.
  jobs = await build.entry.module.startJobs();
} catch (error) {
  // Plain words for the person at the terminal (a bad variable, a locked data folder), not a JSON stack.
  process.stderr.write(`\nGian Hàng Số cannot start:\n${error instanceof Error ? error.message : error}\n\n`);
  logger.debug({ err: error }, "startup failed");
  process.exit(1);
}

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", Number(process.env.TRUST_PROXY ?? 0));
app.use(compression());

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;
app.use((req, res, next) => {
  const incoming = req.get("x-request-id");
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = requestId;
  res.locals.logger = logger.child({ requestId });
  res.setHeader("X-Request-Id", requestId);
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (req.path.startsWith("/build/")) return;
    res.locals.logger.info(
      { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 },
      "request",
    );
  });
  next();
});

// Fingerprinted by the Remix compiler: cache forever.
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

function getLoadContext(req, res) {
  return { requestId: res.locals.requestId, logger: res.locals.logger, clientIp: req.ip ?? "unknown" };
}

if (isDev) {
  const chokidar = await import("chokidar");
  chokidar.watch(VERSION_PATH, { ignoreInitial: true }).on("all", async () => {
    build = await importBuild();
    broadcastDevReady(build);
  });
  app.all("*", (req, res, next) =>
    createRequestHandler({ build, mode: "development", getLoadContext })(req, res, next),
  );
} else {
  app.all("*", createRequestHandler({ build, mode: build.mode, getLoadContext }));
}

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, () => {
  logger.info(`Gian Hàng Số is listening on http://localhost:${port}`);
  if (isDev) broadcastDevReady(build);
});

async function shutdown(signal) {
  logger.info({ signal }, "shutting down");
  server.close();
  // Jobs first: a running job still needs the database.
  await jobs?.stop().catch((error) => logger.error({ err: error }, "background jobs did not stop cleanly"));
  const database = await globalThis.__ghsDatabase?.catch(() => undefined);
  await database?.close();
  process.exit(0);
}
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
