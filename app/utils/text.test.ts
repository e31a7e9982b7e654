import { describe, expect, it } from "vitest";
import { foldVietnamese } from "./text";

describe("foldVietnamese", () => {
  it("drops tones and vowel marks, maps đ, and lowercases", () => {
    expect(foldVietnamese("Vải thiều Thanh Hà")).toBe("vai thieu thanh ha");
    expect(foldVietnamese("Đức ĐẶNG đỗ")).toBe("duc dang do");
    expect(foldVietnamese("Rau muống Đà Lạt ươi ữ ỷ ặ")).toBe("rau muong da lat uoi u y a");
  });

  it("treats composed and decomposed input alike", () => {
    expect(foldVietnamese("Cẩm Giàng".normalize("NFD"))).toBe(foldVietnamese("Cẩm Giàng".normalize("NFC")));
    expect(foldVietnamese("Cẩm Giàng")).toBe(foldVietnamese("Cẩm Giang"));
  });

  it("leaves plain ASCII as lowercase ASCII", () => {
    expect(foldVietnamese("ABC xyz 123-_")).toBe("abc xyz 123-_");
  });
});
