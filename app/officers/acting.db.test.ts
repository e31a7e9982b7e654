/**
 * An officer registering a household with its consent, then acting for it
 * through the farmer's own wizard and seller pages under
 * /officer/h/:householdId, with every change in the audit trail — through the
 * HTTP server, as a browser without JavaScript walks it.
 */
import { and, count, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import {
  auditLog,
  householdConsents,
  householdDelegations,
  households,
  stalls,
  users,
  oneTimeCodes,
  rateLimits,
} from "#db/schema";
import { createFarmerWithStall, createOfficer, createUser, delegate, THANH_HA } from "#tests/fixtures/factories";
import { signedIn } from "#tests/harness/routes";
import { CookieJar, getPage, mainText, postForm } from "../../tests/http/forms";
import { serveAppForThisFile } from "../../tests/http/server";
import { CONSENT_STATEMENT_VERSION } from "~/officers";
import { sentSmsForTests } from "~/notifications/sms.server";
import { db } from "~/utils/db.server";

const server = serveAppForThisFile();
const codeIn = (text: string | undefined) => /\b(\d{6})\b/.exec(text ?? "")?.[1];
const trailLength = async () => (await db.select({ n: count() }).from(auditLog))[0].n;

beforeEach(async () => {
  sentSmsForTests.clear();
  await db.delete(oneTimeCodes);
  await db.delete(rateLimits);
});

async function officerJar(
  communes = [THANH_HA.communeCode],
  acting: { householdId: string; access?: "edit" | "view" | "none" }[] = [],
) {
  const officer = await createOfficer(db, { communes });
  for (const { householdId, access } of acting) await delegate(db, officer.id, householdId, access);
  return { officer, jar: new CookieJar(await signedIn(officer.id)) };
}

const household = {
  phone: "0978 123 456",
  fullName: "Nguyễn Thị Hoa",
  kind: "household",
  communeCode: THANH_HA.communeCode,
  addressLine: "Thôn Phú Lương",
  rosterEntryId: "",
};
const E164 = "+84978123456";

describe("registering a household with its consent", () => {
  beforeEach(async () => {
    await db.delete(users).where(eq(users.phone, E164));
  });

  it("sends the household a code, and only the code read back opens its account, household and delegation", async () => {
    const { officer, jar } = await officerJar();
    const page = await getPage(server, "/officer/onboard", { jar });
    expect(page.status).toBe(200);
    expect(await mainText(page)).toContain("Cam kết với hộ");

    const sent = await postForm(server, "/officer/onboard", { ...household, intent: "send" }, { jar });
    expect(sent.status).toBe(200);
    expect(await mainText(sent)).toContain("Đã gửi mã đến số 0978 123 456");
    const code = codeIn(sentSmsForTests.get(E164)?.text);
    expect(code).toBeDefined();
    expect(sentSmsForTests.get(E164)!.text).toContain(officer.fullName);

    const wrong = await postForm(
      server,
      "/officer/onboard",
      { ...household, intent: "confirm", code: code === "000000" ? "111111" : "000000" },
      { jar },
    );
    expect(wrong.status).toBe(400);
    expect(await db.select().from(users).where(eq(users.phone, E164))).toEqual([]);

    const confirmed = await postForm(
      server,
      "/officer/onboard",
      { ...household, intent: "confirm", code: code! },
      { jar },
    );
    expect(confirmed.status).toBe(302);
    const [account] = await db.select().from(users).where(eq(users.phone, E164));
    expect(account).toMatchObject({ role: "farmer", passwordHash: null, fullName: "Nguyễn Thị Hoa" });
    const [made] = await db.select().from(households).where(eq(households.ownerUserId, account.id));
    expect(made).toMatchObject({
      createdByUserId: officer.id,
      communeCode: THANH_HA.communeCode,
      onboardingStep: "stall",
    });
    expect(confirmed.headers.get("Location")).toBe(`/officer/h/${made.id}/setup/stall`);
    const [consent] = await db.select().from(householdConsents).where(eq(householdConsents.householdId, made.id));
    expect(consent).toMatchObject({
      officerUserId: officer.id,
      phone: E164,
      statementVersion: CONSENT_STATEMENT_VERSION,
    });
    expect(await db.select().from(householdDelegations).where(eq(householdDelegations.householdId, made.id))).toEqual([
      expect.objectContaining({ officerUserId: officer.id, access: "edit", lapsedAt: null }),
    ]);
    const trail = await db.select().from(auditLog).where(eq(auditLog.householdId, made.id));
    expect(trail).toEqual([
      expect.objectContaining({
        actorUserId: officer.id,
        entity: "households",
        action: "insert",
        label: "Nguyễn Thị Hoa",
      }),
    ]);
    // The trail keeps the phone's last digits only.
    expect(JSON.stringify(trail[0].after)).not.toContain("978123456");
  });

  it("refuses a commune the officer does not cover, a number that runs a stall and a staff number, sending nothing", async () => {
    const { jar } = await officerJar(["10507"]);
    const notMine = await postForm(server, "/officer/onboard", { ...household, intent: "send" }, { jar });
    expect(notMine.status).toBe(400);
    expect(await mainText(notMine)).toContain("không phụ trách xã này");

    const { jar: mine } = await officerJar();
    const farmer = await createFarmerWithStall(db);
    const taken = await postForm(
      server,
      "/officer/onboard",
      { ...household, phone: farmer.user.phone, intent: "send" },
      { jar: mine },
    );
    expect(taken.status).toBe(400);
    expect(await mainText(taken)).toContain("Số này đã có gian hàng");

    const colleague = await createUser(db, { role: "officer" });
    const staff = await postForm(
      server,
      "/officer/onboard",
      { ...household, phone: colleague.phone, intent: "send" },
      { jar: mine },
    );
    expect(staff.status).toBe(400);
    expect(sentSmsForTests.size).toBe(0);
  });

  it("makes a buyer's own account the household's, keeping it", async () => {
    const buyer = await createUser(db, { role: "buyer", phone: E164, fullName: "Nguyễn Thị Hoa" });
    const { jar } = await officerJar();
    await postForm(server, "/officer/onboard", { ...household, intent: "send" }, { jar });
    const code = codeIn(sentSmsForTests.get(E164)?.text)!;
    const confirmed = await postForm(server, "/officer/onboard", { ...household, intent: "confirm", code }, { jar });
    expect(confirmed.status).toBe(302);
    expect((await db.select().from(households).where(eq(households.ownerUserId, buyer.id))).length).toBe(1);
    expect((await db.select({ role: users.role }).from(users).where(eq(users.id, buyer.id)))[0].role).toBe("farmer");
  });

  it("is the officer's page only", async () => {
    const farmer = await createFarmerWithStall(db);
    const res = await getPage(server, "/officer/onboard", { jar: new CookieJar(await signedIn(farmer.user.id)) });
    expect(res.status).toBe(403);
  });
});

describe("acting for a household", () => {
  it("runs the farmer's own wizard under the household's URL, with the banner, and records each change", async () => {
    const farmer = await createFarmerWithStall(db, {
      household: { onboardingStep: "stall" },
      stall: { status: "draft", publishedAt: null },
    });
    const { officer, jar } = await officerJar(undefined, [{ householdId: farmer.household.id }]);
    const base = `/officer/h/${farmer.household.id}`;

    const page = await getPage(server, `${base}/setup/stall`, { jar });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`Đang làm thay cho hộ ${farmer.household.name}`);
    // Its links stay under the household's URL.
    expect(html).not.toMatch(/href="\/setup\//);

    const saved = await postForm(
      server,
      `${base}/setup/stall`,
      { name: "Vườn cam bà Hoa", slug: "vuon-cam-ba-hoa", description: "Cam sành" },
      { jar },
    );
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe(`${base}/setup/product`);
    const [stall] = await db.select().from(stalls).where(eq(stalls.id, farmer.stall.id));
    expect(stall.name).toBe("Vườn cam bà Hoa");

    const trail = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.householdId, farmer.household.id), eq(auditLog.entity, "stalls")));
    expect(trail).toEqual([
      expect.objectContaining({
        actorUserId: officer.id,
        actorName: officer.fullName,
        action: "update",
        before: expect.objectContaining({ name: farmer.stall.name }),
        after: expect.objectContaining({ name: "Vườn cam bà Hoa", description: "Cam sành" }),
      }),
    ]);
    // A household step reached is in the trail too, and in step_reached_at.
    const [h] = await db.select().from(households).where(eq(households.id, farmer.household.id));
    expect(h.onboardingStep).toBe("product");
    expect(h.stepReachedAt.getTime()).toBeGreaterThan(farmer.household.stepReachedAt.getTime());
  });

  it("answers 404 for a household without a delegation, one in another commune, or one that revoked it; 403 for a change when it is view only", async () => {
    const mine = await createFarmerWithStall(db);
    const other = await createFarmerWithStall(db);
    const { jar } = await officerJar(undefined, [{ householdId: mine.household.id, access: "view" }]);
    expect((await getPage(server, `/officer/h/${other.household.id}/seller`, { jar })).status).toBe(404);
    expect((await getPage(server, `/officer/h/not-a-uuid/seller`, { jar })).status).toBe(404);

    expect((await getPage(server, `/officer/h/${mine.household.id}/seller`, { jar })).status).toBe(200);
    const before = await trailLength();
    const refused = await postForm(
      server,
      `/officer/h/${mine.household.id}/seller?index`,
      { intent: "unpublish" },
      { jar },
    );
    expect(refused.status).toBe(403);
    expect((await db.select().from(stalls).where(eq(stalls.id, mine.stall.id)))[0].status).toBe("published");
    expect(await trailLength()).toBe(before);

    const elsewhere = await createFarmerWithStall(db, { household: { communeCode: "10507" } });
    const { jar: outside } = await officerJar(undefined, [{ householdId: elsewhere.household.id }]);
    expect((await getPage(server, `/officer/h/${elsewhere.household.id}/seller`, { jar: outside })).status).toBe(404);

    const { jar: revoked } = await officerJar(undefined, [{ householdId: mine.household.id, access: "none" }]);
    expect((await getPage(server, `/officer/h/${mine.household.id}/seller`, { jar: revoked })).status).toBe(404);

    // The farmer and a buyer do not pass as officers.
    expect(
      (
        await getPage(server, `/officer/h/${mine.household.id}/seller`, {
          jar: new CookieJar(await signedIn(mine.user.id)),
        })
      ).status,
    ).toBe(404);
  });
});

/** Drizzle wraps the database's error: its cause says why. */
const refusedAsAppendOnly = (error: unknown) => /append-only/.test(String((error as Error).cause ?? error));

describe("the audit trail", () => {
  it("cannot be changed or emptied, and outlives the household", async () => {
    const farmer = await createFarmerWithStall(db);
    const officer = await createOfficer(db);
    await delegate(db, officer.id, farmer.household.id);
    await db.insert(auditLog).values({
      actorUserId: officer.id,
      actorName: officer.fullName,
      actorRole: "officer",
      householdId: farmer.household.id,
      entity: "listings",
      entityId: "x",
      action: "update",
      label: "Vải thiều",
    });
    await expect(db.execute(sql`UPDATE audit_log SET label = 'khác'`)).rejects.toSatisfy(refusedAsAppendOnly);
    await expect(db.execute(sql`DELETE FROM audit_log`)).rejects.toSatisfy(refusedAsAppendOnly);
    await expect(db.execute(sql`TRUNCATE audit_log`)).rejects.toSatisfy(refusedAsAppendOnly);
    await db.delete(households).where(eq(households.id, farmer.household.id));
    await db.delete(users).where(eq(users.id, officer.id));
    expect(await db.select().from(auditLog).where(eq(auditLog.householdId, farmer.household.id))).toHaveLength(1);
  });
});
