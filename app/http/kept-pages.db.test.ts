/**
 * Public pages kept whole for anonymous visitors (kept-pages.server.ts): which
 * requests and answers may be kept, that a kept page goes as soon as the
 * database changes, and, through the real server, that visitors with a cookie
 * never get one and every visit carries its own CSP nonce.
 */
import zlib from "node:zlib";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../tests/http/server";
import { chooseEncoding, isKeptPath, KeptPages } from "./kept-pages.server";
import { stalls } from "#db/schema";
import { createFarmerWithStall, type FarmerWithStall } from "#tests/fixtures/factories";
import { db } from "~/utils/db.server";

const request = (path: string, headers: Record<string, string> = {}, method = "GET") => ({
  method,
  path,
  headers: { "accept-language": "vi-VN,vi;q=0.9", ...headers },
});

const html = (body: string, headers: Record<string, string> = {}, status = 200) =>
  new Response(body, { status, headers: { "Content-Type": "text/html; charset=utf-8", ...headers } });

/** Pages kept against a write count the test moves by hand. */
function pagesWithCounter(start = 1) {
  const counter = { writes: start as number | null };
  const pages = new KeptPages({ writeCount: () => counter.writes, today: () => "2026-12-07" });
  return { pages, counter };
}

describe("which pages may be kept", () => {
  it("are the public pages a buyer browses", () => {
    for (const path of ["/", "/search", "/s/vai-thieu-bac-thinh", "/s/vai-thieu-bac-thinh/vai-u", "/s/x/poster"])
      expect(isKeptPath(path), path).toBe(true);
    for (const path of ["/cart", "/checkout", "/login", "/signup", "/orders/ABCD2345", "/s", "/s/a/b/c", "/seller"])
      expect(isKeptPath(path), path).toBe(false);
  });

  it("for anonymous GETs only, keyed by day, language and address", () => {
    const { pages } = pagesWithCounter();
    const url = "http://localhost/s/vuon";
    expect(pages.keyFor(request("/s/vuon"), url)).toBe(`2026-12-07 vi-VN,vi;q=0.9 ${url}`);
    expect(pages.keyFor(request("/s/vuon", { cookie: "ghs_cart=x" }), url)).toBeNull();
    expect(pages.keyFor(request("/s/vuon", { authorization: "Basic eDp5" }), url)).toBeNull();
    expect(pages.keyFor(request("/s/vuon", {}, "POST"), url)).toBeNull();
    expect(pages.keyFor(request("/s/vuon", {}, "HEAD"), url)).toBeNull();
    expect(pages.keyFor(request("/cart"), "http://localhost/cart")).toBeNull();
  });

  it("and only answers that are the same for every anonymous visitor", () => {
    const { pages } = pagesWithCounter();
    const keep = (response: Response) => pages.keep("k", 1, response, Buffer.from("<p>x</p>"), "n0nce");
    expect(keep(html("<p>x</p>", {}, 404))).toBe(false);
    expect(keep(html("<p>x</p>", { "Set-Cookie": "a=b" }))).toBe(false);
    expect(keep(html("<p>x</p>", { "Cache-Control": "private, no-store" }))).toBe(false);
    expect(keep(new Response("{}", { headers: { "Content-Type": "application/json" } }))).toBe(false);
    expect(pages.size).toBe(0);
    expect(keep(html("<p>x</p>"))).toBe(true);
    expect(pages.size).toBe(1);
  });

  it("never on a database other app servers write to (no write count)", () => {
    const { pages, counter } = pagesWithCounter();
    counter.writes = null;
    expect(pages.keep("k", null, html("<p>x</p>"), Buffer.from("<p>x</p>"), "")).toBe(false);
  });
});

describe("a kept page", () => {
  it("is dropped once the database changes, and not kept if it changed while the page was rendered", () => {
    const { pages, counter } = pagesWithCounter(5);
    expect(pages.keep("k", 5, html("a"), Buffer.from("a"), "")).toBe(true);
    expect(pages.lookup("k")?.bodies.identity.toString()).toBe("a");
    counter.writes = 6;
    expect(pages.lookup("k")).toBeUndefined();
    expect(pages.size).toBe(0);
    // Rendered from count 6, but a write happened before it was done.
    counter.writes = 7;
    expect(pages.keep("k", 6, html("b"), Buffer.from("b"), "")).toBe(false);
  });

  it("goes in brotli or gzip as the visitor accepts, compressed once", () => {
    const { pages } = pagesWithCounter();
    const body = Buffer.from(`<!DOCTYPE html><p>${"vải thiều ".repeat(500)}</p>`);
    pages.keep("k", 1, html(""), body, "");
    const page = pages.lookup("k")!;
    const br = pages.body("k", page, chooseEncoding("gzip, deflate, br, zstd"));
    expect(zlib.brotliDecompressSync(br).equals(body)).toBe(true);
    expect(pages.body("k", page, "br")).toBe(br);
    expect(zlib.gunzipSync(pages.body("k", page, chooseEncoding("gzip, deflate"))).equals(body)).toBe(true);
    expect(chooseEncoding("br;q=0, gzip")).toBe("gzip");
    expect(chooseEncoding(undefined)).toBe("identity");
    expect(chooseEncoding("*")).toBe("br");
  });

  it("with nonces on its scripts gets each visit's own nonce in place of the one it was rendered with", () => {
    const { pages } = pagesWithCounter();
    const body = Buffer.from('<script nonce="AAAA+/==">1</script><p>Vườn</p><script nonce="AAAA+/==">2</script>');
    pages.keep("k", 1, html(""), body, "AAAA+/==");
    const page = pages.lookup("k")!;
    expect(page.nonce).toBe("AAAA+/==");
    expect(pages.withNonce(page, "BBBB").toString()).toBe(
      '<script nonce="BBBB">1</script><p>Vườn</p><script nonce="BBBB">2</script>',
    );
  });

  it("makes room by dropping the least recently used pages", () => {
    const pages = new KeptPages({ writeCount: () => 1, today: () => "2026-12-07", maxBytes: 250 });
    for (const key of ["a", "b"]) pages.keep(key, 1, html(""), Buffer.alloc(100, key), "");
    pages.lookup("a");
    pages.keep("c", 1, html(""), Buffer.alloc(100, "c"), "");
    expect(pages.lookup("b")).toBeUndefined();
    expect(pages.lookup("a")).toBeDefined();
    expect(pages.lookup("c")).toBeDefined();
  });
});

describe("the stall page through the server", () => {
  let farmer: FarmerWithStall;
  let server: TestServer;
  const counter = { writes: 1 };
  // A write count that moves only when the test says: a kept page stays kept whatever the database does.
  const pages = new KeptPages({ writeCount: () => counter.writes });

  beforeAll(async () => {
    farmer = await createFarmerWithStall(db, { stall: { name: "Vườn nhãn đầu tiên" } });
    server = await startTestServer({ keptPages: pages });
  });
  afterAll(() => server?.close());

  const nonces = async (response: Response) => {
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    const body = await response.text();
    return {
      body,
      header: /'nonce-([^']+)'/.exec(csp)?.[1],
      inPage: [...body.matchAll(/<script[^>]*\bnonce="([^"]+)"/g)].map((m) => m[1]),
    };
  };

  it("is kept for anonymous visitors, each visit with its own nonce, and rendered for a visitor with a cookie", async () => {
    const path = `/s/${farmer.stall.slug}`;
    const first = await nonces(await server.fetch(path));
    expect(first.body).toContain("Vườn nhãn đầu tiên");
    expect(pages.size).toBe(1);

    await db.update(stalls).set({ name: "Vườn nhãn đổi tên" }).where(eq(stalls.id, farmer.stall.id));
    const kept = await server.fetch(path);
    expect(kept.status).toBe(200);
    const second = await nonces(kept);
    // The kept page: the name it was rendered with (the test's write count did not move).
    expect(second.body).toContain("Vườn nhãn đầu tiên");
    expect(second.header).toBeDefined();
    expect(second.header).not.toBe(first.header);
    for (const nonce of second.inPage) expect(nonce).toBe(second.header);
    expect(second.body.replaceAll(second.header!, "N")).toBe(first.body.replaceAll(first.header!, "N"));

    const withCookie = await server.fetch(path, { headers: { cookie: "ghs_cart=abc" } });
    expect(await withCookie.text()).toContain("Vườn nhãn đổi tên");

    counter.writes++;
    expect(await (await server.fetch(path)).text()).toContain("Vườn nhãn đổi tên");
  });
});

describe("with the real write count", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("a change to the stall shows on the next visit", async () => {
    const { stall } = await createFarmerWithStall(db, { stall: { name: "Vườn ổi cũ" } });
    const path = `/s/${stall.slug}`;
    expect(await (await server.fetch(path)).text()).toContain("Vườn ổi cũ");
    expect(await (await server.fetch(path)).text()).toContain("Vườn ổi cũ");
    await db.update(stalls).set({ name: "Vườn ổi mới" }).where(eq(stalls.id, stall.id));
    expect(await (await server.fetch(path)).text()).toContain("Vườn ổi mới");
  });
});
