import { describe, expect, it } from "vitest";
import { feeGivenBack, owedChangeForPayment, platformFee } from "./fees";

describe("platform fee", () => {
  it("is basis points of the amount, rounded half up to the đồng", () => {
    expect(platformFee(100_000, 250)).toBe(2_500);
    expect(platformFee(45_000, 0)).toBe(0);
    expect(platformFee(1_999, 25)).toBe(5); // 4.9975
    expect(platformFee(200, 25)).toBe(1); // 0.5 rounds up
    expect(platformFee(199, 25)).toBe(0); // 0.4975
    expect(platformFee(75_000, 10_000)).toBe(75_000);
  });

  it("refuses fractions and out-of-range rates", () => {
    expect(() => platformFee(10.5, 100)).toThrow(RangeError);
    expect(() => platformFee(-1, 100)).toThrow(RangeError);
    expect(() => platformFee(100, 10_001)).toThrow(RangeError);
    expect(() => platformFee(100, 1.5)).toThrow(RangeError);
  });
});

describe("what the platform owes the farmer", () => {
  it("depends on who holds the money", () => {
    expect(owedChangeForPayment("platform", 100_000, 2_500)).toBe(97_500);
    expect(owedChangeForPayment("farmer", 100_000, 2_500)).toBe(-2_500);
    expect(owedChangeForPayment("split", 100_000, 2_500)).toBe(0);
  });

  it("gives the whole fee back over any series of partial refunds", () => {
    const payment = { amountDong: 99_999, feeDong: 2_333 };
    for (const parts of [[99_999], [1, 99_998], [33_333, 33_333, 33_333], [7, 7, 7, 99_978], [50_000, 49_999]]) {
      let refunded = 0;
      let back = 0;
      for (const part of parts) {
        const now = feeGivenBack(payment, refunded, part);
        expect(now).toBeGreaterThanOrEqual(0);
        back += now;
        refunded += part;
      }
      expect(back, parts.join("+")).toBe(payment.feeDong);
    }
    expect(feeGivenBack({ amountDong: 100_000, feeDong: 2_500 }, 0, 30_000)).toBe(750);
  });
});
