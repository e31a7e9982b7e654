/**
 * What a phone without JavaScript gets of the stall page's parts: the buying
 * terms in words, call and Zalo links, and a share link it can copy by hand.
 */
import i18next from "i18next";
import { renderToString } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { describe, expect, it } from "vitest";
import { i18nConfig } from "~/i18n/config";
import { resources } from "~/i18n/resources.server";
import { BuyingTerms } from "./BuyingTerms";
import { ContactLinks } from "./ContactLinks";
import { ShareLinks } from "./ShareLinks";
import type { PublicStall } from "./stalls.server";

async function i18nIn(lng: "vi" | "en") {
  const i18n = i18next.createInstance();
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng, ns: ["common", "listings"], resources });
  return i18n;
}
const vi = await i18nIn("vi");
const en = await i18nIn("en");

const decode = (v: string) =>
  v
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

function render(element: React.ReactElement, i18n = vi) {
  const html = renderToString(<I18nextProvider i18n={i18n}>{element}</I18nextProvider>);
  return {
    html,
    items: [...html.matchAll(/<li[^>]*>(.*?)<\/li>/g)].map(([, text]) => decode(text.replace(/<[^>]+>/g, ""))),
    links: [...html.matchAll(/<a [^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/g)].map(([, href, text]) => ({
      href: decode(href),
      text: decode(text.replace(/<[^>]+>/g, "")),
    })),
  };
}

const stall: Pick<PublicStall, "delivery" | "payments" | "communeName"> = {
  communeName: "Xã Thanh Hà",
  payments: { cod: true, vietqr: true },
  delivery: {
    pickup: { address: "Thôn Phú Lương", hours: "7:00–17:00" },
    local: { communes: ["Xã Thanh Hà", "Xã Hà Đông"], feeDong: 15_000 },
    shipping: { feeMode: "per_kg", feeDong: 12_000 },
  },
};

describe("<BuyingTerms>", () => {
  it("says in Vietnamese how to get the goods and how to pay", () => {
    expect(render(<BuyingTerms stall={stall} />).items).toEqual([
      "Nhận tại vườn: Thôn Phú Lương, 7:00–17:00",
      "Giao tận nơi trong Xã Thanh Hà, Xã Hà Đông: phí 15.000\u00a0₫",
      "Gửi xe, bưu điện: 12.000\u00a0₫/kg",
      "Thanh toán: tiền mặt khi nhận hàng, chuyển khoản VietQR",
    ]);
  });

  it("says free when there is no fee, and in English", () => {
    const free = {
      ...stall,
      payments: { cod: true, vietqr: false },
      delivery: {
        pickup: null,
        local: { communes: [], feeDong: 0 },
        shipping: { feeMode: "flat" as const, feeDong: 0 },
      },
    };
    expect(render(<BuyingTerms stall={free} />).items).toEqual([
      "Giao tận nơi miễn phí trong Xã Thanh Hà",
      "Gửi xe, bưu điện: miễn phí",
      "Thanh toán: tiền mặt khi nhận hàng",
    ]);
    expect(render(<BuyingTerms stall={stall} />, en).items[2]).toBe("By coach or post: ₫12,000/kg");
  });
});

describe("<ContactLinks>", () => {
  it("calls the farmer and opens a Zalo chat", () => {
    expect(render(<ContactLinks phone="+84912345601" />).links).toEqual([
      { href: "tel:+84912345601", text: "Gọi 0912 345 601" },
      { href: "https://zalo.me/0912345601", text: "Nhắn Zalo" },
    ]);
  });

  it("shows nothing without a phone", () => {
    expect(render(<ContactLinks phone={null} />).html).toBe("");
  });
});

describe("<ShareLinks> before JavaScript", () => {
  it("shows the link to copy by hand and Facebook's share page; its buttons wait for enhance.js", () => {
    const url = "https://gianhangso.vn/s/vai-thieu-bac-thinh";
    const page = render(<ShareLinks url={url} title="Vườn vải" />);
    expect(page.html).toMatch(/<input[^>]*readonly=""[^>]*value="https:\/\/gianhangso.vn\/s\/vai-thieu-bac-thinh"/);
    expect(page.links).toEqual([
      {
        href: `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(url)}`,
        text: "Chia sẻ lên Facebook (mở trong cửa sổ mới)",
      },
    ]);
    // Hidden by CSS until public/enhance.js finds the browser can share or copy.
    const buttons = [...page.html.matchAll(/<li class="([^"]*)"><button[^>]*>/g)];
    expect(buttons.map(([, liClass]) => liClass)).toEqual(["when-can-share", "when-can-copy"]);
    expect(buttons[0]![0]).toContain(`data-share-url="${url}"`);
    expect(buttons[1]![0]).toContain(`data-copy="${url}"`);
    expect(buttons[1]![0]).toContain('data-copied="');
  });
});
