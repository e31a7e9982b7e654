import { describe, expect, it } from "vitest";
import { RESERVED_STALL_SLUGS, normaliseTypedSlug, stallSlugFrom, stallSlugProblem } from "./slug";

describe("stallSlugFrom", () => {
  it.each([
    ["Vườn vải thiều bác Thịnh", "vuon-vai-thieu-bac-thinh"],
    ["HTX Nông nghiệp Đồng Tâm", "htx-nong-nghiep-dong-tam"],
    ["Trứng gà ta  Gia Lộc!!", "trung-ga-ta-gia-loc"],
    ["Cà rốt Đức Chính – vụ đông", "ca-rot-duc-chinh-vu-dong"],
    ["Ổi Lê Đài Loan", "oi-le-dai-loan"],
  ])("%s → %s", (name, slug) => {
    expect(stallSlugFrom(name)).toBe(slug);
  });

  it("gives a usable slug for a name with no Latin letters", () => {
    expect(stallSlugFrom("🍒🍒")).toBe("gian-hang");
    expect(stallSlugProblem(stallSlugFrom("荔枝"))).toBeNull();
  });

  it("reads decomposed (NFD) input like composed", () => {
    expect(stallSlugFrom("Vải thiều".normalize("NFD"))).toBe("vai-thieu");
  });
});

describe("stallSlugProblem", () => {
  it("accepts ordinary slugs", () => {
    expect(stallSlugProblem("vai-thieu-thanh-ha")).toBeNull();
    expect(stallSlugProblem("htx-2025")).toBeNull();
  });

  it("refuses reserved words, whatever the farmer typed", () => {
    for (const typed of ["admin", "Admin", "gian hàng số", "Checkout", "Poster", "setup"]) {
      expect(stallSlugProblem(normaliseTypedSlug(typed)), typed).toBe("stallSlug.reserved");
    }
    expect(RESERVED_STALL_SLUGS.has("vai-thieu")).toBe(false);
  });

  it("refuses too short, too long and malformed slugs", () => {
    expect(stallSlugProblem("ab")).toBe("stallSlug.tooShort");
    expect(stallSlugProblem("a".repeat(61))).toBe("stallSlug.tooLong");
    expect(stallSlugProblem("vai--thieu")).toBe("stallSlug.format");
    expect(stallSlugProblem("-vai")).toBe("stallSlug.format");
  });
});

describe("normaliseTypedSlug", () => {
  it("forgives diacritics, capitals, spaces and a pasted link", () => {
    expect(normaliseTypedSlug("Vải Thiều Bác Thịnh")).toBe("vai-thieu-bac-thinh");
    expect(normaliseTypedSlug("https://ghs.vn/s/vuon-nha-toi")).toBe("vuon-nha-toi");
    expect(normaliseTypedSlug("  ")).toBe("");
  });
});
