/**
 * /admin/officers and /admin/officers/:officerId, called as a browser without
 * JavaScript posts them: only admins get in (nothing changes for anyone
 * else, rows counted before and after); a new officer by phone; bad input
 * told in the reader's language with nothing saved; communes replaced;
 * deactivation confirmed, then the officer's old cookie opens nothing and
 * their password is answered "deactivated"; reactivation.
 */
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { householdDelegations, officerCommunes, sessions, users } from "#db/schema";
import { createFarmerWithStall, createUser } from "#tests/fixtures/factories";
import { call, createAccount, englishCookie, get, postForm, signedIn } from "#tests/harness/routes";
import { CookieJar, getPage, mainText } from "../../tests/http/forms";
import { serveAppForThisFile } from "../../tests/http/server";
import { db } from "~/utils/db.server";
import { action as officerAction, loader as officerLoader } from "./admin.officers.$officerId";
import { action as listAction, loader as listLoader } from "./admin.officers._index";
import { action as loginAction } from "./login";
import { loader as workspaceLoader } from "./officer";

const server = serveAppForThisFile();

const THANH_HA = "10813";
const CAM_GIANG = "10903";
const TU_KY = "11074";

const admin = await createUser(db, { role: "admin", fullName: "Trần Quốc Bảo" });
const asAdmin = await signedIn(admin.id);
const farmer = await createFarmerWithStall(db);
const asFarmer = await signedIn(farmer.user.id);

let seq = 0;
const newPhone = () => `+8436${String(process.pid % 1000).padStart(3, "0")}${String(++seq).padStart(4, "0")}`;
const typed = (e164: string) => e164.replace(/^\+84/, "0");

const counts = async () => ({
  users: (await db.select({ n: count() }).from(users))[0].n,
  officers: (await db.select({ n: count() }).from(users).where(eq(users.role, "officer")))[0].n,
  communes: (await db.select({ n: count() }).from(officerCommunes))[0].n,
  deactivated: (await db.select({ at: users.deactivatedAt }).from(users).where(eq(users.role, "officer"))).filter(
    (u) => u.at,
  ).length,
});

type Answer = { errors: Record<string, string>; values: Record<string, string>; checked?: string[] };

const create = (fields: Record<string, string | string[]>, cookie = asAdmin) => {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields))
    for (const one of Array.isArray(value) ? value : [value]) form.append(name, one);
  return call<Answer>(listAction, "/admin/officers", { form, cookies: [cookie] });
};

async function newOfficer(communes = [THANH_HA]) {
  const phone = newPhone();
  const res = await create({ phone: typed(phone), fullName: "Phạm Thị Ngọc", communeCodes: communes });
  expect(res.status).toBe(302);
  const id = res.location!.split("/").pop()!;
  return { id, phone };
}

const onOfficer = (id: string, fields: Record<string, string | string[]>, cookie = asAdmin) => {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields))
    for (const one of Array.isArray(value) ? value : [value]) form.append(name, one);
  return call<Answer & { intent: string }>(officerAction, `/admin/officers/${id}`, {
    form,
    params: { officerId: id },
    cookies: [cookie],
  });
};

const codesOf = async (id: string) =>
  (await db.select().from(officerCommunes).where(eq(officerCommunes.officerUserId, id)))
    .map((r) => r.communeCode)
    .sort();

describe("who may manage officers", () => {
  it("is admins only: a visitor is sent to sign in, a farmer and an officer are refused, and nothing changes", async () => {
    const { id } = await newOfficer();
    const asOfficer = await signedIn(id);
    const before = await counts();

    const visitor = await get(listLoader, "/admin/officers");
    expect(visitor.status).toBe(302);
    expect(visitor.location).toBe("/login?redirectTo=%2Fadmin%2Fofficers");
    for (const cookie of [asFarmer, asOfficer]) {
      expect((await get(listLoader, "/admin/officers", { cookie })).status).toBe(403);
      expect(
        (await create({ phone: typed(newPhone()), fullName: "Kẻ Lạ", communeCodes: THANH_HA }, cookie)).status,
      ).toBe(403);
      expect(
        (await call(officerLoader, `/admin/officers/${id}`, { params: { officerId: id }, cookies: [cookie] })).status,
      ).toBe(403);
      const attempts: Record<string, string | string[]>[] = [
        { intent: "communes", communeCodes: [CAM_GIANG] },
        { intent: "deactivate", confirm: "yes" },
        { intent: "reactivate" },
      ];
      for (const fields of attempts) {
        expect((await onOfficer(id, fields, cookie)).status).toBe(403);
      }
    }
    expect((await onOfficer(id, { intent: "deactivate", confirm: "yes" }, "")).status).toBe(302);
    expect(await counts()).toEqual(before);
    expect(await codesOf(id)).toEqual([THANH_HA]);
  });

  it("answers 404 for a malformed id, an unknown one and a farmer's or an admin's, changing nothing", async () => {
    const before = await counts();
    for (const id of ["abc", "00000000-0000-4000-8000-000000000000", farmer.user.id, admin.id]) {
      expect(
        (await call(officerLoader, `/admin/officers/${id}`, { params: { officerId: id }, cookies: [asAdmin] })).status,
      ).toBe(404);
      expect((await onOfficer(id, { intent: "deactivate", confirm: "yes" })).status).toBe(404);
      expect((await onOfficer(id, { intent: "communes", communeCodes: [THANH_HA] })).status).toBe(404);
    }
    expect(await counts()).toEqual(before);
    const [farmerNow] = await db.select().from(users).where(eq(users.id, farmer.user.id));
    expect(farmerNow).toMatchObject({ role: "farmer", deactivatedAt: null });
  });
});

describe("/admin/officers", () => {
  it("lists officers with their communes and creates one by phone, to the officer's page", async () => {
    const phone = newPhone();
    const res = await create({ phone: typed(phone), fullName: "Lê Thị Hoa", communeCodes: [THANH_HA, TU_KY] });
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/admin\/officers\/[0-9a-f-]{36}$/);
    const [user] = await db.select().from(users).where(eq(users.phone, phone));
    expect(user).toMatchObject({ role: "officer", fullName: "Lê Thị Hoa", passwordHash: null });

    const page = await get<{ officers: { id: string; communes: { fullName: string }[] }[]; communes: unknown[] }>(
      listLoader,
      "/admin/officers?province=31",
      { cookie: asAdmin },
    );
    expect(page.status).toBe(200);
    expect(page.data.communes.length).toBeGreaterThan(3);
    const listed = page.data.officers.find((o) => o.id === user.id)!;
    expect(listed.communes.map((c) => c.fullName).sort()).toEqual(["Xã Thanh Hà", "Xã Tứ Kỳ"]);
  });

  it("tells bad input next to its field, in the reader's language, keeping what was typed and saving nothing", async () => {
    const before = await counts();
    const phone = typed(newPhone());
    const badPhone = await create({ phone: "0123", fullName: "Lê Thị Hoa", communeCodes: [THANH_HA] });
    expect(badPhone.status).toBe(400);
    expect(badPhone.data.errors.phone).toMatch(/^Số điện thoại không hợp lệ/);
    expect(badPhone.data.values).toEqual({ phone: "0123", fullName: "Lê Thị Hoa" });
    expect(badPhone.data.checked).toEqual([THANH_HA]);

    const noCommune = await create({ phone, fullName: "Lê Thị Hoa" });
    expect(noCommune.status).toBe(400);
    expect(noCommune.data.errors.communeCodes).toBe("Hãy chọn ít nhất một xã/phường");
    const unknown = await create({ phone, fullName: "Lê Thị Hoa", communeCodes: ["99999"] });
    expect(unknown.data.errors.communeCodes).toMatch(/không có trong danh mục/);

    const farmerPhone = await create({ phone: typed(farmer.user.phone), fullName: "Chủ Hộ", communeCodes: [THANH_HA] });
    expect(farmerPhone.status).toBe(400);
    expect(farmerPhone.data.errors.phone).toMatch(/Cán bộ không thể làm thay cho chính hộ mình/);

    const english = await call<Answer>(listAction, "/admin/officers", {
      form: { phone: typed(admin.phone), fullName: "Admin", communeCodes: THANH_HA },
      cookies: [asAdmin, await englishCookie()],
    });
    expect(english.data.errors.phone).toBe("This number is an administrator's account and cannot be an officer");
    expect(await counts()).toEqual(before);
  });

  it("makes a buyer's account an officer's; the buyer's password then signs in to the officer's workspace", async () => {
    const phone = newPhone();
    const account = await createAccount({ fullName: "Minh Anh", phone, password: "mua-vai-thieu-2026", role: "buyer" });
    if (!account.ok) throw new Error("account");
    const res = await create({ phone: typed(phone), fullName: "Nguyễn Minh Anh", communeCodes: [CAM_GIANG] });
    expect(res.location).toBe(`/admin/officers/${account.user.id}`);
    const login = await postForm(loginAction, "/login", {
      phone: typed(phone),
      password: "mua-vai-thieu-2026",
      website: "",
    });
    expect(login.status).toBe(302);
    expect(login.location).toBe("/officer");
  });
});

describe("/admin/officers/:officerId", () => {
  it("replaces the communes; a bad choice is told and changes nothing", async () => {
    const { id } = await newOfficer([THANH_HA]);
    const page = await call<{ officer: { fullName: string }; province: string }>(
      officerLoader,
      `/admin/officers/${id}`,
      {
        params: { officerId: id },
        cookies: [asAdmin],
      },
    );
    expect(page.status).toBe(200);
    expect(page.data.province).toBe("31");

    const saved = await onOfficer(id, { intent: "communes", communeCodes: [CAM_GIANG, TU_KY] });
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`/admin/officers/${id}`);
    expect(await codesOf(id)).toEqual([CAM_GIANG, TU_KY]);

    const bad = await onOfficer(id, { intent: "communes", communeCodes: [CAM_GIANG, "99999"] });
    expect(bad.status).toBe(400);
    expect(bad.data.errors.communeCodes).toMatch(/không có trong danh mục/);
    const none = await onOfficer(id, { intent: "communes" });
    expect(none.status).toBe(400);
    expect(await codesOf(id)).toEqual([CAM_GIANG, TU_KY]);
  });

  it("deactivates only when confirmed: the old cookie opens nothing, the password says why; reactivating keeps delegations lapsed", async () => {
    const phone = newPhone();
    const password = "khuyen-nong-Thanh-Ha";
    const account = await createAccount({ fullName: "Cán Bộ", phone, password, role: "buyer" });
    if (!account.ok) throw new Error("account");
    const res = await create({ phone: typed(phone), fullName: "Đỗ Văn Cán", communeCodes: [THANH_HA] });
    const id = res.location!.split("/").pop()!;
    const household = (await createFarmerWithStall(db, { household: { createdByUserId: id } })).household;
    await db.insert(householdDelegations).values({ householdId: household.id, officerUserId: id, access: "edit" });
    const asOfficer = await signedIn(id);
    expect((await get(workspaceLoader, "/officer", { cookie: asOfficer })).status).toBe(200);

    const before = await counts();
    const unconfirmed = await onOfficer(id, { intent: "deactivate" });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.data.errors.confirm).toMatch(/đánh dấu ô xác nhận/);
    expect(await counts()).toEqual(before);
    expect((await get(workspaceLoader, "/officer", { cookie: asOfficer })).status).toBe(200);

    const done = await onOfficer(id, { intent: "deactivate", confirm: "yes" });
    expect(done.status).toBe(302);
    expect((await counts()).deactivated).toBe(before.deactivated + 1);
    expect((await db.select().from(sessions).where(eq(sessions.userId, id))).length).toBe(0);
    const old = await get(workspaceLoader, "/officer", { cookie: asOfficer });
    expect(old.status).toBe(302);
    expect(old.location).toBe("/login?redirectTo=%2Fofficer");
    const [lapsed] = await db.select().from(householdDelegations).where(eq(householdDelegations.officerUserId, id));
    expect(lapsed.lapsedAt).toBeInstanceOf(Date);

    const login = await postForm(loginAction, "/login", { phone: typed(phone), password, website: "" });
    expect(login.status).toBe(403);
    expect(login.data.errors.form).toMatch(/^Tài khoản này đã bị ngừng hoạt động/);
    expect(login.setCookie).toBeNull();

    const back = await onOfficer(id, { intent: "reactivate" });
    expect(back.status).toBe(302);
    const [user] = await db.select().from(users).where(eq(users.id, id));
    expect(user.deactivatedAt).toBeNull();
    const [still] = await db.select().from(householdDelegations).where(eq(householdDelegations.officerUserId, id));
    expect(still.lapsedAt).toEqual(lapsed.lapsedAt);
    const again = await postForm(loginAction, "/login", { phone: typed(phone), password, website: "" });
    expect(again.status).toBe(302);
    expect(again.location).toBe("/officer");
  });
});

describe("the pages, as an admin's browser shows them", () => {
  it("lists the officer, says how they set a password, and offers the account menu's entries", async () => {
    const { id } = await newOfficer([THANH_HA, TU_KY]);
    await db.update(users).set({ fullName: "Phan Thị Hiền" }).where(eq(users.id, id));
    const jar = new CookieJar(asAdmin);
    const list = await getPage(server, "/admin/officers", { jar });
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain('href="/admin/officers"');
    expect(html).toContain('href="/admin/reports"');
    const text = await mainText(new Response(html));
    expect(text).toContain("Phan Thị Hiền");
    expect(text).toContain("Chưa đặt mật khẩu");
    expect(text).toContain("vào trang Đăng ký hoặc Quên mật khẩu với số này để đặt mật khẩu");
    expect(text).toContain("Xã Thanh Hà, Xã Tứ Kỳ");

    const page = await getPage(server, `/admin/officers/${id}`, { jar });
    expect(page.status).toBe(200);
    const pageText = await mainText(page);
    expect(pageText).toContain("Đang phụ trách: Xã Thanh Hà, Xã Tứ Kỳ");
    expect(pageText).toContain("Ngừng hoạt động tài khoản");
    expect((await getPage(server, "/admin/officers/abc", { jar })).status).toBe(404);

    const officerPage = await getPage(server, "/officer", { jar: new CookieJar(await signedIn(id)) });
    expect(await officerPage.text()).toContain('href="/officer"');
  });
});
