/**
 * Sign-up proves the phone (/signup → /signup/code → /signup/details),
 * through the HTTP server as a browser without JavaScript walks it: the same
 * answer whether or not the number has an account, the proof the code step
 * leaves and what it allows, and an SMS gateway that fails (the eSMS double).
 */
import { Writable } from "node:stream";
import { count, eq, sql } from "drizzle-orm";
import pino from "pino";
import { beforeEach, describe, expect, it } from "vitest";
import { oneTimeCodes, phoneProofs, rateLimits, sessions, users } from "#db/schema";
import { startEsmsDouble } from "../../tests/doubles/esms-double";
import { createUser } from "#tests/fixtures/factories";
import { CookieJar, getPage, mainText, postForm, type Visit } from "../../tests/http/forms";
import { serveAppForThisFile } from "../../tests/http/server";
import { verifyPassword } from "./password.server";
import { PROOF_COOKIE_NAME } from "./proof-cookie.server";
import { getUser } from "./session.server";
import { createAccount, englishCookie } from "#tests/harness/routes";
import { sentSmsForTests, setSmsProvider } from "~/notifications/sms.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";

const PHONE = "+84912345678";
const DIGITS = "0912345678";
const password = "vuon-nha-toi-2026";
const IP = "198.51.100.10";

const server = serveAppForThisFile({ trustProxy: true });

beforeEach(async () => {
  await db.delete(users);
  await db.delete(oneTimeCodes);
  await db.delete(phoneProofs);
  await db.delete(rateLimits);
  sentSmsForTests.clear();
});

const countUsers = async () => (await db.select({ n: count() }).from(users))[0].n;
const codeIn = (text: string | undefined) => /\b(\d{6})\b/.exec(text ?? "")?.[1];
const signedInUser = (jar: CookieJar) => getUser(new Request("http://x/", { headers: { Cookie: jar.header } }));

/** The hidden fields a step's page carries: its URL's `redirectTo` and `role`. */
function carried(url: string): Record<string, string> {
  const query = new URL(url, "http://x").searchParams;
  const fields: Record<string, string> = {};
  for (const name of ["redirectTo", "role"]) if (query.get(name)) fields[name] = query.get(name)!;
  return fields;
}

/** Step 1: the number, posted to the page's own URL (with its ?role= / redirectTo) as its form does. */
const askCode = (query: string, phone: string, visit: Visit) =>
  postForm(
    server,
    `/signup${query}`,
    { intent: "request", phone, website: "", ...carried(query) },
    { ip: IP, ...visit },
  );

/** Step 2: the code, posted to the URL step 1 redirected to. */
const sendCode = (location: string, code: string, visit: Visit) =>
  postForm(
    server,
    location,
    {
      intent: "verify",
      phone: new URL(location, "http://x").searchParams.get("phone")!,
      code,
      ...carried(location),
    },
    { ip: IP, ...visit },
  );

/** Steps 1 and 2 for a new number: the browser then holds a proof and stands at /signup/details. */
async function proveNewNumber(jar: CookieJar, query = "?role=farmer", phone = DIGITS) {
  const asked = await askCode(query, phone, { jar });
  expect(asked.status).toBe(302);
  const e164 = `+84${phone.slice(1)}`;
  const proved = await sendCode(asked.headers.get("Location")!, codeIn(sentSmsForTests.get(e164)?.text)!, { jar });
  expect(proved.status).toBe(302);
  return proved.headers.get("Location")!;
}

const details = (location: string, fields: Record<string, string>, jar: CookieJar) =>
  postForm(server, location, { fullName: "Phạm Văn Vải", password, role: "farmer", ...fields }, { ip: IP, jar });

describe("sign-up proves the phone first", () => {
  it("takes a farmer from the number to the code to name and password, and signs them in with the phone confirmed", async () => {
    const page = await getPage(server, "/signup?role=farmer");
    expect(page.status).toBe(200);
    expect(await mainText(page)).toContain("Nhận mã xác nhận");

    const jar = new CookieJar();
    const asked = await askCode("?role=farmer", "0912 345 678", { jar });
    expect(asked.status).toBe(302);
    expect(asked.headers.get("Location")).toBe("/signup/code?phone=0912345678&role=farmer");
    const sms = sentSmsForTests.get(PHONE)!.text;
    expect(sms).toMatch(/^Mã xác nhận đăng ký Gian Hàng Số: \d{6}\. Hiệu lực 5 phút\. Đừng chia sẻ mã này\.$/);
    expect(await countUsers()).toBe(0);

    const codePage = await getPage(server, asked.headers.get("Location")!, { jar });
    expect(await mainText(codePage)).toContain("Chúng tôi vừa gửi tin nhắn đến số 0912 345 678.");

    const proved = await sendCode(asked.headers.get("Location")!, codeIn(sms)!, { jar });
    expect(proved.status).toBe(302);
    expect(proved.headers.get("Location")).toBe("/signup/details?role=farmer");
    const proofCookie = proved.headers.getSetCookie().find((c) => c.startsWith(`${PROOF_COOKIE_NAME}=`))!;
    expect(proofCookie).toMatch(/; Max-Age=900/);
    expect(proofCookie).toMatch(/; HttpOnly/);
    expect(proofCookie).toMatch(/; SameSite=Lax/);
    const [proof] = await db.select().from(phoneProofs);
    expect(proof).toMatchObject({ phone: PHONE, allows: "create-account", usedAt: null });
    expect(proof.id).toMatch(/^[0-9a-f]{64}$/);
    expect(proofCookie).not.toContain(proof.id);

    const detailsPage = await getPage(server, "/signup/details?role=farmer", { jar });
    expect(detailsPage.status).toBe(200);
    const html = await detailsPage.text();
    expect(html).toContain("Số 0912 345 678 đã được xác nhận.");
    expect(html).toMatch(/<input id="f-role-farmer"[^>]*checked=""/);

    const done = await details("/signup/details?role=farmer", { fullName: "  Phạm   Văn Vải " }, jar);
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/setup");
    expect(jar.has(PROOF_COOKIE_NAME)).toBe(false);
    expect(await signedInUser(jar)).toMatchObject({ fullName: "Phạm Văn Vải", phone: PHONE, role: "farmer" });
    const [user] = await db.select().from(users);
    expect(user.phoneConfirmedAt).toBeInstanceOf(Date);
    expect(user.locale).toBe("vi");
    expect(await verifyPassword(password, user.passwordHash)).toBe(true);
    const [spent] = await db.select().from(phoneProofs);
    expect(spent.usedAt).toBeInstanceOf(Date);
  });

  it("sends a buyer back where they came from, never off-site, and keeps the language", async () => {
    const jar = new CookieJar();
    const next = await proveNewNumber(jar, "?role=buyer&redirectTo=%2Fs%2Fvai-thieu-ba-hoa");
    expect(next).toBe("/signup/details?redirectTo=%2Fs%2Fvai-thieu-ba-hoa&role=buyer");
    const done = await details(next, { role: "buyer", redirectTo: "/s/vai-thieu-ba-hoa" }, jar);
    expect(done.headers.get("Location")).toBe("/s/vai-thieu-ba-hoa");

    const evil = new CookieJar();
    const evilNext = await proveNewNumber(evil, "?redirectTo=%2F%2Fevil.example%2F", "0981234568");
    expect(evilNext).toBe("/signup/details");
    const evilDone = await details(evilNext, { role: "buyer", redirectTo: "//evil.example/" }, evil);
    expect(evilDone.headers.get("Location")).toBe("/");

    const english = new CookieJar(await englishCookie());
    const asked = await askCode("", "0981234569", { jar: english });
    expect(sentSmsForTests.get("+84981234569")!.text).toMatch(/^Gian Hang So sign-up code: \d{6}\./);
    await sendCode(asked.headers.get("Location")!, codeIn(sentSmsForTests.get("+84981234569")!.text)!, {
      jar: english,
    });
    await details("/signup/details", { role: "buyer" }, english);
    const [user] = await db.select().from(users).where(eq(users.phone, "+84981234569"));
    expect(user.locale).toBe("en");
  });

  it("answers a number that has an account exactly like a new one; only the SMS tells its holder", async () => {
    await createAccount({ fullName: "Trần Thị Hoa", phone: "+84987654321", password, role: "buyer" });
    const fresh = await askCode("?role=farmer", "0912 345 678", {});
    const taken = await askCode("?role=farmer", "0987 654 321", {});
    expect([fresh.status, taken.status]).toEqual([302, 302]);
    expect(taken.headers.get("Location")).toBe("/signup/code?phone=0987654321&role=farmer");
    expect(taken.headers.getSetCookie()).toEqual(fresh.headers.getSetCookie());
    const freshPage = await getPage(server, fresh.headers.get("Location")!);
    const takenPage = await getPage(server, taken.headers.get("Location")!);
    expect(takenPage.status).toBe(freshPage.status);
    expect((await mainText(takenPage)).replace("0987 654 321", "PHONE")).toBe(
      (await mainText(freshPage)).replace("0912 345 678", "PHONE"),
    );

    const notice = sentSmsForTests.get("+84987654321")!.text;
    expect(notice).toBe(
      `Số này đã có tài khoản Gian Hàng Số. Hãy đăng nhập tại ${server.origin}/login, quên mật khẩu thì vào ${server.origin}/password/forgot. Nếu không phải bạn yêu cầu, hãy bỏ qua tin này.`,
    );
    expect(codeIn(notice)).toBeUndefined();
    // A guess on the code step is answered alike, and gets nowhere.
    const guess = codeIn(sentSmsForTests.get(PHONE)!.text) === "123456" ? "654321" : "123456";
    const takenGuess = await sendCode(taken.headers.get("Location")!, guess, {});
    const freshGuess = await sendCode(fresh.headers.get("Location")!, guess, {});
    expect([takenGuess.status, freshGuess.status]).toEqual([400, 400]);
    expect((await mainText(takenGuess)).replace("0987 654 321", "PHONE")).toBe(
      (await mainText(freshGuess)).replace("0912 345 678", "PHONE"),
    );
    expect(await countUsers()).toBe(1);
  });

  it("sends an account an officer made without a password to set one", async () => {
    const officerMade = await createUser(db, { phone: "+84987111222", fullName: "Lê Thị Na", passwordHash: null });
    const jar = new CookieJar();
    const asked = await askCode("?role=farmer", "0987 111 222", { jar });
    expect(asked.headers.get("Location")).toBe("/signup/code?phone=0987111222&role=farmer");
    const sms = sentSmsForTests.get("+84987111222")!.text;
    expect(sms).toMatch(/^Số này đã có tài khoản Gian Hàng Số do cán bộ tạo giúp\. Mã để đặt mật khẩu: \d{6}\./);
    const proved = await sendCode(asked.headers.get("Location")!, codeIn(sms)!, { jar });
    expect(proved.headers.get("Location")).toBe("/password/new?role=farmer");
    expect((await getPage(server, "/signup/details", { jar })).headers.get("Location")).toBe("/signup?reason=expired");

    const set = await postForm(server, "/password/new?role=farmer", { password }, { ip: IP, jar });
    expect(set.status).toBe(302);
    expect(set.headers.get("Location")).toBe("/setup");
    const [user] = await db.select().from(users).where(eq(users.id, officerMade.id));
    expect(await verifyPassword(password, user.passwordHash)).toBe(true);
    expect(user.phoneConfirmedAt).toBeInstanceOf(Date);
    expect(await countUsers()).toBe(1);
  });

  it("changes nothing on a wrong code", async () => {
    const jar = new CookieJar();
    const asked = await askCode("?role=farmer", DIGITS, { jar });
    const code = codeIn(sentSmsForTests.get(PHONE)!.text)!;
    const res = await sendCode(asked.headers.get("Location")!, code === "000000" ? "111111" : "000000", { jar });
    expect(res.status).toBe(400);
    expect(await mainText(res)).toContain("Mã không đúng. Bạn còn 4 lần thử");
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await db.select().from(phoneProofs)).toEqual([]);
    expect(await countUsers()).toBe(0);
    expect((await getPage(server, "/signup/details", { jar })).status).toBe(302);
  });

  it("keeps the proof through a form with mistakes, and spends it once", async () => {
    const jar = new CookieJar();
    const next = await proveNewNumber(jar);
    const bad = await details(next, { fullName: " ", password: DIGITS, role: "admin" }, jar);
    expect(bad.status).toBe(400);
    const text = await mainText(bad);
    expect(text).toContain("Vui lòng nhập họ và tên");
    expect(text).toContain("Không dùng số điện thoại làm mật khẩu");
    expect(text).toContain("Hãy chọn bạn bán nông sản hay mua hàng");
    expect(await countUsers()).toBe(0);

    const saved = jar.header;
    expect((await details(next, {}, jar)).status).toBe(302);
    // The same proof again (a replayed cookie): back to the start, no second account.
    const replay = await details(next, { fullName: "Kẻ Khác" }, new CookieJar(saved));
    expect(replay.status).toBe(302);
    expect(replay.headers.get("Location")).toBe("/signup?role=farmer&reason=expired");
    expect(await countUsers()).toBe(1);
    const notice = await getPage(server, "/signup?role=farmer&reason=expired");
    expect(await mainText(notice)).toContain(
      "Phiên xác nhận số điện thoại đã hết hạn hoặc đã được dùng. Hãy nhận mã mới.",
    );
  });

  it("refuses the last step without a proof, with an expired one, or with one for another step", async () => {
    const none = await details("/signup/details", {}, new CookieJar());
    expect(none.headers.get("Location")).toBe("/signup?role=farmer&reason=expired");

    const jar = new CookieJar();
    const next = await proveNewNumber(jar);
    await db.update(phoneProofs).set({ expiresAt: sql`now() - interval '1 second'` });
    expect((await details(next, {}, jar)).headers.get("Location")).toBe("/signup?role=farmer&reason=expired");
    expect((await getPage(server, "/password/new", { jar })).headers.get("Location")).toBe(
      "/password/forgot?reason=expired",
    );
    expect(await countUsers()).toBe(0);
  });

  it("refuses bad numbers with a Vietnamese field error, in English for an English visitor", async () => {
    for (const [phone, message] of [
      ["0243 123 4567", "Đây là số máy bàn. Hãy nhập số di động để nhận được tin nhắn"],
      ["09123456789", "Số điện thoại không hợp lệ. Hãy nhập số di động 10 chữ số, ví dụ 0912 345 678"],
      ["01689123456", "Số 11 chữ số đã được đổi sang 10 chữ số từ năm 2018 (ví dụ 0168… thành 038…). Hãy nhập số mới"],
      ["", "Vui lòng nhập số điện thoại"],
    ]) {
      const res = await askCode("?role=farmer", phone, {});
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(message);
      expect(html).toMatch(
        /<input id="f-phone"[^>]*aria-invalid="true"[^>]*aria-describedby="f-phone-error f-phone-hint"/,
      );
    }
    const english = await askCode("", "0243 123 4567", { language: "en" });
    expect(await mainText(english)).toContain(
      "This is a landline. Enter a mobile number so you can receive text messages",
    );
    expect(sentSmsForTests.size).toBe(0);
  });

  it("refuses a filled honeypot and sends nothing", async () => {
    const res = await postForm(server, "/signup", { phone: DIGITS, website: "http://spam.example" }, { ip: IP });
    expect(res.status).toBe(400);
    expect(sentSmsForTests.size).toBe(0);
  });

  it("sends signed-in people away from every sign-up step", async () => {
    const jar = new CookieJar();
    const next = await proveNewNumber(jar);
    await details(next, {}, jar);
    for (const path of ["/signup", "/signup/code?phone=0912345678", "/signup/details"]) {
      const res = await getPage(server, path, { jar });
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe("/setup");
    }
  });

  it("lets only one of two simultaneous sign-ups for one number through", async () => {
    const [a, b] = [new CookieJar(), new CookieJar()];
    const nextA = await proveNewNumber(a);
    const nextB = await proveNewNumber(b);
    const results = await Promise.all([details(nextA, {}, a), details(nextB, { role: "buyer" }, b)]);
    expect(results.map((r) => r.status).sort()).toEqual([302, 400]);
    const refused = results.find((r) => r.status === 400)!;
    expect(await mainText(refused)).toContain("Số điện thoại này đã có tài khoản. Hãy đăng nhập");
    expect(await countUsers()).toBe(1);
  });
});

describe("the logs of a sign-up", () => {
  it("hold no phone number, name, password or code, but the log provider's own line (ADR 016)", async () => {
    const lines: string[] = [];
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    // The app's one logger, pointed at a capture for this test (request loggers are its children).
    const target = logger as unknown as Record<symbol, unknown>;
    const [stream, level] = [target[pino.symbols.streamSym], logger.level];
    target[pino.symbols.streamSym] = capture;
    logger.level = "info";
    try {
      const jar = new CookieJar();
      const next = await proveNewNumber(jar);
      await details(next, { fullName: "Phạm Văn Vải" }, jar);
    } finally {
      target[pino.symbols.streamSym] = stream;
      logger.level = level;
    }
    const code = codeIn(sentSmsForTests.get(PHONE)!.text)!;
    const smsLine = lines.find((l) => l.includes("sms (log provider"))!;
    expect(smsLine).toContain(code);
    expect(smsLine).toContain("…678");
    const others = lines.filter((l) => l !== smsLine).join("");
    expect(others).toMatch(/"msg":"request"/);
    expect(others).toMatch(/"msg":"signup"/);
    for (const secret of ["912345678", "912 345 678", "Vải", password, code]) {
      expect(others).not.toContain(secret);
    }
    expect(smsLine).not.toContain("912345678");
  });
});

describe("sign-up through eSMS.vn", () => {
  it("says 503 'try again' when the gateway fails, changes nothing, and works once it is back", async () => {
    const double = await startEsmsDouble({ apiKey: "key", secretKey: "secret", brandnames: ["GianHangSo"] });
    const saved = { ...env() };
    Object.assign(env(), {
      SMS_PROVIDER: "esms",
      ESMS_API_KEY: "key",
      ESMS_SECRET_KEY: "secret",
      ESMS_BRANDNAME: "GianHangSo",
      ESMS_API_BASE: double.url,
    });
    setSmsProvider(undefined);
    try {
      for (const fail of [() => double.failNextWithHttp(502), () => (double.balance = 0)]) {
        fail();
        const res = await askCode("?role=farmer", DIGITS, {});
        expect(res.status).toBe(503);
        expect(await mainText(res)).toContain("Chưa gửi được tin nhắn. Vui lòng thử lại sau ít phút");
        expect(res.headers.getSetCookie()).toEqual([]);
        expect(await db.select().from(oneTimeCodes)).toEqual([]);
        expect(double.delivered).toEqual([]);
        double.balance = Number.POSITIVE_INFINITY;
      }
      const jar = new CookieJar();
      const asked = await askCode("?role=farmer", DIGITS, { jar });
      expect(asked.status).toBe(302);
      expect(double.delivered).toMatchObject([{ phone: DIGITS, brandname: "GianHangSo", isUnicode: "1" }]);
      const proved = await sendCode(asked.headers.get("Location")!, codeIn(double.delivered[0].content)!, { jar });
      expect(proved.headers.get("Location")).toBe("/signup/details?role=farmer");
      expect(await countUsers()).toBe(0);
      expect(await db.select({ n: count() }).from(sessions)).toEqual([{ n: 0 }]);
    } finally {
      Object.assign(env(), saved);
      setSmsProvider(undefined);
      await double.close();
    }
  });
});
