/**
 * The response headers, as a browser receives them from the server: the
 * Content-Security-Policy and its nonce on every inline script, and the
 * headers that depend on the deployment (HTTPS, S3, payment providers).
 */
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../tests/http/server";
import { createFarmerWithStall, makePhoto } from "#tests/fixtures/factories";
import { signedIn } from "#tests/harness/routes";
import { storePhoto } from "~/media/photos.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";

/** A server made with the environment as it is now (the headers are configured at start). */
async function withServer<T>(run: (server: TestServer) => Promise<T>): Promise<T> {
  const server = await startTestServer();
  try {
    return await run(server);
  } finally {
    await server.close();
  }
}

function directives(csp: string | null): Map<string, string[]> {
  return new Map(
    (csp ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  );
}

const saved = { ...env() };
afterEach(() => {
  Object.assign(env(), saved);
});

/** The attributes of each inline script a browser would run. */
function executableInline(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)]
    .map((m) => m[1]!)
    .filter((attrs) => !/type="application\/(ld\+)?json"/.test(attrs));
}

describe("a page's headers", () => {
  it("carry a CSP whose fresh nonce is on every inline script, with no 'strict-dynamic' and no framing", async () => {
    await withServer(async (server) => {
      const [first, second] = [await server.fetch("/"), await server.fetch("/")];
      const csp = directives(first.headers.get("Content-Security-Policy"));
      const nonce = csp.get("script-src")?.find((v) => v.startsWith("'nonce-"));
      expect(nonce).toMatch(/^'nonce-[A-Za-z0-9+/=]{20,}'$/);
      expect(directives(second.headers.get("Content-Security-Policy")).get("script-src")).not.toContain(nonce);
      expect(csp.get("script-src")).not.toContain("'strict-dynamic'");
      expect(csp.get("script-src")).not.toContain("'unsafe-inline'");
      expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
      expect(csp.get("worker-src")).toEqual(["'self'"]);
      expect(csp.get("style-src")).toEqual(["'self'"]);
      expect(csp.get("style-src-attr")).toEqual(["'unsafe-inline'"]);
      expect(csp.get("img-src")).toEqual(["'self'", "data:", "blob:"]);
      expect(csp.has("upgrade-insecure-requests")).toBe(false);

      // A public page runs nothing inline (ADR 022); a hydrated one carries this response's nonce on each.
      expect(executableInline(await first.text())).toEqual([]);
      const farmer = await createFarmerWithStall(db);
      const seller = await server.fetch("/seller", { headers: { cookie: await signedIn(farmer.user.id) } });
      expect(seller.status).toBe(200);
      const sellerNonce = directives(seller.headers.get("Content-Security-Policy"))
        .get("script-src")
        ?.find((v) => v.startsWith("'nonce-"));
      const executable = executableInline(await seller.text());
      expect(executable.length).toBeGreaterThan(0);
      for (const attrs of executable) expect(attrs).toContain(`nonce="${sellerNonce!.slice(7, -1)}"`);

      expect(first.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
      expect(first.headers.get("Permissions-Policy")).toContain("camera=()");
      expect(first.headers.get("X-Frame-Options")).toBe("DENY");
      expect(first.headers.get("X-Content-Type-Options")).toBe("nosniff");
      // Plain HTTP: no HSTS, or a LAN server would lock browsers out.
      expect(first.headers.get("Strict-Transport-Security")).toBeNull();
    });
  });

  it("let forms go to the VNPay and Stripe pages a no-JavaScript checkout is sent to, and photos come from S3", async () => {
    Object.assign(env(), {
      VNPAY_TMN_CODE: "GHSTEST1",
      VNPAY_HASH_SECRET: "secret",
      VNPAY_PAY_URL: "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
      STRIPE_SECRET_KEY: "sk_test_x",
      STRIPE_WEBHOOK_SECRET: "whsec_x",
      S3_PUBLIC_URL: "https://anh.chonong.example.vn/photos",
    });
    await withServer(async (server) => {
      const csp = directives((await server.fetch("/")).headers.get("Content-Security-Policy"));
      expect(csp.get("form-action")).toEqual([
        "'self'",
        "https://sandbox.vnpayment.vn",
        "https://checkout.stripe.com",
        "https://connect.stripe.com",
      ]);
      expect(csp.get("img-src")).toContain("https://anh.chonong.example.vn");
    });
  });

  it("ask for HTTPS only where the deployment is on it: upgrade-insecure-requests with Secure cookies, HSTS over HTTPS", async () => {
    Object.assign(env(), { COOKIE_SECURE: true, TRUST_PROXY: 1 });
    await withServer(async (server) => {
      const overHttps = await server.fetch("/", { headers: { "X-Forwarded-Proto": "https" } });
      expect(directives(overHttps.headers.get("Content-Security-Policy")).has("upgrade-insecure-requests")).toBe(true);
      expect(overHttps.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d{7,}/);
      const overHttp = await server.fetch("/");
      expect(overHttp.headers.get("Strict-Transport-Security")).toBeNull();
    });
  });

  it("let other sites show photos and QR codes, not pages", async () => {
    await withServer(async (server) => {
      expect((await server.fetch("/")).headers.get("Cross-Origin-Resource-Policy")).toBe("same-origin");
      expect((await server.fetch("/media/nothing.jpg")).headers.get("Cross-Origin-Resource-Policy")).toBe(
        "cross-origin",
      );
    });
  });

  it("on photos, keep to what applies to a photo: no document policies", async () => {
    const photo = await storePhoto(db, await makePhoto(7));
    await withServer(async (server) => {
      const answer = await server.fetch(`/media/photos/${photo.hash}/320.webp`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("Content-Type")).toBe("image/webp");
      expect(answer.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(answer.headers.get("Cross-Origin-Resource-Policy")).toBe("cross-origin");
      expect(answer.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
      for (const name of ["Content-Security-Policy", "Permissions-Policy", "X-Frame-Options", "X-XSS-Protection"])
        expect(answer.headers.get(name), name).toBeNull();
      // An SVG can be a document: it keeps them all.
      const svg = await server.fetch("/favicon.svg");
      expect(svg.headers.get("Content-Type")).toMatch(/^image\/svg\+xml/);
      expect(svg.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    });
  });

  it("go on refusals too", async () => {
    await withServer(async (server) => {
      const refused = await server.fetch("/s/%00");
      expect(refused.status).toBe(400);
      expect(refused.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
      expect(refused.headers.get("Cache-Control")).toBe("no-store");
    });
  });
});
