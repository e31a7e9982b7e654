import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MediaBaseUrlProvider, Picture, photoUrls, type PhotoRef } from "./Picture";

const hash = "ab".repeat(32);
const photo: PhotoRef = {
  hash,
  width: 1200,
  height: 1600,
  widths: [320, 640, 1200],
  dominantColor: "#6a8f3c",
  placeholder: "data:image/webp;base64,UklGRkAAAABXRUJQVlA4IDQAAAB=",
};

const decode = (value: string) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The server-rendered tags, with their attributes (React's markup is regular enough for a regex). */
function render(element: React.ReactElement) {
  const html = renderToString(element);
  const tags = [...html.matchAll(/<(\w+)((?:\s+[\w-]+="[^"]*")*)\s*\/?>/g)].map(([, name, attrs]) => ({
    name,
    attrs: Object.fromEntries([...attrs.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, k, v]) => [k, decode(v)])),
  }));
  return {
    html,
    tags,
    one: (name: string) => tags.find((t) => t.name === name)!.attrs,
    all: (name: string) => tags.filter((t) => t.name === name).map((t) => t.attrs),
  };
}

describe("photoUrls", () => {
  it("builds /media URLs from the content hash, per width and format", () => {
    const urls = photoUrls(photo);
    expect(urls.srcSet.avif).toBe(
      `/media/photos/${hash}/320.avif 320w, /media/photos/${hash}/640.avif 640w, /media/photos/${hash}/1200.avif 1200w`,
    );
    expect(urls.srcSet.jpg).toContain(`/media/photos/${hash}/1200.jpg 1200w`);
    expect(urls.src).toBe(`/media/photos/${hash}/640.jpg`);
    expect(urls.largestJpeg).toBe(`/media/photos/${hash}/1200.jpg`);
  });

  it("uses the bucket's public URL when given, and the widest width under 640 px for src", () => {
    const urls = photoUrls({ hash, widths: [320, 500] }, "https://cdn.example.vn/ghs/");
    expect(urls.src).toBe(`https://cdn.example.vn/ghs/photos/${hash}/500.jpg`);
    expect(urls.url(320, "webp")).toBe(`https://cdn.example.vn/ghs/photos/${hash}/320.webp`);
    expect(photoUrls({ hash, widths: [250] }).src).toBe(`/media/photos/${hash}/250.jpg`);
  });
});

describe("<Picture>", () => {
  it("offers AVIF, then WebP, then a JPEG img with srcset, sizes, dimensions and a placeholder", () => {
    const page = render(<Picture photo={photo} alt="Vải thiều chín đỏ" />);
    expect(page.tags.map((t) => t.name)).toEqual(["picture", "source", "source", "img"]);
    const sources = page.all("source");
    expect(sources.map((s) => s.type)).toEqual(["image/avif", "image/webp"]);
    expect(sources[0].srcSet).toBe(photoUrls(photo).srcSet.avif);
    expect(sources[1].srcSet).toBe(photoUrls(photo).srcSet.webp);
    for (const source of sources) expect(source.sizes).toBe("(min-width: 600px) 50vw, 100vw");

    const img = page.one("img");
    expect(img).toMatchObject({
      src: `/media/photos/${hash}/640.jpg`,
      srcSet: photoUrls(photo).srcSet.jpg,
      sizes: "(min-width: 600px) 50vw, 100vw",
      width: "1200",
      height: "1600",
      alt: "Vải thiều chín đỏ",
      loading: "lazy",
      decoding: "async",
    });
    expect(img.style).toContain("background-color:#6a8f3c");
    expect(img.style).toContain(`background-image:url("${photo.placeholder}")`);
    expect(img.fetchpriority).toBeUndefined();
  });

  it("passes sizes, loading, fetch priority (lower case, for React 18) and class through", () => {
    const page = render(
      <Picture photo={photo} alt="" sizes="72px" loading="eager" fetchPriority="high" className="thumb" />,
    );
    expect(page.one("img")).toMatchObject({
      sizes: "72px",
      loading: "eager",
      fetchpriority: "high",
      class: "thumb",
      alt: "",
    });
    expect(page.one("source").sizes).toBe("72px");
  });

  it("takes the base URL from MediaBaseUrlProvider", () => {
    const page = render(
      <MediaBaseUrlProvider baseUrl="https://cdn.example.vn">
        <Picture photo={photo} alt="Ảnh" />
      </MediaBaseUrlProvider>,
    );
    expect(page.one("img").src).toBe(`https://cdn.example.vn/photos/${hash}/640.jpg`);
  });

  it("leaves out a colour or placeholder that is not what the pipeline makes", () => {
    const page = render(
      <Picture
        photo={{ ...photo, dominantColor: "red;position:fixed", placeholder: 'x") ; background:url("evil' }}
        alt=""
      />,
    );
    expect(page.one("img").style).toBe("background-size:cover;background-position:center");
  });
});
