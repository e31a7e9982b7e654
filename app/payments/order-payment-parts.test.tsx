/**
 * What a phone without JavaScript gets of the order page's payment parts:
 * payment rows on the timeline in words, the VietQR transfer details as text
 * (the copy buttons need JavaScript and are not there), the "pay" form.
 */
import i18next from "i18next";
import { renderToString } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { describe, expect, it } from "vitest";
import { OrderPaymentBlock, type OrderPaymentData } from "./OrderPaymentBlock";
import { i18nConfig } from "~/i18n/config";
import { resources } from "~/i18n/resources.server";
import { OrderTimeline, type TimelineRow } from "~/orders/OrderParts";

async function i18nIn(lng: "vi" | "en") {
  const i18n = i18next.createInstance();
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng, ns: ["common", "orders", "payments"], resources });
  return i18n;
}
const vi = await i18nIn("vi");
const en = await i18nIn("en");

const text = (html: string) =>
  html
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;|\u00a0/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();

const render = (element: React.ReactElement, i18n = vi) =>
  renderToString(<I18nextProvider i18n={i18n}>{element}</I18nextProvider>);

const row = (fields: Partial<TimelineRow>): TimelineRow => ({
  id: String(Math.random()),
  at: "2026-11-26T03:00:00.000Z",
  actorRole: "system",
  fromStatus: "placed",
  toStatus: "placed",
  note: "",
  ...fields,
});

describe("OrderTimeline", () => {
  it("says what a payment row did instead of 'Đã đặt → Đã đặt'", () => {
    const html = render(
      <OrderTimeline
        events={[
          row({ actorRole: "buyer", fromStatus: null }),
          row({ paymentStatus: "paid", amountDong: 150_000 }),
          row({ actorRole: "farmer", fromStatus: "placed", toStatus: "confirmed" }),
          row({
            actorRole: "farmer",
            fromStatus: "confirmed",
            toStatus: "confirmed",
            paymentStatus: "partially_refunded",
            amountDong: 50_000,
          }),
          row({
            actorRole: "farmer",
            fromStatus: "shipped",
            toStatus: "delivered",
            paymentStatus: "paid",
            amountDong: 90_000,
          }),
        ]}
      />,
    );
    const items = [...html.matchAll(/<li[^>]*>(.*?)<\/li>/g)].map(([, inner]) => text(inner).slice(17));
    expect(items).toEqual([
      "Người mua : Đặt đơn",
      "Hệ thống : Đã thanh toán 150.000 ₫",
      "Người bán : Đã đặt → Đã xác nhận",
      "Người bán : Hoàn tiền 50.000 ₫",
      "Người bán : Đang giao → Đã giao · Đã thanh toán 90.000 ₫",
    ]);
    expect(text(html)).not.toContain("Đã đặt → Đã đặt");
  });

  it("speaks English too", () => {
    const html = render(<OrderTimeline events={[row({ paymentStatus: "refunded", amountDong: 75_000 })]} />, en);
    expect(text(html)).toContain("Refunded ₫75,000");
  });
});

const vietqr: OrderPaymentData = {
  method: "vietqr",
  status: "pending",
  amountDong: 135_000,
  refundedDong: 0,
  paidAt: null,
  vietqr: {
    svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29"></svg>',
    bankName: "Vietcombank",
    accountNumber: "0011001234567",
    accountName: "NGUYEN VAN THINH",
    amountDong: 135_000,
    memo: "ABCD2345",
  },
  pay: null,
  lastAttempt: null,
};

describe("OrderPaymentBlock", () => {
  it("gives the VietQR transfer as text to type by hand; copy buttons wait for enhance.js", () => {
    const html = render(<OrderPaymentBlock payment={vietqr} cancelled={false} />);
    const words = text(html);
    for (const part of [
      "Trạng thái: Đang chờ thanh toán",
      "Ngân hàng Vietcombank",
      "Số tài khoản 0011001234567",
      "Chủ tài khoản NGUYEN VAN THINH",
      "Số tiền 135.000 ₫",
      "Nội dung chuyển khoản ABCD2345",
    ]) {
      expect(words).toContain(part);
    }
    expect(html).toContain('role="img"');
    expect(html).toContain("<svg");
    // Hidden by CSS until public/enhance.js finds a clipboard: account number, amount, memo.
    const buttons = [...html.matchAll(/<button[^>]*>/g)].map(([tag]) => tag);
    expect(buttons.length).toBeGreaterThan(0);
    for (const tag of buttons) expect(tag).toContain("when-can-copy");
    expect(buttons.some((tag) => tag.includes('data-copy="0011001234567"'))).toBe(true);
    expect(html).not.toContain("<form");
  });

  it("offers to pay again, as a form that works without JavaScript", () => {
    const html = render(
      <OrderPaymentBlock
        payment={{
          ...vietqr,
          method: "vnpay",
          status: "unpaid",
          vietqr: null,
          pay: { again: true, amountDong: 240_000, orderCount: 2 },
          lastAttempt: "failed",
        }}
        cancelled={false}
      />,
    );
    expect(html).toMatch(/<form method="post">/);
    expect(html).toContain('name="intent" value="pay"');
    const words = text(html);
    expect(words).toContain("Lần thanh toán trước chưa thành công.");
    expect(words).toContain("Thanh toán lại 240.000 ₫ qua VNPay");
    expect(words).toContain("Khoản này trả cho 2 đơn");
  });

  it("shows a paid order's state and what was refunded, with nothing to do", () => {
    const html = render(
      <OrderPaymentBlock
        payment={{
          ...vietqr,
          method: "stripe",
          status: "partially_refunded",
          refundedDong: 35_000,
          paidAt: "2026-11-26T03:00:00.000Z",
          vietqr: null,
        }}
        cancelled={false}
      />,
      en,
    );
    const words = text(html);
    expect(words).toContain("Status: Partly refunded");
    expect(words).toContain("Refunded: ₫35,000");
    expect(html).not.toContain("<form");
  });
});
