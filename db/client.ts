/**
 * Opens the database: PostgreSQL through postgres.js when given a postgres:// URL,
 * otherwise the embedded PGlite (real PostgreSQL in WASM) in a folder or in memory.
 * Everything above this module sees one Drizzle type and cannot tell which.
 */
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** What a `db.transaction(async (tx) => …)` callback receives. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type Driver = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Database;
  driver: Driver;
  /** Apply every committed migration in db/migrations that is not applied yet. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseConfig {
  /** postgres://… for PostgreSQL; memory:// or unset for PGlite. */
  url?: string;
  /** Where PGlite keeps its files when url is unset. */
  dataDir?: string;
  poolMax?: number;
  /** How long to wait for another process to let go of the embedded data folder (default 5 s). */
  lockWaitMs?: number;
  /** Told once when the embedded data folder is held by another live process and we start waiting for it. */
  onLockWait?: (holderPid: number, waitMs: number) => void;
  /**
   * PGlite in memory only: start from this dump (PGlite's `dumpDataDir`)
   * rather than an empty cluster. The tests make one migrated template per
   * run and start each test file's database from it, as PostgreSQL's do
   * with CREATE DATABASE … TEMPLATE (tests/setup/pglite-template.ts).
   */
  startFrom?: Blob;
}

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "db/migrations");

export function describeDatabase(config: DatabaseConfig): string {
  if (config.url?.startsWith("postgres")) {
    const u = new URL(config.url);
    return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
  }
  if (config.url === "memory://") return "PGlite (in memory)";
  return `PGlite (${pglitePath(config)})`;
}

function pglitePath(config: DatabaseConfig) {
  return path.resolve(config.dataDir ?? "./data", "pglite");
}

/** Raised when another process has the embedded database open. One sentence: server.js prints it as it is. */
export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly lockPath: string,
  ) {
    super(
      `the embedded database in ${dataDir} is already open in another process (pid ${pid}), probably the app ` +
        `or a database script, and PGlite lets only one process use it: stop that process and try again ` +
        `(or delete ${lockPath} if no such process is running).`,
    );
    this.name = "DatabaseInUseError";
  }
}

/** Raised when PostgreSQL cannot be reached or refuses us. One sentence, without the password of the URL. */
export class DatabaseUnavailableError extends Error {
  constructor(description: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const network = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(
      network && /^(E[A-Z]+|CONNECT_TIMEOUT)$/.test(network)
        ? `${description} does not answer (${reason}): start it, or point DATABASE_URL at a running server.`
        : `${description} refused the connection (${reason}): check the user, password and database name in DATABASE_URL.`,
      { cause },
    );
    this.name = "DatabaseUnavailableError";
  }
}

const lockedHere = new Set<string>();

/** A process that exists and has not finished dying (on Linux a zombie, state Z, is dead but still has its pid). */
function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3));
  } catch {
    return true; // no /proc (macOS) or it went in between: trust kill(0)
  }
}

/** How long to wait for the holder of a data folder to go before refusing: a killed server takes a moment to die. */
const LOCK_WAIT_MS = 5_000;
const LOCK_POLL_MS = 100;

/**
 * PGlite has no postmaster and takes no lock of its own: a second process
 * opening the same folder (say `npm run db:seed` while the app runs) silently
 * corrupts it. A pid file next to the folder turns that into a clear error.
 * A holder that is still alive is waited for, up to `waitMs`: right after
 * `kill -9` (a crash, a supervisor restarting the app at once) the dead
 * server's pid lingers until the kernel has torn it down and its parent has
 * reaped it.
 */
async function lockDataDir(
  dataDir: string,
  { lockWaitMs: waitMs = LOCK_WAIT_MS, onLockWait }: Pick<DatabaseConfig, "lockWaitMs" | "onLockWait">,
): Promise<() => void> {
  const lockPath = `${dataDir}.lock`;
  const deadline = performance.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(lockPath, `${process.pid}\n`, { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const pid = Number.parseInt(fs.readFileSync(lockPath, "utf8"), 10);
    // Our own pid is only live if this process opened it (containers reuse pids, often 1).
    const held = pid === process.pid ? lockedHere.has(dataDir) : pid > 0 && isAlive(pid);
    if (!held) fs.rmSync(lockPath, { force: true });
    else if (pid === process.pid || performance.now() >= deadline) throw new DatabaseInUseError(dataDir, pid, lockPath);
    else {
      if (!told) onLockWait?.(pid, waitMs);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
  lockedHere.add(dataDir);
  const release = () => {
    lockedHere.delete(dataDir);
    fs.rmSync(lockPath, { force: true });
  };
  process.once("exit", release);
  return () => {
    process.off("exit", release);
    release();
  };
}

// ---------------------------------------------------------------- write counting

const writes = new WeakMap<PGlite, number>();
const writesOf = (client: PGlite) => writes.get(client) ?? 0;
const writeCounters = new WeakMap<Database, () => number>();
const READ_ONLY = /^\s*(select|show|explain)\b/i;

/**
 * Counts what may have changed the data of an embedded database: every
 * statement that is not a plain read, every transaction, before and after it
 * runs. PGlite lets one process use its data folder, so every write goes
 * through here and the count is exact; a reader that takes the count before
 * reading knows its result is current for as long as the count has not moved.
 */
function countWrites(client: PGlite) {
  const bump = () => writes.set(client, writesOf(client) + 1);
  const around =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>, isWrite: (...args: A) => boolean) =>
    async (...args: A): Promise<R> => {
      const write = isWrite(...args);
      if (write) bump();
      try {
        return await run(...args);
      } finally {
        if (write) bump();
      }
    };
  client.query = around(client.query.bind(client), (sql: string) => !READ_ONLY.test(sql)) as PGlite["query"];
  client.exec = around(client.exec.bind(client), (sql: string) => !READ_ONLY.test(sql)) as PGlite["exec"];
  const transaction = client.transaction.bind(client);
  client.transaction = around(
    (callback: Parameters<PGlite["transaction"]>[0]) => transaction(callback),
    () => true,
  ) as PGlite["transaction"];
}

/**
 * How many writes the database has seen, for caches of what it stores: the
 * embedded engine only. PostgreSQL may be written by other app servers, so
 * there it is null and nothing may be cached on the strength of it.
 */
export function writeCount(db: Database): number | null {
  return writeCounters.get(db)?.() ?? null;
}

export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (config.url?.startsWith("postgres")) {
    const client = postgres(config.url, {
      max: config.poolMax ?? 10,
      onnotice: () => {},
    });
    // postgres.js connects lazily; ask now, so that a wrong URL or a stopped server is one clear error here.
    try {
      await client`SELECT 1`;
    } catch (error) {
      await client.end({ timeout: 1 }).catch(() => {});
      throw new DatabaseUnavailableError(describeDatabase(config), error);
    }
    const db = drizzlePostgres(client, { schema }) as unknown as Database;
    return {
      db,
      driver: "postgres",
      async migrate() {
        // Several instances may start at once behind a load balancer: one migrates, the
        // others wait on the advisory lock. max: 1 keeps lock and migration on one connection.
        const one = postgres(config.url!, { max: 1, onnotice: () => {} });
        try {
          await one`SELECT pg_advisory_lock(7263514)`;
          await migratePostgres(drizzlePostgres(one, { schema }), { migrationsFolder: MIGRATIONS_DIR });
        } finally {
          await one.end({ timeout: 5 });
        }
      },
      close: () => client.end({ timeout: 5 }),
    };
  }

  let dataDir: string | undefined;
  let unlock = () => {};
  if (config.url !== "memory://") {
    dataDir = pglitePath(config);
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    unlock = await lockDataDir(dataDir, config);
  }
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir, {
      extensions: { unaccent, pg_trgm },
      ...(config.startFrom && !dataDir ? { loadDataDir: config.startFrom } : {}),
    });
  } catch (error) {
    unlock();
    throw error;
  }
  countWrites(client);
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  writeCounters.set(db, () => writesOf(client));
  return {
    db,
    driver: "pglite",
    async migrate() {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: MIGRATIONS_DIR });
    },
    async close() {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
  };
}

/** postgres.js returns the rows of `db.execute(sql…)` as the result, PGlite as `.rows`. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  return ((result as { rows?: Record<string, unknown>[] }).rows ?? []) as Record<string, unknown>[];
}
