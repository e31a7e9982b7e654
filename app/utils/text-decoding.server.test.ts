/**
 * The decoder shared by the bank-statement and roster imports: the three
 * encodings Vietnamese files come in, read to the same NFC text, and the old
 * TCVN3/VNI font encodings recognised (as bytes, and as the gibberish Excel
 * saves when it re-saves such a file as UTF-8) without mistaking ordinary
 * Vietnamese or English text for them.
 */
import { describe, expect, it } from "vitest";
import { decodeTextFile, legacyVietnameseScore, looksLikeLegacyVietnamese, parseCsv } from "./text-decoding.server";
import { asWindows1258, tcvn3, utf8, vni, windows1258 } from "#tests/fixtures/vietnamese-encodings";

const ROSTER = [
  "Họ và tên,Số điện thoại,Xã,Thôn",
  "Nguyễn Văn Thịnh,0912345601,Xã Thanh Hà,Thôn Phú Lương",
  "Đỗ Thị Hằng,0983456702,Xã Cẩm Giàng,Thôn Đức Chính",
  "Phạm Văn Hùng,0903567803,Phường Kinh Môn,Khu dân cư An Thủy",
  "Vũ Thị Lan,0974678904,Xã Ninh Giang,Phố Tuy An",
].join("\r\n");
const MAX = { maxBytes: 1024 * 1024 };

describe("decodeTextFile", () => {
  it.each([
    ["UTF-8", utf8(ROSTER), "utf-8"],
    ["UTF-8 with BOM", utf8(ROSTER, true), "utf-8"],
    ["Windows-1258", windows1258(ROSTER), "windows-1258"],
  ])("reads %s to the same NFC text", (_, bytes, encoding) => {
    const decoded = decodeTextFile(bytes, MAX);
    expect(decoded).toEqual({ ok: true, text: ROSTER.normalize("NFC"), encoding });
  });

  it("reads decomposed (NFD) UTF-8 as the composed letters", () => {
    const decoded = decodeTextFile(utf8(ROSTER.normalize("NFD")), MAX);
    expect(decoded.ok && decoded.text).toBe(ROSTER);
  });

  it.each([
    ["TCVN3", tcvn3(ROSTER)],
    ["VNI", vni(ROSTER)],
    ["TCVN3 re-saved by Excel as UTF-8", utf8(asWindows1258(tcvn3(ROSTER)))],
    ["VNI re-saved by Excel as UTF-8", utf8(asWindows1258(vni(ROSTER)), true)],
  ])("refuses %s as the old encodings", (_, bytes) => {
    expect(decodeTextFile(bytes, MAX)).toEqual({ ok: false, problem: "legacy_encoding" });
  });

  it("refuses even one legacy name among plain ASCII cells", () => {
    for (const encode of [tcvn3, vni]) {
      const bytes = encode("Ho ten,SDT,Xa\nNguyễn Văn Thịnh,0912345601,Thanh Hà\nTran Van B,0912345602,Thanh Ha\n");
      expect(decodeTextFile(bytes, MAX)).toEqual({ ok: false, problem: "legacy_encoding" });
    }
  });

  it("does not take ordinary text for the old encodings", () => {
    for (const text of [
      ROSTER,
      "Date,Amount,Description\n2026-01-05,25°C,Café Müller – “Tết” ©\n",
      "Khoá học,Thuý,Huế,Quý,khuya,tuân,muốn,thuở,tiên,yên,xoăn,thuê,kéo,áo,ngoài,Nguyễn Ánh ĐÀO",
      "Giá: 15.000 ₫/kg « Vải thiều » · 3½ tạ",
    ]) {
      expect(legacyVietnameseScore(text).suspicious, text).toBeLessThan(3);
      expect(looksLikeLegacyVietnamese(text)).toBe(false);
    }
  });

  it("tells spreadsheets, binaries, empty and oversized files apart", () => {
    expect(decodeTextFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2]), MAX)).toEqual({ ok: false, problem: "zip" });
    expect(decodeTextFile(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2]), MAX)).toEqual({ ok: false, problem: "ole2" });
    expect(decodeTextFile(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]), MAX)).toEqual({
      ok: false,
      problem: "not_text",
    });
    expect(decodeTextFile(new Uint8Array(), MAX)).toEqual({ ok: false, problem: "empty" });
    expect(decodeTextFile(utf8(ROSTER), { maxBytes: 10 })).toEqual({ ok: false, problem: "too_large" });
  });

  it("splits quoted CSV fields", () => {
    expect(parseCsv('a;"b;c";"say ""hi""\nthere"\r\nd;;e\n', ";")).toEqual([
      ["a", "b;c", 'say "hi"\nthere'],
      ["d", "", "e"],
    ]);
  });
});
