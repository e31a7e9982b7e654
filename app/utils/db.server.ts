/**
 * The app's one database connection, opened (and migrated) when the server
 * module loads. Routes and domain code import `db` and never learn which
 * engine is underneath. Nothing else happens here: the demo is seeded by
 * `npm run db:seed` (scripts/seed.ts), never by the server (ADR 018).
 */
import { describeDatabase, openDatabase, type DatabaseConfig, type DatabaseHandle } from "#db/client";
import { env } from "./env.server";
import { logger } from "./logger.server";

export { rowsOf, type Database, type Tx } from "#db/client";

declare global {
  // Survives `remix dev` rebuilds so we keep one PGlite instance per process.
  var __ghsDatabase: Promise<DatabaseHandle> | undefined;
}

async function connect(): Promise<DatabaseHandle> {
  const config: DatabaseConfig = {
    url: env().DATABASE_URL,
    dataDir: env().DATA_DIR,
    poolMax: env().DATABASE_POOL_MAX,
    // Right after a crash the killed server may still hold the embedded folder for a moment.
    onLockWait: (pid, waitMs) =>
      logger.warn(
        { pid },
        `the embedded database is still open in process ${pid}: waiting up to ${waitMs / 1000} s for it to close`,
      ),
  };
  const started = performance.now();
  const handle = await openDatabase(config);
  await handle.migrate();
  logger.info({ database: describeDatabase(config), ms: Math.round(performance.now() - started) }, "database ready");
  return handle;
}

globalThis.__ghsDatabase ??= connect();
const handle = await globalThis.__ghsDatabase;

export const db = handle.db;
export const dbDriver = handle.driver;
export const closeDatabase = () => handle.close();
