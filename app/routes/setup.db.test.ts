/**
 * The wizard's routes through their real loaders and actions: who may open
 * which step, hostile input refused with translated messages and nothing
 * saved, and edits after publishing returning to the dashboard.
 */
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { households, stalls } from "#db/schema";
import { createFarmerWithStall, createUser } from "#tests/fixtures/factories";
import { action as householdAction, loader as householdLoader } from "./setup.household";
import { action as paymentAction } from "./setup.payment";
import { action as reviewAction } from "./setup.review";
import { action as stallAction, loader as stallLoader } from "./setup.stall";
import { loader as resumeLoader } from "./setup._index";
import { call, signedIn } from "#tests/harness/routes";
import { parseVietQr } from "~/payments/vietqr/payload";
import { db } from "~/utils/db.server";

const householdCount = async () => (await db.select({ n: count() }).from(households))[0].n;
const stallCount = async () => (await db.select({ n: count() }).from(stalls))[0].n;

describe("opening the wizard", () => {
  it("sends an anonymous visitor to log in, and back afterwards", async () => {
    const res = await call(householdLoader, "/setup/household");
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login?redirectTo=%2Fsetup%2Fhousehold");
  });

  it("sends a new farmer from a later step, or from /setup, to the household step", async () => {
    const cookie = await signedIn((await createUser(db)).id);
    expect((await call(stallLoader, "/setup/stall", { cookies: [cookie] })).location).toBe("/setup/household");
    expect((await call(resumeLoader, "/setup", { cookies: [cookie] })).location).toBe("/setup/household");
  });

  it("sends a farmer whose stall is open to the dashboard from /setup", async () => {
    const { user } = await createFarmerWithStall(db);
    expect((await call(resumeLoader, "/setup", { cookies: [await signedIn(user.id)] })).location).toBe("/seller");
  });
});

describe("household step", () => {
  it("refuses empty and mismatched fields in Vietnamese, saving nothing", async () => {
    const user = await createUser(db);
    const cookie = await signedIn(user.id);
    const before = await householdCount();
    const empty = await call(householdAction, "/setup/household", { cookies: [cookie], form: { fullName: " " } });
    expect(empty.status).toBe(400);
    expect(empty.data.errors).toMatchObject({
      fullName: "Hãy nhập họ và tên.",
      provinceCode: "Hãy chọn tỉnh/thành phố.",
      communeCode: "Hãy chọn xã/phường.",
    });
    // Hà Nội with a commune of Hải Phòng: a farmer without JavaScript changed the province only.
    const mismatched = await call(householdAction, "/setup/household", {
      cookies: [cookie],
      form: {
        fullName: "Lê Văn Tám",
        kind: "household",
        provinceCode: "01",
        communeCode: "10813",
        addressLine: "Xóm 3",
      },
    });
    expect(mismatched.status).toBe(400);
    expect(mismatched.data.errors).toEqual({ communeCode: "Xã/phường này không thuộc tỉnh/thành đã chọn." });
    expect(mismatched.data.values).toMatchObject({ fullName: "Lê Văn Tám", addressLine: "Xóm 3" });
    expect(await householdCount()).toBe(before);
  });

  it("reloads the communes of a chosen province without JavaScript, saving nothing", async () => {
    const cookie = await signedIn((await createUser(db)).id);
    const before = await householdCount();
    const res = await call(householdAction, "/setup/household", {
      cookies: [cookie],
      form: { intent: "pick-province", fullName: "Lê Văn Tám", provinceCode: "31", communeCode: "" },
    });
    expect(res.status).toBe(200);
    expect(res.data.communes).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: "10813", fullName: "Xã Thanh Hà" })]),
    );
    expect(res.data.values).toMatchObject({ fullName: "Lê Văn Tám", provinceCode: "31" });
    expect(await householdCount()).toBe(before);
  });

  it("saves a valid household and moves on to the stall step", async () => {
    const cookie = await signedIn((await createUser(db)).id);
    const res = await call(householdAction, "/setup/household", {
      cookies: [cookie],
      form: {
        fullName: "Lê Văn Tám",
        kind: "cooperative",
        provinceCode: "31",
        communeCode: "10813",
        addressLine: "Xóm 3",
      },
    });
    expect(res).toMatchObject({ status: 302, location: "/setup/stall" });
  });
});

describe("stall step", () => {
  async function atStallStep() {
    const user = await createUser(db);
    const cookie = await signedIn(user.id);
    await call(householdAction, "/setup/household", {
      cookies: [cookie],
      form: {
        fullName: "Lê Văn Tám",
        kind: "household",
        provinceCode: "31",
        communeCode: "10813",
        addressLine: "Xóm 3",
      },
    });
    return cookie;
  }

  it("refuses a fake banner photo with a translated message and creates no stall", async () => {
    const cookie = await atStallStep();
    const before = await stallCount();
    const form = new FormData();
    form.append("name", "Vườn nhà Tám");
    form.append("slug", "");
    form.append("description", "");
    form.append(
      "banner",
      new Blob([new TextEncoder().encode("<html>not a photo</html>")], { type: "image/jpeg" }),
      "a.jpg",
    );
    const res = await call(stallAction, "/setup/stall", { cookies: [cookie], form });
    expect(res.status).toBe(400);
    expect(res.data.bannerError).toMatch(/ảnh/i);
    expect(res.data.values).toMatchObject({ name: "Vườn nhà Tám" });
    expect(await stallCount()).toBe(before);
  });

  it("refuses a reserved link and a link another stall has", async () => {
    const cookie = await atStallStep();
    const other = await createFarmerWithStall(db);
    const reserved = await call(stallAction, "/setup/stall", {
      cookies: [cookie],
      form: { name: "Vườn", slug: "admin", description: "" },
    });
    expect(reserved.data.errors).toEqual({ slug: "Link này dành riêng cho hệ thống. Hãy chọn link khác." });
    const taken = await call(stallAction, "/setup/stall", {
      cookies: [cookie],
      form: { name: "Vườn", slug: other.stall.slug, description: "" },
    });
    expect(taken.status).toBe(400);
    expect(taken.data.errors).toEqual({ slug: "Link này đã có gian hàng khác dùng. Hãy thêm tên xã hoặc tên bạn." });
  });
});

describe("after publishing", () => {
  it("edits return to the dashboard, and the payment preview is a 10.000 ₫ VietQR to the typed account", async () => {
    const { user, stall } = await createFarmerWithStall(db);
    const cookie = await signedIn(user.id);
    const fields = {
      cod: "on",
      "vietqr.enabled": "on",
      "vietqr.bankBin": "970436",
      "vietqr.accountNumber": "0011 0012 34567",
      "vietqr.accountName": "Nguyễn Văn Test",
    };
    const preview = await call(paymentAction, "/setup/payment", {
      cookies: [cookie],
      form: { ...fields, intent: "preview" },
    });
    expect(preview.status).toBe(200);
    const qr = preview.data.preview as { payload: string; accountName: string };
    expect(parseVietQr(qr.payload)).toMatchObject({ bin: "970436", accountNumber: "0011001234567", amountDong: 10000 });
    expect(qr.accountName).toBe("NGUYEN VAN TEST");
    // Previewing saved nothing.
    expect((await db.select().from(stalls).where(eq(stalls.id, stall.id)))[0].vietqrEnabled).toBe(false);

    const saved = await call(paymentAction, "/setup/payment", {
      cookies: [cookie],
      form: { ...fields, intent: "save" },
    });
    expect(saved).toMatchObject({ status: 302, location: "/seller" });
    expect((await db.select().from(stalls).where(eq(stalls.id, stall.id)))[0]).toMatchObject({
      vietqrEnabled: true,
      bankAccountName: "NGUYEN VAN TEST",
    });
  });

  it("publishing a stall with no product answers what is missing and keeps it closed", async () => {
    const { user, stall } = await createFarmerWithStall(db, { stall: { status: "draft", publishedAt: null } });
    const res = await call(reviewAction, "/setup/review", {
      cookies: [await signedIn(user.id)],
      form: { intent: "publish" },
    });
    expect(res.status).toBe(400);
    expect(res.data.problems).toEqual(["listing"]);
    expect((await db.select().from(stalls).where(eq(stalls.id, stall.id)))[0].status).toBe("draft");
  });
});
