import { describe, expect, it } from "vitest";
import { FALLBACK_SLUG, SLUG_MAX_LENGTH, firstFreeSlug, slugify } from "./slug";

describe("slugify", () => {
  it.each([
    ["Vải thiều Thanh Hà", "vai-thieu-thanh-ha"],
    ["Đỗ Thị Hằng – Cà rốt Đức Chính", "do-thi-hang-ca-rot-duc-chinh"],
    ["GẠO NẾP CÁI HOA VÀNG", "gao-nep-cai-hoa-vang"],
    ["Bánh đậu xanh (hộp 250 g)", "banh-dau-xanh-hop-250-g"],
    ["  --Ổi lê   Thanh Hà!!  ", "oi-le-thanh-ha"],
    ["Trứng gà ta, chục 10 quả", "trung-ga-ta-chuc-10-qua"],
    ["Rươi/chả rươi Tứ Kỳ", "ruoi-cha-ruoi-tu-ky"],
    ["ỷ ặ ữ ươ", "y-a-u-uo"],
  ])("%j → %j", (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it("handles decomposed (NFD) input like composed", () => {
    expect(slugify("Vải thiều".normalize("NFD"))).toBe("vai-thieu");
  });

  it("falls back when nothing is left", () => {
    expect(slugify("")).toBe(FALLBACK_SLUG);
    expect(slugify("🍒🍒")).toBe(FALLBACK_SLUG);
    expect(slugify("荔枝")).toBe(FALLBACK_SLUG);
  });

  it("cuts long titles at a word boundary", () => {
    const slug = slugify(
      "Vải thiều Thanh Hà chín cây loại một, hái sáng nào giao sáng ấy, đóng thùng xốp năm ki lô gam",
    );
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
    expect(slug).toBe("vai-thieu-thanh-ha-chin-cay-loai-mot-hai-sang-nao-giao-sang");
    expect(slug).not.toMatch(/-$/);
    expect(slugify("a".repeat(80))).toBe("a".repeat(SLUG_MAX_LENGTH));
  });
});

describe("firstFreeSlug", () => {
  it("numbers from 2 and fills gaps", () => {
    expect(firstFreeSlug("vai-thieu", [])).toBe("vai-thieu");
    expect(firstFreeSlug("vai-thieu", ["vai-thieu"])).toBe("vai-thieu-2");
    expect(firstFreeSlug("vai-thieu", ["vai-thieu", "vai-thieu-2", "vai-thieu-4"])).toBe("vai-thieu-3");
  });

  it("keeps slugs the stall's own routes answer free", () => {
    expect(firstFreeSlug("poster", [])).toBe("poster-2");
    expect(firstFreeSlug("qr", [])).toBe("qr-2");
  });
});
