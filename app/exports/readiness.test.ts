import { describe, expect, it } from "vitest";
import { cutAtWord, unitPricing, unitWeightGrams } from "./item";
import { extendedTitle, isReady, readinessOf, type ReadinessInput } from "./readiness";

const today = "2026-12-07";

const listing = (changes: Partial<ReadinessInput> = {}): ReadinessInput => ({
  title: "Vải thiều Thanh Hà loại một",
  description: "Vải chín cây, hái sáng nào giao sáng ấy.",
  unit: "kg",
  priceDong: 45_000,
  weightGrams: null,
  packageLengthCm: 30,
  packageWidthCm: 20,
  packageHeightCm: 15,
  status: "active",
  preorder: false,
  madeToOrder: false,
  stockQty: 10,
  availableFrom: null,
  leadTimeDays: null,
  photos: [{ width: 800, height: 800 }],
  certifications: [],
  stall: { name: "Nhà vườn Bác Thịnh", provinceName: "Hải Dương" },
  ...changes,
});

const codes = (input: ReadinessInput, target: Parameters<typeof readinessOf>[1]) =>
  readinessOf(input, target, today).map((p) => `${p.severity}:${p.code}`);

describe("readinessOf", () => {
  it("finds nothing missing in a complete listing sold by the kg", () => {
    for (const target of ["google", "meta", "shopify", "tiktok", "shopee", "lazada"] as const) {
      expect(codes(listing(), target), target).toEqual([]);
    }
  });

  it("needs a photo, and one of 500 px a side for Meta", () => {
    expect(codes(listing({ photos: [] }), "google")).toEqual(["error:no_photo"]);
    expect(codes(listing({ photos: [] }), "shopify")).toEqual([]);
    const small = listing({ photos: [{ width: 300, height: 640 }] });
    expect(readinessOf(small, "meta", today)).toEqual([
      { code: "photo_too_small", severity: "error", field: "photos", limit: 500, actual: 300 },
    ]);
    expect(codes(small, "google")).toEqual([]);
    expect(codes(small, "tiktok")).toEqual([]);
  });

  it("wants 25 characters for TikTok Shop and suggests a longer title from what the listing says", () => {
    const [problem] = readinessOf(listing({ title: "Rau muống" }), "tiktok", today);
    expect(problem).toMatchObject({ code: "title_too_short", limit: 25, actual: 9, field: "title" });
    expect(problem.suggestion).toBe("Rau muống – Nhà vườn Bác Thịnh");
    expect(problem.suggestion!.length).toBeGreaterThanOrEqual(25);
  });

  it("refuses titles over a target's limit, counting characters, not bytes", () => {
    expect(codes(listing({ title: "ả".repeat(150) }), "google")).toEqual([]);
    expect(codes(listing({ title: "ả".repeat(151) }), "google")).toEqual(["error:title_too_long"]);
    expect(codes(listing({ title: "x".repeat(300) }), "meta")).toEqual(["error:title_too_long"]);
  });

  it("needs a description for Google and Meta, and a longer one for Shopee", () => {
    expect(codes(listing({ description: "  " }), "google")).toEqual(["error:no_description"]);
    expect(codes(listing({ description: "Ngon" }), "shopee")).toEqual(["error:description_too_short"]);
    expect(codes(listing({ description: "" }), "lazada")).toEqual([]);
  });

  it("needs a weight for goods not sold by weight, and a package size for Lazada", () => {
    const bunch = listing({ unit: "bo" });
    expect(codes(bunch, "shopee")).toEqual(["error:no_weight"]);
    expect(codes(bunch, "google")).toEqual([]);
    expect(codes(listing({ unit: "bo", weightGrams: 300 }), "shopee")).toEqual([]);
    expect(codes(listing({ packageHeightCm: null }), "lazada")).toEqual(["error:no_package_size"]);
  });

  it("checks the price against the marketplace's range", () => {
    expect(codes(listing({ priceDong: 500 }), "shopee")).toEqual(["error:price_out_of_range"]);
    expect(codes(listing({ priceDong: 500 }), "google")).toEqual([]);
    expect(codes(listing({ priceDong: 200_000_000 }), "shopee")).toEqual(["error:price_out_of_range"]);
  });

  it("wants a harvest date for a Google pre-order", () => {
    const preorder = listing({ preorder: true, stockQty: 0, availableFrom: null });
    expect(codes(preorder, "google")).toEqual(["error:preorder_without_date"]);
    expect(codes({ ...preorder, availableFrom: "2027-01-10" }, "google")).toEqual([]);
    expect(codes(preorder, "meta")).toEqual([]);
  });

  it("warns about an expired certificate without keeping the listing out", () => {
    const problems = readinessOf(listing({ certifications: [{ validUntil: "2026-12-06" }] }), "google", today);
    expect(problems.map((p) => `${p.severity}:${p.code}`)).toEqual(["warning:certificate_expired"]);
    expect(isReady(problems)).toBe(true);
    expect(codes(listing({ certifications: [{ validUntil: today }] }), "google")).toEqual([]);
  });
});

describe("extendedTitle", () => {
  it("adds the stall, then the province, never repeating what the title says", () => {
    const stall = { name: "Hộ Lan", provinceName: "Bắc Giang" };
    expect(extendedTitle({ title: "Vải", stall }, 25, 255)).toBe("Vải – Hộ Lan – Bắc Giang");
    expect(extendedTitle({ title: "Vải thiều Hộ Lan", stall }, 25, 255)).toBe("Vải thiều Hộ Lan – Bắc Giang");
  });
});

describe("text and units", () => {
  it("cuts at a word and marks the cut, never splitting an emoji", () => {
    expect(cutAtWord("Vải thiều chín cây", 100)).toBe("Vải thiều chín cây");
    expect(cutAtWord("Vải thiều chín cây Thanh Hà", 16)).toBe("Vải thiều chín…");
    expect(Array.from(cutAtWord("🍅".repeat(20), 10))).toHaveLength(10);
  });

  it("knows the weight of weight units and unit pricing per kg or per 100 g", () => {
    expect(unitWeightGrams({ unit: "yen", weightGrams: null })).toBe(10_000);
    expect(unitWeightGrams({ unit: "bo", weightGrams: null })).toBeNull();
    expect(unitPricing({ unit: "kg", weightGrams: null })).toEqual({ measure: "1 kg", baseMeasure: "1 kg" });
    expect(unitPricing({ unit: "lang", weightGrams: null })).toEqual({ measure: "100 g", baseMeasure: "100 g" });
    expect(unitPricing({ unit: "bo", weightGrams: 300 })).toEqual({ measure: "300 g", baseMeasure: "100 g" });
    expect(unitPricing({ unit: "qua", weightGrams: null })).toBeNull();
  });
});
