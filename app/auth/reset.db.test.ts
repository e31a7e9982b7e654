/**
 * A forgotten password ("Quên mật khẩu?" on /login): /password/forgot →
 * /password/forgot/code → /password/new, through the HTTP server. The same
 * answer for numbers with and without an account; the new password ends
 * every other session of the account.
 */
import { count, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { oneTimeCodes, phoneProofs, rateLimits, sessions, users } from "#db/schema";
import { CookieJar, getPage, mainText, postForm } from "../../tests/http/forms";
import { serveAppForThisFile } from "../../tests/http/server";
import { verifyPassword } from "./password.server";
import { PROOF_COOKIE_NAME } from "./proof-cookie.server";
import { getUser } from "./session.server";
import { createAccount } from "#tests/harness/routes";
import { RATE_LIMITS } from "~/http/index.server";
import { sentSmsForTests } from "~/notifications/sms.server";
import { db } from "~/utils/db.server";

const PHONE = "+84912345678";
const TYPED = "0912 345 678";
const oldPassword = "vaithieu-ThanhHa";
const newPassword = "nhan-long-Hung-Yen-2026";
const IP = "198.51.100.10";

const server = serveAppForThisFile({ trustProxy: true });

beforeEach(async () => {
  for (const table of [users, oneTimeCodes, phoneProofs, rateLimits]) await db.delete(table);
  sentSmsForTests.clear();
  const created = await createAccount({
    fullName: "Nguyễn Văn Bình",
    phone: PHONE,
    password: oldPassword,
    role: "buyer",
  });
  if (!created.ok) throw new Error("account");
});

const codeIn = (text: string | undefined) => /\b(\d{6})\b/.exec(text ?? "")?.[1];
const userOf = (jar: CookieJar) => getUser(new Request("http://x/", { headers: { Cookie: jar.header } }));
const login = (password: string, jar?: CookieJar) =>
  postForm(server, "/login", { phone: TYPED, password }, { ip: IP, jar });
const ask = (phone: string, jar?: CookieJar) =>
  postForm(server, "/password/forgot", { intent: "request", phone, website: "" }, { ip: IP, jar });

/** Steps 1 and 2: the browser then holds a proof and stands at /password/new. */
async function proveNumber(jar: CookieJar) {
  const asked = await ask(TYPED, jar);
  const location = asked.headers.get("Location")!;
  const code = codeIn(sentSmsForTests.get(PHONE)?.text)!;
  const proved = await postForm(server, location, { intent: "verify", phone: "0912345678", code }, { ip: IP, jar });
  expect(proved.status).toBe(302);
  return proved;
}

describe("a forgotten password", () => {
  it("is reached from the login page", async () => {
    const page = await getPage(server, "/password/forgot");
    expect(page.status).toBe(200);
    const text = await mainText(page);
    expect(text).toContain("Quên mật khẩu");
    expect(text).toContain("Nhận mã đặt lại mật khẩu");
  });

  it("answers a number without an account like one with, and texts only the account", async () => {
    const known = await ask(TYPED);
    const unknown = await ask("0987 654 321");
    expect([known.status, unknown.status]).toEqual([302, 302]);
    expect(known.headers.get("Location")).toBe("/password/forgot/code?phone=0912345678");
    expect(unknown.headers.get("Location")).toBe("/password/forgot/code?phone=0987654321");
    const knownPage = await mainText(await getPage(server, "/password/forgot/code?phone=0912345678"));
    const unknownPage = await mainText(await getPage(server, "/password/forgot/code?phone=0987654321"));
    expect(unknownPage.replace("0987 654 321", "PHONE")).toBe(knownPage.replace("0912 345 678", "PHONE"));
    expect(sentSmsForTests.get(PHONE)!.text).toMatch(
      /^Mã đặt lại mật khẩu Gian Hàng Số: \d{6}\. Hiệu lực 5 phút\. Đừng chia sẻ mã này\.$/,
    );
    expect(sentSmsForTests.all("+84987654321")).toEqual([]);
  });

  it("sets the new password, ends every other session, confirms the phone and signs this browser in", async () => {
    await db.update(users).set({ phoneConfirmedAt: null });
    const otherPhone = new CookieJar();
    expect((await login(oldPassword, otherPhone)).status).toBe(302);
    expect(await userOf(otherPhone)).not.toBeNull();

    const jar = new CookieJar();
    const proved = await proveNumber(jar);
    expect(proved.headers.get("Location")).toBe("/password/new");
    const page = await getPage(server, "/password/new", { jar });
    expect(await mainText(page)).toContain("Số 0912 345 678 đã được xác nhận.");

    const weak = await postForm(server, "/password/new", { password: "0912345678" }, { ip: IP, jar });
    expect(weak.status).toBe(400);
    expect(await mainText(weak)).toContain("Không dùng số điện thoại làm mật khẩu");
    expect(await userOf(otherPhone)).not.toBeNull();

    const set = await postForm(server, "/password/new", { password: newPassword }, { ip: IP, jar });
    expect(set.status).toBe(302);
    expect(set.headers.get("Location")).toBe("/");
    expect(jar.has(PROOF_COOKIE_NAME)).toBe(false);
    expect(await userOf(jar)).toMatchObject({ phone: PHONE });
    expect(await userOf(otherPhone)).toBeNull();
    expect((await db.select({ n: count() }).from(sessions))[0].n).toBe(1);

    const [user] = await db.select().from(users);
    expect(await verifyPassword(newPassword, user.passwordHash)).toBe(true);
    expect(user.phoneConfirmedAt).toBeInstanceOf(Date);
    expect((await login(oldPassword)).status).toBe(400);
    expect((await login(newPassword)).status).toBe(302);
  });

  it("spends the proof once, and not after 15 minutes", async () => {
    const jar = new CookieJar();
    await proveNumber(jar);
    const saved = jar.header;
    expect((await postForm(server, "/password/new", { password: newPassword }, { ip: IP, jar })).status).toBe(302);
    const replay = await postForm(
      server,
      "/password/new",
      { password: "mat-khau-cua-ke-gian" },
      { ip: IP, jar: new CookieJar(saved) },
    );
    expect(replay.headers.get("Location")).toBe("/password/forgot?reason=expired");

    const late = new CookieJar();
    await proveNumber(late);
    await db.update(phoneProofs).set({ expiresAt: sql`now() - interval '1 second'` });
    const res = await postForm(server, "/password/new", { password: "mat-khau-qua-muon" }, { ip: IP, jar: late });
    expect(res.headers.get("Location")).toBe("/password/forgot?reason=expired");
    const [user] = await db.select().from(users);
    expect(await verifyPassword(newPassword, user.passwordHash)).toBe(true);
    const notice = await getPage(server, "/password/forgot?reason=expired");
    expect(await mainText(notice)).toContain("Phiên xác nhận số điện thoại đã hết hạn hoặc đã được dùng.");
  });

  it("does not open sign-up's last step with a reset proof", async () => {
    const jar = new CookieJar();
    await proveNumber(jar);
    const res = await postForm(
      server,
      "/signup/details",
      { fullName: "Kẻ Gian", password: newPassword, role: "buyer" },
      { ip: IP, jar },
    );
    expect(res.headers.get("Location")).toBe("/signup?role=buyer&reason=expired");
    expect((await db.select({ n: count() }).from(users))[0].n).toBe(1);
  });

  it("changes nothing on a wrong code", async () => {
    const jar = new CookieJar();
    const asked = await ask(TYPED, jar);
    const code = codeIn(sentSmsForTests.get(PHONE)!.text)!;
    const res = await postForm(
      server,
      asked.headers.get("Location")!,
      { intent: "verify", phone: "0912345678", code: code === "999999" ? "888888" : "999999" },
      { ip: IP, jar },
    );
    expect(res.status).toBe(400);
    expect(jar.has(PROOF_COOKIE_NAME)).toBe(false);
    expect(await db.select().from(phoneProofs).where(eq(phoneProofs.allows, "set-password"))).toEqual([]);
    const [user] = await db.select().from(users).where(eq(users.phone, PHONE));
    expect(await verifyPassword(oldPassword, user.passwordHash)).toBe(true);
  });

  it("limits the reset steps per IP before reading the body (429, Retry-After)", async () => {
    const { limit } = RATE_LIMITS["reset.ip"];
    for (let i = 0; i < limit; i++) await postForm(server, "/password/forgot", { phone: "x" }, { ip: "198.51.100.99" });
    const res = await postForm(server, "/password/forgot", { phone: TYPED, website: "" }, { ip: "198.51.100.99" });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(sentSmsForTests.size).toBe(0);
  });
});
