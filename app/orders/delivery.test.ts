import { describe, expect, it } from "vitest";
import { deliveryOptions, knownWeightKg, shippingFee, type StallDeliverySettings } from "./delivery";

const stall: StallDeliverySettings = {
  pickupEnabled: true,
  pickupAddress: "Thôn Phú Lương",
  pickupHours: "7–17 giờ",
  localDeliveryEnabled: true,
  localDeliveryCommunes: ["10813"],
  localDeliveryFeeDong: 15_000,
  shippingEnabled: true,
  shippingFeeMode: "per_kg",
  shippingFeeDong: 12_000,
};

describe("delivery fees", () => {
  it("per kg: weight units converted, rounded up to whole kilograms, at least one", () => {
    expect(
      knownWeightKg([
        { unit: "kg", qty: 2 },
        { unit: "lang", qty: 5 },
        { unit: "yen", qty: 1 },
      ]),
    ).toBeCloseTo(12.5);
    expect(
      shippingFee(stall, [
        { unit: "kg", qty: 2 },
        { unit: "lang", qty: 5 },
        { unit: "yen", qty: 1 },
      ]),
    ).toBe(13 * 12_000);
    expect(shippingFee(stall, [{ unit: "lang", qty: 10 }])).toBe(12_000); // 10 × 0.1 kg is exactly 1 kg
    expect(shippingFee(stall, [{ unit: "bo", qty: 7 }])).toBe(12_000); // no known weight: one kilogram's fee
    expect(shippingFee({ ...stall, shippingFeeMode: "flat", shippingFeeDong: 30_000 }, [{ unit: "kg", qty: 50 }])).toBe(
      30_000,
    );
  });

  it("offers local delivery only to the stall's communes; pickup is free", () => {
    const items = [{ unit: "kg", qty: 1 }];
    expect(deliveryOptions(stall, items, "10813")).toEqual([
      { method: "pickup", feeDong: 0, available: true },
      { method: "local", feeDong: 15_000, available: true },
      { method: "shipping", feeDong: 12_000, available: true },
    ]);
    expect(deliveryOptions(stall, items, "99999").find((o) => o.method === "local")?.available).toBe(false);
    expect(deliveryOptions(stall, items).find((o) => o.method === "local")?.available).toBe(false);
    expect(
      deliveryOptions({ ...stall, pickupEnabled: false, shippingEnabled: false }, items, "10813").map((o) => o.method),
    ).toEqual(["local"]);
  });
});
