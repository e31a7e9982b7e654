/**
 * What the production server build carries (build/index.js, built by the
 * global setup): not the demo. Its seed and drawings (db/seed, ~150 KB) are
 * the seed script's, and the server never seeds (ADR 018).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/app-process";

describe("the server build", () => {
  const build = fs.readFileSync(path.join(ROOT, "build/index.js"), "utf8");

  it("holds no demo seed and no product drawings", () => {
    expect(build).not.toContain("db/seed/");
    expect(build).not.toContain("renderProductArt");
    // An alt text of one drawing (db/seed/product-art.ts).
    expect(build).not.toContain("Những chùm vải thiều chín đỏ kèm lá, bày trên mẹt tre");
    expect(build).not.toContain("nongsan2026");
  });
});
