/**
 * Where the demo goes: `scripts/seed.ts --if-empty` (what `npm start` runs
 * before the server) seeds the embedded database once, and leaves a
 * PostgreSQL alone unless SEED_DEMO=true asks.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count } from "drizzle-orm";
import { openDatabase } from "#db/client";
import { stalls, users } from "#db/schema";
import { runCli } from "../../scripts/lib/app-process";
import { emptyDatabase, type TestDatabase } from "./databases";

let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ghs-system-"));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Accounts and stalls in the embedded database (the scripts have closed it: one process at a time). */
async function embeddedTotals() {
  const handle = await openDatabase({ dataDir });
  try {
    const [accounts] = await handle.db.select({ n: count() }).from(users);
    const [published] = await handle.db.select({ n: count() }).from(stalls);
    return { users: accounts.n, stalls: published.n };
  } finally {
    await handle.close();
  }
}

describe("seed --if-empty on the embedded database (no DATABASE_URL)", () => {
  const env = () => ({ DATABASE_URL: "", DATA_DIR: dataDir, SEED_DEMO: undefined, NODE_ENV: "production" });

  it("seeds the demo into an empty database", async () => {
    const run = await runCli("seed.ts", ["--if-empty"], env());
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(
      /^Added 14 accounts, 11 households, 11 published stalls and \d+ listings with photos\.$/m,
    );
    expect(await embeddedTotals()).toEqual({ users: 14, stalls: 11 });
  });

  it("adds nothing when run again, in one line", async () => {
    const run = await runCli("seed.ts", ["--if-empty"], env());
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/^Demo not seeded: PGlite \(.*\) already has accounts\.\n$/);
    expect(await embeddedTotals()).toEqual({ users: 14, stalls: 11 });
  });
});

describe("seed on PostgreSQL", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await emptyDatabase();
  });
  afterAll(() => database?.drop());

  const userRows = async () => {
    const [{ exists }] = await database.sql`SELECT to_regclass('public.users') IS NOT NULL AS exists`;
    return exists ? Number((await database.sql`SELECT count(*)::int AS n FROM users`)[0].n) : 0;
  };

  it("seeds nothing without SEED_DEMO=true, and says so in one line", async () => {
    const run = await runCli("seed.ts", ["--if-empty"], { DATABASE_URL: database.url, SEED_DEMO: undefined });
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/^DATABASE_URL points at PostgreSQL[^\n]*SEED_DEMO=true[^\n]*\n$/);
    expect(await userRows()).toBe(0);
  });

  it("refuses npm run db:seed there in one sentence, exit 1", async () => {
    const run = await runCli("seed.ts", [], { DATABASE_URL: database.url, SEED_DEMO: undefined });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/^Error: DATABASE_URL points at PostgreSQL[^\n]*\n$/);
    expect(await userRows()).toBe(0);
  });

  it("asks for --force on top of SEED_DEMO=true in production, and for a readable SEED_DEMO", async () => {
    const production = { DATABASE_URL: database.url, SEED_DEMO: "true", NODE_ENV: "production" };
    const run = await runCli("seed.ts", [], production);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/^Error: NODE_ENV is production[^\n]*--force[^\n]*\n$/);
    const unreadable = await runCli("seed.ts", ["--if-empty"], { DATABASE_URL: database.url, SEED_DEMO: "yes" });
    expect(unreadable.code).toBe(1);
    expect(unreadable.output).toBe('Error: SEED_DEMO must be true or false (or unset), not "yes".\n');
    expect(await userRows()).toBe(0);
  });
});
