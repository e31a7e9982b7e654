/**
 * The production server for the page benchmarks: `remix build` (unless told
 * not to), the demo marketplace (11 stalls) seeded so the pages have real
 * content, then `node server.js` with NODE_ENV=production on a fresh embedded
 * database in a throwaway folder, as `npm start` runs on a new install.
 *
 * The build is run and the server spawned rather than imported: importing
 * build/index.js opens a database in this process, which would measure the
 * benchmark's process instead of the server's.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildApp, freePort, launchApp, ROOT, seedDemoInto, type AppProcess } from "../lib/app-process";

export { buildApp, freePort, ROOT, seedDemoInto };

/** The demo stall that the seed always creates (db/seed). */
export const DEMO_STALL_PATH = "/s/vai-thieu-bac-thinh";

export interface BenchServer {
  origin: string;
  /** The server process, for readings of its own (RSS). */
  pid?: number;
  port: number;
  dataDir: string;
  stop: () => Promise<void>;
}

/** `--name value` or `--name=value` from argv; `--flag` alone gives "true". */
export function flag(name: string, argv = process.argv.slice(2)): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === `--${name}`) {
      const next = argv[i + 1];
      return next !== undefined && !next.startsWith("--") ? next : "true";
    }
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

export function numberFlag(name: string, fallback: number, min = 1): number {
  const value = flag(name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${value}"`);
  return parsed;
}

/**
 * The environment of a benchmarked production server: a fresh DATA_DIR (or
 * --database-url postgres://…: SEED_DEMO=true lets seedDemoInto seed it when
 * it has no accounts), no rate limits (the load
 * comes from one IP), no background jobs, photos from the local folder whatever
 * the shell has set.
 */
export function serverEnv(port: number, dataDir: string, databaseUrl = flag("database-url")): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl ?? "",
    SESSION_SECRET: "bench-session-secret",
    SEED_DEMO: "true",
    DISABLE_RATE_LIMIT: "true",
    LOG_LEVEL: "warn",
    // Measure requests only: no background job polls or runs beside them.
    JOBS: "off",
    S3_BUCKET: "",
    S3_ENDPOINT: "",
    S3_ACCESS_KEY_ID: "",
    S3_SECRET_ACCESS_KEY: "",
    S3_PUBLIC_URL: "",
  };
  delete env.PUBLIC_URL;
  return env;
}

/**
 * Seeds the demo into a new DATA_DIR under the system temp folder (or the
 * --database-url database, if it has no accounts), then starts
 * `node server.js` on `--port` (or BENCH_PORT, else a free port); `stop()`
 * ends it and removes the folder.
 */
export async function startServer({
  build = flag("no-build") === undefined,
  env: overrides = {},
}: {
  build?: boolean;
  /** Settings of this run on top of serverEnv's (e.g. the rate limits on). */
  env?: Record<string, string>;
} = {}): Promise<BenchServer> {
  if (build) buildApp();
  else if (!fs.existsSync(path.join(ROOT, "build/index.js")))
    throw new Error("--no-build, but there is no build/index.js");

  const port = Number(flag("port") ?? process.env.BENCH_PORT ?? (await freePort()));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-gian-hang-so-"));
  const env = { ...serverEnv(port, dataDir), ...overrides };
  const started = performance.now();
  let app: AppProcess;
  try {
    await seedDemoInto(env);
    app = await launchApp({ env, port });
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= app.stop().then(() => fs.rmSync(dataDir, { recursive: true, force: true })));
  // Ctrl-C during a run still ends the server and removes its data.
  const onSignal = (signal: NodeJS.Signals) => {
    void stop().then(() => process.kill(process.pid, signal));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  console.log(
    `server up on ${app.origin} (${env.DATABASE_URL ? "PostgreSQL, seeded if it was empty" : `fresh seeded PGlite in ${dataDir}`}) after ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return { origin: app.origin, port, dataDir, pid: app.child.pid, stop };
}

/** The first product page linked from the demo stall's page (`/s/<stall>/<product>`). */
export async function findProductPath(origin: string, stallPath = DEMO_STALL_PATH): Promise<string> {
  const html = await (await fetch(origin + stallPath)).text();
  const escaped = stallPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`href="(${escaped}/(?!qr\\.svg|poster)[^"/?#]+)"`).exec(html);
  if (!match) throw new Error(`no product link on ${stallPath}`);
  return match[1];
}

export function median(values: number[]) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A plain text table: first column left-aligned, the others right-aligned. */
export function printTable(header: string[], rows: string[][]) {
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((cell = "", c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}
