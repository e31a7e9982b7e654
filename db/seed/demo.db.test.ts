import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "~/auth/password.server";
import { db } from "~/utils/db.server";
import { parseVietnameseMobile } from "~/utils/phone";
import { communes, households, stalls, users } from "../schema";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo, seedDemoIfEmpty } from "./demo";

const totals = async () => ({
  users: (await db.select({ n: count() }).from(users))[0].n,
  households: (await db.select({ n: count() }).from(households))[0].n,
  stalls: (await db.select({ n: count() }).from(stalls))[0].n,
});

const stallRows = () =>
  db
    .select({ stall: stalls, household: households, commune: communes, owner: users })
    .from(stalls)
    .innerJoin(households, eq(households.id, stalls.householdId))
    .innerJoin(communes, eq(communes.code, households.communeCode))
    .innerJoin(users, eq(users.id, households.ownerUserId));

// One database for the file: the tests build on each other in order.
describe("demo seed", () => {
  it("seeds an empty database", async () => {
    const summary = await seedDemoIfEmpty(db);
    expect(summary).toEqual({ users: 14, households: 11, stalls: 11, alreadyPresent: 0 });
    expect(await totals()).toEqual({ users: 14, households: 11, stalls: 11 });
  });

  it("gives every household a published stall in a Hải Phòng commune", async () => {
    const rows = await stallRows();
    expect(rows).toHaveLength(11);
    for (const { stall, household, commune, owner } of rows) {
      expect(stall.status).toBe("published");
      expect(stall.publishedAt).toBeInstanceOf(Date);
      expect(stall.slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(stall.description.length).toBeGreaterThan(40);
      expect(household.provinceCode).toBe("31");
      expect(commune.provinceCode).toBe("31");
      expect(household.addressLine).not.toBe("");
      expect(owner.role).toBe("farmer");
      expect(household.phone).toBe(owner.phone);
      for (const text of [stall.name, stall.description, household.name, owner.fullName]) {
        expect(text).toBe(text.normalize("NFC"));
      }
    }
    const byCommune = new Map(rows.map((r) => [r.commune.code, r]));
    expect(byCommune.get("10813")?.commune.fullName).toBe("Xã Thanh Hà");
    expect(byCommune.get("10903")?.stall.name).toMatch(/Cà rốt/);
    expect(byCommune.get("10675")?.stall.name).toMatch(/Hành tỏi/);
    expect(byCommune.get("11203")?.stall.name).toMatch(/Bánh gai/);
    expect(byCommune.get("10525")?.stall.name).toMatch(/Bánh đậu xanh/);
    expect(byCommune.get("10546")?.stall.name).toMatch(/Vải/);
    expect(rows.filter((r) => r.household.kind === "cooperative").length).toBeGreaterThanOrEqual(1);
    // Some households were onboarded by the extension officer on their behalf.
    const [officer] = await db.select().from(users).where(eq(users.role, "officer"));
    expect(rows.filter((r) => r.household.createdByUserId === officer.id).length).toBeGreaterThanOrEqual(1);
  });

  it("creates the buyer, officer and admin, and every account signs in with the demo password", async () => {
    const all = await db.select().from(users);
    expect(all.filter((u) => u.role === "buyer")).toHaveLength(1);
    expect(all.filter((u) => u.role === "officer")).toHaveLength(1);
    expect(all.filter((u) => u.role === "admin")).toHaveLength(1);
    expect(all.filter((u) => u.role === "farmer")).toHaveLength(11);

    const verified = await Promise.all(all.map((u) => verifyPassword(DEMO_PASSWORD, u.passwordHash)));
    expect(verified.every(Boolean)).toBe(true);
    expect(await verifyPassword("nongsan2025", all[0].passwordHash)).toBe(false);
  });

  it("lists the accounts with mobile numbers the sign-in form accepts", async () => {
    expect(DEMO_ACCOUNTS).toHaveLength(14);
    const stored = new Map((await db.select().from(users)).map((u) => [u.phone, u]));
    for (const account of DEMO_ACCOUNTS) {
      expect(parseVietnameseMobile(account.phone)).toEqual({ ok: true, e164: account.e164 });
      expect(stored.get(account.e164)).toMatchObject({ role: account.role, fullName: account.fullName });
    }
    expect(new Set(DEMO_ACCOUNTS.map((a) => a.role))).toEqual(new Set(["farmer", "buyer", "officer", "admin"]));
  });

  it("does not duplicate anything when run again", async () => {
    expect(await seedDemoIfEmpty(db)).toBeNull();
    expect(await seedDemo(db)).toEqual({ users: 0, households: 0, stalls: 0, alreadyPresent: 25 });
    expect(await totals()).toEqual({ users: 14, households: 11, stalls: 11 });
  });

  it("fills in only what is missing, keeping existing passwords", async () => {
    const farmer = DEMO_ACCOUNTS.find((a) => a.role === "farmer")!;
    await db.delete(stalls).where(eq(stalls.slug, farmer.stallSlug!));
    await db.update(users).set({ passwordHash: null }).where(eq(users.phone, farmer.e164));

    expect(await seedDemo(db)).toEqual({ users: 0, households: 0, stalls: 1, alreadyPresent: 24 });
    expect(await totals()).toEqual({ users: 14, households: 11, stalls: 11 });
    const [user] = await db.select().from(users).where(eq(users.phone, farmer.e164));
    expect(user.passwordHash).toBeNull();
  });
});
