import { afterEach, describe, expect, it } from "vitest";
import {
  LogOrderChannel,
  SmsOrderChannel,
  sentOrderNotificationsForTests,
  setOrderNotificationChannels,
  type OrderNotification,
} from "./notify.server";
import { sentSmsForTests, type SmsProvider } from "~/notifications/sms.server";
import enOrders from "~/i18n/locales/en/orders.json";
import viOrders from "~/i18n/locales/vi/orders.json";
import { placeCheckout } from "./checkout.server";
import { changeOrderStatus } from "./orders.server";
import { ORDER_STATUSES } from "./state-machine";
import { createActiveListing, createSellingStall, pickupCheckout, VIETQR_STALL } from "#tests/fixtures/orders";
import { db } from "~/utils/db.server";

afterEach(() => setOrderNotificationChannels(undefined));

describe("order notifications", () => {
  it("have a short template in both languages for every status the buyer can be told about", () => {
    for (const templates of [viOrders.notifications, enOrders.notifications]) {
      for (const status of ORDER_STATUSES.filter((s) => s !== "placed")) {
        const text = (templates as Record<string, string>)[`buyer_${status}`];
        expect(text, status).toBeTruthy();
        // One SMS segment of Unicode text is 70 characters; keep the fixed part well within two.
        expect(text.replace(/\{\{\w+\}\}/g, "").length, status).toBeLessThan(110);
      }
    }
  });

  it("have a plain template for numbers nobody proved: our words for every status, the code and the link, nothing typed", () => {
    for (const orders of [viOrders, enOrders]) {
      const templates = orders.notifications as Record<string, string>;
      expect(templates.buyer_plain.match(/\{\{\w+\}\}/g)?.sort()).toEqual(["{{code}}", "{{status}}", "{{url}}"]);
      expect(templates.buyer_plain_nolink.match(/\{\{\w+\}\}/g)?.sort()).toEqual(["{{code}}", "{{status}}"]);
      for (const status of ORDER_STATUSES) {
        const words = (orders.plainStatus as Record<string, string>)[status];
        expect(words, status).toBeTruthy();
        expect(words, status).not.toMatch(/\{\{/);
        // With a 9-character code and a link of about 45, still two SMS segments at most.
        expect(templates.buyer_plain.replace(/\{\{\w+\}\}/g, "").length + words.length, status).toBeLessThan(75);
      }
    }
  });

  it("go through every channel; a failing channel neither fails nor undoes the change", async () => {
    const { stall } = await createSellingStall(db);
    const listing = await createActiveListing(db, stall.id);
    const received: OrderNotification[] = [];
    const broken = { id: "broken", send: async () => Promise.reject(new Error("gateway down")) };
    const recording = { id: "recording", send: async (n: OrderNotification) => void received.push(n) };
    setOrderNotificationChannels([broken, recording]);

    const placed = await placeCheckout(db, pickupCheckout([{ listing, qty: 2 }]));
    const code = placed.orders[0].code;
    const { changed } = await changeOrderStatus(db, {
      order: { orderCode: code },
      scope: { stallId: stall.id },
      to: "confirmed",
      actor: { role: "farmer" },
    });
    expect(changed).toBe(true);
    expect(received.map((n) => [n.recipient, n.template, n.to])).toEqual([
      ["farmer", "farmer_placed", expect.stringMatching(/^\+84/)],
      ["buyer", "buyer_placed", "+84912345678"],
      ["buyer", "buyer_confirmed", "+84912345678"],
    ]);
    // Vietnamese by default, with the code as people read it and the amount as 90.000 ₫.
    expect(received[1].text).toBe(
      `Gian Hàng Số: ${stall.name} đã nhận đơn ${code.slice(0, 4)}-${code.slice(4)}, 90.000\u00a0₫, thanh toán khi nhận hàng.`,
    );
  });

  it("tell a number nobody proved only the code, and the link when the order's site is known", async () => {
    const { stall } = await createSellingStall(db, { name: "Trúng thưởng 50 triệu" });
    const listing = await createActiveListing(db, stall.id);
    const received: OrderNotification[] = [];
    setOrderNotificationChannels([{ id: "recording", send: async (n: OrderNotification) => void received.push(n) }]);
    const unproved = { name: "Khách", phone: "0912 345 999", phoneProved: false };
    const [old, withSite] = [
      await placeCheckout(db, pickupCheckout([{ listing, qty: 1 }], { buyer: unproved })),
      await placeCheckout(db, {
        ...pickupCheckout([{ listing, qty: 1 }], { buyer: unproved }),
        siteUrl: "https://cho.example",
      }),
    ].map((p) => p.orders[0].code);
    const buyer = received.filter((n) => n.recipient === "buyer");
    expect(buyer.map((n) => [n.template, n.text])).toEqual([
      ["buyer_plain_nolink", `Gian Hàng Số: đơn ${old.slice(0, 4)}-${old.slice(4)} đã được đặt.`],
      [
        "buyer_plain",
        `Gian Hàng Số: đơn ${withSite.slice(0, 4)}-${withSite.slice(4)} đã được đặt. Xem: https://cho.example/orders/${withSite}`,
      ],
    ]);
  });

  it("tell the buyer how the order is paid: a VietQR order points at the QR code on the order page", async () => {
    const { stall } = await createSellingStall(db, { ...VIETQR_STALL });
    const listing = await createActiveListing(db, stall.id);
    const received: OrderNotification[] = [];
    setOrderNotificationChannels([{ id: "recording", send: async (n: OrderNotification) => void received.push(n) }]);
    const input = pickupCheckout([{ listing, qty: 1 }]);
    await placeCheckout(db, { ...input, stalls: input.stalls.map((s) => ({ ...s, paymentMethod: "vietqr" })) });
    const buyerText = received.find((n) => n.template === "buyer_placed")?.text;
    expect(buyerText).toMatch(/chuyển khoản theo mã QR trên trang đơn\.$/);
    expect(buyerText).not.toMatch(/khi nhận hàng/);
  });

  it("the log channel keeps messages for tests; the SMS channel sends through the SMS provider", async () => {
    const n: OrderNotification = {
      to: "+84912000111",
      recipient: "buyer",
      locale: "vi",
      orderCode: "ABCD2345",
      status: "confirmed",
      template: "buyer_confirmed",
      text: "Gian Hàng Số: đơn ABCD-2345 đã được xác nhận.",
    };
    await new LogOrderChannel().send(n);
    expect(sentOrderNotificationsForTests.at(-1)).toEqual(n);
    const sms: { to: string; text: string }[] = [];
    const provider: SmsProvider = { send: async (to, text) => void sms.push({ to, text }) };
    await new SmsOrderChannel(provider).send(n);
    expect(sms).toEqual([{ to: n.to, text: n.text }]);
    expect(sentSmsForTests.has(n.to)).toBe(false);
  });
});
