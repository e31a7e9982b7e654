/**
 * Global setup of the postgres project: one migrated template database that each
 * test file clones (CREATE DATABASE … TEMPLATE is a file copy: fast).
 */
import postgres from "postgres";
import { openDatabase } from "../../db/client";
import { PG_ADMIN_URL, TEMPLATE_DB, urlFor } from "./pg";

export default async function setup() {
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    // Leftovers of interrupted runs.
    const stale = await admin<{ datname: string }[]>`
      SELECT datname FROM pg_database WHERE datname LIKE 'ghs_test_%'`;
    for (const { datname } of stale) await admin.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE "${TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  const handle = await openDatabase({ url: urlFor(TEMPLATE_DB) });
  await handle.migrate();
  await handle.close();
}
