import { describe, expect, it } from "vitest";
import {
  addDays,
  availabilityOf,
  googleAvailability,
  metaAvailability,
  schemaOrgAvailability,
  type AvailabilityFields,
} from "./availability";

const today = "2026-12-07";
const onSale: AvailabilityFields = {
  status: "active",
  preorder: false,
  madeToOrder: false,
  stockQty: 10,
  availableFrom: null,
  leadTimeDays: null,
};

/** What Google, Meta and schema.org say about a listing today. */
const words = (changes: Partial<AvailabilityFields>) => {
  const a = availabilityOf({ ...onSale, ...changes }, today);
  return [googleAvailability(a), metaAvailability(a), schemaOrgAvailability(a)];
};

describe("availability, in every marketplace's words", () => {
  it.each([
    ["in stock", {}, [{ value: "in_stock", date: null }, "in stock", { value: "InStock", date: null }]],
    [
      "sold out",
      { status: "sold_out", stockQty: 0 },
      [{ value: "out_of_stock", date: null }, "out of stock", { value: "OutOfStock", date: null }],
    ],
    [
      "a pre-order before its harvest",
      { preorder: true, stockQty: 0, availableFrom: "2027-01-10" },
      [{ value: "preorder", date: "2027-01-10" }, "preorder", { value: "PreOrder", date: "2027-01-10" }],
    ],
    [
      "a pre-order whose harvest started, with stock",
      { preorder: true, stockQty: 5, availableFrom: "2026-12-01" },
      [{ value: "in_stock", date: null }, "in stock", { value: "InStock", date: null }],
    ],
    [
      "made to order, ready in 3 days",
      { madeToOrder: true, stockQty: 0, leadTimeDays: 3 },
      [{ value: "backorder", date: "2026-12-10" }, "available for order", { value: "BackOrder", date: "2026-12-10" }],
    ],
    [
      "made to order, no lead time given",
      { madeToOrder: true, stockQty: 0 },
      [{ value: "in_stock", date: null }, "available for order", { value: "InStock", date: null }],
    ],
  ] as const)("%s", (_, changes, expected) => {
    expect(words(changes)).toEqual(expected);
  });

  it("changes overnight without a write: a pre-order becomes in stock on its harvest day", () => {
    const listing = { ...onSale, preorder: true, stockQty: 5, availableFrom: "2026-12-08" };
    expect(availabilityOf(listing, "2026-12-07").kind).toBe("preorder");
    expect(availabilityOf(listing, "2026-12-08").kind).toBe("in_stock");
  });

  it("adds days across months and years", () => {
    expect(addDays("2026-12-30", 3)).toBe("2027-01-02");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
  });
});
