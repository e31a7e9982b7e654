import { QRPay, VietQRService } from "vietnam-qr-pay";
import { describe, expect, it } from "vitest";
import { BANKS } from "./banks";
import { VietQrError, accountHolderName, buildVietQr, crc16ccitt, parseVietQr, vietQrMemo } from "./payload";

/** The worked example of the payments research note (§4), byte for byte. */
const WORKED_EXAMPLE =
  "00020101021238570010A00000072701270006970436011300110012345670208QRIBFTTA530370454061500005802VN62110807DH123456304AC00";

const vcb = { bin: "970436", accountNumber: "0011001234567" };

function errorOf(fn: () => unknown): VietQrError {
  try {
    fn();
  } catch (e) {
    if (e instanceof VietQrError) return e;
    throw e;
  }
  throw new Error("expected a VietQrError");
}

describe("crc16ccitt", () => {
  it("is CRC-16/CCITT-FALSE", () => {
    expect(crc16ccitt("123456789")).toBe("29B1");
    expect(crc16ccitt("")).toBe("FFFF");
  });

  it("pads to four uppercase hex digits", () => {
    expect(crc16ccitt(WORKED_EXAMPLE.slice(0, -4))).toBe("AC00");
    // A checksum below 0x1000 still has four digits.
    const short = BANKS.map((b) => buildVietQr({ bin: b.bin, accountNumber: "123456789" })).find(
      (p) => p[p.length - 4] === "0",
    );
    expect(short).toBeDefined();
    expect(short!.slice(-4)).toMatch(/^0[0-9A-F]{3}$/);
  });
});

describe("buildVietQr", () => {
  it("builds the worked example exactly: dynamic, amount, memo", () => {
    expect(buildVietQr({ ...vcb, amountDong: 150000, memo: "DH12345" })).toBe(WORKED_EXAMPLE);
  });

  it("builds a static code (11) without an amount, so the payer types it", () => {
    const payload = buildVietQr(vcb);
    expect(payload).toBe(
      "00020101021138570010A00000072701270006970436011300110012345670208QRIBFTTA53037045802VN6304" +
        crc16ccitt("00020101021138570010A00000072701270006970436011300110012345670208QRIBFTTA53037045802VN6304"),
    );
    expect(payload).not.toContain("5406");
    expect(payload).not.toMatch(/62\d\d08/);
    expect(parseVietQr(payload)).toMatchObject({ dynamic: false, amountDong: null, memo: null });
  });

  it("transfers to a card with QRIBFTTC", () => {
    const payload = buildVietQr({ bin: "970405", accountNumber: "9704051234567890", kind: "card", amountDong: 20000 });
    expect(payload).toContain("0208QRIBFTTC");
    expect(parseVietQr(payload)).toMatchObject({ kind: "card", accountNumber: "9704051234567890" });
  });

  it("takes diacritics and extra spaces out of the memo", () => {
    expect(vietQrMemo("  Đơn   hàng DH12 ")).toBe("Don hang DH12");
    const payload = buildVietQr({ ...vcb, amountDong: 75000, memo: "Thanh toán đơn DH12" });
    expect(parseVietQr(payload).memo).toBe("Thanh toan don DH12");
  });

  it("leaves out tag 62 when the memo is blank", () => {
    expect(buildVietQr({ ...vcb, amountDong: 150000, memo: "   " })).toBe(buildVietQr({ ...vcb, amountDong: 150000 }));
  });

  it.each([
    ["a BIN that is not 6 digits", { ...vcb, bin: "97043" }, "bin"],
    ["a BIN with letters", { ...vcb, bin: "97043A" }, "bin"],
    ["an account number shorter than 6", { ...vcb, accountNumber: "12345" }, "account"],
    ["an account number longer than 19", { ...vcb, accountNumber: "1".repeat(20) }, "account"],
    ["an account number with spaces", { ...vcb, accountNumber: "0011 0012 34567" }, "account"],
    ["an account number with diacritics", { ...vcb, accountNumber: "NGUYỄN123" }, "account"],
    ["a card number of 15 digits", { ...vcb, accountNumber: "970405123456789", kind: "card" as const }, "card"],
    ["a zero amount", { ...vcb, amountDong: 0 }, "amount"],
    ["a negative amount", { ...vcb, amountDong: -150000 }, "amount"],
    ["a fractional amount", { ...vcb, amountDong: 1500.5 }, "amount"],
    ["an amount of 14 digits", { ...vcb, amountDong: 10_000_000_000_000 }, "amount"],
    ["NaN", { ...vcb, amountDong: Number.NaN }, "amount"],
    ["a memo with punctuation", { ...vcb, memo: "DH-123" }, "memo"],
    ["a memo in another script", { ...vcb, memo: "订单 12" }, "memo"],
    ["a memo longer than 25", { ...vcb, memo: "Thanh toan don hang DH12345" }, "memoTooLong"],
  ])("refuses %s", (_, input, code) => {
    const error = errorOf(() => buildVietQr(input));
    expect(error.code).toBe(code);
    expect(error.key).toBe(`errors.vietqr.${code}`);
  });

  it("accepts the largest 13-digit amount and a 25-character memo", () => {
    const payload = buildVietQr({ ...vcb, amountDong: 9_999_999_999_999, memo: "A".repeat(25) });
    expect(parseVietQr(payload)).toMatchObject({ amountDong: 9_999_999_999_999, memo: "A".repeat(25) });
  });
});

describe("parseVietQr", () => {
  it("reads the worked example", () => {
    expect(parseVietQr(WORKED_EXAMPLE)).toEqual({
      bin: "970436",
      accountNumber: "0011001234567",
      kind: "account",
      dynamic: true,
      amountDong: 150000,
      memo: "DH12345",
    });
  });

  it("round-trips what buildVietQr makes, for every bank", () => {
    for (const [i, bank] of BANKS.entries()) {
      const input = {
        bin: bank.bin,
        accountNumber: String(1_000_000 + i * 7919),
        amountDong: 1000 * (i + 1),
        memo: `DH${i}`,
      };
      expect(parseVietQr(buildVietQr(input))).toEqual({ ...input, kind: "account", dynamic: true });
    }
  });

  it("accepts a lower-case checksum, as some bank apps print it", () => {
    const lower = WORKED_EXAMPLE.slice(0, -4) + "ac00";
    expect(parseVietQr(lower).amountDong).toBe(150000);
  });

  it("refuses a payload whose amount was altered", () => {
    const tampered = WORKED_EXAMPLE.replace("5406150000", "5406950000");
    expect(errorOf(() => parseVietQr(tampered)).code).toBe("checksum");
  });

  it.each([
    ["an empty string", ""],
    ["a URL", "https://gianhangso.example/s/vai-thieu"],
    ["a payload cut short", WORKED_EXAMPLE.slice(0, 40)],
    ["a payload of another scheme (VNPay GUID)", rechecksum(WORKED_EXAMPLE.replace("A000000727", "A000000775"))],
    ["a payload in another currency", rechecksum(WORKED_EXAMPLE.replace("5303704", "5303840"))],
    ["a broken length field", rechecksum(WORKED_EXAMPLE.replace("5802VN", "5809VN"))],
  ])("refuses %s", (_, payload) => {
    expect(errorOf(() => parseVietQr(payload)).code).toBe("payload");
  });
});

/** The same payload with a correct checksum again, to test the structure checks behind it. */
function rechecksum(payload: string): string {
  const body = payload.slice(0, -4);
  return body + crc16ccitt(body);
}

describe("accountHolderName", () => {
  it("writes the name as banks print it", () => {
    expect(accountHolderName("Nguyễn Thị Đào ")).toBe("NGUYEN THI DAO");
    expect(accountHolderName("  trần   văn  BÌNH\t")).toBe("TRAN VAN BINH");
    expect(accountHolderName("Lê Thị Hồng-Nhung.")).toBe("LE THI HONG NHUNG");
    expect(accountHolderName("Hộ KD Vũ Đức Ánh 2")).toBe("HO KD VU DUC ANH 2");
    // Decomposed input (as some phones type it) gives the same result.
    expect(accountHolderName("Nguyễn Thị Đào".normalize("NFD"))).toBe("NGUYEN THI DAO");
    expect(accountHolderName("")).toBe("");
  });
});

describe("against vietnam-qr-pay (an independent implementation)", () => {
  const cases = [
    { bin: "970436", accountNumber: "0011001234567", amountDong: 150000, memo: "DH12345" },
    { bin: "970405", accountNumber: "1500205123456", amountDong: 2_350_000, memo: "GHS DH000123" },
    { bin: "970422", accountNumber: "0352350917" },
    { bin: "970407", accountNumber: "19030413601018", memo: "Vai thieu Bac Giang" },
    { bin: "970418", accountNumber: "9704180012345678", amountDong: 45000, kind: "card" as const },
  ];

  it.each(cases)("builds the same payload for $bin/$accountNumber", (c) => {
    const theirs = QRPay.initVietQR({
      bankBin: c.bin,
      bankNumber: c.accountNumber,
      amount: c.amountDong ? String(c.amountDong) : undefined,
      purpose: c.memo,
      service: c.kind === "card" ? VietQRService.BY_CARD_NUMBER : VietQRService.BY_ACCOUNT_NUMBER,
    }).build();
    const ours = buildVietQr(c);
    expect(ours).toBe(theirs);
    const read = new QRPay(ours);
    expect(read.isValid).toBe(true);
    expect(read.consumer.bankBin).toBe(c.bin);
    expect(read.consumer.bankNumber).toBe(c.accountNumber);
  });

  it("reads a code printed by a bank app the way it does", () => {
    // A static MBBank code with a lower-case checksum (vietnam-qr-pay's test vector).
    const printed = "00020101021138540010A00000072701240006970422011003523509170208QRIBFTTA53037045802VN630479db";
    expect(new QRPay(printed).isValid).toBe(true);
    expect(parseVietQr(printed)).toEqual({
      bin: "970422",
      accountNumber: "0352350917",
      kind: "account",
      dynamic: false,
      amountDong: null,
      memo: null,
    });
  });
});
