/**
 * Logging in with a password and the session it opens: through the HTTP
 * server for everything a browser or an attacker sees (status codes,
 * Retry-After, the per-IP limits counted before the body, the step to the
 * SMS code), from client addresses the test chooses (TRUST_PROXY=1, as
 * behind a load balancer). The session helpers themselves are called directly.
 */
import { createHash } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { count, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { oneTimeCodes, rateLimits, sessions, users } from "#db/schema";
import { CookieJar, getPage, mainText, postForm as post } from "../../tests/http/forms";
import { serveAppForThisFile } from "../../tests/http/server";
import { getUser, requireRole, requireUser, SESSION_COOKIE_NAME, sessionCookie } from "./session.server";
import { cookiePair, createAccount, englishCookie, get, postForm } from "#tests/harness/routes";
import { RATE_LIMITS } from "~/http/index.server";
import { sentSmsForTests } from "~/notifications/sms.server";
import { loader as accountLoader } from "~/routes/account";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { action as logoutAction, loader as logoutLoader } from "~/routes/logout";
import { db } from "~/utils/db.server";

const countSessions = async () => (await db.select({ n: count() }).from(sessions))[0].n;

const farmer = {
  fullName: "Nguyễn Văn Bình",
  phone: "+84912345678",
  password: "vaithieu-ThanhHa",
  role: "farmer" as const,
};
const TYPED = "0912 345 678";
const IP_A = "198.51.100.10";
const IP_B = "203.0.113.20";

const server = serveAppForThisFile({ trustProxy: true });

/** Fresh counters and accounts for each test: limits are per IP and per phone, not per test. */
beforeEach(async () => {
  await db.delete(rateLimits);
  await db.delete(oneTimeCodes);
  await db.delete(users);
  sentSmsForTests.clear();
});

async function withFarmer() {
  const created = await createAccount(farmer);
  if (!created.ok) throw new Error("account");
  return created.user;
}

/** The farmer's browser, signed in with the password (a direct call: the session is what matters). */
async function loggedInCookie() {
  await withFarmer();
  const res = await postForm(loginAction, "/login", { phone: TYPED, password: farmer.password, website: "" });
  expect(res.status).toBe(302);
  return cookiePair(res.headers.get("Set-Cookie"));
}

function requestWith(cookie: string | undefined, path = "/") {
  return new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

const login = (fields: Record<string, string>, ip = IP_A, jar?: CookieJar) =>
  post(server, "/login", { phone: TYPED, website: "", ...fields }, { ip, jar });
const wrong = (i: number, ip = IP_A) => login({ password: `wrong-password-${i}` }, ip);
const FAILED = "Số điện thoại hoặc mật khẩu không đúng";

describe("password login", () => {
  beforeEach(withFarmer);

  it("signs in with the phone in any format and the password, with a secure session cookie", async () => {
    const res = await login({ phone: "+84912345678", password: farmer.password });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/setup");
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE_NAME}=`))!;
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Max-Age=2592000/);
    expect(await getUser(requestWith(cookiePair(setCookie)))).toMatchObject({ fullName: farmer.fullName });
    // The cookie carries a token; the table only its SHA-256.
    const token = await sessionCookie().parse(cookiePair(setCookie));
    const [session] = await db.select().from(sessions);
    expect(session.id).toBe(createHash("sha256").update(token).digest("hex"));
    expect(session.ip).toBe(IP_A);
  });

  it("gives one message, 400, for a wrong password, an unknown phone and an account without a password", async () => {
    const wrongOne = await login({ password: "not-the-password" });
    const unknown = await login({ phone: "0987 000 111", password: farmer.password });
    expect([wrongOne.status, unknown.status]).toEqual([400, 400]);
    expect(wrongOne.headers.getSetCookie()).toEqual([]);
    expect(await mainText(wrongOne)).toContain(FAILED);
    expect(await mainText(unknown)).toContain(FAILED);

    await db.update(users).set({ passwordHash: null });
    const noPassword = await login({ password: farmer.password });
    expect(noPassword.status).toBe(400);
    expect(await mainText(noPassword)).toContain(FAILED);

    const english = await post(server, "/login", { phone: TYPED, password: "nope-nope" }, { language: "en" });
    expect(await mainText(english)).toContain("Wrong phone number or password");
  });

  it("follows a same-site redirectTo and ignores an off-site one", async () => {
    const back = await login({ password: farmer.password, redirectTo: "/orders/DH-123" });
    expect(back.headers.get("Location")).toBe("/orders/DH-123");
    const evil = await login({ password: farmer.password, redirectTo: "https://evil.example" });
    expect(evil.headers.get("Location")).toBe("/setup");
  });

  it("replaces this browser's previous session (no session fixation)", async () => {
    const first = cookiePair(
      (await postForm(loginAction, "/login", { phone: TYPED, password: farmer.password })).headers.get("Set-Cookie"),
    );
    const before = await countSessions();
    const second = await postForm(
      loginAction,
      "/login",
      { phone: TYPED, password: farmer.password },
      { cookie: first },
    );
    expect(second.status).toBe(302);
    expect(await countSessions()).toBe(before);
    expect(await getUser(requestWith(first))).toBeNull();
  });

  it("does not confirm the phone: a password proves nothing about who holds the number", async () => {
    await db.update(users).set({ phoneConfirmedAt: null });
    expect((await login({ password: farmer.password })).status).toBe(302);
    const [user] = await db.select({ confirmed: users.phoneConfirmedAt }).from(users);
    expect(user.confirmed).toBeNull();
  });

  it("shows the login page in the visitor's language, with the way to a forgotten password", async () => {
    const vi = await get<{ title: string; redirectTo: string }>(loginLoader, "/login?redirectTo=%2Fcart");
    expect(vi.data).toEqual({ title: "Đăng nhập · Gian Hàng Số", redirectTo: "/cart" });
    const en = await get<{ title: string }>(loginLoader, "/login?redirectTo=//evil", { cookie: await englishCookie() });
    expect(en.data).toEqual({ title: "Log in · Gian Hàng Số", redirectTo: "" });
    const page = await (await getPage(server, "/login?redirectTo=%2Fcart")).text();
    expect(page).toMatch(/<a [^>]*href="\/password\/forgot\?redirectTo=%2Fcart"[^>]*>Quên mật khẩu\?<\/a>/);
  });
});

describe("wrong passwords cannot lock the owner out", () => {
  beforeEach(withFarmer);

  it("refuses the 11th attempt for one phone from one IP with 429 and Retry-After, even with the right password", async () => {
    for (let i = 0; i < 10; i++) expect([400, 302]).toContain((await wrong(i)).status);
    const before = await countSessions();
    const res = await login({ password: farmer.password });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(await mainText(res)).toContain(
      `Bạn đã thử quá nhiều lần. Vui lòng đợi ${Math.ceil(retryAfter / 60)} phút rồi thử lại.`,
    );
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await countSessions()).toBe(before);
  });

  it("lets the owner in from another IP after 10 wrong passwords from IP A: through the SMS code, never refused", async () => {
    for (let i = 0; i < 10; i++) await wrong(i, IP_A);
    expect((await login({ password: farmer.password }, IP_A)).status).toBe(429);

    const owner = new CookieJar();
    const atLogin = await login({ password: farmer.password }, IP_B, owner);
    expect(atLogin.status).toBe(302);
    expect(atLogin.headers.get("Location")).toBe("/login/code?phone=0912345678&reason=protect");
    const sent = await post(
      server,
      "/login/code",
      { intent: "request", phone: TYPED, website: "" },
      { ip: IP_B, jar: owner },
    );
    expect(sent.status).toBe(302);
    const code = /\b(\d{6})\b/.exec(sentSmsForTests.get(farmer.phone)!.text)![1];
    const signedIn = await post(
      server,
      "/login/code",
      { intent: "verify", phone: TYPED, code },
      { ip: IP_B, jar: owner },
    );
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("Location")).toBe("/setup");
    expect(await getUser(requestWith(owner.header))).toMatchObject({ phone: farmer.phone });
  });

  it("lets the owner in with the password while strangers' wrong passwords stay under the threshold", async () => {
    const { limit } = RATE_LIMITS["login.phone"];
    for (let i = 0; i < limit - 1; i++) expect((await wrong(i, `198.51.100.${30 + i}`)).status).toBe(400);
    expect((await login({ password: farmer.password }, IP_B)).status).toBe(302);
  });

  it("past the threshold of wrong passwords from anywhere, sends the person to the code step, right password or not", async () => {
    const { limit } = RATE_LIMITS["login.phone"];
    for (let i = 0; i < limit; i++) expect((await wrong(i, `198.51.100.${30 + i}`)).status).toBe(400);
    for (const password of [farmer.password, "another-wrong-one"]) {
      const res = await login({ password, redirectTo: "/cart" }, IP_B);
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe("/login/code?phone=0912345678&redirectTo=%2Fcart&reason=protect");
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    // The same for a number without an account: the step up tells nothing.
    for (let i = 0; i < limit; i++) await login({ phone: "0987 000 111", password: `x-${i}-wrong` }, IP_B);
    const unknown = await login({ phone: "0987 000 111", password: "whatever-1" }, IP_B);
    expect(unknown.headers.get("Location")).toBe("/login/code?phone=0987000111&reason=protect");

    const page = await getPage(server, "/login/code?phone=0912345678&redirectTo=%2Fcart&reason=protect");
    const html = await page.text();
    expect(html).toContain(
      "Số này vừa bị nhập sai mật khẩu nhiều lần. Để bảo vệ tài khoản, lần này hãy đăng nhập bằng mã gửi qua tin nhắn.",
    );
    expect(html).toMatch(/name="phone"[^>]*value="0912 345 678"/);
    expect(sentSmsForTests.size).toBe(0); // the person asks for the code themselves
    const english = await getPage(server, "/login/code?phone=0912345678&reason=protect", { language: "en" });
    expect(await english.text()).toContain(
      "To protect the account, log in with a code sent by text message this time.",
    );
  });

  it("forgets the number's wrong passwords after a success", async () => {
    const { limit } = RATE_LIMITS["login.phone"];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < limit - 1; i++) expect((await wrong(i, IP_A)).status).toBe(400);
      expect((await login({ password: farmer.password }, IP_A)).status).toBe(302);
    }
    expect(
      await db
        .select()
        .from(rateLimits)
        .where(eq(rateLimits.key, `login.phone:${farmer.phone}`)),
    ).toEqual([]);
  });

  it("takes the password again once the number's SMS for the day are spent, so codes cannot be used to lock it", async () => {
    const { limit } = RATE_LIMITS["login.phone"];
    for (let i = 0; i < limit; i++) await wrong(i, `198.51.100.${30 + i}`);
    expect((await login({ password: farmer.password }, IP_B)).headers.get("Location")).toMatch(/reason=protect/);
    const cap = RATE_LIMITS["code.send.phone"].limit;
    await db
      .insert(rateLimits)
      .values({ key: `code.send.phone:${farmer.phone}`, count: cap, resetAt: sql`now() + interval '1 day'` });
    const res = await login({ password: farmer.password }, IP_B);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/setup");
  });
});

describe("per-IP limits, counted by the HTTP layer before the body is read", () => {
  it("limits login attempts per IP across phones with 429 and Retry-After", async () => {
    await withFarmer();
    const { limit } = RATE_LIMITS["login.ip"];
    // Malformed attempts count too (and skip the slow password check here).
    for (let i = 0; i < limit; i++)
      expect((await login({ phone: "not a phone", password: "x" }, IP_A)).status).toBe(400);
    const res = await login({ password: farmer.password }, IP_A);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await countSessions()).toBe(0);
    // Another address is not affected.
    expect((await login({ password: farmer.password }, IP_B)).status).toBe(302);
  });

  it("limits sign-ups per IP with 429 and Retry-After", async () => {
    const { limit } = RATE_LIMITS["signup.ip"];
    const signup = (phone: string) => post(server, "/signup", { phone, role: "farmer", website: "" }, { ip: IP_A });
    for (let i = 0; i < limit; i++) expect((await signup("0243 123 4567")).status).toBe(400);
    const res = await signup("0987 654 321");
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(await mainText(res)).toMatch(/Bạn đã thử quá nhiều lần\. Vui lòng đợi \d+ phút rồi thử lại\./);
    expect(sentSmsForTests.size).toBe(0);
    expect(await db.select().from(users)).toEqual([]);
  });

  it("sends at most 3 codes per phone per 15 minutes to one IP; another IP still reaches the number", async () => {
    await withFarmer();
    const ask = (ip: string) => post(server, "/login/code", { intent: "request", phone: TYPED, website: "" }, { ip });
    for (let i = 0; i < 3; i++) expect((await ask(IP_A)).status).toBe(302);
    expect(sentSmsForTests.size).toBe(3);
    const res = await ask(IP_A);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(sentSmsForTests.size).toBe(3);
    expect((await ask(IP_B)).status).toBe(302);
    expect(sentSmsForTests.size).toBe(4);
  });
});

describe("sliding sessions, through the server", () => {
  beforeEach(async () => {
    await db.delete(users);
  });

  const DAY = 24 * 60 * 60 * 1000;
  const expiresIn = async () => {
    const [row] = await db.select({ expiresAt: sessions.expiresAt }).from(sessions);
    return row ? row.expiresAt.getTime() - Date.now() : null;
  };
  /** As if the session was last renewed (or opened) `days` ago. */
  const lastRenewedDaysAgo = (days: number) =>
    db.update(sessions).set({ expiresAt: sql`now() + make_interval(days => ${30 - days})` });
  const sessionCookies = (res: Response) =>
    res.headers.getSetCookie().filter((line) => line.startsWith(`${SESSION_COOKIE_NAME}=`));

  it("keeps a farmer who opens the app every week signed in, renewing the row and the cookie once a day at most", async () => {
    const jar = new CookieJar(await loggedInCookie());
    for (let week = 1; week <= 6; week++) {
      await db.update(sessions).set({ expiresAt: sql`${sessions.expiresAt} - interval '7 days'` });
      const res = await getPage(server, "/account", { jar });
      expect(res.status, `week ${week}`).toBe(200);
      const [renewed] = sessionCookies(res);
      expect(renewed).toMatch(/Max-Age=2592000;.*HttpOnly/);
      expect(await expiresIn()).toBeGreaterThan(30 * DAY - 60_000);
      // The same day again: nothing renewed, nothing sent.
      const again = await getPage(server, "/account", { jar });
      expect(again.status).toBe(200);
      expect(sessionCookies(again)).toEqual([]);
    }
  });

  it("renews on a page or its data, not on each photo the page loads", async () => {
    const cookie = await loggedInCookie();
    await lastRenewedDaysAgo(3);
    const before = await expiresIn();
    const photo = await server.fetch("/media/photos/none/320.webp", {
      headers: { Cookie: cookie, "Sec-Fetch-Dest": "image" },
    });
    expect(sessionCookies(photo)).toEqual([]);
    expect(Math.abs((await expiresIn())! - before!)).toBeLessThan(60_000);
    const page = await server.fetch("/account", { headers: { Cookie: cookie, "Sec-Fetch-Dest": "document" } });
    expect(page.status).toBe(200);
    expect(sessionCookies(page)).toHaveLength(1);
  });

  it("leaves a session renewed less than a day ago alone", async () => {
    const jar = new CookieJar(await loggedInCookie());
    await db.update(sessions).set({ expiresAt: sql`now() + interval '29 days 1 hour'` });
    const res = await getPage(server, "/account", { jar });
    expect(res.status).toBe(200);
    expect(sessionCookies(res)).toEqual([]);
    expect(await expiresIn()).toBeLessThan(29 * DAY + 2 * 60 * 60 * 1000);
  });

  it("renews once when several requests arrive together", async () => {
    const cookie = await loggedInCookie();
    await lastRenewedDaysAgo(3);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => server.fetch("/account", { headers: { Cookie: cookie } })),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((r) => sessionCookies(r).length > 0)).toHaveLength(1);
  });

  it("ends a session unused for 30 days: the next visit is signed out and the row is gone", async () => {
    const jar = new CookieJar(await loggedInCookie());
    await lastRenewedDaysAgo(30);
    await db.update(sessions).set({ expiresAt: sql`${sessions.expiresAt} - interval '1 minute'` });
    const res = await getPage(server, "/account", { jar });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Faccount");
    expect(sessionCookies(res)).toEqual([]);
    expect(await countSessions()).toBe(0);
  });

  it("lets logout clear the cookie even when a renewal was due, and never brings the session back", async () => {
    const jar = new CookieJar(await loggedInCookie());
    await lastRenewedDaysAgo(5);
    const res = await post(server, "/logout", {}, { jar });
    expect(res.status).toBe(302);
    expect(sessionCookies(res)).toEqual([expect.stringMatching(/^__session=; Max-Age=0;/)]);
    expect(await countSessions()).toBe(0);
  });

  it("keeps a renewed answer out of shared caches", async () => {
    const jar = new CookieJar(await loggedInCookie());
    // The translations a page loads are public and cached for everyone…
    const shared = await getPage(server, "/locales/vi/common");
    expect(shared.headers.get("Cache-Control")).toMatch(/^public/);
    // …but not the one answer that carries a renewed session.
    await lastRenewedDaysAgo(2);
    const res = await getPage(server, "/locales/vi/common", { jar });
    expect(res.status).toBe(200);
    expect(sessionCookies(res)).toHaveLength(1);
    expect(res.headers.get("Cache-Control")).toBe("private, no-cache");
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
    // A shared phone keeps nothing of the seller app's (ADR 031): its kept pages, queue and worker.
    expect(res.headers.get("Clear-Site-Data")).toBe('"cache", "storage"');
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
