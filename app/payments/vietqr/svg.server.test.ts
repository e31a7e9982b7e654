import { describe, expect, it } from "vitest";
import { decodeQrSvg as decode } from "#tests/harness/qr";
import { buildVietQr } from "./payload";
import { vietQrSvg } from "./svg.server";

describe("vietQrSvg", () => {
  it("is a vector QR code that a camera reads back as the exact payload", async () => {
    const payload = buildVietQr({
      bin: "970405",
      accountNumber: "1500205123456",
      amountDong: 235000,
      memo: "DH000123",
    });
    const svg = await vietQrSvg(payload);
    expect(svg).toMatch(/^<svg[^>]+viewBox=/);
    expect(await decode(svg)).toBe(payload);
  });

  it("renders a static code too", async () => {
    const payload = buildVietQr({ bin: "970436", accountNumber: "0011001234567" });
    expect(await decode(await vietQrSvg(payload))).toBe(payload);
  });

  it("refuses to draw anything that is not a valid VietQR payload", async () => {
    await expect(vietQrSvg("https://example.com")).rejects.toMatchObject({ code: "payload" });
    const payload = buildVietQr({ bin: "970436", accountNumber: "0011001234567", amountDong: 150000 });
    await expect(vietQrSvg(payload.replace("150000", "950000"))).rejects.toMatchObject({ code: "checksum" });
  });
});
