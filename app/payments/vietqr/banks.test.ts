import { describe, expect, it } from "vitest";
import { BANKS, findBank } from "./banks";

describe("BANKS", () => {
  it("has one entry per BIN, every BIN six digits", () => {
    const bins = BANKS.map((b) => b.bin);
    expect(new Set(bins).size).toBe(bins.length);
    for (const bin of bins) expect(bin).toMatch(/^\d{6}$/);
    expect(BANKS.length).toBeGreaterThanOrEqual(50);
  });

  it("has unique A–Z/0–9 codes and a Vietnamese official name for every bank", () => {
    const codes = BANKS.map((b) => b.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const bank of BANKS) {
      expect(bank.code).toMatch(/^[A-Z0-9]+$/);
      expect(bank.shortName.trim()).toBe(bank.shortName);
      expect(bank.name.normalize("NFC")).toBe(bank.name);
    }
    expect(BANKS.filter((b) => !/^(Ngân hàng|DBS Bank)/.test(b.name))).toEqual([]);
  });

  it("is listed in Vietnamese alphabetical order of the short names", () => {
    const collator = new Intl.Collator("vi");
    const names = BANKS.map((b) => b.shortName);
    expect(names).toEqual([...names].sort(collator.compare));
    // A plain code-point sort would put "BIDV" before "Bac A Bank".
    expect(names.indexOf("Bac A Bank")).toBeLessThan(names.indexOf("BIDV"));
  });

  it("finds the big four and the banks most farmers use by BIN", () => {
    expect(findBank("970436")).toMatchObject({
      code: "VCB",
      shortName: "Vietcombank",
      name: "Ngân hàng TMCP Ngoại thương Việt Nam",
    });
    expect(findBank("970415")?.shortName).toBe("VietinBank");
    expect(findBank("970418")?.shortName).toBe("BIDV");
    expect(findBank("970405")).toMatchObject({
      shortName: "Agribank",
      name: "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam",
    });
    expect(findBank("999888")?.code).toBe("VBSP");
    expect(findBank("970463")?.shortName).toBe("Kookmin TP.HCM");
  });

  it("names renamed banks by their new brand and keeps their old BIN", () => {
    expect(findBank("970414")?.shortName).toBe("MBV (OceanBank)");
    expect(findBank("970444")?.shortName).toBe("VCBNeo (CBBank)");
    expect(findBank("970406")?.shortName).toBe("Vikki Bank (DongA Bank)");
  });

  it("finds nothing for unknown or malformed BINs", () => {
    expect(findBank("123456")).toBeUndefined();
    expect(findBank("")).toBeUndefined();
    expect(findBank(" 970436")).toBeUndefined();
  });
});
