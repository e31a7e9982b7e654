/**
 * Global setup of the postgres project: one migrated template database that each
 * test file clones (CREATE DATABASE … TEMPLATE is a file copy: fast).
 */
import postgres from "postgres";
import { openDatabase } from "#db/client";
import { PG_ADMIN_URL, urlFor } from "./pg";

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function setup() {
  const template = `ghs_test_template_${process.pid}`;
  // Workers are forked after this and inherit it (tests/setup/pg.ts reads it).
  process.env.GHS_TEMPLATE_DB = template;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    // Leftovers of interrupted runs: test databases whose process (its pid is in the name) is gone.
    const stale = await admin<{ datname: string }[]>`
      SELECT datname FROM pg_database WHERE datname LIKE 'ghs\_test\_%'`;
    for (const { datname } of stale) {
      const pid = Number(/^ghs_test_(?:template_)?(\d+)_?/.exec(datname)?.[1]);
      if (pid && isAlive(pid)) continue;
      await admin.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
    }
    await admin.unsafe(`DROP DATABASE IF EXISTS "${template}"`);
    await admin.unsafe(`CREATE DATABASE "${template}"`);
  } finally {
    await admin.end();
  }
  const handle = await openDatabase({ url: urlFor(template) });
  await handle.migrate();
  await handle.close();

  return async function teardown() {
    const done = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
    await done.unsafe(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await done.end();
  };
}
