import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-policy";
import { dummyVerify, hashPassword, needsRehash, verifyPassword } from "./password.server";

describe("hashPassword / verifyPassword", () => {
  it("writes scrypt$16384$8$1$salt$hash with a 16-byte salt and a 64-byte key", async () => {
    const stored = await hashPassword("vải thiều Thanh Hà");
    const parts = stored.split("$");
    expect(parts.slice(0, 4)).toEqual(["scrypt", "16384", "8", "1"]);
    expect(Buffer.from(parts[4], "base64")).toHaveLength(16);
    expect(Buffer.from(parts[5], "base64")).toHaveLength(64);
    expect(needsRehash(stored)).toBe(false);
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("ca-rot-Hai-Duong");
    expect(await verifyPassword("ca-rot-Hai-Duong", stored)).toBe(true);
    expect(await verifyPassword("ca-rot-hai-duong", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password")).not.toBe(await hashPassword("same password"));
  });

  it("treats NFC and NFD spellings of Vietnamese letters as the same password", async () => {
    const stored = await hashPassword("mậtkhẩu-rất-dài".normalize("NFC"));
    expect(await verifyPassword("mậtkhẩu-rất-dài".normalize("NFD"), stored)).toBe(true);
  });

  it("reads older, cheaper parameters from the stored string and flags them for rehash", async () => {
    const { scryptSync, randomBytes } = await import("node:crypto");
    const salt = randomBytes(16);
    const key = scryptSync("old password", salt, 32, { N: 1024, r: 8, p: 1 });
    const stored = `scrypt$1024$8$1$${salt.toString("base64")}$${key.toString("base64")}`;
    expect(await verifyPassword("old password", stored)).toBe(true);
    expect(needsRehash(stored)).toBe(true);
  });

  it.each([
    null,
    undefined,
    "",
    "not a hash",
    "bcrypt$2b$10$abc",
    "scrypt$16384$8$1$onlyfive",
    "scrypt$16385$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA==", // N not a power of two
    "scrypt$1073741824$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA==", // absurd cost
    "scrypt$16384$8$1$!!!$???",
    "scrypt$16384$8$1$c2FsdA==$aGFzaA==", // too short to be real
  ])("returns false for the malformed stored value %j", async (stored) => {
    expect(await verifyPassword("anything", stored)).toBe(false);
  });

  it("has a dummy check for unknown accounts that never succeeds", async () => {
    expect(await dummyVerify("dummy-password-for-timing")).toBe(false);
  });
});

describe("passwordProblem", () => {
  it("accepts reasonable passwords", () => {
    expect(passwordProblem("vaithieu2025")).toBeNull();
    expect(passwordProblem("Cà rốt Hải Dương")).toBeNull();
    expect(passwordProblem("correct horse battery staple", "+84912345678")).toBeNull();
  });
  it("wants at least 8 characters (counted as letters, not bytes)", () => {
    expect(passwordProblem("abc123")).toBe("too_short");
    expect(passwordProblem("1234567")).toBe("too_short");
    expect(passwordProblem("mậtkhẩu!")).toBeNull();
  });
  it("refuses very long input", () => {
    expect(passwordProblem("x".repeat(129) + "y")).toBe("too_long");
  });
  it.each([
    "12345678",
    "password",
    "PASSWORD",
    "matkhau123",
    "11111111",
    "123456789",
    "qwertyui",
    "aaaaaaaaaa",
    "@@@@@@@@",
  ])("refuses the guessable %j", (pw) => {
    expect(passwordProblem(pw)).toBe("common");
  });
  it("refuses the phone number in any usual spelling", () => {
    const phone = "+84912345678";
    expect(passwordProblem("0912345678", phone)).toBe("phone");
    expect(passwordProblem("0912 345 678", phone)).toBe("phone");
    expect(passwordProblem("0912.345.678", phone)).toBe("phone");
    expect(passwordProblem("+84912345678", phone)).toBe("phone");
    expect(passwordProblem("84912345678", phone)).toBe("phone");
    expect(passwordProblem("912345678", phone)).toBe("phone");
    expect(passwordProblem("0912345679", phone)).toBeNull();
  });
});
