/**
 * Hand-over (issue 16 item 4), through the routes as a browser posts them: a
 * household an officer registered (its account without a password) is taken
 * by the farmer on their own phone — sign-up's code, then a password — and
 * lands on /seller/handover; what they choose there is what the officer's
 * next request may do ("view": reads yes, changes 403; "none": 404). The
 * farmer changes it later from the dashboard; an officer acting for the
 * household cannot (403, nothing changed). /admin/audit is for admins only.
 */
import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, householdDelegations, households, officerCommunes, users } from "#db/schema";
import { createFarmerWithStall, createUser, THANH_HA } from "#tests/fixtures/factories";
import { call, get, postForm, signedIn } from "#tests/harness/routes";
import { verifyPassword } from "~/auth/password.server";
import { sentSmsForTests } from "~/notifications/sms.server";
import { requireActingStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { CookieJar, getPage, mainText } from "../../tests/http/forms";
import { serveAppForThisFile } from "../../tests/http/server";
import { loader as auditLoader } from "./admin.audit";
import { action as passwordAction } from "./password.new";
import { loader as dashboardLoader } from "./seller._index";
import { action as officersAction } from "./seller.officers";
import { loader as trailLoader } from "./seller.trail";
import { action as handoverAction, loader as handoverLoader } from "./seller_.handover";
import { action as signupAction } from "./signup";
import { action as signupCodeAction } from "./signup_.code";

const PASSWORD = "vuon-vai-nha-toi-2026";
const server = serveAppForThisFile();
const officer = await createUser(db, { role: "officer", fullName: "Phạm Thị Ngọc" });
await db.insert(officerCommunes).values({ officerUserId: officer.id, communeCode: THANH_HA.communeCode });
const asOfficer = await signedIn(officer.id);

let seq = 0;
/** Its own number per household (the factories' 038 range is theirs): Vinaphone 091. */
const newPhone = () => `+8491${String(process.pid % 1000).padStart(3, "0")}${String(++seq).padStart(4, "0")}`;
const typed = (e164: string) => e164.replace(/^\+84/, "0");
const codeIn = (text: string | undefined) => /\b(\d{6})\b/.exec(text ?? "")?.[1];

/** A change the officer made, as the trail records it. */
const officerChanged = (
  householdId: string,
  change: Pick<typeof auditLog.$inferInsert, "entity" | "entityId" | "before" | "after" | "label">,
) =>
  db.insert(auditLog).values({
    actorUserId: officer.id,
    actorName: officer.fullName,
    actorRole: "officer",
    householdId,
    action: "update",
    ...change,
  });

/** A household as assisted onboarding leaves it: account without password, made by the officer, "edit" delegated. */
async function officerMadeHousehold() {
  const phone = newPhone();
  const made = await createFarmerWithStall(db, {
    user: { phone, fullName: "Nguyễn Thị Hoa", passwordHash: null },
    household: { createdByUserId: officer.id, name: "Hộ Nguyễn Thị Hoa" },
  });
  await db.insert(householdDelegations).values({
    householdId: made.household.id,
    officerUserId: officer.id,
    access: "edit",
  });
  return { ...made, phone };
}

async function delegation(householdId: string) {
  const [row] = await db
    .select()
    .from(householdDelegations)
    .where(and(eq(householdDelegations.householdId, householdId), eq(householdDelegations.officerUserId, officer.id)));
  return row;
}

/** The officer's request under the household's prefix, through the one guard. */
async function officerRequest(householdId: string, method: "GET" | "POST") {
  const request = new Request(`http://localhost/officer/h/${householdId}/seller/listings/new`, {
    method,
    headers: { Cookie: asOfficer },
    ...(method === "POST" ? { body: new URLSearchParams({ title: "x" }) } : {}),
  });
  try {
    const acting = await requireActingStall(request);
    return { status: 200, access: acting.access };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, access: null };
    throw thrown;
  }
}

/** /signup → code from the SMS → /password/new: the farmer's own phone takes the account. */
async function takeOver(phone: string) {
  const asked = await postForm(signupAction, "/signup", { intent: "request", phone: typed(phone), website: "" });
  expect(asked.status).toBe(302);
  const code = codeIn(sentSmsForTests.get(phone)?.text);
  expect(code).toBeDefined();
  const proved = await postForm(signupCodeAction, asked.location!, {
    intent: "verify",
    phone: typed(phone),
    code: code!,
  });
  expect(proved.location).toMatch(/^\/password\/new/);
  const set = await postForm(passwordAction, proved.location!, { password: PASSWORD }, { cookie: proved.setCookie! });
  return set;
}

describe("hand-over", () => {
  it("the farmer sets a password on their phone, lands on /seller/handover, and 'view only' stops the officer's changes", async () => {
    const { household, phone, user } = await officerMadeHousehold();
    expect(await officerRequest(household.id, "POST")).toEqual({ status: 200, access: "edit" });

    const set = await takeOver(phone);
    expect(set.status).toBe(302);
    expect(set.location).toBe("/seller/handover");
    const [account] = await db.select().from(users).where(eq(users.id, user.id));
    expect(await verifyPassword(PASSWORD, account.passwordHash!)).toBe(true);
    const [after] = await db.select().from(households).where(eq(households.id, household.id));
    expect(after.handedOverAt).not.toBeNull();

    const asFarmer = set.setCookie!;
    const page = await get<{ officers: { name: string; access: string }[] }>(handoverLoader, "/seller/handover", {
      cookie: asFarmer,
    });
    expect(page.status).toBe(200);
    expect(page.data.officers).toEqual([{ id: officer.id, name: "Phạm Thị Ngọc", access: "edit" }]);

    const chosen = await postForm(handoverAction, "/seller/handover", { access: "view" }, { cookie: asFarmer });
    expect(chosen.status).toBe(302);
    expect(chosen.location).toBe("/seller");
    expect((await delegation(household.id)).access).toBe("view");

    expect(await officerRequest(household.id, "POST")).toEqual({ status: 403, access: null });
    expect(await officerRequest(household.id, "GET")).toEqual({ status: 200, access: "view" });

    // The farmer's choice is in the trail, as the farmer's.
    const trail = await db.select().from(auditLog).where(eq(auditLog.householdId, household.id));
    expect(trail).toMatchObject([
      { entity: "household_delegations", actorUserId: user.id, actorRole: "farmer", after: { access: "view" } },
    ]);

    // A second password (forgotten, later) hands nothing over again.
    const [again] = await db.select().from(households).where(eq(households.id, household.id));
    expect(again.handedOverAt).toEqual(after.handedOverAt);
  });

  it("'none' from the dashboard shuts the officer out (404), and 'edit' gives it back", async () => {
    const { household, user } = await officerMadeHousehold();
    const asFarmer = await signedIn(user.id);

    const dashboard = await get<{ officers: { id: string; access: string }[]; ownerView: boolean }>(
      dashboardLoader,
      "/seller",
      { cookie: asFarmer },
    );
    expect(dashboard.data.ownerView).toBe(true);
    expect(dashboard.data.officers).toMatchObject([{ id: officer.id, access: "edit", lapsed: false }]);

    const revoked = await postForm(
      officersAction,
      "/seller/officers",
      { officerUserId: officer.id, access: "none" },
      { cookie: asFarmer },
    );
    expect(revoked.status).toBe(302);
    expect((await delegation(household.id)).access).toBe("none");
    expect(await officerRequest(household.id, "GET")).toEqual({ status: 404, access: null });

    await postForm(
      officersAction,
      "/seller/officers",
      { officerUserId: officer.id, access: "edit" },
      { cookie: asFarmer },
    );
    expect(await officerRequest(household.id, "POST")).toEqual({ status: 200, access: "edit" });

    // Bad input changes nothing.
    const bad = await postForm(
      officersAction,
      "/seller/officers",
      { officerUserId: officer.id, access: "owner" },
      { cookie: asFarmer },
    );
    expect(bad.status).toBe(302);
    expect((await delegation(household.id)).access).toBe("edit");
  });

  it("an officer acting for the household cannot change delegations, nor see the hand-over choice (403, nothing changed)", async () => {
    const { household } = await officerMadeHousehold();
    const prefix = `/officer/h/${household.id}`;
    const trailBefore = (await db.select({ n: count() }).from(auditLog))[0].n;

    const posted = await call(officersAction, `${prefix}/seller/officers`, {
      params: { householdId: household.id },
      cookies: [asOfficer],
      form: { officerUserId: officer.id, access: "edit" },
    });
    expect(posted.status).toBe(403);
    const handover = await call(handoverAction, `${prefix}/seller/handover`, {
      params: { householdId: household.id },
      cookies: [asOfficer],
      form: { access: "edit" },
    });
    expect(handover.status).toBe(403);
    expect((await get(handoverLoader, `${prefix}/seller/handover`, { cookie: asOfficer })).status).toBe(403);

    expect((await delegation(household.id)).access).toBe("edit");
    expect((await db.select({ n: count() }).from(auditLog))[0].n).toBe(trailBefore);

    // The officer sees the card without its forms, and may read the trail.
    const dashboard = await get<{ ownerView: boolean }>(dashboardLoader, `${prefix}/seller`, { cookie: asOfficer });
    expect(dashboard.data.ownerView).toBe(false);
    expect((await get(trailLoader, `${prefix}/seller/trail`, { cookie: asOfficer })).status).toBe(200);
  });

  it("the farmer's dashboard and /seller/trail tell the officer's changes in words", async () => {
    const { household, stall, user } = await officerMadeHousehold();
    await officerChanged(household.id, {
      entity: "stalls",
      entityId: stall.id,
      before: { name: "Vườn cũ" },
      after: { name: "Vườn vải Hoa" },
      label: "Vườn vải Hoa",
    });
    const asFarmer = await signedIn(user.id);
    const dashboard = await get<{ trail: { lines: { sentences: string[] }[] } }>(dashboardLoader, "/seller", {
      cookie: asFarmer,
    });
    expect(dashboard.data.trail.lines[0].sentences).toEqual([
      "Cán bộ Phạm Thị Ngọc đã sửa tên gian hàng «Vườn vải Hoa»: Vườn cũ → Vườn vải Hoa",
    ]);
    const trail = await get<{ lines: unknown[]; older: number | null }>(trailLoader, "/seller/trail", {
      cookie: asFarmer,
    });
    expect(trail.data.lines).toHaveLength(1);
    expect(trail.data.older).toBeNull();
  });
});

describe("/admin/audit", () => {
  it("is refused to officers and farmers, shown to admins with the household and filtered by officer", async () => {
    const { household, stall, user } = await officerMadeHousehold();
    await officerChanged(household.id, {
      entity: "stalls",
      entityId: stall.id,
      before: { cod_enabled: true },
      after: { cod_enabled: false },
      label: stall.name,
    });
    expect((await get(auditLoader, "/admin/audit", { cookie: asOfficer })).status).toBe(403);
    expect((await get(auditLoader, "/admin/audit", { cookie: await signedIn(user.id) })).status).toBe(403);
    expect((await get(auditLoader, "/admin/audit")).status).toBe(302);

    const admin = await createUser(db, { role: "admin", fullName: "Trần Quốc Bảo" });
    const page = await get<{ lines: { householdName: string; sentences: string[] }[] }>(
      auditLoader,
      `/admin/audit?officer=${officer.id}`,
      { cookie: await signedIn(admin.id) },
    );
    expect(page.status).toBe(200);
    expect(page.data.lines[0]).toMatchObject({
      householdName: "Hộ Nguyễn Thị Hoa",
      sentences: [`Cán bộ Phạm Thị Ngọc đã tắt thu tiền khi giao hàng (COD) cho gian hàng «${stall.name}»`],
    });
    const other = await get<{ lines: unknown[] }>(auditLoader, `/admin/audit?officer=${admin.id}`, {
      cookie: await signedIn(admin.id),
    });
    expect(other.data.lines).toEqual([]);
  });
});

describe("the pages, over HTTP", () => {
  it("draw the officers' card and the trail for the farmer, read-only for the officer, and the log for the admin", async () => {
    const { household, stall, user } = await officerMadeHousehold();
    await officerChanged(household.id, {
      entity: "listings",
      entityId: stall.id,
      before: { price_dong: 50000 },
      after: { price_dong: 60000 },
      label: "Vải thiều",
    });
    const farmer = new CookieJar(await signedIn(user.id));
    const dashboard = await mainText(await getPage(server, "/seller", { jar: farmer }));
    expect(dashboard).toContain("Cán bộ hỗ trợ");
    expect(dashboard).toContain("Quyền hiện tại: Sửa sản phẩm và đơn hàng");
    expect(dashboard).toContain("Đổi quyền của Phạm Thị Ngọc");
    expect(dashboard).toContain("Những thay đổi cán bộ đã làm");
    expect(dashboard).toMatch(/Cán bộ Phạm Thị Ngọc đã sửa giá «Vải thiều»: 50\.000\s₫ → 60\.000\s₫/);

    const handover = await getPage(server, "/seller/handover", { jar: farmer });
    expect(handover.status).toBe(200);
    expect(await mainText(handover)).toContain("Sửa sản phẩm và đơn hàng (đề xuất)");

    const asActing = new CookieJar(asOfficer);
    const acting = await mainText(await getPage(server, `/officer/h/${household.id}/seller`, { jar: asActing }));
    expect(acting).toContain("Chỉ chủ hộ mới đổi được quyền của cán bộ.");
    expect(acting).not.toContain("Đổi quyền của");

    const admin = await createUser(db, { role: "admin", fullName: "Trần Quốc Bảo" });
    const log = await mainText(await getPage(server, "/admin/audit", { jar: new CookieJar(await signedIn(admin.id)) }));
    expect(log).toMatch(/Hộ\s*:\s*Hộ Nguyễn Thị Hoa/);
    expect(log).toContain("Cán bộ Phạm Thị Ngọc đã sửa giá «Vải thiều»");
  });
});
