/**
 * A real deployment's first start: production on an empty PostgreSQL seeds
 * nothing (no demo accounts with a published password) and says how to make
 * the first admin; `npm run admin:create` makes one that can sign in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchApp, runCli, type AppProcess } from "../../scripts/lib/app-process";
import { emptyDatabase, type TestDatabase } from "./databases";
import { printedPassword, signIn } from "./sign-in";

let database: TestDatabase;
let app: AppProcess;

beforeAll(async () => {
  database = await emptyDatabase();
  app = await launchApp({
    env: {
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      SESSION_SECRET: "system-test-session-secret",
      SEED_DEMO: undefined,
      JOBS: "off",
      LOG_LEVEL: "info",
    },
    capture: true,
  });
});
afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

const userCount = async () => Number((await database.sql`SELECT count(*)::int AS n FROM users`)[0].n);

describe("production on an empty PostgreSQL", () => {
  it("seeds no one, and logs once how to create the first admin or load the demo", async () => {
    expect(await userCount()).toBe(0);
    const hints = app
      .output()
      .split("\n")
      .filter((line) => line.includes("no accounts yet"));
    expect(hints).toHaveLength(1);
    expect(hints[0]).toContain("npm run admin:create -- --phone");
    expect(hints[0]).toContain("SEED_DEMO=true npm run db:seed");
  });

  it("gets its first admin from npm run admin:create, who signs in with the printed password", async () => {
    const env = { DATABASE_URL: database.url, SEED_DEMO: undefined };
    const run = await runCli("admin-create.ts", ["--phone", "0912 000 401", "--name", "Lê Thị Quản"], env);
    expect(run.code).toBe(0);
    expect(run.output).toContain("Created an admin account for 0912 000 401 (Lê Thị Quản).");
    expect(run.output).toMatch(/change it/);
    const password = printedPassword(run.output);
    expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
    expect(await database.sql`SELECT role, full_name FROM users`).toEqual([
      { role: "admin", full_name: "Lê Thị Quản" },
    ]);

    const cookie = await signIn(app.origin, "0912000401", password);
    const admin = await fetch(`${app.origin}/admin/payouts`, { headers: { cookie }, redirect: "manual" });
    expect(admin.status).toBe(200);
  });

  it("refuses a phone that already has an account, unless --promote makes it an admin", async () => {
    await database.sql`INSERT INTO users (phone, full_name, role, password_hash) VALUES ('+84983000777', 'Ngô Văn Mua', 'buyer', NULL)`;
    const env = { DATABASE_URL: database.url };

    const refused = await runCli("admin-create.ts", ["--phone", "0983000777"], env);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/^Error: 0983 000 777 already has an account \(buyer\)[^\n]*--promote[^\n]*\n$/m);
    expect(refused.output).not.toMatch(/\n\s+at /);

    const promoted = await runCli("admin-create.ts", ["--phone", "0983000777", "--promote"], env);
    expect(promoted.code).toBe(0);
    expect(promoted.output).toContain("0983 000 777 was a buyer and is now an admin.");
    // It had no password (an officer made it before hand-over): it gets one, printed once.
    const password = printedPassword(promoted.output);
    await signIn(app.origin, "0983000777", password);

    const again = await runCli("admin-create.ts", ["--phone", "+84983000777"], env);
    expect(again.code).toBe(0);
    expect(again.output).toContain("0983 000 777 is already an admin; nothing changed.");
    expect(await database.sql`SELECT role FROM users ORDER BY created_at`).toEqual([
      { role: "admin" },
      { role: "admin" },
    ]);
  });

  it("refuses what is not a Vietnamese mobile in one sentence", async () => {
    const run = await runCli("admin-create.ts", ["--phone", "12345"], { DATABASE_URL: database.url });
    expect(run.code).toBe(1);
    expect(run.output).toBe('Error: "12345" is not a Vietnamese mobile number.\n');
  });
});
