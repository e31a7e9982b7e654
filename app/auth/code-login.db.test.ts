/**
 * Logging in with an SMS code (/login/code), through the HTTP server from
 * client addresses the test chooses: what is sent and stored, that a code
 * works once, that nobody else's requests or guesses spoil the owner's code
 * or lock them out, and that the answers never tell whether a number has an
 * account.
 */
import { count, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { oneTimeCodes, rateLimits, sessions, users } from "#db/schema";
import { createUser } from "#tests/fixtures/factories";
import { CookieJar, getPage, mainText, postForm } from "../../tests/http/forms";
import { serveAppForThisFile } from "../../tests/http/server";
import { CODE_MAX_ATTEMPTS, createCode, verifyCode } from "./otp.server";
import { getUser } from "./session.server";
import { createAccount } from "#tests/harness/routes";
import { RATE_LIMITS } from "~/http/index.server";
import { sentSmsForTests, setSmsProvider } from "~/notifications/sms.server";
import { db } from "~/utils/db.server";

const phone = "+84912345678";
const TYPED = "0912 345 678";
const password = "vaithieu-ThanhHa";
const IP_A = "198.51.100.10";
const IP_B = "203.0.113.20";
const countSessions = async () => (await db.select({ n: count() }).from(sessions))[0].n;

const server = serveAppForThisFile({ trustProxy: true });

beforeEach(async () => {
  await db.delete(users);
  await db.delete(oneTimeCodes);
  await db.delete(rateLimits);
  sentSmsForTests.clear();
  const created = await createAccount({ fullName: "Nguyễn Văn Bình", phone, password, role: "farmer" });
  if (!created.ok) throw new Error("account");
});

const requestCode = (
  fields: Record<string, string> = {},
  visit: { ip?: string; jar?: CookieJar; language?: string } = {},
) =>
  postForm(server, "/login/code", { intent: "request", phone: TYPED, website: "", ...fields }, { ip: IP_A, ...visit });
/** The code step's form, posted where the browser posts it: the step's own URL. */
const submitCode = (
  code: string,
  fields: Record<string, string> = {},
  visit: { ip?: string; jar?: CookieJar } = {},
) => {
  const digits = fields.phone ?? "0912345678";
  return postForm(
    server,
    `/login/code?phone=${digits}`,
    { intent: "verify", phone: digits, code, ...fields },
    { ip: IP_A, ...visit },
  );
};
const lastCode = (to = phone) => /\b(\d{6})\b/.exec(sentSmsForTests.get(to)?.text ?? "")?.[1];
const EXPIRED = "Mã đã hết hạn hoặc đã được dùng. Hãy nhận mã mới";

describe("log in with an SMS code", () => {
  it("sends a translated SMS, stores only a hash, and moves to the code step", async () => {
    const res = await requestCode({ redirectTo: "/cart" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login/code?phone=0912345678&redirectTo=%2Fcart");

    expect(sentSmsForTests.get(phone)!.text).toMatch(
      /^Mã đăng nhập Gian Hàng Số: \d{6}\. Hiệu lực 5 phút\. Đừng chia sẻ mã này\.$/,
    );
    const code = lastCode()!;
    const rows = await db.select().from(oneTimeCodes);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ phone, purpose: "login", attempts: 0, consumedAt: null });
    expect(rows[0].codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows[0])).not.toContain(code);
    const ttl = rows[0].expiresAt.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(4 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(5 * 60 * 1000 + 5000);

    const page = await getPage(server, res.headers.get("Location")!);
    expect(page.status).toBe(200);
    expect(await mainText(page)).toContain("Nếu số 0912 345 678 đã có tài khoản, mã gồm 6 chữ số vừa được gửi");
  });

  it("texts in English to an English-speaking visitor", async () => {
    await requestCode({}, { language: "en" });
    expect(sentSmsForTests.get(phone)!.text).toMatch(/^Gian Hang So login code: \d{6}\. Valid for 5 minutes\./);
  });

  it("logs in with the right code once, confirms the phone, and the code cannot be reused", async () => {
    await db.update(users).set({ phoneConfirmedAt: null });
    await requestCode();
    const code = lastCode()!;
    const jar = new CookieJar();
    const res = await submitCode(code, { redirectTo: "/cart" }, { jar });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/cart");
    expect(await getUser(new Request("http://x/", { headers: { Cookie: jar.header } }))).toMatchObject({ phone });
    const [user] = await db.select({ confirmed: users.phoneConfirmedAt }).from(users);
    expect(user.confirmed).toBeInstanceOf(Date);

    const again = await submitCode(code);
    expect(again.status).toBe(400);
    expect(await mainText(again)).toContain(EXPIRED);
    expect(again.headers.getSetCookie()).toEqual([]);
    expect(await countSessions()).toBe(1);
  });

  it("lets a code win only once, even when two requests race", async () => {
    const code = await createCode(phone);
    const results = await Promise.all([verifyCode(phone, code), verifyCode(phone, code), verifyCode(phone, code)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("accepts the code typed with a space", async () => {
    await requestCode();
    const code = lastCode()!;
    expect((await submitCode(`${code.slice(0, 3)} ${code.slice(3)}`)).status).toBe(302);
  });

  it("refuses a code's 6th guess after five wrong ones, even if it is right; a wrong code changes nothing else", async () => {
    await requestCode();
    const code = lastCode()!;
    const wrong = code === "000000" ? "111111" : "000000";
    const messages: string[] = [];
    for (let i = 0; i < CODE_MAX_ATTEMPTS; i++) {
      const res = await submitCode(wrong);
      expect(res.status).toBe(400);
      expect(res.headers.getSetCookie()).toEqual([]);
      messages.push(/Mã không đúng\. Bạn còn \d lần thử|Bạn đã nhập sai quá nhiều lần/.exec(await mainText(res))![0]);
    }
    expect(messages).toEqual([
      "Mã không đúng. Bạn còn 4 lần thử",
      "Mã không đúng. Bạn còn 3 lần thử",
      "Mã không đúng. Bạn còn 2 lần thử",
      "Mã không đúng. Bạn còn 1 lần thử",
      "Bạn đã nhập sai quá nhiều lần",
    ]);
    const sixth = await submitCode(code);
    expect(sixth.status).toBe(400);
    expect(await mainText(sixth)).toContain("Bạn đã nhập sai quá nhiều lần. Hãy nhận mã mới");
    expect(await countSessions()).toBe(0);
    const [row] = await db.select().from(oneTimeCodes);
    expect(row).toMatchObject({ attempts: CODE_MAX_ATTEMPTS, consumedAt: null });
  });

  it("refuses an expired code", async () => {
    await requestCode();
    const code = lastCode()!;
    await db.update(oneTimeCodes).set({ expiresAt: sql`now() - interval '1 second'` });
    const res = await submitCode(code);
    expect(res.status).toBe(400);
    expect(await mainText(res)).toContain(EXPIRED);
    expect(await countSessions()).toBe(0);
  });

  it("keeps the owner's code valid when someone else asks for more codes for the number", async () => {
    const owner = new CookieJar();
    await requestCode({}, { ip: IP_B, jar: owner });
    const mine = lastCode()!;
    for (let i = 0; i < 3; i++) expect((await requestCode({}, { ip: IP_A })).status).toBe(302);
    expect(sentSmsForTests.all(phone)).toHaveLength(4);
    const res = await submitCode(mine, {}, { ip: IP_B, jar: owner });
    expect(res.status).toBe(302);
    // The number is proved: the codes the stranger asked for are dropped.
    expect(
      await db
        .select()
        .from(oneTimeCodes)
        .where(sql`${oneTimeCodes.consumedAt} IS NULL`),
    ).toEqual([]);
  });

  it("checks the format before anything else", async () => {
    const res = await submitCode("12a456");
    expect(res.status).toBe(400);
    expect(await mainText(res)).toContain("Mã gồm 6 chữ số");
  });

  it("answers the same for a number without an account, and sends nothing", async () => {
    const known = await requestCode();
    const unknown = await requestCode({ phone: "0987 654 321" });
    expect([known.status, unknown.status]).toEqual([302, 302]);
    expect(unknown.headers.get("Location")).toBe("/login/code?phone=0987654321");
    expect(sentSmsForTests.all("+84987654321")).toEqual([]);
    const knownPage = await mainText(await getPage(server, "/login/code?phone=0912345678"));
    const unknownPage = await mainText(await getPage(server, "/login/code?phone=0987654321"));
    expect(unknownPage.replace("0987 654 321", "PHONE")).toBe(knownPage.replace("0912 345 678", "PHONE"));
    // A wrong guess is answered alike too: the unknown number has a code nobody was sent.
    const guess = lastCode() === "123456" ? "654321" : "123456";
    const wrongKnown = await submitCode(guess);
    const wrongUnknown = await submitCode(guess, { phone: "0987654321" });
    expect([wrongKnown.status, wrongUnknown.status]).toEqual([400, 400]);
    const unknownText = (await mainText(wrongUnknown)).replace("0987 654 321", "PHONE");
    expect(unknownText).toBe((await mainText(wrongKnown)).replace("0912 345 678", "PHONE"));
    expect(unknownText).toContain("Mã không đúng. Bạn còn 4 lần thử");
  });

  it("refuses a bad phone on the request step and sends nothing", async () => {
    const res = await requestCode({ phone: "0243 123 4567" });
    expect(res.status).toBe(400);
    expect(await mainText(res)).toContain("Đây là số máy bàn. Hãy nhập số di động để nhận được tin nhắn");
    expect(sentSmsForTests.size).toBe(0);
  });

  it("caps what one number is sent in a day, whoever asks", async () => {
    const { limit } = RATE_LIMITS["code.send.phone"];
    for (let i = 0; i < limit; i++) expect((await requestCode({}, { ip: `198.51.100.${100 + i}` })).status).toBe(302);
    const res = await requestCode({}, { ip: "198.51.100.250" });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(23 * 3600);
    expect(await mainText(res)).toContain(
      "Số này đã nhận đủ số tin nhắn cho phép trong hôm nay. Vui lòng thử lại sau 24 giờ.",
    );
    expect(sentSmsForTests.all(phone)).toHaveLength(limit);
  });

  it("does not spend the number's daily allowance on requests its IP limit already refused", async () => {
    for (let i = 0; i < 20; i++) await requestCode({}, { ip: IP_A });
    expect(sentSmsForTests.all(phone)).toHaveLength(3);
    const [row] = await db
      .select()
      .from(rateLimits)
      .where(eq(rateLimits.key, `code.send.phone:${phone}`));
    expect(row.count).toBe(3);
  });

  it("limits guesses per phone and IP: the guesser is refused, the owner elsewhere gets in", async () => {
    for (let round = 0; round < 2; round++) {
      await createCode(phone);
      for (let i = 0; i < 5; i++) expect((await submitCode("000000", {}, { ip: IP_A })).status).toBe(400);
    }
    const fresh = await createCode(phone);
    const refused = await submitCode(fresh, {}, { ip: IP_A });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(refused.headers.getSetCookie()).toEqual([]);

    const owner = new CookieJar();
    expect((await requestCode({}, { ip: IP_B, jar: owner })).status).toBe(302);
    expect((await submitCode(lastCode()!, {}, { ip: IP_B, jar: owner })).status).toBe(302);
  });

  it("forgives the number's wrong passwords: a code login lifts the step to the code", async () => {
    const { limit } = RATE_LIMITS["login.phone"];
    const login = (pw: string) => postForm(server, "/login", { phone: TYPED, password: pw }, { ip: IP_B });
    for (let i = 0; i < limit; i++) await login(`wrong-password-${i}`);
    expect((await login(password)).headers.get("Location")).toMatch(/reason=protect/);
    await requestCode({}, { ip: IP_B });
    expect((await submitCode(lastCode()!, {}, { ip: IP_B })).status).toBe(302);
    expect((await login(password)).headers.get("Location")).toBe("/setup");
  });

  it("lets an account an officer made without a password log in with a code", async () => {
    const officerMade = await createUser(db, { phone: "+84987111222", fullName: "Lê Thị Na", passwordHash: null });
    await requestCode({ phone: "0987 111 222" });
    const code = lastCode("+84987111222")!;
    const res = await submitCode(code, { phone: "0987111222" });
    expect(res.status).toBe(302);
    const [row] = await db
      .select({ confirmed: users.phoneConfirmedAt })
      .from(users)
      .where(eq(users.id, officerMade.id));
    expect(row.confirmed).toBeInstanceOf(Date);
  });

  it("says so, 503, when the SMS cannot be sent, and leaves no code behind", async () => {
    setSmsProvider({ send: () => Promise.reject(new Error("gateway down")) });
    try {
      const res = await requestCode();
      expect(res.status).toBe(503);
      expect(await mainText(res)).toContain("Chưa gửi được tin nhắn. Vui lòng thử lại sau ít phút");
      expect(await db.select().from(oneTimeCodes)).toEqual([]);
    } finally {
      setSmsProvider(undefined);
    }
  });

  it("refuses a filled honeypot without sending anything", async () => {
    const res = await requestCode({ website: "x" });
    expect(res.status).toBe(400);
    expect(sentSmsForTests.size).toBe(0);
  });

  it("limits code steps per IP before reading the body (429, Retry-After)", async () => {
    const { limit } = RATE_LIMITS["code.ip"];
    for (let i = 0; i < limit; i++) await submitCode("12a456", {}, { ip: "198.51.100.77" });
    const res = await requestCode({}, { ip: "198.51.100.77" });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(sentSmsForTests.size).toBe(0);
  });
});
