import { describe, expect, it } from "vitest";
import { isCertificationValid, isIsoDate, todayInVietnam } from "./dates";

describe("todayInVietnam", () => {
  it("turns the date at midnight Vietnam time (UTC+7), whatever the server's zone", () => {
    expect(todayInVietnam(new Date("2026-06-30T16:59:59Z"))).toBe("2026-06-30");
    expect(todayInVietnam(new Date("2026-06-30T17:00:00Z"))).toBe("2026-07-01");
    expect(todayInVietnam(new Date("2025-12-31T17:30:00Z"))).toBe("2026-01-01");
  });
});

describe("isCertificationValid", () => {
  const cert = { validFrom: "2024-07-01", validUntil: "2026-06-30" };
  it("counts through the last day, both ends included", () => {
    expect(isCertificationValid(cert, "2024-07-01")).toBe(true);
    expect(isCertificationValid(cert, "2026-06-30")).toBe(true);
    expect(isCertificationValid(cert, "2026-07-01")).toBe(false);
    expect(isCertificationValid(cert, "2024-06-30")).toBe(false);
    expect(isCertificationValid({ validUntil: "2026-06-30", validFrom: null }, "2020-01-01")).toBe(true);
  });

  it("in Vietnam's calendar: the last day lasts until 23:59 in Hà Nội", () => {
    expect(isCertificationValid(cert, todayInVietnam(new Date("2026-06-30T16:59:59Z")))).toBe(true);
    expect(isCertificationValid(cert, todayInVietnam(new Date("2026-06-30T17:00:00Z")))).toBe(false);
  });
});

describe("isIsoDate", () => {
  it("accepts real yyyy-mm-dd dates only", () => {
    expect(isIsoDate("2028-02-29")).toBe(true);
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("2026-13-01")).toBe(false);
    expect(isIsoDate("30/06/2026")).toBe(false);
    expect(isIsoDate("2026-6-30")).toBe(false);
    expect(isIsoDate("0202-06-30")).toBe(false);
  });
});
