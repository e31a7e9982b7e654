/**
 * The guards, through the HTTP server as a browser, curl or an attacker
 * sees it: cross-site state changes, body kinds, body limits, unreadable
 * addresses, per-IP limits counted before the body is read.
 */
import fs from "node:fs";
import os from "node:os";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { rateLimits, stalls } from "#db/schema";
import { createFarmerWithStall, listingInput, makePhoto } from "#tests/fixtures/factories";
import { streamedPost, serveAppForThisFile } from "../../tests/http/server";
import { RATE_LIMITS } from "./rate-limits.server";
import { englishCookie, signedIn } from "#tests/harness/routes";
import { createListing } from "~/listings/listings.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";

const server = serveAppForThisFile();

const EVIL = "http://evil.example";
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM_TYPE = { "Content-Type": "application/x-www-form-urlencoded" };

/** A farmer with a published stall, signed in; the stall's VietQR account as it is. */
async function farmer() {
  const { user, stall } = await createFarmerWithStall(db);
  return { stall, cookie: await signedIn(user.id) };
}

const vietqrForm = form({
  cod: "on",
  "vietqr.enabled": "on",
  "vietqr.bankBin": "970436",
  "vietqr.accountNumber": "9999888877",
  "vietqr.accountName": "KE GIAN",
  intent: "save",
});

async function accountOf(stallId: string) {
  const [row] = await db
    .select({ account: stalls.bankAccountNumber, vietqr: stalls.vietqrEnabled })
    .from(stalls)
    .where(eq(stalls.id, stallId));
  return row;
}

describe("the cross-site check", () => {
  it("refuses a ?_data= POST from another origin with the farmer's cookie (403) and changes nothing", async () => {
    const { stall, cookie } = await farmer();
    const before = await accountOf(stall.id);
    const res = await server.fetch("/setup/payment?_data=routes%2Fsetup.payment", {
      method: "POST",
      headers: { ...FORM_TYPE, Cookie: cookie, Origin: EVIL },
      body: vietqrForm,
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Yêu cầu bị từ chối");
    expect(await accountOf(stall.id)).toEqual(before);
  });

  it("refuses document and .data POSTs from another origin with 403, not 500", async () => {
    const { stall, cookie } = await farmer();
    for (const path of ["/setup/payment", "/setup/payment.data"]) {
      const res = await server.fetch(path, {
        method: "POST",
        headers: { ...FORM_TYPE, Cookie: cookie, Origin: EVIL },
        body: vietqrForm,
      });
      expect(res.status, path).toBe(403);
    }
    expect((await accountOf(stall.id)).account).toBeNull();
  });

  it("believes Sec-Fetch-Site first: same-site and cross-site are refused even with a matching Origin", async () => {
    const { cookie } = await farmer();
    for (const site of ["same-site", "cross-site"]) {
      const res = await server.fetch("/setup/payment", {
        method: "POST",
        headers: { ...FORM_TYPE, Cookie: cookie, Origin: server.origin, "Sec-Fetch-Site": site },
        body: vietqrForm,
      });
      expect(res.status, site).toBe(403);
    }
  });

  it("falls back to the Referer when there is no Origin", async () => {
    const { stall, cookie } = await farmer();
    const evil = await server.fetch("/setup/payment", {
      method: "POST",
      headers: { ...FORM_TYPE, Cookie: cookie, Referer: `${EVIL}/page` },
      body: vietqrForm,
    });
    expect(evil.status).toBe(403);
    const ours = await server.fetch("/setup/payment", {
      method: "POST",
      headers: { ...FORM_TYPE, Cookie: cookie, Referer: `${server.origin}/setup/payment` },
      body: vietqrForm,
    });
    expect(ours.status).toBe(302);
    expect(await accountOf(stall.id)).toEqual({ account: "9999888877", vietqr: true });
  });

  it("lets the page's own POSTs through (same origin, or Sec-Fetch-Site: same-origin), and a request with none of the three headers (curl)", async () => {
    const variants: Record<string, string>[] = [{ Origin: server.origin }, { "Sec-Fetch-Site": "same-origin" }, {}];
    for (const headers of variants) {
      const { stall, cookie } = await farmer();
      const res = await server.fetch("/setup/payment", {
        method: "POST",
        headers: { ...FORM_TYPE, Cookie: cookie, ...headers },
        body: vietqrForm,
      });
      expect(res.status, JSON.stringify(headers)).toBe(302);
      expect((await accountOf(stall.id)).account).toBe("9999888877");
    }
  });

  it("answers in the reader's language", async () => {
    const res = await server.fetch("/logout", {
      method: "POST",
      headers: { ...FORM_TYPE, Origin: EVIL, Cookie: await englishCookie() },
      body: "",
    });
    expect(res.status).toBe(403);
    const page = await res.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain("Request refused");
  });

  it("leaves Stripe's signed webhook to its signature check", async () => {
    const res = await server.fetch("/payments/stripe/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: EVIL, "Stripe-Signature": "t=1,v1=forged" },
      body: JSON.stringify({ id: "evt_1", type: "checkout.session.completed" }),
    });
    expect(res.status).not.toBe(403);
  });

  describe("with PUBLIC_URL", () => {
    afterEach(() => {
      env().PUBLIC_URL = undefined;
    });

    it("checks against the public origin, not the Host header", async () => {
      const { cookie } = await farmer();
      env().PUBLIC_URL = "https://chonong.example.vn";
      const fromHost = await server.fetch("/setup/payment", {
        method: "POST",
        headers: { ...FORM_TYPE, Cookie: cookie, Origin: server.origin },
        body: vietqrForm,
      });
      expect(fromHost.status).toBe(403);
      const fromPublic = await server.fetch("/setup/payment", {
        method: "POST",
        headers: { ...FORM_TYPE, Cookie: cookie, Origin: "https://chonong.example.vn" },
        body: vietqrForm,
      });
      expect(fromPublic.status).toBe(302);
    });
  });
});

describe("body kinds", () => {
  it("answers JSON and plain text where a form is expected with 415", async () => {
    for (const [type, body] of [
      ["application/json", JSON.stringify({ phone: "0912345601", password: "x" })],
      ["text/plain", "phone=0912345601"],
    ]) {
      const res = await server.fetch("/login", { method: "POST", headers: { "Content-Type": type }, body });
      expect(res.status, type).toBe(415);
      expect(await res.text()).toContain("Không nhận kiểu dữ liệu này");
    }
  });

  it("answers a multipart form on a route that takes no files with 415", async () => {
    const body = new FormData();
    body.set("phone", "0912345601");
    const res = await server.fetch("/login", { method: "POST", body });
    expect(res.status).toBe(415);
  });

  it("answers multipart without a boundary, and multipart cut short, with 400 and leaves no temporary file", async () => {
    const { cookie } = await farmer();
    const before = uploadFolders();
    const noBoundary = await server.fetch("/seller/listings/new", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "multipart/form-data" },
      body: "--x\r\n",
    });
    expect(noBoundary.status).toBe(400);
    const cut = await server.fetch("/seller/listings/new", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "multipart/form-data; boundary=XyZ" },
      body: `--XyZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nVải\r\n--XyZ\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n${"x".repeat(5000)}`,
    });
    expect(cut.status).toBe(400);
    expect(await cut.text()).toContain("Dữ liệu gửi lên không hợp lệ");
    expect(uploadFolders()).toEqual(before);
  });
});

/** One file posted as the page's uploader does (JSON back) to a new listing of a new farmer. */
async function uploadPhoto(bytes: Uint8Array<ArrayBuffer>) {
  const { user, stall } = await createFarmerWithStall(db);
  const listing = await createListing(db, {
    stallId: stall.id,
    userId: user.id,
    input: listingInput(),
    photos: [await makePhoto(1)],
  });
  const body = new FormData();
  body.append("photos", new Blob([bytes], { type: "image/jpeg" }), "anh.jpg");
  return server.fetch(`/seller/listings/${listing.id}/photos`, {
    method: "POST",
    headers: { Cookie: await signedIn(user.id), Accept: "application/json" },
    body,
  });
}

/** Temporary upload folders (app/http/uploads.server.ts) now. */
function uploadFolders() {
  return fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith("ghs-upload-"));
}

describe("addresses and fields a database cannot hold", () => {
  it("answers a NUL in the path or the query, or a broken escape, with 400", async () => {
    for (const path of ["/search?q=%00", "/s/%00", "/s/vai%00", "/s/%E0%A4%A", "/search?q=v%C3%A1i%00"]) {
      const res = await server.fetch(path);
      expect(res.status, path).toBe(400);
    }
    expect((await server.fetch("/search?q=v%E1%BA%A3i")).status).toBe(200);
  });

  it("answers a NUL in a form field with 400 and changes nothing", async () => {
    const { stall, cookie } = await farmer();
    const res = await server.fetch("/setup/payment", {
      method: "POST",
      headers: { ...FORM_TYPE, Cookie: cookie },
      body: vietqrForm.replace("KE+GIAN", "KE%00GIAN"),
    });
    expect(res.status).toBe(400);
    expect((await accountOf(stall.id)).account).toBeNull();
  });
});

describe("body limits", () => {
  it("answers a 300 MB form POST to /login with 413 at once, before reading it, and ends the connection", async () => {
    const answer = await streamedPost(server.origin, "/login", { bodyBytes: 300 * 1024 * 1024 });
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe("close");
    expect(answer.body).toContain("Dữ liệu gửi lên quá lớn");
    expect(answer.sentBeforeAnswer).toBeLessThan(20 * 1024 * 1024);
  });

  it("counts a body without Content-Length as it arrives: 413 past the form limit", async () => {
    const answer = await streamedPost(server.origin, "/login", { bodyBytes: 50 * 1024 * 1024, chunked: true });
    expect(answer.status).toBe(413);
    expect(answer.sentBeforeAnswer).toBeLessThan(20 * 1024 * 1024);
  });

  it("takes a webhook up to 1 MB, not more", async () => {
    const answer = await streamedPost(server.origin, "/payments/stripe/webhook", {
      bodyBytes: 1536 * 1024,
      headers: { "Content-Type": "application/json" },
    });
    expect(answer.status).toBe(413);
  });

  it("refuses with 429 and Retry-After before reading the body once the IP is over its limit", async () => {
    const { limit } = RATE_LIMITS["login.ip"];
    await db
      .insert(rateLimits)
      .values({ key: "login.ip:127.0.0.1", count: limit, resetAt: sql`now() + interval '10 minutes'` })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: { count: limit, resetAt: sql`now() + interval '10 minutes'` },
      });
    try {
      const answer = await streamedPost(server.origin, "/login", { bodyBytes: 60 * 1024 });
      expect(answer.status).toBe(429);
      expect(Number(answer.headers["retry-after"])).toBeGreaterThan(500);
      expect(answer.headers.connection).toBe("close");
      expect(answer.body).toMatch(/Vui lòng đợi 1\d phút/);
    } finally {
      await db.delete(rateLimits).where(eq(rateLimits.key, "login.ip:127.0.0.1"));
    }
  });

  it("keeps the text of a photo form when one photo is over 15 MB, and deletes the temporary files", async () => {
    const { cookie } = await farmer();
    const before = uploadFolders();
    const body = new FormData();
    body.set("title", "Vải thiều Thanh Hà");
    body.append("photos", new Blob([new Uint8Array(16 * 1024 * 1024)], { type: "image/jpeg" }), "big.jpg");
    body.append("photos", new Blob([new Uint8Array(await makePhoto(1))], { type: "image/jpeg" }), "ok.jpg");
    const res = await server.fetch("/seller/listings/new", { method: "POST", headers: { Cookie: cookie }, body });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('value="Vải thiều Thanh Hà"');
    expect(page).toContain("15 MB");
    expect(uploadFolders()).toEqual(before);
  });

  it("stores an uploaded photo and leaves no temporary file behind", async () => {
    const before = uploadFolders();
    const res = await uploadPhoto(new Uint8Array(await makePhoto(2)));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, error: null });
    expect(uploadFolders()).toEqual(before);
  });

  it("answers the photo uploader's refusals with their status, not 200", async () => {
    const res = await uploadPhoto(new TextEncoder().encode("not a photo at all"));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: expect.any(String) });
  });
});

describe("what a route's loader or action says in its headers", () => {
  it("reaches the page: a cart is private and never stored", async () => {
    const res = await server.fetch("/cart");
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
  });
});

describe("every 429", () => {
  /** Puts the counter of `key` at its limit, as if the limit had been reached a minute ago. */
  async function atLimit(key: string, limit: number) {
    await db
      .insert(rateLimits)
      .values({ key, count: limit, resetAt: sql`now() + interval '59 minutes'` })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: { count: limit, resetAt: sql`now() + interval '59 minutes'` },
      });
  }

  it("carries Retry-After, the bank statement import's too", async () => {
    const { stall, cookie } = await farmer();
    await atLimit(`statementImport.stall:${stall.id}`, RATE_LIMITS["statementImport.stall"].limit);
    const body = new FormData();
    body.append("statement", new Blob(["Ngày,Số tiền,Nội dung\n"], { type: "text/csv" }), "sao-ke.csv");
    const res = await server.fetch("/seller/payments/import", { method: "POST", headers: { Cookie: cookie }, body });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(3000);
  });
});
