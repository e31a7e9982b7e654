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

/** Raised when another process has the embedded database open. */
export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly lockPath: string,
  ) {
    super(
      `The embedded database in ${dataDir} is already open in another process (pid ${pid}), ` +
        `probably the app (npm start / npm run dev). PGlite lets only one process use its data folder ` +
        `at a time: stop that process and try again, or set DATABASE_URL to use PostgreSQL. ` +
        `If no such process is running, delete ${lockPath}.`,
    );
    this.name = "DatabaseInUseError";
  }
}

const lockedHere = new Set<string>();

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite has no postmaster and takes no lock of its own: a second process
 * opening the same folder (say `npm run db:seed` while the app runs) silently
 * corrupts it. A pid file next to the folder turns that into a clear error.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lockPath, `${process.pid}\n`, { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
      const pid = Number.parseInt(fs.readFileSync(lockPath, "utf8"), 10);
      // Our own pid is only live if this process opened it (containers reuse pids, often 1).
      const held = pid === process.pid ? lockedHere.has(dataDir) : pid > 0 && isAlive(pid);
      if (held) throw new DatabaseInUseError(dataDir, pid, lockPath);
      fs.rmSync(lockPath, { force: true });
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
    unlock = lockDataDir(dataDir);
  }
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir, { extensions: { unaccent, pg_trgm } });
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
