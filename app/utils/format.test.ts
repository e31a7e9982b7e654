import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatNumber, formatVnd } from "./format";

describe("formatVnd", () => {
  it("writes đồng the Vietnamese way, with a no-break space before ₫", () => {
    expect(formatVnd(125000)).toBe("125.000\u00a0₫");
    expect(formatVnd(0)).toBe("0\u00a0₫");
    expect(formatVnd(1234567)).toBe("1.234.567\u00a0₫");
  });
  it("writes English amounts with grouping commas", () => {
    expect(formatVnd(125000, "en")).toBe("₫125,000");
  });
  it("refuses fractional or unsafe amounts: money is integer đồng", () => {
    expect(() => formatVnd(1.5)).toThrow(/integer/);
    expect(() => formatVnd(Number.MAX_SAFE_INTEGER + 2)).toThrow();
  });
});

describe("dates", () => {
  it("uses dd/MM/yyyy in Asia/Ho_Chi_Minh, even across the UTC date line", () => {
    // 2025-06-30 20:30 UTC is already 1 July 03:30 in Vietnam.
    const d = new Date("2025-06-30T20:30:00Z");
    expect(formatDate(d)).toBe("01/07/2025");
    expect(formatDate(d, "en")).toBe("01/07/2025");
    expect(formatDateTime(d)).toBe("03:30 01/07/2025");
  });
  it("groups numbers by locale", () => {
    expect(formatNumber(3321)).toBe("3.321");
    expect(formatNumber(3321, "en")).toBe("3,321");
  });
});
