import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { formatPhone, parseVietnameseMobile, phoneDigitVariants } from "./phone";

const ok = (e164: string) => ({ ok: true, e164 });
const problem = (p: string) => ({ ok: false, problem: p });

describe("parseVietnameseMobile", () => {
  it.each([
    "0912 345 678",
    "0912345678",
    "+84912345678",
    "+84 912 345 678",
    "84912345678",
    "84 912 345 678",
    "0084912345678",
    "0912.345.678",
    "0912-345-678",
    "(+84) 912-345-678",
    "  0912 345 678  ",
    "０９１２３４５６７８", // full-width digits from some Vietnamese keyboards
  ])("accepts the mobile %j as +84912345678", (input) => {
    expect(parseVietnameseMobile(input)).toEqual(ok("+84912345678"));
  });

  it.each([
    ["0361234567", "+84361234567"], // Viettel 03x (ex-016x)
    ["0561234567", "+84561234567"], // Vietnamobile
    ["0591234567", "+84591234567"], // Gmobile
    ["0701234567", "+84701234567"], // MobiFone 07x (ex-012x)
    ["0812345678", "+84812345678"], // VinaPhone 08x
    ["0981234567", "+84981234567"],
  ])("accepts every carrier's prefix: %s", (input, e164) => {
    expect(parseVietnameseMobile(input)).toEqual(ok(e164));
  });

  it("rejects landlines (02xx) as landlines, in every format", () => {
    expect(parseVietnameseMobile("0243 123 4567")).toEqual(problem("landline"));
    expect(parseVietnameseMobile("02431234567")).toEqual(problem("landline"));
    expect(parseVietnameseMobile("+84 220 3123 456")).toEqual(problem("landline"));
  });

  it("rejects 11-digit numbers and wrong lengths", () => {
    expect(parseVietnameseMobile("09123456789")).toEqual(problem("invalid"));
    expect(parseVietnameseMobile("091234567")).toEqual(problem("invalid"));
    expect(parseVietnameseMobile("0912")).toEqual(problem("invalid"));
    expect(parseVietnameseMobile("0".repeat(40))).toEqual(problem("invalid"));
  });

  it("explains the old 11-digit mobile numbers (renumbered in 2018)", () => {
    expect(parseVietnameseMobile("01689123456")).toEqual(problem("old_prefix"));
    expect(parseVietnameseMobile("0168 912 3456")).toEqual(problem("old_prefix"));
    expect(parseVietnameseMobile("+841689123456")).toEqual(problem("old_prefix"));
    expect(parseVietnameseMobile("01212345678")).toEqual(problem("old_prefix"));
    expect(parseVietnameseMobile("01991234567")).toEqual(problem("old_prefix"));
  });

  it("rejects numbers in ranges that are not in use", () => {
    expect(parseVietnameseMobile("0123456789")).toEqual(problem("invalid"));
    expect(parseVietnameseMobile("0521234567")).toEqual(problem("invalid"));
    expect(parseVietnameseMobile("0112345678")).toEqual(problem("invalid"));
  });

  it("rejects letters and other text", () => {
    expect(parseVietnameseMobile("abc")).toEqual(problem("invalid"));
    expect(parseVietnameseMobile("0912abc678")).toEqual(problem("invalid"));
    expect(parseVietnameseMobile("0912 345 678 gọi tối")).toEqual(problem("invalid"));
    expect(parseVietnameseMobile("tel:0912345678")).toEqual(problem("invalid"));
    expect(parseVietnameseMobile("0912/345/678")).toEqual(problem("invalid"));
  });

  it("rejects foreign numbers", () => {
    expect(parseVietnameseMobile("+1 202 555 0123")).toEqual(problem("foreign"));
    expect(parseVietnameseMobile("+66 81 234 5678")).toEqual(problem("foreign"));
  });

  it("says empty for nothing", () => {
    expect(parseVietnameseMobile("")).toEqual(problem("empty"));
    expect(parseVietnameseMobile("   ")).toEqual(problem("empty"));
    expect(parseVietnameseMobile(null)).toEqual(problem("empty"));
    expect(parseVietnameseMobile(undefined)).toEqual(problem("empty"));
  });
});

describe("formatPhone", () => {
  it("writes mobiles the Vietnamese way", () => {
    expect(formatPhone("+84912345678")).toBe("0912 345 678");
    expect(formatPhone("+84561234567")).toBe("0561 234 567");
  });
  it("matches libphonenumber's national format for mobiles", () => {
    for (const e164 of ["+84912345678", "+84361234567", "+84701234567", "+84861234567", "+84591234567"]) {
      expect(formatPhone(e164)).toBe(parsePhoneNumberFromString(e164)!.formatNational());
    }
  });
  it("leaves anything else alone", () => {
    expect(formatPhone("+12025550123")).toBe("+12025550123");
    expect(formatPhone("")).toBe("");
  });
});

describe("phoneDigitVariants", () => {
  it("lists the ways the number is typed", () => {
    expect(phoneDigitVariants("+84912345678")).toEqual(["0912345678", "84912345678", "912345678"]);
  });
});
