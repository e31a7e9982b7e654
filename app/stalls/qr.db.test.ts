import { describe, expect, it } from "vitest";
import { decodeQrSvg as decode } from "#tests/harness/qr";
import { loader as posterLoader } from "~/routes/s.$stallSlug_.poster";
import { loader } from "~/routes/s.$stallSlug_.qr[.]svg";
import { db } from "~/utils/db.server";
import { createFarmerWithStall } from "#tests/fixtures/factories";

const load = (slug: string, origin = "http://localhost") =>
  loader({ request: new Request(`${origin}/s/${slug}/qr.svg`), params: { stallSlug: slug }, context: {} });

describe("/s/:stallSlug/qr.svg", () => {
  it("is a vector QR code that decodes to the stall's URL", async () => {
    const { stall } = await createFarmerWithStall(db);
    const res = await load(stall.slug, "https://gianhangso.example");
    expect(res.headers.get("Content-Type")).toBe("image/svg+xml; charset=utf-8");
    const svg = await res.text();
    expect(svg).toMatch(/^<svg[^>]+viewBox=/);
    expect(await decode(svg)).toBe(`https://gianhangso.example/s/${stall.slug}`);
  });

  it("answers 404 for an unknown or unpublished stall", async () => {
    const { stall } = await createFarmerWithStall(db, { stall: { status: "draft" } });
    await expect(load(stall.slug)).rejects.toMatchObject({ status: 404 });
    await expect(load("khong-co-gian-hang")).rejects.toMatchObject({ status: 404 });
  });
});

describe("/s/:stallSlug/poster", () => {
  it("carries the stall, its QR code and up to three products with photos and prices", async () => {
    const { seedDemo } = await import("#db/seed/demo");
    await seedDemo(db);
    const data = await posterLoader({
      request: new Request("http://localhost/s/vai-thieu-bac-thinh/poster?size=a5"),
      params: { stallSlug: "vai-thieu-bac-thinh" },
      context: {},
    });
    expect(data.stall.name).toBe("Vườn vải thiều bác Thịnh");
    expect(data.size).toBe("a5");
    expect(await decode(data.qr)).toBe("http://localhost/s/vai-thieu-bac-thinh");
    expect(data.products.length).toBe(3);
    for (const p of data.products) {
      expect(p.cover).not.toBeNull();
      expect(p.priceDong).toBeGreaterThan(0);
    }
  });
});
