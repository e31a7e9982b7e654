/**
 * An admin manages officers (ADR 026): one phone is one account — a new
 * number becomes a passwordless officer, a buyer's becomes an officer with
 * its password, a farmer with a household or an admin is refused; communes
 * are replaced as a set; deactivating ends the sessions, lapses the
 * delegations and refuses sign-in by password, by code and by an old cookie;
 * reactivating gives back the sign-in and nothing else.
 */
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { householdDelegations, households, officerCommunes, sessions, users } from "#db/schema";
import { createFarmerWithStall, createUser, THANH_HA } from "#tests/fixtures/factories";
import { createAccount, signedIn } from "#tests/harness/routes";
import { logInWithPassword } from "~/auth/accounts.server";
import { createCode } from "~/auth/otp.server";
import { issueProof, verifyPhoneCode } from "~/auth/phone-proof.server";
import { getUser } from "~/auth/session.server";
import { db } from "~/utils/db.server";
import {
  assignCommunes,
  createOfficer,
  deactivateOfficer,
  getOfficer,
  listOfficers,
  OfficerAdminError,
  reactivateOfficer,
} from "./index.server";

/** Xã Thanh Hà, Xã Cẩm Giàng, Xã Tứ Kỳ: Hải Phòng communes built into the migrations. */
const COMMUNES = ["10813", "10903", "11074"];
const admin = await createUser(db, { role: "admin", fullName: "Trần Quốc Bảo" });
let seq = 0;
/** A Viettel 037 number (the factories use 038). */
const newPhone = () => `+8437${String(process.pid % 1000).padStart(3, "0")}${String(++seq).padStart(4, "0")}`;
const asTyped = (e164: string) => e164.replace(/^\+84/, "0");

const totals = async () => ({
  users: (await db.select({ n: count() }).from(users))[0].n,
  officerCommunes: (await db.select({ n: count() }).from(officerCommunes))[0].n,
});

async function refusal(promise: Promise<unknown>): Promise<OfficerAdminError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OfficerAdminError);
  return error as OfficerAdminError;
}

const codesOf = async (officerId: string) =>
  (
    await db
      .select({ code: officerCommunes.communeCode })
      .from(officerCommunes)
      .where(eq(officerCommunes.officerUserId, officerId))
  )
    .map((r) => r.code)
    .sort();

const cookieRequest = (cookie: string) => new Request("http://localhost/officer", { headers: { Cookie: cookie } });

describe("createOfficer", () => {
  it("gives a new number a passwordless officer account covering the communes", async () => {
    const phone = newPhone();
    const created = await createOfficer(db, {
      phone: ` ${asTyped(phone).replace(/(\d{4})(\d{3})(\d{3})/, "$1 $2 $3")} `,
      fullName: "  Phạm   Thị Ngọc ",
      communeCodes: [COMMUNES[0], COMMUNES[1], COMMUNES[0]],
      adminUserId: admin.id,
    });
    expect(created).toEqual({ officerId: expect.any(String), outcome: "created", needsPassword: true });
    const [user] = await db.select().from(users).where(eq(users.id, created.officerId));
    expect(user).toMatchObject({ phone, fullName: "Phạm Thị Ngọc", role: "officer", passwordHash: null });
    expect(await codesOf(created.officerId)).toEqual([COMMUNES[0], COMMUNES[1]]);

    const listed = (await listOfficers(db)).find((o) => o.id === created.officerId)!;
    expect(listed).toMatchObject({ hasPassword: false, deactivatedAt: null, householdsOnboarded: 0 });
    expect(listed.communes.map((c) => c.code).sort()).toEqual([COMMUNES[0], COMMUNES[1]]);
    expect(listed.communes.find((c) => c.code === COMMUNES[0])?.fullName).toBe("Xã Thanh Hà");
  });

  it("lets the new officer set a password through sign-up's set-password step", async () => {
    const phone = newPhone();
    const { officerId } = await createOfficer(db, {
      phone,
      fullName: "Lê Văn Cán",
      communeCodes: [COMMUNES[0]],
      adminUserId: admin.id,
    });
    // /signup with a passwordless number: its right code opens /password/new, not a second account.
    const code = await createCode(phone, "signup");
    const verified = await verifyPhoneCode("signup", { phone, code, ip: "198.51.100.1" });
    expect(verified).toMatchObject({ ok: true, outcome: "set-password" });
    const resetCode = await createCode(phone, "reset");
    expect(await verifyPhoneCode("reset", { phone, code: resetCode, ip: "198.51.100.1" })).toMatchObject({
      ok: true,
      outcome: "set-password",
    });
    expect(await getOfficer(db, officerId)).toMatchObject({ hasPassword: false });
  });

  it("makes a buyer's account an officer's, keeping its password", async () => {
    const phone = newPhone();
    const account = await createAccount({ fullName: "Minh Anh", phone, password: "mua-vai-thieu-2026", role: "buyer" });
    if (!account.ok) throw new Error("account");
    const created = await createOfficer(db, {
      phone: asTyped(phone),
      fullName: "Nguyễn Minh Anh",
      communeCodes: [COMMUNES[2]],
      adminUserId: admin.id,
    });
    expect(created).toEqual({ officerId: account.user.id, outcome: "promoted", needsPassword: false });
    const login = await logInWithPassword({ phone, password: "mua-vai-thieu-2026", ip: "198.51.100.2" });
    expect(login).toMatchObject({
      ok: true,
      user: { id: account.user.id, role: "officer", fullName: "Nguyễn Minh Anh" },
    });
  });

  it("refuses a farmer who owns a household, an admin, an officer, a bad phone and an unknown commune, changing nothing", async () => {
    const farmer = await createFarmerWithStall(db);
    const officer = await createOfficer(db, {
      phone: newPhone(),
      fullName: "Đã Là Cán Bộ",
      communeCodes: [COMMUNES[0]],
      adminUserId: admin.id,
    });
    const officerPhone = (await getOfficer(db, officer.officerId))!.phone;
    const before = await totals();
    const attempt = (phone: string, communeCodes = [COMMUNES[0]], fullName = "Người Thử") =>
      refusal(createOfficer(db, { phone, fullName, communeCodes, adminUserId: admin.id }));

    expect((await attempt(farmer.user.phone)).fields).toEqual({ phone: "officers.errors.phone.farmer" });
    expect((await attempt(admin.phone)).fields).toEqual({ phone: "officers.errors.phone.admin" });
    expect((await attempt(officerPhone)).fields).toEqual({ phone: "officers.errors.phone.alreadyOfficer" });
    expect((await attempt("024 3826 1234")).fields).toEqual({ phone: "officers.errors.phone.landline" });
    expect((await attempt("")).fields).toEqual({ phone: "officers.errors.phone.empty" });
    expect((await attempt("09123")).fields).toEqual({ phone: "officers.errors.phone.invalid" });
    expect((await attempt(newPhone(), ["99999"])).fields).toEqual({ communeCodes: "officers.errors.communes.unknown" });
    expect((await attempt(newPhone(), ["x'; drop"])).fields).toEqual({
      communeCodes: "officers.errors.communes.unknown",
    });
    expect((await attempt(newPhone(), [])).fields).toEqual({ communeCodes: "officers.errors.communes.required" });
    expect((await attempt(newPhone(), [COMMUNES[0]], "1")).fields).toEqual({
      fullName: "officers.errors.fullName.tooShort",
    });
    expect(await totals()).toEqual(before);
    const [farmerNow] = await db.select().from(users).where(eq(users.id, farmer.user.id));
    expect(farmerNow.role).toBe("farmer");
  });

  it("makes a farmer account that owns no household an officer (nothing of theirs to audit)", async () => {
    const user = await createUser(db, { role: "farmer" });
    const created = await createOfficer(db, {
      phone: user.phone,
      fullName: "Vũ Thị Hoa",
      communeCodes: [COMMUNES[0]],
      adminUserId: admin.id,
    });
    expect(created).toMatchObject({ officerId: user.id, outcome: "promoted", needsPassword: true });
  });
});

describe("assignCommunes", () => {
  it("replaces the set, keeping when the kept ones were assigned; several officers share a commune", async () => {
    const one = await createOfficer(db, {
      phone: newPhone(),
      fullName: "Cán Bộ Một",
      communeCodes: [COMMUNES[0], COMMUNES[1]],
      adminUserId: admin.id,
    });
    const two = await createOfficer(db, {
      phone: newPhone(),
      fullName: "Cán Bộ Hai",
      communeCodes: [COMMUNES[0]],
      adminUserId: admin.id,
    });
    const assignedAt = async (code: string) =>
      (await db.select().from(officerCommunes).where(eq(officerCommunes.officerUserId, one.officerId))).find(
        (r) => r.communeCode === code,
      )?.assignedAt;
    const firstAssigned = await assignedAt(COMMUNES[0]);

    expect(await assignCommunes(db, one.officerId, [COMMUNES[2], COMMUNES[0]], admin.id)).toEqual([
      COMMUNES[0],
      COMMUNES[2],
    ]);
    expect(await codesOf(one.officerId)).toEqual([COMMUNES[0], COMMUNES[2]]);
    expect(await codesOf(two.officerId)).toEqual([COMMUNES[0]]);
    expect(await assignedAt(COMMUNES[0])).toEqual(firstAssigned);

    // Bad input changes nothing.
    await refusal(assignCommunes(db, one.officerId, ["99999"], admin.id));
    await refusal(assignCommunes(db, one.officerId, [], admin.id));
    expect(await codesOf(one.officerId)).toEqual([COMMUNES[0], COMMUNES[2]]);
  });

  it("answers not found for a malformed id, an unknown one and another role's", async () => {
    const farmer = await createUser(db, { role: "farmer" });
    for (const id of ["not-a-uuid", "00000000-0000-4000-8000-000000000000", farmer.id, admin.id]) {
      expect((await refusal(assignCommunes(db, id, [COMMUNES[0]], admin.id))).code).toBe("not_found");
      expect((await refusal(deactivateOfficer(db, id))).code).toBe("not_found");
      expect(await getOfficer(db, id)).toBeNull();
    }
    expect(await codesOf(farmer.id)).toEqual([]);
    const [adminNow] = await db.select().from(users).where(eq(users.id, admin.id));
    expect(adminNow.deactivatedAt).toBeNull();
  });
});

describe("deactivate and reactivate", () => {
  it("ends the sessions, lapses the delegations and refuses every sign-in; reactivating brings back sign-in only", async () => {
    const phone = newPhone();
    const password = "khuyen-nong-Thanh-Ha";
    const account = await createAccount({ fullName: "Cán Bộ Ba", phone, password, role: "buyer" });
    if (!account.ok) throw new Error("account");
    const { officerId } = await createOfficer(db, {
      phone,
      fullName: "Cán Bộ Ba",
      communeCodes: [COMMUNES[0]],
      adminUserId: admin.id,
    });
    // The officer onboarded two households and acts for them; an earlier delegation had already lapsed.
    const mine = await Promise.all(
      [1, 2, 3].map(
        async () => (await createFarmerWithStall(db, { household: { createdByUserId: officerId } })).household,
      ),
    );
    const earlier = new Date("2026-01-01T00:00:00Z");
    await db.insert(householdDelegations).values([
      { householdId: mine[0].id, officerUserId: officerId, access: "edit" },
      { householdId: mine[1].id, officerUserId: officerId, access: "view" },
      { householdId: mine[2].id, officerUserId: officerId, access: "edit", lapsedAt: earlier },
    ]);
    const other = await createOfficer(db, {
      phone: newPhone(),
      fullName: "Cán Bộ Khác",
      communeCodes: [COMMUNES[0]],
      adminUserId: admin.id,
    });
    await db.insert(householdDelegations).values({ householdId: mine[0].id, officerUserId: other.officerId });
    const cookie = await signedIn(officerId);
    const otherCookie = await signedIn(other.officerId);
    expect(await getUser(cookieRequest(cookie))).toMatchObject({ id: officerId, role: "officer" });
    expect((await listOfficers(db)).find((o) => o.id === officerId)).toMatchObject({
      householdsOnboarded: 3,
      activeDelegations: 2,
    });

    expect(await deactivateOfficer(db, officerId)).toEqual({ lapsed: 2 });

    const officer = await getOfficer(db, officerId);
    expect(officer?.deactivatedAt).toBeInstanceOf(Date);
    expect(officer?.activeDelegations).toBe(0);
    expect((await db.select().from(sessions).where(eq(sessions.userId, officerId))).length).toBe(0);
    expect(await getUser(cookieRequest(cookie))).toBeNull();
    const delegations = await db
      .select()
      .from(householdDelegations)
      .where(eq(householdDelegations.officerUserId, officerId));
    expect(delegations.every((d) => d.lapsedAt instanceof Date)).toBe(true);
    expect(delegations.find((d) => d.householdId === mine[2].id)?.lapsedAt).toEqual(earlier);
    // Nobody else's session or delegation is touched.
    expect(await getUser(cookieRequest(otherCookie))).toMatchObject({ id: other.officerId });
    const [othersDelegation] = await db
      .select()
      .from(householdDelegations)
      .where(eq(householdDelegations.officerUserId, other.officerId));
    expect(othersDelegation.lapsedAt).toBeNull();

    // The right password and the right code say "deactivated"; a wrong password says what it always says.
    expect(await logInWithPassword({ phone, password, ip: "198.51.100.3" })).toEqual({
      ok: false,
      reason: "deactivated",
    });
    expect(await logInWithPassword({ phone, password: "sai-mat-khau-roi", ip: "198.51.100.3" })).toEqual({
      ok: false,
      reason: "wrong",
    });
    for (const flow of ["login", "reset"] as const) {
      const code = await createCode(phone, flow);
      expect(await verifyPhoneCode(flow, { phone, code, ip: "198.51.100.3" })).toEqual({
        ok: false,
        reason: "deactivated",
      });
    }
    // A session made anyway (a proof issued before the deactivation, spent after) is no session.
    await issueProof(phone, "set-password");
    expect(await getUser(cookieRequest(await signedIn(officerId)))).toBeNull();
    // Deactivating again changes nothing more.
    expect(await deactivateOfficer(db, officerId)).toEqual({ lapsed: 0 });

    await reactivateOfficer(db, officerId);
    expect(await getOfficer(db, officerId)).toMatchObject({ deactivatedAt: null, activeDelegations: 0 });
    expect(await codesOf(officerId)).toEqual([COMMUNES[0]]);
    const again = await db.select().from(householdDelegations).where(eq(householdDelegations.officerUserId, officerId));
    expect(again.every((d) => d.lapsedAt instanceof Date)).toBe(true);
    expect(await logInWithPassword({ phone, password, ip: "198.51.100.4" })).toMatchObject({
      ok: true,
      user: { id: officerId },
    });
    expect(await getUser(cookieRequest(await signedIn(officerId)))).toMatchObject({ id: officerId });
    // The households themselves are untouched.
    expect((await db.select().from(households).where(eq(households.createdByUserId, officerId))).length).toBe(3);
    expect(THANH_HA.communeCode).toBe(COMMUNES[0]);
  });
});
