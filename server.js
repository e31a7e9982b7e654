// Starts the app: imports the Remix build (which opens and migrates the
// database; it never seeds), says so when the database has no accounts yet,
// starts the background jobs, and serves the HTTP app the build makes
// (app/http: headers, guards, body limits, then Remix) on PORT.
// Stops cleanly on SIGTERM/SIGINT. A failure to start is one plain sentence.
import path from "node:path";
import url from "node:url";
import { broadcastDevReady, installGlobals } from "@remix-run/node";

installGlobals({ nativeFetch: true });

const isDev = process.env.NODE_ENV === "development";
const BUILD_PATH = path.resolve("build/index.js");
const VERSION_PATH = path.resolve("build/version.txt");

/** For the person at the terminal: what went wrong, in one sentence, and exit. */
function cannotStart(error) {
  const message =
    error?.code === "EADDRINUSE"
      ? `port ${error.port ?? process.env.PORT ?? 3000} is already in use by another program: stop it, or set PORT to another port.`
      : error?.code === "EACCES"
        ? `this user may not listen on port ${error.port ?? process.env.PORT}: choose a port above 1024 with PORT.`
        : error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes(BUILD_PATH)
          ? "there is no build yet: run `npm run build` first (or `npm start`, which builds)."
          : oneLine(error instanceof Error ? error.message : String(error));
  process.stderr.write(`\nGian Hàng Số cannot start: ${message}\n\n`);
  if (process.env.LOG_LEVEL === "debug") process.stderr.write(`${error?.stack ?? ""}\n`);
  process.exit(1);
}

/**
 * A message of several lines ("Invalid environment configuration:" and a
 * "  - NAME: problem" line per variable) as one: the lines after the first
 * joined by "; ".
 */
function oneLine(message) {
  const [first, ...rest] = message
    .split("\n")
    .map((line) => line.trim().replace(/^- /, ""))
    .filter(Boolean);
  return rest.length ? `${first.replace(/:$/, "")}: ${rest.join("; ")}` : (first ?? "");
}

async function importBuild() {
  const stamp = isDev ? `?t=${Date.now()}` : "";
  return import(url.pathToFileURL(BUILD_PATH).href + stamp);
}

let build;
let jobs = null;
try {
  // Importing the build opens and migrates the database.
  build = await importBuild();
  // A fresh database has no accounts: the log says how to make the first admin, or load the demo.
  await build.entry.module.hintWhenNoUsers();
  // Then the background jobs (app/jobs; JOBS=off leaves them off). Dev rebuilds keep the first runner.
  jobs = await build.entry.module.startJobs();
} catch (error) {
  cannotStart(error);
}
const { createApp, logger } = build.entry.module;

if (isDev) {
  const chokidar = await import("chokidar");
  chokidar.watch(VERSION_PATH, { ignoreInitial: true }).on("all", async () => {
    build = await importBuild();
    broadcastDevReady(build);
  });
}
const app = createApp({ build: isDev ? () => build : build, mode: isDev ? "development" : build.mode });

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port);
server.once("error", cannotStart);
server.once("listening", () => {
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
