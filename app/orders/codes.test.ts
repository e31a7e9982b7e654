import { describe, expect, it } from "vitest";
import { CODE_ALPHABET, CODE_LENGTH, formatCode, newCode, normalizeCode } from "./codes";

describe("order codes", () => {
  it("are 8 characters without the look-alikes 0/O and 1/I", () => {
    expect(CODE_ALPHABET).toHaveLength(32);
    for (const c of "0O1I") expect(CODE_ALPHABET).not.toContain(c);
    for (let i = 0; i < 500; i++) {
      const code = newCode();
      expect(code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    }
  });

  it("are random: 10,000 codes, no repeat, every character used", () => {
    const codes = new Set(Array.from({ length: 10_000 }, newCode));
    expect(codes.size).toBe(10_000);
    const seen = new Set([...codes].join(""));
    expect(seen.size).toBe(CODE_ALPHABET.length);
  });

  it("read what people type back into the stored form", () => {
    expect(normalizeCode(" abcd-2345 ")).toBe("ABCD2345");
    expect(normalizeCode("ABCD 2345")).toBe("ABCD2345");
    expect(normalizeCode("ABCD0345")).toBeNull(); // 0 is never in a code
    expect(normalizeCode("ABCD234")).toBeNull();
    expect(normalizeCode("")).toBeNull();
    expect(normalizeCode(undefined)).toBeNull();
    expect(formatCode("ABCD2345")).toBe("ABCD-2345");
    expect(CODE_LENGTH).toBe(8);
  });
});
