/**
 * Guest checkout cannot be used to text strangers or hoard stock (ADR 019),
 * through the HTTP server as browsers without JavaScript (and scripts) post
 * the form, each from the client address a test chooses (TRUST_PROXY=1):
 * the address threshold and the SMS code step, the code step keeping the
 * form, exactly-once placing, the caps on a number, buyers who are never
 * asked, and the messages a number nobody proved receives.
 */
import { and, count, eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listings, orders, rateLimits } from "#db/schema";
import { THANH_HA } from "#tests/fixtures/factories";
import { CookieJar, mainText, postForm, type Visit } from "../../tests/http/forms";
import { serveAppForThisFile } from "../../tests/http/server";
import { CHECKOUT_PHONES_COOKIE_NAME } from "~/auth/proof-cookie.server";
import { createAccount, signedIn } from "#tests/harness/routes";
import { countHit, RATE_LIMITS } from "~/http/index.server";
import { SmsOrderChannel, sentOrderNotificationsForTests, setOrderNotificationChannels } from "~/orders/notify.server";
import { sentSmsForTests } from "~/notifications/sms.server";
import { formatCode } from "~/orders/codes";
import { changeOrderStatus } from "~/orders/orders.server";
import { createActiveListing, createSellingStall, VIETQR_STALL } from "#tests/fixtures/orders";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";

const server = serveAppForThisFile({ trustProxy: true });
beforeAll(() => {
  env().DISABLE_RATE_LIMIT = false;
});
beforeEach(async () => {
  await db.delete(rateLimits);
  sentSmsForTests.clear();
  sentOrderNotificationsForTests.length = 0;
});
afterEach(() => setOrderNotificationChannels(undefined));

// ---- people and places ------------------------------------------------------

let phones = 0;
/** A mobile number nobody has used in this file: "0914 000 001", … */
const newPhone = () =>
  `0914 ${String(++phones)
    .padStart(6, "0")
    .replace(/^(\d{3})/, "$1 ")}`;
const e164 = (typed: string) => `+84${typed.replace(/\s/g, "").slice(1)}`;
let addresses = 0;
const newIp = () => `203.0.${113 + (++addresses >> 8)}.${addresses & 255}`;

const seller = await createSellingStall(db, { name: "Vườn vải Bác Tư", ...VIETQR_STALL });
const codeIn = (text: string | undefined) => /\b(\d{6})\b/.exec(text ?? "")?.[1];
const ordersOf = async (phone: string) =>
  (
    await db
      .select({ n: count() })
      .from(orders)
      .where(eq(orders.buyerPhone, e164(phone)))
  )[0].n;
const stockOf = async (listingId: string) =>
  (await db.select({ n: listings.stockQty }).from(listings).where(eq(listings.id, listingId)))[0].n;

type Listing = { id: string; priceDong: number; stallId: string };

/** A browser (its cookies and address) with these items in its cart, through POST /cart. */
async function browserWith(items: { listing: Listing; qty: number }[], visit: Visit = {}) {
  const browser = { jar: visit.jar ?? new CookieJar(), ip: visit.ip ?? newIp(), language: visit.language };
  for (const { listing, qty } of items) {
    const res = await postForm(
      server,
      "/cart",
      { intent: "add", listingId: listing.id, quantity: String(qty) },
      browser,
    );
    expect(res.status).toBe(302);
  }
  return browser;
}

/** The checkout form as the page posts it: prices as shown, every stall picked up and paid cash unless `fields` say. */
function checkoutForm(items: { listing: Listing }[], fields: Record<string, string>) {
  const form: Record<string, string> = { name: "Trần Thị Mua", provinceCode: "", communeCode: "", addressLine: "" };
  for (const { listing } of items) {
    form[`price.${listing.id}`] = String(listing.priceDong);
    form[`delivery.${listing.stallId}`] = "pickup";
    form[`payment.${listing.stallId}`] = "cod";
  }
  return { ...form, ...fields };
}

const checkout = (browser: Visit, form: Record<string, string>) => postForm(server, "/checkout", form, browser);

/** A checkout of one unit of `listing` for `phone`, in a browser of its own (or `visit`'s). */
async function buy(listing: Listing, phone: string, visit: Visit = {}, fields: Record<string, string> = {}) {
  const browser = await browserWith([{ listing, qty: 1 }], visit);
  return { browser, res: await checkout(browser, checkoutForm([{ listing }], { phone, ...fields })) };
}

/** The value of the radio button of this name that the page renders checked. */
const checkedRadio = (html: string, name: string) =>
  [...html.matchAll(/<input type="radio" name="([^"]+)"([^>]*)>/g)]
    .filter((m) => m[1] === name && m[2].includes('checked=""'))
    .map((m) => /value="([^"]*)"/.exec(m[2])?.[1])[0];

const placedCode = (res: Response) => /^\/orders\/([A-Z0-9]+)\?/.exec(res.headers.get("Location") ?? "")?.[1];
const asksForCode = async (res: Response) => {
  expect(res.status).toBe(200);
  return mainText(res);
};

// ---- the address threshold ------------------------------------------------

describe("one address checking out for many numbers", () => {
  it("40 guest checkouts with 40 numbers at once: two placed, then codes; no more orders, messages or stock taken", async () => {
    const listing = await createActiveListing(db, seller.stall.id, { stockQty: 100 });
    const ip = newIp();
    const buyers = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const phone = newPhone();
        return { phone, browser: await browserWith([{ listing, qty: 2 }], { ip }) };
      }),
    );
    const answers = await Promise.all(
      buyers.map(({ phone, browser }) => checkout(browser, checkoutForm([{ listing }], { phone }))),
    );

    const statuses = answers.map((res) => res.status).sort();
    const limits = RATE_LIMITS["checkout.unproved.ip"].limit;
    const codes = RATE_LIMITS["checkout.code.ip"].limit;
    expect(statuses.filter((s) => s === 302)).toHaveLength(limits);
    expect(statuses.filter((s) => s === 200)).toHaveLength(codes);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - limits - codes);
    for (const res of answers.filter((r) => r.status === 429)) {
      expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(await mainText(res)).toContain("Mạng bạn đang dùng đã nhận quá nhiều mã xác nhận đặt hàng.");
    }
    for (const res of answers.filter((r) => r.status === 200)) {
      expect(await mainText(res)).toMatch(/Chúng tôi vừa gửi mã gồm 6 chữ số đến số 0914 \d{3} \d{3}\./);
    }

    // Two orders, two units each: the rest of the stock is still on sale.
    const placedFor = buyers.filter((_, i) => answers[i].status === 302).map((b) => e164(b.phone));
    expect(await stockOf(listing.id)).toBe(100 - 2 * limits);
    for (const b of buyers) expect(await ordersOf(b.phone)).toBe(placedFor.includes(e164(b.phone)) ? 1 : 0);

    // No order message to a number that was not placed; the codes are all that went out, and only codes.
    const strangers = buyers.map((b) => e164(b.phone)).filter((p) => !placedFor.includes(p));
    expect(sentOrderNotificationsForTests.filter((n) => strangers.includes(n.to))).toEqual([]);
    expect(sentSmsForTests.size).toBe(codes);
    for (const phone of strangers) {
      for (const sms of sentSmsForTests.all(phone)) {
        expect(sms.text).toMatch(
          /^Mã xác nhận đặt hàng Gian Hàng Số: \d{6}\. Hiệu lực 5 phút\. Đừng chia sẻ mã này\.$/,
        );
      }
    }
  });

  it("40 buyers with a number and an address each (the benchmarks' buyers) are never asked for anything", async () => {
    const listing = await createActiveListing(db, seller.stall.id, { stockQty: 100 });
    const answers = await Promise.all(Array.from({ length: 40 }, () => buy(listing, newPhone())));
    expect(answers.map(({ res }) => res.status)).toEqual(Array(40).fill(302));
    expect(sentSmsForTests.size).toBe(0);
    expect(await stockOf(listing.id)).toBe(60);
  });
});

// ---- the code step ----------------------------------------------------------

describe("the SMS code step", () => {
  it("keeps the form, places nothing on a wrong code, and places exactly once on the right one", async () => {
    const lychee = await createActiveListing(db, seller.stall.id, { title: "Vải thiều", stockQty: 50 });
    const phone = newPhone();
    // Someone ordered for this number already (the first guest checkout is never asked): it waits for the farmer.
    const first = await buy(lychee, phone);
    expect(first.res.status).toBe(302);
    expect(sentSmsForTests.size).toBe(0);

    // Another browser orders for the same number: the code first, with everything typed kept.
    const browser = await browserWith([{ listing: lychee, qty: 3 }]);
    const form = checkoutForm([{ listing: lychee }], {
      name: "Nguyễn Thu Trang",
      phone,
      ...THANH_HA,
      addressLine: "Thôn Phú Lương, số 8",
      [`delivery.${seller.stall.id}`]: "local",
      [`payment.${seller.stall.id}`]: "vietqr",
      [`note.${seller.stall.id}`]: "Giao sau 5 giờ chiều",
    });
    const asked = await checkout(browser, form);
    expect(asked.status).toBe(200);
    const html = await asked.text();
    expect(html).toContain("Xác nhận số điện thoại");
    expect(html).toMatch(/name="code"/);
    expect(html).toContain('value="Nguyễn Thu Trang"');
    expect(html).toContain('value="Thôn Phú Lương, số 8"');
    expect(html).toContain(">Giao sau 5 giờ chiều</textarea>");
    expect(checkedRadio(html, `delivery.${seller.stall.id}`)).toBe("local");
    expect(checkedRadio(html, `payment.${seller.stall.id}`)).toBe("vietqr");
    expect(html).toMatch(new RegExp(`<option value="${THANH_HA.communeCode}" selected=""`));
    const sms = sentSmsForTests.get(e164(phone))!.text;
    expect(sms).toMatch(/^Mã xác nhận đặt hàng Gian Hàng Số: \d{6}\./);
    const right = codeIn(sms)!;
    expect(await ordersOf(phone)).toBe(1);
    expect(await stockOf(lychee.id)).toBe(49);

    // A wrong code: the form again with the message, nothing placed.
    const wrong = await checkout(browser, {
      ...form,
      intent: "verify",
      code: String((Number(right) + 1) % 1e6).padStart(6, "0"),
    });
    expect(wrong.status).toBe(400);
    expect(await mainText(wrong)).toContain("Mã không đúng. Bạn còn 4 lần thử");
    // The code of one number does not place an order for another.
    const other = await checkout(browser, { ...form, phone: newPhone(), intent: "verify", code: right });
    expect(other.status).toBe(400);
    expect(await mainText(other)).toContain("Mã đã hết hạn hoặc đã được dùng");
    expect(await ordersOf(phone)).toBe(1);
    expect(await stockOf(lychee.id)).toBe(49);

    // The right code, tapped twice at once: one order.
    const [a, b] = await Promise.all([
      checkout(browser, { ...form, intent: "verify", code: right }),
      checkout(browser, { ...form, intent: "verify", code: right }),
    ]);
    const winner = [a, b].find((res) => placedCode(res))!;
    expect(winner).toBeTruthy();
    const loser = winner === a ? b : a;
    expect(placedCode(loser)).toBeUndefined();
    expect(await ordersOf(phone)).toBe(2);
    expect(await stockOf(lychee.id)).toBe(46);

    // The order is as typed, and its number proved.
    const [order] = await db
      .select()
      .from(orders)
      .where(eq(orders.code, placedCode(winner)!));
    expect(order).toMatchObject({
      buyerName: "Nguyễn Thu Trang",
      deliveryMethod: "local",
      paymentMethod: "vietqr",
      addressLine: "Thôn Phú Lương, số 8",
      buyerNote: "Giao sau 5 giờ chiều",
    });
    expect(order.buyerPhoneConfirmedAt).toBeInstanceOf(Date);
    const remembered = winner.headers.getSetCookie().find((c) => c.startsWith(`${CHECKOUT_PHONES_COOKIE_NAME}=`))!;
    expect(remembered).toMatch(/; Max-Age=2592000/);
    expect(remembered).toMatch(/; HttpOnly/);
    expect(remembered).toMatch(/; SameSite=Lax/);

    // This browser is not asked again for this number (two orders waiting now), nor sent another code…
    const smsBefore = sentSmsForTests.size;
    const again = await buy(lychee, phone, { jar: browser.jar, ip: browser.ip });
    expect(again.res.status).toBe(302);
    expect(sentSmsForTests.size).toBe(smsBefore);
    // …another browser is…
    expect(await asksForCode((await buy(lychee, phone)).res)).toContain("Xác nhận số điện thoại");
    // …and its proof is for this number only: another number with an order waiting is asked in it too.
    const otherPhone = newPhone();
    expect((await buy(lychee, otherPhone)).res.status).toBe(302);
    const forOther = await buy(lychee, otherPhone, { jar: browser.jar, ip: browser.ip });
    expect(await asksForCode(forOther.res)).toContain("Xác nhận số điện thoại");
  });

  it("sends a new code on request, within the SMS limits, keeping the form", async () => {
    const listing = await createActiveListing(db, seller.stall.id);
    const phone = newPhone();
    await buy(listing, phone);
    const browser = await browserWith([{ listing, qty: 1 }]);
    const form = checkoutForm([{ listing }], { phone, name: "Lê Văn Bình" });
    await asksForCode(await checkout(browser, form));
    // Without JavaScript, picking a province reloads the form: the code step stays, nothing is sent.
    const reloaded = await checkout(browser, { ...form, code: "", intent: "pick-province", provinceCode: "31" });
    expect(await asksForCode(reloaded)).toContain("Xác nhận số điện thoại");
    expect(sentSmsForTests.all(e164(phone))).toHaveLength(1);
    const resent = await checkout(browser, { ...form, intent: "resend" });
    expect(await asksForCode(resent)).toContain("Chúng tôi vừa gửi mã");
    expect(sentSmsForTests.all(e164(phone))).toHaveLength(2);
    // code.send.phoneIp: three SMS to one number from one address in 15 minutes.
    const third = await checkout(browser, { ...form, intent: "resend" });
    expect(third.status).toBe(200);
    const fourth = await checkout(browser, { ...form, intent: "resend" });
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers.get("Retry-After"))).toBeGreaterThan(0);
    const html = await fourth.text();
    expect(html).toContain("Vui lòng đợi");
    expect(html).toContain('value="Lê Văn Bình"');
    expect(sentSmsForTests.all(e164(phone))).toHaveLength(3);
    expect(await ordersOf(phone)).toBe(1);
  });

  it("never asks a signed-in buyer whose phone is confirmed, past the address threshold and with orders waiting", async () => {
    const listing = await createActiveListing(db, seller.stall.id, { stockQty: 50 });
    const phone = newPhone();
    const account = await createAccount({
      fullName: "Phạm Thị Lan",
      phone: e164(phone),
      password: "vaithieu-ThanhHa",
      role: "buyer",
    });
    if (!account.ok) throw new Error("account");
    const ip = newIp();
    for (let i = 0; i <= RATE_LIMITS["checkout.unproved.ip"].limit; i++) await countHit("checkout.unproved.ip", ip);
    const jar = new CookieJar(await signedIn(account.user.id));
    for (let i = 0; i < 3; i++) {
      const { res } = await buy(listing, phone, { jar, ip });
      expect(res.status).toBe(302);
    }
    expect(sentSmsForTests.size).toBe(0);
    const proved = await db
      .select()
      .from(orders)
      .where(eq(orders.buyerPhone, e164(phone)));
    expect(proved.map((o) => o.buyerPhoneConfirmedAt !== null)).toEqual([true, true, true]);
    // Ordering for another number from the account: that number is treated as a guest's.
    const forSomeoneElse = await buy(listing, newPhone(), { jar, ip });
    expect(await asksForCode(forSomeoneElse.res)).toContain("Xác nhận số điện thoại");
  });
});

// ---- caps on one number ---------------------------------------------------

describe("caps on one number", () => {
  it("refuses a fourth checkout while three wait for their farmers (429, Retry-After, the form kept), until one is confirmed", async () => {
    const listing = await createActiveListing(db, seller.stall.id, { stockQty: 50 });
    const phone = newPhone();
    const account = await createAccount({
      fullName: "Đỗ Văn Nam",
      phone: e164(phone),
      password: "caphe-sua-da-2026",
      role: "buyer",
    });
    if (!account.ok) throw new Error("account");
    const visit = { jar: new CookieJar(await signedIn(account.user.id)), ip: newIp() };
    const codes: string[] = [];
    for (let i = 0; i < RATE_LIMITS["checkout.waitingCheckouts.phone"].limit; i++) {
      const { res } = await buy(listing, phone, visit);
      codes.push(placedCode(res)!);
    }
    const stock = await stockOf(listing.id);

    const { res } = await buy(listing, phone, visit, { name: "Đỗ Văn Nam (nhà hàng)" });
    expect(res.status).toBe(429);
    const wait = Number(res.headers.get("Retry-After"));
    expect(wait).toBeGreaterThan(env().ORDER_CONFIRM_HOURS * 3600 - 120);
    expect(wait).toBeLessThanOrEqual(env().ORDER_CONFIRM_HOURS * 3600);
    const html = await res.text();
    expect(html).toContain("Số điện thoại này đang có nhiều đơn chờ người bán xác nhận.");
    expect(html).toContain(`chậm nhất sau ${env().ORDER_CONFIRM_HOURS} giờ`);
    expect(html).toContain('value="Đỗ Văn Nam (nhà hàng)"');
    expect(await ordersOf(phone)).toBe(3);
    expect(await stockOf(listing.id)).toBe(stock);

    await changeOrderStatus(db, {
      order: { orderCode: codes[0] },
      scope: { stallId: seller.stall.id },
      to: "confirmed",
      actor: { role: "farmer" },
    });
    expect((await buy(listing, phone, visit)).res.status).toBe(302);
  });

  it("counts orders too: a checkout that would leave more than eight waiting is refused; more than eight stalls at once never fit", async () => {
    const stalls = await Promise.all(Array.from({ length: 9 }, () => createSellingStall(db)));
    const items = await Promise.all(
      stalls.map(async (s) => ({ listing: await createActiveListing(db, s.stall.id), qty: 1 })),
    );
    const phone = newPhone();
    const tooBig = await browserWith(items);
    const refused = await checkout(tooBig, checkoutForm(items, { phone }));
    expect(refused.status).toBe(400);
    expect(await mainText(refused)).toContain("Một lần đặt hàng gồm tối đa 8 gian hàng.");
    expect(await ordersOf(phone)).toBe(0);

    // Six stalls wait; three more would make nine.
    const browser = await browserWith(items.slice(0, 6));
    expect((await checkout(browser, checkoutForm(items.slice(0, 6), { phone }))).status).toBe(302);
    const proof = await browserWith(items.slice(6));
    const rest = items.slice(6);
    // The number is proved in this browser by the code step (orders are waiting), then the cap speaks.
    const asked = await checkout(proof, checkoutForm(rest, { phone }));
    expect(asked.status).toBe(200);
    const code = codeIn(sentSmsForTests.get(e164(phone))?.text)!;
    const capped = await checkout(proof, { ...checkoutForm(rest, { phone }), intent: "verify", code });
    expect(capped.status).toBe(429);
    expect(capped.headers.get("Retry-After")).toBeTruthy();
    expect(await ordersOf(phone)).toBe(6);
  });

  it("refuses an eleventh checkout for one number within the hour (429 with Retry-After), even with every order confirmed", async () => {
    const listing = await createActiveListing(db, seller.stall.id, { stockQty: 50 });
    const phone = newPhone();
    const account = await createAccount({
      fullName: "Vũ Thị Hà",
      phone: e164(phone),
      password: "rau-sach-hai-phong",
      role: "buyer",
    });
    if (!account.ok) throw new Error("account");
    const visit = { jar: new CookieJar(await signedIn(account.user.id)), ip: newIp() };
    for (let i = 0; i < RATE_LIMITS["checkout.phone"].limit; i++) {
      const { res } = await buy(listing, phone, visit);
      expect(res.status).toBe(302);
      await changeOrderStatus(db, {
        order: { orderCode: placedCode(res)! },
        scope: { stallId: seller.stall.id },
        to: "confirmed",
        actor: { role: "farmer" },
      });
    }
    const { res } = await buy(listing, phone, visit);
    expect(res.status).toBe(429);
    const wait = Number(res.headers.get("Retry-After"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(3600);
    expect(await mainText(res)).toContain("Số điện thoại này đã đặt nhiều lần trong một giờ qua.");
    expect(await ordersOf(phone)).toBe(10);
  });
});

// ---- what a number nobody proved is told ----------------------------------

describe("messages to a number nobody proved", () => {
  it("carry no stall name, no note and no reason: only the order's code and its link, in the buyer's language", async () => {
    setOrderNotificationChannels([new SmsOrderChannel()]);
    const spam = await createSellingStall(db, { name: "Trúng thưởng 50 triệu, gọi 0909 123 456" });
    const listing = await createActiveListing(db, spam.stall.id);
    const phone = newPhone();
    const { res } = await buy(listing, phone, {}, { [`note.${spam.stall.id}`]: "Nhắn 0909 123 456 để nhận quà" });
    const code = placedCode(res)!;
    const english = newPhone();
    const inEnglish = placedCode((await buy(listing, english, { language: "en" })).res)!;

    await changeOrderStatus(db, {
      order: { orderCode: code },
      scope: { stallId: spam.stall.id },
      to: "cancelled",
      actor: { role: "farmer" },
      reason: "Gọi 0909 123 456 để nhận thưởng",
    });
    // With PUBLIC_URL set, links start there.
    env().PUBLIC_URL = "https://gianhangso.example";
    try {
      await changeOrderStatus(db, {
        order: { orderCode: inEnglish },
        scope: { stallId: spam.stall.id },
        to: "confirmed",
        actor: { role: "farmer" },
      });
    } finally {
      env().PUBLIC_URL = undefined;
    }

    expect(sentSmsForTests.all(e164(phone)).map((m) => m.text)).toEqual([
      `Gian Hàng Số: đơn ${formatCode(code)} đã được đặt. Xem: ${server.origin}/orders/${code}`,
      `Gian Hàng Số: đơn ${formatCode(code)} đã bị hủy. Xem: ${server.origin}/orders/${code}`,
    ]);
    expect(sentSmsForTests.all(e164(english)).map((m) => m.text)).toEqual([
      `Gian Hàng Số: order ${formatCode(inEnglish)} was placed. See: ${server.origin}/orders/${inEnglish}`,
      `Gian Hàng Số: order ${formatCode(inEnglish)} was confirmed by the seller. See: https://gianhangso.example/orders/${inEnglish}`,
    ]);
    // The farmer's messages never carried the buyer's words either.
    const farmer = sentSmsForTests.all(spam.household.phone!).map((m) => m.text);
    expect(farmer.length).toBeGreaterThan(0);
    for (const text of [...farmer, ...sentSmsForTests.all(e164(phone)).map((m) => m.text)]) {
      expect(text).not.toContain("0909");
      expect(text).not.toContain("Trúng thưởng");
    }
  });

  it("once the number is proved by the code, the buyer's messages name the stall again", async () => {
    setOrderNotificationChannels([new SmsOrderChannel()]);
    const listing = await createActiveListing(db, seller.stall.id);
    const phone = newPhone();
    await buy(listing, phone);
    const browser = await browserWith([{ listing, qty: 1 }]);
    const form = checkoutForm([{ listing }], { phone });
    await asksForCode(await checkout(browser, form));
    const code = codeIn(sentSmsForTests.get(e164(phone))!.text)!;
    const placed = placedCode(await checkout(browser, { ...form, intent: "verify", code }))!;
    expect(sentSmsForTests.get(e164(phone))!.text).toMatch(
      new RegExp(`^Gian Hàng Số: Vườn vải Bác Tư đã nhận đơn ${formatCode(placed)}, `),
    );
    const [row] = await db
      .select({ proved: sql<boolean>`${orders.buyerPhoneConfirmedAt} IS NOT NULL` })
      .from(orders)
      .where(and(eq(orders.code, placed)));
    expect(row.proved).toBe(true);
  });
});
