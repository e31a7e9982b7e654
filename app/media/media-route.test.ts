import fs from "node:fs";
import path from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import * as mediaRoute from "~/routes/media.$";
import { processPhoto, type ProcessedPhoto } from "./photos.server";
import { storage } from "./storage.server";
import { markedJpeg } from "#tests/fixtures/images";

// The route reads the configured storage: DATA_DIR/media, where DATA_DIR is the
// folder tests/setup/database.ts gives this test file.
const dataDir = process.env.DATA_DIR!;

/**
 * Requests go through Remix's own request handler with a two-route build (a
 * root and this route), so URL parsing, splat params and decoding are the real ones.
 */
const handle = createRequestHandler(
  {
    mode: "production",
    entry: {
      module: {
        // Only requests that match no route get here: an empty 404 page.
        default: (_request: Request, status: number) => new Response("no such page", { status }),
        handleError: () => {},
      },
    },
    routes: {
      root: { id: "root", path: "", module: { default: () => null } },
      "routes/media.$": { id: "routes/media.$", parentId: "root", path: "media/*", module: mediaRoute },
    },
    assets: { entry: { imports: [], module: "" }, routes: {}, url: "", version: "test" },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: { v3_singleFetch: true },
    isSpaMode: false,
  } as unknown as ServerBuild,
  "production",
);

const get = (pathname: string, init?: RequestInit) => handle(new Request(`http://localhost${pathname}`, init));

let photo: ProcessedPhoto;

beforeAll(async () => {
  expect(dataDir).toContain("ghs-test-");
  photo = await processPhoto(await markedJpeg({ width: 900, height: 600 }));
  for (const v of photo.variants) await storage().put(v.key, v.body, v.contentType);
});

describe("/media/*", () => {
  it("serves a stored variant from DATA_DIR/media with its type, a year of caching and an ETag", async () => {
    expect(fs.existsSync(path.join(dataDir, "media", "photos", photo.hash, "640.webp"))).toBe(true);
    for (const variant of photo.variants) {
      const res = await get(`/media/${variant.key}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toBe(variant.contentType);
      expect(res.headers.get("Content-Length")).toBe(String(variant.body.length));
      expect(res.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("ETag")).toBe(`"${photo.hash}-${variant.width}.${variant.format}"`);
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), variant.body)).toBe(0);
    }
  });

  it("answers HEAD with the headers and no body", async () => {
    const res = await get(`/media/photos/${photo.hash}/320.jpg`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/jpeg");
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it("answers 304 when the browser already has it", async () => {
    const url = `/media/photos/${photo.hash}/640.avif`;
    const etag = (await get(url)).headers.get("ETag")!;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const res = await get(url, { headers: { "If-None-Match": ifNoneMatch } });
      expect(res.status, ifNoneMatch).toBe(304);
      expect(res.headers.get("ETag")).toBe(etag);
      expect(res.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
      expect(await res.text()).toBe("");
    }
    expect((await get(url, { headers: { "If-None-Match": '"something-else"' } })).status).toBe(200);
  });

  it("answers 404 for a well-formed key that is not stored, even with If-None-Match", async () => {
    const unknown = `/media/photos/${"0".repeat(64)}/640.webp`;
    expect((await get(unknown)).status).toBe(404);
    expect((await get(unknown, { headers: { "If-None-Match": "*" } })).status).toBe(404);
    // Stored widths only: this photo has no 1280 px variant.
    expect((await get(`/media/photos/${photo.hash}/1280.webp`)).status).toBe(404);
  });

  it("answers 404 to anything that is not a photo key, however encoded", async () => {
    fs.writeFileSync(path.join(dataDir, "secret.txt"), "do not serve");
    fs.writeFileSync(path.join(dataDir, "media", "notes.txt"), "do not serve either");
    const attempts = [
      "/media/../secret.txt",
      "/media/%2e%2e/secret.txt",
      "/media/%2E%2E/%2E%2E/etc/passwd",
      "/media/..%2fsecret.txt",
      "/media/..%2F..%2Fetc%2Fpasswd",
      "/media/photos%2F..%2F..%2Fsecret.txt",
      `/media/photos/${photo.hash}/..%2F..%2F..%2Fsecret.txt`,
      `/media/photos/${photo.hash}/../../notes.txt`,
      "/media/notes.txt",
      "/media/%2Fetc%2Fpasswd",
      "/media//etc/passwd",
      `/media/photos/${photo.hash}/640.webp%00.txt`,
      `/media/photos/${photo.hash.toUpperCase()}/640.webp`,
      `/media/photos/${photo.hash}/640.png`,
      `/media/photos/${photo.hash}/0640.webp`,
      `/media/photos/${photo.hash}/99999.webp`,
      `/media/photos/${photo.hash}/.640.webp.tmp`,
      `/media/photos/${photo.hash}/640.webp/`,
      "/media/",
    ];
    for (const attempt of attempts) {
      const res = await get(attempt);
      expect(res.status, attempt).toBe(404);
      expect(await res.text(), attempt).not.toMatch(/do not serve/);
    }
  });
});
