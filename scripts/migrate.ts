/**
 * `npm run db:migrate`: applies the committed migrations in db/migrations to the
 * database the app would use (DATABASE_URL, or the embedded one under DATA_DIR).
 * The app also migrates when it starts; this is for release pipelines and for
 * checking a database by hand.
 */
import { sql, type SQL } from "drizzle-orm";
import type { DatabaseHandle } from "#db/client";
import { runScript, withDatabase } from "./lib/cli";

async function appliedCount({ db }: DatabaseHandle): Promise<number> {
  const rows = async (query: SQL) => {
    const result = await db.execute(query);
    return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ n: number }>;
  };
  // A brand-new database has no migrations table yet.
  const [table] = await rows(
    sql`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'drizzle' AND tablename = '__drizzle_migrations'`,
  );
  if (Number(table.n) === 0) return 0;
  const [applied] = await rows(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
  return Number(applied.n);
}

runScript(() =>
  withDatabase(
    async (handle, description) => {
      console.log(`Database: ${description}`);
      const before = await appliedCount(handle);
      await handle.migrate();
      const after = await appliedCount(handle);
      console.log(
        after === before
          ? `Up to date: ${after} migrations applied, nothing new.`
          : `Applied ${after - before} new migration${after - before === 1 ? "" : "s"} (${after} in all).`,
      );
    },
    { migrate: false },
  ),
);
