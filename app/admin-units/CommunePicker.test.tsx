/**
 * What a phone without JavaScript gets from the server, and the folding the
 * search box uses in the browser.
 */
import i18next from "i18next";
import { renderToString } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { describe, expect, it } from "vitest";
import { i18nConfig } from "~/i18n/config";
import { resources } from "~/i18n/resources.server";
import { CommunePicker, filterCommunes, PICK_PROVINCE_INTENT, type CommunePickerProps } from "./CommunePicker";

const i18n = i18next.createInstance();
await i18n.use(initReactI18next).init({ ...i18nConfig, lng: "vi", ns: ["common"], resources });

const provinces = [
  { code: "01", name: "Hà Nội" },
  { code: "31", name: "Hải Phòng" },
];
const communes = [
  { code: "11629", name: "An Lão", fullName: "Xã An Lão" },
  { code: "10888", name: "Cẩm Giang", fullName: "Xã Cẩm Giang" },
  { code: "10903", name: "Cẩm Giàng", fullName: "Xã Cẩm Giàng" },
  { code: "10525", name: "Hải Dương", fullName: "Phường Hải Dương" },
  { code: "10813", name: "Thanh Hà", fullName: "Xã Thanh Hà" },
];

const decode = (v: string) =>
  v
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

function render(props: Partial<CommunePickerProps> = {}) {
  const html = renderToString(
    <I18nextProvider i18n={i18n}>
      <CommunePicker provinces={provinces} communes={[]} {...props} />
    </I18nextProvider>,
  );
  const tags = [...html.matchAll(/<(\w+)((?:\s+[\w-]+(?:="[^"]*")?)*)\s*\/?>/g)].map(([, name, attrs]) => ({
    name,
    attrs: Object.fromEntries(
      [...attrs.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map(([, k, v]) => [k, v === undefined ? "" : decode(v)]),
    ),
  }));
  const select = (name: string) => {
    const inner = html.match(new RegExp(`<select[^>]*name="${name}"[^>]*>(.*?)</select>`))![1];
    return {
      attrs: tags.find((t) => t.name === "select" && t.attrs.name === name)!.attrs,
      options: [...inner.matchAll(/<option([^>]*)>(.*?)<\/option>/g)].map(([, attrs, label]) => ({
        value: attrs.match(/value="([^"]*)"/)![1],
        label: decode(label),
        selected: /\sselected=""/.test(attrs),
      })),
    };
  };
  const text = (id: string) => decode(html.match(new RegExp(`id="${id}"[^>]*>(.*?)</`))?.[1] ?? "");
  return { html, tags, select, text };
}

describe("<CommunePicker> without JavaScript", () => {
  it("shows the chosen province's communes with the chosen one selected", () => {
    const page = render({ province: "31", commune: "10903", communes });
    const province = page.select("provinceCode");
    expect(province.options.map((o) => o.label)).toEqual(["Chọn tỉnh/thành phố", "Hà Nội", "Hải Phòng"]);
    expect(province.options.find((o) => o.selected)?.value).toBe("31");

    const commune = page.select("communeCode");
    expect(commune.options.map((o) => o.value)).toEqual(["", ...communes.map((c) => c.code)]);
    expect(commune.options[3]).toEqual({ value: "10903", label: "Xã Cẩm Giàng", selected: true });
    expect(commune.attrs.required).toBe("");
  });

  it("offers a 'Chọn tỉnh' submit button that reloads the list and skips browser validation", () => {
    const page = render();
    const button = page.tags.find((t) => t.name === "button")!.attrs;
    expect(button).toMatchObject({ type: "submit", name: "intent", value: PICK_PROVINCE_INTENT, formnovalidate: "" });
    expect(page.html).toContain(">Chọn tỉnh</button>");
    expect(page.text("f-provinceCode-hint")).toContain("bấm “Chọn tỉnh”");
    // No province yet: the commune list says what to do first.
    expect(page.select("communeCode").options).toEqual([
      { value: "", label: "Chọn tỉnh/thành phố trước", selected: true },
    ]);
  });

  it("leaves the search box out: it needs JavaScript", () => {
    const page = render({ province: "31", communes });
    expect(page.html).not.toContain('role="combobox"');
    expect(page.html).not.toContain("Tìm xã/phường");
  });

  it("ties each error to its field for screen readers", () => {
    const page = render({
      province: "31",
      communes,
      errors: { communeCode: "Hãy chọn xã/phường.", provinceCode: "Tỉnh không hợp lệ." },
    });
    const commune = page.select("communeCode").attrs;
    expect(commune["aria-invalid"]).toBe("true");
    expect(commune["aria-describedby"]).toBe("f-communeCode-error");
    expect(page.text("f-communeCode-error")).toBe("Hãy chọn xã/phường.");
    expect(page.select("provinceCode").attrs["aria-describedby"]).toBe("f-provinceCode-error f-provinceCode-hint");
    expect(page.text("f-provinceCode-error")).toBe("Tỉnh không hợp lệ.");
  });

  it("takes the caller's labels", () => {
    const page = render({ labels: { province: "Tỉnh nơi hộ sinh sống", pickProvince: "Tải danh sách xã" } });
    expect(page.html).toContain(">Tỉnh nơi hộ sinh sống</label>");
    expect(page.html).toContain(">Tải danh sách xã</button>");
  });
});

describe("filterCommunes", () => {
  const names = (q: string) => filterCommunes(communes, q).map((c) => c.name);

  it("finds names typed without diacritics, in any case, with stray spaces", () => {
    expect(names("an lao")).toEqual(["An Lão"]);
    expect(names("  AN   LAO ")).toEqual(["An Lão"]);
    expect(names("hai duong")).toEqual(["Hải Dương"]);
    expect(names("Cẩm Giàng".normalize("NFD"))).toEqual(["Cẩm Giàng", "Cẩm Giang"]);
  });

  it("ranks the spelling as typed first, as the server does", () => {
    expect(names("cam giang")).toEqual(["Cẩm Giang", "Cẩm Giàng"]);
    expect(names("Cẩm Giàng")).toEqual(["Cẩm Giàng", "Cẩm Giang"]);
    expect(names("Cẩm Giang")).toEqual(["Cẩm Giang", "Cẩm Giàng"]);
    // Then the whole name, then names that start with the query, then the rest.
    expect(names("an")).toEqual(["An Lão", "Cẩm Giang", "Thanh Hà", "Cẩm Giàng"]);
    expect(names("thanh ha")).toEqual(["Thanh Hà"]);
    const similar = [
      { code: "1", name: "Hà Tây", fullName: "Xã Hà Tây" },
      { code: "2", name: "Hà", fullName: "Phường Hà" },
    ];
    expect(filterCommunes(similar, "ha").map((c) => c.name)).toEqual(["Hà", "Hà Tây"]);
  });

  it("matches the unit type typed in front, and nothing for an empty query or a limit", () => {
    expect(names("xa an lao")).toEqual(["An Lão"]);
    expect(names("phuong hai duong")).toEqual(["Hải Dương"]);
    expect(names("phuong an lao")).toEqual([]);
    expect(names("   ")).toEqual([]);
    expect(filterCommunes(communes, "a", 2)).toHaveLength(2);
  });
});
