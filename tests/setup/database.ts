/**
 * Gives each test file its own empty, migrated database (and data folder, for
 * photos) before any app module is imported: in-memory PGlite, or a PostgreSQL clone of the migrated template.
 * App code then opens it through the usual DATABASE_URL path.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll } from "vitest";
import { openDatabase, type DatabaseHandle } from "#db/client";
import { PG_ADMIN_URL, TEMPLATE_DB, urlFor } from "./pg";

delete globalThis.__ghsDatabase;
// The database this file opened, if any (a unit test file never does).
let opened: Promise<DatabaseHandle> | undefined;
let fromTemplate = false;
delete globalThis.__ghsStorage;
// Photos and other files of this test file go to a folder of its own.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ghs-test-"));
process.env.DATA_DIR = dataDir;

let dbName: string | undefined;
if (process.env.TEST_DB === "postgres") {
  dbName = `ghs_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${dbName}" TEMPLATE "${TEMPLATE_DB}"`);
  await admin.end();
  process.env.DATABASE_URL = urlFor(dbName);
} else {
  process.env.DATABASE_URL = "memory://";
  const template = process.env.GHS_PGLITE_TEMPLATE;
  fromTemplate = Boolean(template);
  if (template) {
    // Opened when app/utils/db.server.ts first asks, from the run's migrated template.
    Object.defineProperty(globalThis, "__ghsDatabase", {
      configurable: true,
      get: () =>
        (opened ??= openDatabase({ url: "memory://", startFrom: new Blob([fs.readFileSync(template)]) }).then(
          async (handle) => {
            await handle.migrate();
            return handle;
          },
        )),
      set: (value: Promise<DatabaseHandle> | undefined) => {
        opened = value;
      },
    });
  }
}

afterAll(async () => {
  // Reading globalThis.__ghsDatabase would open the template's database only to close it.
  const open = fromTemplate ? opened : globalThis.__ghsDatabase;
  if (open) await (await open).close();
  delete globalThis.__ghsDatabase;
  delete globalThis.__ghsStorage;
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (dbName) {
    const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
});
