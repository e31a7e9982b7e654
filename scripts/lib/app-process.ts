/**
 * The production server as its own process, for benchmarks, the end-to-end
 * tests and the system tests (tests/system): `remix build` (under two
 * seconds), the demo seeded into the server's database as `npm start` does
 * (the server never seeds), then `node server.js` with the given environment,
 * waited for until /healthz answers. Spawned rather than imported: importing
 * build/index.js opens a database in the caller's process, and what is
 * measured or tested is the server's own process (its memory, its start-up,
 * its crash).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import url from "node:url";

export const ROOT = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "../..");

export function buildApp() {
  console.log("building the app (remix build, then the seller app's service worker)…");
  const started = performance.now();
  const steps = [
    { what: "remix build", command: path.join(ROOT, "node_modules/.bin/remix"), args: ["build"] },
    { what: "the service worker build", command: process.execPath, args: ["--import", "tsx", "scripts/build-sw.ts"] },
  ];
  for (const { what, command, args } of steps) {
    const result = spawnSync(command, args, {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
    });
    if (result.status !== 0) {
      process.stderr.write(result.stdout + result.stderr);
      throw new Error(`${what} failed (exit ${result.status ?? result.signal})`);
    }
  }
  console.log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

export interface ScriptRun {
  code: number | null;
  /** stdout and stderr, interleaved as they came. */
  output: string;
}

/**
 * Runs a CLI script of scripts/ (`seed.ts`, `admin-create.ts`…) through tsx,
 * as `npm run` would, with `env` on top of this process's environment.
 */
export function runCli(
  script: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<ScriptRun> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join("scripts", script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

/**
 * Seeds the demo into the database a server with this environment would
 * open, the way `npm start` does: `scripts/seed.ts --if-empty` (nothing when
 * the database has accounts, or where the demo may not go: on PostgreSQL set
 * SEED_DEMO=true). It runs to the end, so an embedded database is free again
 * for the server. Throws with the script's output if it fails.
 */
export async function seedDemoInto(env: Record<string, string | undefined>): Promise<string> {
  // --force: these are production builds (NODE_ENV=production) on data of their own, never a real deployment's.
  const { code, output } = await runCli("seed.ts", ["--if-empty", "--force"], env);
  if (code !== 0) throw new Error(`seeding the demo failed (exit ${code})\n${output}`);
  return output;
}

/** A port the kernel says is free right now (there is a small race until the server binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface AppProcess {
  origin: string;
  port: number;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** Everything it wrote to stdout and stderr so far (with `capture`). */
  output(): string;
  /** SIGTERM (a clean shutdown), SIGKILL after 10 s; or the given signal at once. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface LaunchOptions {
  /** The server's environment, on top of this process's. */
  env: Record<string, string | undefined>;
  port?: number;
  /** Keep the output for `output()` instead of passing it through. */
  capture?: boolean;
  /** With `capture`: called with the output so far whenever more arrives, before the server is healthy too. */
  onOutput?: (output: string) => void;
  healthTimeoutMs?: number;
}

/** Spawns `node server.js` and waits for /healthz. Throws (with its output) if it exits first. */
export async function launchApp({ env, port, capture = false, onOutput, healthTimeoutMs = 180_000 }: LaunchOptions) {
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, ["server.js"], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(chosen) },
    stdio: ["ignore", capture ? "pipe" : "inherit", capture ? "pipe" : "inherit"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    onOutput?.(output);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const origin = `http://127.0.0.1:${chosen}`;
  const app: AppProcess = {
    origin,
    port: chosen,
    child,
    exited,
    output: () => output,
    async stop(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const killer = signal ? undefined : setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.kill(signal ?? "SIGTERM");
      await exited;
      clearTimeout(killer);
    },
  };
  const deadline = performance.now() + healthTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before it was healthy\n${output}`);
    try {
      const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return app;
    } catch {
      // Not listening yet: it migrates (and may recover after a kill) before it listens.
    }
    if (performance.now() > deadline) {
      await app.stop("SIGKILL");
      throw new Error(`the server did not answer /healthz within ${healthTimeoutMs / 1000} s\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
