import { createHash } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { count, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { oneTimeCodes, rateLimits, sessions, users } from "../../db/schema";
import { CODE_MAX_ATTEMPTS, createCode, verifyCode } from "./otp.server";
import { getUser, requireRole, requireUser, SESSION_COOKIE_NAME, sessionCookie } from "./session.server";
import { cookiePair, englishCookie, get, postForm, TEST_IP } from "./test-helpers.server";
import { loader as accountLoader } from "~/routes/account";
import { action as codeAction, loader as codeLoader } from "~/routes/login_.code";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { action as logoutAction, loader as logoutLoader } from "~/routes/logout";
import { action as signupAction, loader as signupLoader } from "~/routes/signup";
import { LogSmsProvider, sentSmsForTests, setSmsProvider } from "~/notifications/sms.server";
import { db } from "~/utils/db.server";

const countUsers = async () => (await db.select({ n: count() }).from(users))[0].n;
const countSessions = async () => (await db.select({ n: count() }).from(sessions))[0].n;

const farmer = { fullName: "Nguyễn Văn Bình", phone: "0912 345 678", password: "vaithieu-ThanhHa", role: "farmer" };

/** Fresh rate-limit counters for each test: they are per IP and per phone, not per test. */
beforeEach(async () => {
  await db.delete(rateLimits);
});

async function signUp(fields: Partial<typeof farmer> & Record<string, string> = {}, ip?: string) {
  return postForm(signupAction, "/signup", { ...farmer, website: "", ...fields }, { ip });
}

async function loggedInCookie(fields: Partial<typeof farmer> = {}) {
  const res = await signUp(fields);
  expect(res.status).toBe(302);
  return cookiePair(res.headers.get("Set-Cookie"));
}

function requestWith(cookie: string | undefined, path = "/") {
  return new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

describe("signup", () => {
  beforeEach(async () => {
    await db.delete(users);
  });

  it.each([
    ["0243 123 4567", "Đây là số máy bàn. Hãy nhập số di động để nhận được tin nhắn"],
    ["09123456789", "Số điện thoại không hợp lệ. Hãy nhập số di động 10 chữ số, ví dụ 0912 345 678"],
    ["0912abc678", "Số điện thoại không hợp lệ. Hãy nhập số di động 10 chữ số, ví dụ 0912 345 678"],
    ["01689123456", "Số 11 chữ số đã được đổi sang 10 chữ số từ năm 2018 (ví dụ 0168… thành 038…). Hãy nhập số mới"],
    ["", "Vui lòng nhập số điện thoại"],
  ])("refuses the phone %j with a Vietnamese field error and creates nothing", async (phone, message) => {
    const res = await signUp({ phone });
    expect(res.status).toBe(400);
    expect(res.data!.errors.phone).toBe(message);
    expect(res.data!.values).toMatchObject({ fullName: farmer.fullName, phone, role: "farmer" });
    expect(res.data!.values).not.toHaveProperty("password");
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(await countUsers()).toBe(0);
  });

  it.each([
    ["12345678", "Mật khẩu này quá dễ đoán. Hãy chọn mật khẩu khác"],
    ["matkhau123", "Mật khẩu này quá dễ đoán. Hãy chọn mật khẩu khác"],
    ["aaaaaaaa", "Mật khẩu này quá dễ đoán. Hãy chọn mật khẩu khác"],
    ["abc12", "Mật khẩu cần ít nhất 8 ký tự"],
    ["0912345678", "Không dùng số điện thoại làm mật khẩu"],
    ["", "Vui lòng nhập mật khẩu"],
  ])("refuses the weak password %j and creates nothing", async (password, message) => {
    const res = await signUp({ password });
    expect(res.status).toBe(400);
    expect(res.data!.errors.password).toBe(message);
    expect(res.data!.values).not.toHaveProperty("password");
    if (password) expect(JSON.stringify(res.data)).not.toContain(password);
    expect(await countUsers()).toBe(0);
  });

  it("reports every bad field at once", async () => {
    const res = await signUp({ fullName: " ", phone: "0243 123 4567", password: "123" });
    expect(res.status).toBe(400);
    expect(res.data!.errors).toMatchObject({
      fullName: "Vui lòng nhập họ và tên",
      phone: "Đây là số máy bàn. Hãy nhập số di động để nhận được tin nhắn",
      password: "Mật khẩu cần ít nhất 8 ký tự",
    });
  });

  it("answers in English for a visitor who chose English", async () => {
    const res = await postForm(
      signupAction,
      "/signup",
      { ...farmer, phone: "0243 123 4567", password: "12345678" },
      { cookie: await englishCookie() },
    );
    expect(res.status).toBe(400);
    expect(res.data!.errors.phone).toBe("This is a landline. Enter a mobile number so you can receive text messages");
    expect(res.data!.errors.password).toBe("This password is too easy to guess. Choose another one");
    expect(await countUsers()).toBe(0);
  });

  it.each(["admin", "officer", "", "superuser"])(
    "refuses the role %j (officers and admins are appointed)",
    async (role) => {
      const res = await signUp({ role });
      expect(res.status).toBe(400);
      expect(res.data!.errors.role).toBe("Hãy chọn bạn bán nông sản hay mua hàng");
      expect(await countUsers()).toBe(0);
    },
  );

  it("refuses a filled honeypot and creates nothing", async () => {
    const res = await signUp({ website: "http://spam.example" });
    expect(res.status).toBe(400);
    expect(res.data!.errors.form).toBeTruthy();
    expect(await countUsers()).toBe(0);
  });

  it("creates the account, signs in with a secure cookie and sends a farmer to set up their stall", async () => {
    const res = await signUp();
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/setup");

    const setCookie = res.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE_NAME}=`));
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).toMatch(/; Max-Age=2592000/);
    expect(setCookie).not.toMatch(/; Secure/); // NODE_ENV=test; production: see session.test.ts

    const [user] = await db.select().from(users);
    expect(user).toMatchObject({ fullName: "Nguyễn Văn Bình", phone: "+84912345678", role: "farmer", locale: "vi" });
    expect(user.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(user.passwordHash).not.toContain(farmer.password);

    // The cookie carries a token; the table only its SHA-256.
    const token = await sessionCookie().parse(cookiePair(setCookie));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [session] = await db.select().from(sessions);
    expect(session.id).toBe(createHash("sha256").update(token).digest("hex"));
    expect(session.id).not.toContain(token);
    expect(session).toMatchObject({ userId: user.id, ip: TEST_IP, userAgent: "vitest" });
    expect(session.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);

    expect(await getUser(requestWith(cookiePair(setCookie)))).toEqual({
      id: user.id,
      fullName: "Nguyễn Văn Bình",
      phone: "+84912345678",
      role: "farmer",
    });
  });

  it("stores the language the visitor used", async () => {
    await postForm(signupAction, "/signup", farmer, { cookie: await englishCookie() });
    const [user] = await db.select().from(users);
    expect(user.locale).toBe("en");
  });

  it("refuses a phone that already has an account, however it is written", async () => {
    await signUp();
    const res = await signUp({ fullName: "Trần Thị Hoa", phone: "+84 912.345.678", role: "buyer" });
    expect(res.status).toBe(400);
    expect(res.data!.errors.phone).toBe("Số điện thoại này đã có tài khoản. Hãy đăng nhập");
    expect(await countUsers()).toBe(1);
  });

  it("lets only one of two simultaneous signups for one phone through", async () => {
    const [a, b] = await Promise.all([signUp(), signUp({ fullName: "Trần Thị Hoa", role: "buyer" })]);
    expect([a.status, b.status].sort()).toEqual([302, 400]);
    expect(await countUsers()).toBe(1);
  });

  it("sends a buyer back where they came from, never off-site", async () => {
    const buyer = { role: "buyer", redirectTo: "/s/vai-thieu-ba-hoa" };
    const back = await signUp({ ...buyer, phone: "0981 234 567" });
    expect(back.headers.get("Location")).toBe("/s/vai-thieu-ba-hoa");
    const evil = await signUp({ role: "buyer", phone: "0981 234 568", redirectTo: "//evil.example/" });
    expect(evil.headers.get("Location")).toBe("/");
    const none = await signUp({ role: "buyer", phone: "0981 234 569" });
    expect(none.headers.get("Location")).toBe("/");
  });

  it("sends signed-in people away from the signup page", async () => {
    const cookie = await loggedInCookie();
    const res = await get(signupLoader, "/signup", { cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/setup");
    const anon = await get<{ title: string }>(signupLoader, "/signup?role=farmer");
    expect(anon.data).toMatchObject({ title: "Đăng ký · Gian Hàng Số", role: "farmer" });
  });

  it("limits signups per IP with 429 and Retry-After", async () => {
    const ip = "198.51.100.20";
    for (let i = 0; i < 20; i++) {
      const res = await signUp({ phone: "0243 123 4567" }, ip);
      expect(res.status).toBe(400);
    }
    const res = await signUp({ phone: "0987 654 321" }, ip);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(res.data!.errors.form).toMatch(/^Bạn đã thử quá nhiều lần. Vui lòng thử lại sau \d+ phút$/);
    expect(await countUsers()).toBe(0);
  });
});

describe("password login", () => {
  beforeEach(async () => {
    await db.delete(users);
    await signUp();
    await db.delete(rateLimits);
  });

  const login = (fields: Record<string, string>, ip?: string, cookie?: string) =>
    postForm(loginAction, "/login", { website: "", ...fields }, { ip, cookie });

  it("signs in with the phone in any format and the password", async () => {
    const res = await login({ phone: "+84912345678", password: farmer.password });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/setup");
    expect(await getUser(requestWith(cookiePair(res.headers.get("Set-Cookie"))))).toMatchObject({
      fullName: farmer.fullName,
    });
  });

  it("gives one message for a wrong password and for an unknown phone", async () => {
    const wrong = await login({ phone: farmer.phone, password: "not-the-password" });
    const unknown = await login({ phone: "0987 000 111", password: farmer.password });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(wrong.data!.errors).toEqual({ form: "Số điện thoại hoặc mật khẩu không đúng" });
    expect(unknown.data!.errors).toEqual(wrong.data!.errors);
    expect(wrong.data!.values).toEqual({ phone: farmer.phone });
    expect(wrong.headers.get("Set-Cookie")).toBeNull();

    const english = await postForm(
      loginAction,
      "/login",
      { phone: farmer.phone, password: "nope-nope" },
      { cookie: await englishCookie() },
    );
    expect(english.data!.errors).toEqual({ form: "Wrong phone number or password" });
  });

  it("refuses accounts without a password (made by an officer) like a wrong password", async () => {
    await db.update(users).set({ passwordHash: null });
    const res = await login({ phone: farmer.phone, password: farmer.password });
    expect(res.status).toBe(400);
    expect(res.data!.errors).toEqual({ form: "Số điện thoại hoặc mật khẩu không đúng" });
  });

  it("follows a same-site redirectTo and ignores an off-site one", async () => {
    const back = await login({ phone: farmer.phone, password: farmer.password, redirectTo: "/orders/DH-123" });
    expect(back.headers.get("Location")).toBe("/orders/DH-123");
    const evil = await login({ phone: farmer.phone, password: farmer.password, redirectTo: "https://evil.example" });
    expect(evil.headers.get("Location")).toBe("/setup");
  });

  it("replaces this browser's previous session (no session fixation)", async () => {
    const first = cookiePair(
      (await login({ phone: farmer.phone, password: farmer.password })).headers.get("Set-Cookie"),
    );
    const before = await countSessions();
    const second = await login({ phone: farmer.phone, password: farmer.password }, undefined, first);
    expect(second.status).toBe(302);
    expect(await countSessions()).toBe(before);
    expect(await getUser(requestWith(first))).toBeNull();
  });

  it("refuses the 11th attempt on one phone with 429 and Retry-After, even with the right password", async () => {
    for (let i = 0; i < 10; i++) {
      const res = await login({ phone: farmer.phone, password: `wrong-password-${i}` });
      expect(res.status).toBe(400);
    }
    const before = await countSessions();
    const res = await login({ phone: farmer.phone, password: farmer.password });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(res.data!.errors.form).toBe(
      `Bạn đã thử quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(retryAfter / 60)} phút`,
    );
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(await countSessions()).toBe(before);

    // Other phones from other addresses are not affected.
    await signUp({ phone: "0987 111 222", role: "buyer" }, "198.51.100.99");
    const other = await login({ phone: "0987 111 222", password: farmer.password }, "198.51.100.99");
    expect(other.status).toBe(302);
  });

  it("limits attempts per IP across phones", async () => {
    const ip = "198.51.100.7";
    // Malformed attempts count too (and skip the slow password check here).
    for (let i = 0; i < 50; i++) expect((await login({ phone: "not a phone", password: "x" }, ip)).status).toBe(400);
    const res = await login({ phone: farmer.phone, password: farmer.password }, ip);
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBeTruthy();
  });

  it("shows the login page in the visitor's language", async () => {
    const vi = await get<{ title: string; redirectTo: string }>(loginLoader, "/login?redirectTo=%2Fcart");
    expect(vi.data).toEqual({ title: "Đăng nhập · Gian Hàng Số", redirectTo: "/cart" });
    const en = await get<{ title: string }>(loginLoader, "/login?redirectTo=//evil", { cookie: await englishCookie() });
    expect(en.data).toEqual({ title: "Log in · Gian Hàng Số", redirectTo: "" });
  });
});

describe("sessions", () => {
  beforeEach(async () => {
    await db.delete(users);
  });

  it("logs out on POST: the row is deleted, the cookie cleared, getUser returns null", async () => {
    const cookie = await loggedInCookie();
    expect(await countSessions()).toBe(1);
    const res = await postForm(logoutAction, "/logout", {}, { cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/");
    expect(res.headers.get("Set-Cookie")).toMatch(/^__session=; Max-Age=0;/);
    expect(await countSessions()).toBe(0);
    expect(await getUser(requestWith(cookie))).toBeNull();
  });

  it("never logs out on GET", async () => {
    const cookie = await loggedInCookie();
    const res = await get(logoutLoader, "/logout", { cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/");
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(await countSessions()).toBe(1);
    expect(await getUser(requestWith(cookie))).not.toBeNull();
  });

  it("treats a tampered, unsigned or foreign-signed cookie as logged out", async () => {
    const cookie = await loggedInCookie();
    const value = cookie.slice(cookie.indexOf("=") + 1);
    const [payload, signature] = value.split(".");
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);

    expect(await getUser(requestWith(`__session=${flip(payload)}.${signature}`))).toBeNull();
    expect(await getUser(requestWith(`__session=${payload}.${flip(signature)}`))).toBeNull();
    expect(await getUser(requestWith(`__session=${payload}`))).toBeNull();
    const token = await sessionCookie().parse(cookie);
    const forged = await createCookie("__session", { secrets: ["someone-elses-secret"] }).serialize(token);
    expect(await getUser(requestWith(cookiePair(forged)))).toBeNull();
    expect(await getUser(requestWith("__session=garbage"))).toBeNull();
    expect(await getUser(requestWith(undefined))).toBeNull();
    // The genuine cookie still works.
    expect(await getUser(requestWith(cookie))).not.toBeNull();
  });

  it("does not accept the stored session id as a cookie (a leaked table gives no cookie)", async () => {
    await loggedInCookie();
    const [session] = await db.select().from(sessions);
    const fromDb = cookiePair(await sessionCookie().serialize(session.id));
    expect(await getUser(requestWith(fromDb))).toBeNull();
  });

  it("treats an expired session as logged out and deletes its row", async () => {
    const cookie = await loggedInCookie();
    await db.update(sessions).set({ expiresAt: sql`now() - interval '1 minute'` });
    expect(await getUser(requestWith(cookie))).toBeNull();
    expect(await countSessions()).toBe(0);
  });

  it("asks the database once per request", async () => {
    const cookie = await loggedInCookie();
    const request = requestWith(cookie);
    const first = getUser(request);
    expect(getUser(request)).toBe(first);
    expect(await first).not.toBeNull();
  });

  it("requireUser sends anonymous visitors to /login and back", async () => {
    const thrown = await requireUser(requestWith(undefined, "/orders/DH-1?tab=2")).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    const res = thrown as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Forders%2FDH-1%3Ftab%3D2");
  });

  it("requireRole answers 403 to a signed-in user without the role", async () => {
    const cookie = await loggedInCookie();
    expect(await requireRole(requestWith(cookie), "farmer", "officer")).toMatchObject({ role: "farmer" });
    const thrown = await requireRole(requestWith(cookie), "admin").catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(403);
    const anon = await requireRole(requestWith(undefined, "/admin"), "admin").catch((e: unknown) => e);
    expect((anon as Response).headers.get("Location")).toBe("/login?redirectTo=%2Fadmin");
  });

  it("shows the account page with the phone written the Vietnamese way", async () => {
    const cookie = await loggedInCookie();
    const res = await get<{ user: unknown; title: string }>(accountLoader, "/account", { cookie });
    expect(res.data).toEqual({
      title: "Tài khoản của tôi · Gian Hàng Số",
      user: { fullName: "Nguyễn Văn Bình", phone: "0912 345 678", role: "farmer" },
    });
    const anon = await get(accountLoader, "/account");
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toBe("/login?redirectTo=%2Faccount");
  });
});

describe("one-time codes", () => {
  const phone = "+84912345678";

  beforeEach(async () => {
    await db.delete(users);
    await db.delete(oneTimeCodes);
    sentSmsForTests.clear();
    await signUp();
    await db.delete(sessions);
    await db.delete(rateLimits);
  });

  const requestCode = (fields: Record<string, string> = {}, options: { ip?: string; cookie?: string } = {}) =>
    postForm(codeAction, "/login/code", { intent: "request", phone: farmer.phone, website: "", ...fields }, options);
  const submitCode = (code: string, fields: Record<string, string> = {}) =>
    postForm(codeAction, "/login/code", { intent: "verify", phone: "0912345678", code, ...fields });
  const lastCode = () => /\b(\d{6})\b/.exec(sentSmsForTests.get(phone)?.text ?? "")?.[1];

  it("sends a translated SMS, stores only a hash, and moves to the code step", async () => {
    const res = await requestCode({ redirectTo: "/cart" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login/code?phone=0912345678&redirectTo=%2Fcart");

    const sms = sentSmsForTests.get(phone)!;
    expect(sms.text).toMatch(/^Mã đăng nhập Gian Hàng Số: \d{6}\. Hiệu lực 5 phút\. Đừng chia sẻ mã này\.$/);
    const code = lastCode()!;

    const rows = await db.select().from(oneTimeCodes);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ phone, purpose: "login", attempts: 0, consumedAt: null });
    expect(rows[0].codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].codeHash).not.toContain(code);
    expect(JSON.stringify(rows[0])).not.toContain(code);
    const ttl = rows[0].expiresAt.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(4 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(5 * 60 * 1000 + 5000);

    const page = await get<{ phone: string | null }>(codeLoader, res.headers.get("Location")!);
    expect(page.data).toMatchObject({ phone: "0912 345 678", redirectTo: "/cart" });
  });

  it("texts in English to an English-speaking visitor", async () => {
    await requestCode({}, { cookie: await englishCookie() });
    expect(sentSmsForTests.get(phone)!.text).toMatch(/^Gian Hang So login code: \d{6}\. Valid for 5 minutes\./);
  });

  it("logs in with the right code once; the code cannot be reused", async () => {
    await requestCode();
    const code = lastCode()!;
    const res = await submitCode(code, { redirectTo: "/cart" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/cart");
    const cookie = cookiePair(res.headers.get("Set-Cookie"));
    expect(await getUser(requestWith(cookie))).toMatchObject({ phone });

    const again = await submitCode(code);
    expect(again.status).toBe(400);
    expect(again.data!.errors.code).toBe("Mã đã hết hạn hoặc đã được dùng. Hãy nhận mã mới");
    expect(again.headers.get("Set-Cookie")).toBeNull();
    expect(await countSessions()).toBe(1);
  });

  it("lets a code win only once, even when two requests race", async () => {
    const code = await createCode(phone);
    const results = await Promise.all([verifyCode(phone, code), verifyCode(phone, code), verifyCode(phone, code)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("accepts the code typed with spaces", async () => {
    await requestCode();
    const code = lastCode()!;
    const res = await submitCode(`${code.slice(0, 3)} ${code.slice(3)}`);
    expect(res.status).toBe(302);
  });

  it("refuses the 6th attempt after five wrong codes, even if it is right", async () => {
    await requestCode();
    const code = lastCode()!;
    const wrong = code === "000000" ? "111111" : "000000";
    const messages: string[] = [];
    for (let i = 0; i < CODE_MAX_ATTEMPTS; i++) {
      const res = await submitCode(wrong);
      expect(res.status).toBe(400);
      messages.push(res.data!.errors.code);
    }
    expect(messages).toEqual([
      "Mã không đúng. Bạn còn 4 lần thử",
      "Mã không đúng. Bạn còn 3 lần thử",
      "Mã không đúng. Bạn còn 2 lần thử",
      "Mã không đúng. Bạn còn 1 lần thử",
      "Bạn đã nhập sai quá nhiều lần. Hãy nhận mã mới",
    ]);
    const sixth = await submitCode(code);
    expect(sixth.status).toBe(400);
    expect(sixth.data!.errors.code).toBe("Bạn đã nhập sai quá nhiều lần. Hãy nhận mã mới");
    expect(sixth.headers.get("Set-Cookie")).toBeNull();
    const [row] = await db.select().from(oneTimeCodes);
    expect(row.attempts).toBe(CODE_MAX_ATTEMPTS);
  });

  it("refuses an expired code", async () => {
    await requestCode();
    const code = lastCode()!;
    await db.update(oneTimeCodes).set({ expiresAt: sql`now() - interval '1 second'` });
    const res = await submitCode(code);
    expect(res.status).toBe(400);
    expect(res.data!.errors.code).toBe("Mã đã hết hạn hoặc đã được dùng. Hãy nhận mã mới");
    expect(await countSessions()).toBe(0);
  });

  it("voids the older code when a new one is requested", async () => {
    const first = await createCode(phone);
    let second = await createCode(phone);
    while (second === first) second = await createCode(phone);
    expect(await db.select().from(oneTimeCodes)).toHaveLength(1);
    expect(await verifyCode(phone, first)).toEqual({ ok: false, reason: "wrong", attemptsLeft: 4 });
    expect(await verifyCode(phone, second)).toEqual({ ok: true });
  });

  it("checks the format before anything else", async () => {
    const res = await submitCode("12a456");
    expect(res.status).toBe(400);
    expect(res.data!.errors.code).toBe("Mã gồm 6 chữ số");
  });

  it("answers the same for a number without an account, and sends nothing", async () => {
    const res = await requestCode({ phone: "0987 654 321" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login/code?phone=0987654321");
    expect(sentSmsForTests.size).toBe(0);
    expect(await db.select().from(oneTimeCodes)).toHaveLength(0);
    const verify = await postForm(codeAction, "/login/code", { intent: "verify", phone: "0987654321", code: "123456" });
    expect(verify.status).toBe(400);
    expect(verify.data!.errors.code).toBe("Mã đã hết hạn hoặc đã được dùng. Hãy nhận mã mới");
  });

  it("refuses a bad phone on the request step", async () => {
    const res = await requestCode({ phone: "0243 123 4567" });
    expect(res.status).toBe(400);
    expect(res.data!.errors.phone).toBe("Đây là số máy bàn. Hãy nhập số di động để nhận được tin nhắn");
    expect(sentSmsForTests.size).toBe(0);
  });

  it("sends at most 3 codes per phone per 15 minutes", async () => {
    for (let i = 0; i < 3; i++) expect((await requestCode({}, { ip: `198.51.100.${i + 1}` })).status).toBe(302);
    sentSmsForTests.clear();
    const res = await requestCode({}, { ip: "198.51.100.50" });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(sentSmsForTests.size).toBe(0);
  });

  it("limits code guesses per phone across fresh codes", async () => {
    for (let round = 0; round < 2; round++) {
      await createCode(phone);
      for (let i = 0; i < 5; i++) await submitCode("000000");
    }
    const code = await createCode(phone);
    const res = await submitCode(code);
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBeTruthy();
  });

  it("says so when the SMS cannot be sent", async () => {
    setSmsProvider({ send: () => Promise.reject(new Error("gateway down")) });
    try {
      const res = await requestCode();
      expect(res.status).toBe(503);
      expect(res.data!.errors.form).toBe("Chưa gửi được tin nhắn. Vui lòng thử lại sau ít phút");
    } finally {
      setSmsProvider(new LogSmsProvider());
    }
  });

  it("refuses a filled honeypot without sending anything", async () => {
    const res = await requestCode({ website: "x" });
    expect(res.status).toBe(400);
    expect(sentSmsForTests.size).toBe(0);
  });
});
