/**
 * Empty PostgreSQL databases for the system tests' servers, named like the
 * other test databases (`ghs_test_<pid>_…`) so an interrupted run's leftovers
 * are dropped by the next run (tests/setup/postgres-template.ts).
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { PG_ADMIN_URL, urlFor } from "../setup/pg";

export interface TestDatabase {
  url: string;
  /** A connection of the test's own, for looking at what the servers wrote. */
  sql: postgres.Sql;
  drop(): Promise<void>;
}

export async function emptyDatabase(): Promise<TestDatabase> {
  const name = `ghs_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = urlFor(name);
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  return {
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      const done = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      await done.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await done.end();
    },
  };
}
