import { describe, expect, it } from "vitest";
import { facebookShareHref, isInSeason, stallCertifications, telHref, zaloHref } from "./storefront";

describe("contact and share links", () => {
  it("calls the E.164 number and opens Zalo with the national one", () => {
    expect(telHref("+84912345601")).toBe("tel:+84912345601");
    expect(zaloHref("+84912345601")).toBe("https://zalo.me/0912345601");
    expect(zaloHref("+6591234567")).toBeNull();
  });

  it("hands Facebook the whole URL, encoded", () => {
    expect(facebookShareHref("https://gianhangso.vn/s/vai?utm=zalo&x=1")).toBe(
      "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fgianhangso.vn%2Fs%2Fvai%3Futm%3Dzalo%26x%3D1",
    );
  });
});

describe("stallCertifications", () => {
  it("shows each certification of the products on sale once, in catalogue order, more OCOP stars first", () => {
    const badges = stallCertifications([
      { status: "active", badges: [{ type: "ocop", ocopStars: 3 }] },
      {
        status: "active",
        badges: [
          { type: "vietgap", ocopStars: null },
          { type: "ocop", ocopStars: 4 },
        ],
      },
      { status: "active", badges: [{ type: "vietgap", ocopStars: null }] },
      // A sold-out product's organic certificate says nothing about what can be bought now.
      { status: "sold_out", badges: [{ type: "organic", ocopStars: null }] },
    ]);
    expect(badges).toEqual([
      { type: "vietgap", ocopStars: null },
      { type: "ocop", ocopStars: 4 },
      { type: "ocop", ocopStars: 3 },
    ]);
  });
});

describe("isInSeason", () => {
  const today = "2026-06-10";
  it("is inside the harvest window, both days included", () => {
    expect(isInSeason({ availableFrom: "2026-06-01", availableUntil: "2026-07-15" }, today)).toBe(true);
    expect(isInSeason({ availableFrom: "2026-06-10", availableUntil: "2026-06-10" }, today)).toBe(true);
    expect(isInSeason({ availableFrom: null, availableUntil: "2026-06-30" }, today)).toBe(true);
    expect(isInSeason({ availableFrom: "2026-06-01", availableUntil: null }, today)).toBe(true);
  });

  it("is not before or after the window, nor for a product sold all year", () => {
    expect(isInSeason({ availableFrom: "2026-06-11", availableUntil: "2026-07-15" }, today)).toBe(false);
    expect(isInSeason({ availableFrom: "2026-05-01", availableUntil: "2026-06-09" }, today)).toBe(false);
    expect(isInSeason({ availableFrom: null, availableUntil: null }, today)).toBe(false);
  });
});
