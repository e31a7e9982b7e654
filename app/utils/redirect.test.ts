import { describe, expect, it } from "vitest";
import { safeRedirect } from "./redirect";

describe("safeRedirect", () => {
  it.each(["/", "/account", "/s/vai-thieu-thanh-ha?tab=1#top", "/search?q=v%E1%BA%A3i", "/a/b/../c"])(
    "keeps the same-site path %j",
    (to) => {
      expect(safeRedirect(to)).toBe(to);
    },
  );

  it.each([
    "//evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " /account",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "data:text/html,hi",
    "evil.example",
    "account",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "",
    "/" + "a".repeat(3000),
  ])("refuses %j", (to) => {
    expect(safeRedirect(to)).toBe("/");
  });

  it("uses the fallback for missing values and non-strings", () => {
    expect(safeRedirect(null)).toBe("/");
    expect(safeRedirect(undefined, "/account")).toBe("/account");
    expect(safeRedirect("//evil.example", "/account")).toBe("/account");
    expect(safeRedirect(new File(["x"], "x.txt"), "/account")).toBe("/account");
  });
});
