import { describe, expect, it } from "vitest";
import type { PhotoRef } from "~/media/Picture";
import { clip, socialImage, socialMeta } from "./seo";

const site = { origin: "https://gianhangso.vn", mediaBaseUrl: "/media" };
const photo: PhotoRef = {
  hash: "5".repeat(64),
  width: 1600,
  height: 1200,
  widths: [320, 640, 1280],
  dominantColor: "#6a8f3c",
  placeholder: "",
};

describe("socialMeta", () => {
  it("gives Zalo and Facebook an absolute og:image with its size, a canonical link and the JSON-LD", () => {
    const image = socialImage(photo, site, "Vải thiều");
    expect(image).toEqual({
      url: `https://gianhangso.vn/media/photos/${"5".repeat(64)}/1280.jpg`,
      width: 1280,
      height: 960,
      alt: "Vải thiều",
    });
    const ld = { "@context": "https://schema.org", "@type": "Store", name: "Vườn vải" };
    const tags = socialMeta(
      {
        title: "Vườn vải",
        description: "Vải thiều",
        url: "https://gianhangso.vn/s/vai-thieu-bac-thinh",
        type: "website",
        language: "vi",
        image,
      },
      [ld],
    );
    const content = (property: string) =>
      (tags.find((t) => "property" in t && t.property === property) as { content?: string } | undefined)?.content ??
      null;
    expect(content("og:image")).toBe(image.url);
    expect(content("og:image:width")).toBe("1280");
    expect(content("og:type")).toBe("website");
    expect(content("og:locale")).toBe("vi_VN");
    expect(content("og:url")).toBe("https://gianhangso.vn/s/vai-thieu-bac-thinh");
    expect(tags).toContainEqual({ name: "twitter:card", content: "summary_large_image" });
    expect(tags).toContainEqual({
      tagName: "link",
      rel: "canonical",
      href: "https://gianhangso.vn/s/vai-thieu-bac-thinh",
    });
    expect(tags).toContainEqual({ "script:ld+json": ld });
  });

  it("falls back to a small card without a photo", () => {
    const tags = socialMeta({
      title: "x",
      description: "y",
      url: "https://a.vn/",
      type: "product",
      language: "en",
      image: null,
    });
    expect(tags).toContainEqual({ name: "twitter:card", content: "summary" });
    expect(tags).toContainEqual({ property: "og:locale", content: "en_US" });
    expect(tags.some((t) => "property" in t && t.property === "og:image")).toBe(false);
  });
});

describe("clip", () => {
  it("keeps short text, joins lines and cuts long text at a word", () => {
    expect(clip("Vải thiều\n\nchín cây")).toBe("Vải thiều chín cây");
    const long = "Vải thiều Thanh Hà chín cây, hái buổi sáng, giao trong ngày. ".repeat(5);
    const cut = clip(long, 60);
    expect(cut.length).toBeLessThanOrEqual(60);
    expect(cut.endsWith("…")).toBe(true);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
    expect(cut).not.toMatch(/[\s,]…$/);
  });
});
