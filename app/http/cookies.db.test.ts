/**
 * The language and toast cookies as a browser gets them, through the real
 * HTTP server: Secure when the deployment says cookies are (COOKIE_SECURE,
 * like the session cookie), and a toast shown only when we signed it — one
 * made up by someone else, signed with another secret or changed is ignored.
 */
import { createCookie } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { serveAppForThisFile } from "../../tests/http/server";
import { createSellingStall } from "#tests/fixtures/orders";
import { signedIn } from "#tests/harness/routes";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { redirectWithToast, type Toast } from "~/utils/toast.server";

const server = serveAppForThisFile();

const farm = await createSellingStall(db, { name: "Vải thiều Bác Thịnh" });
const asFarmer = await signedIn(farm.user.id);

/** Runs `fn` with COOKIE_SECURE as given (the env is read once and cached: this is the value every cookie sees). */
async function withSecureCookies<T>(secure: boolean, fn: () => Promise<T>): Promise<T> {
  const before = env().COOKIE_SECURE;
  env().COOKIE_SECURE = secure;
  try {
    return await fn();
  } finally {
    env().COOKIE_SECURE = before;
  }
}

const cookieNamed = (response: Response, name: string) =>
  response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
/** "name=value" of a Set-Cookie line, ready for a Cookie header. */
const pair = (setCookie: string | undefined) => setCookie!.split(";")[0];

const UNPUBLISHED = "Đã tạm ẩn gian hàng.";
const dashboard = (...cookies: string[]) => server.fetch("/seller", { headers: { Cookie: cookies.join("; ") } });

describe("the language cookie", () => {
  const choose = (lng: string) =>
    server.fetch("/set-language", { method: "POST", body: new URLSearchParams({ lng, redirectTo: "/" }) });

  it("is Secure when cookies are secure", async () => {
    const answer = await withSecureCookies(true, () => choose("en"));
    expect(answer.status).toBe(302);
    const lng = cookieNamed(answer, "lng");
    expect(lng).toMatch(/; Secure(;|$)/);
    expect(lng).toMatch(/; HttpOnly(;|$)/);
    expect(lng).toMatch(/; SameSite=Lax(;|$)/);
  });

  it("is not Secure when cookies are not (plain-HTTP development)", async () => {
    const answer = await withSecureCookies(false, () => choose("vi"));
    const lng = cookieNamed(answer, "lng");
    expect(lng).toMatch(/^lng=/);
    expect(lng).not.toMatch(/Secure/i);
  });
});

describe("the toast cookie", () => {
  it("is set Secure by an action, shown once on the next page, and cleared Secure", async () => {
    await withSecureCookies(true, async () => {
      const unpublish = await server.fetch("/seller?index", {
        method: "POST",
        headers: { Cookie: asFarmer },
        body: new URLSearchParams({ intent: "unpublish" }),
      });
      expect(unpublish.status).toBe(302);
      expect(unpublish.headers.get("Location")).toBe("/seller");
      const toast = cookieNamed(unpublish, "toast");
      expect(toast).toMatch(/; Secure(;|$)/);
      expect(toast).toMatch(/; HttpOnly(;|$)/);

      const page = await dashboard(asFarmer, pair(toast));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(UNPUBLISHED);
      const cleared = cookieNamed(page, "toast");
      expect(cleared).toMatch(/^toast=;/);
      expect(cleared).toMatch(/; Secure(;|$)/);
    });
  });

  it("shows nothing for a toast cookie we did not sign, or whose message was changed", async () => {
    const message: Toast = { key: "seller:dashboard.toast.unpublished" };
    // Ours, as an action sets it: the control.
    const genuine = pair((await redirectWithToast("/seller", message)).headers.get("Set-Cookie")!);
    const shown = await dashboard(asFarmer, genuine);
    expect(await shown.text()).toContain(UNPUBLISHED);

    // A signed value is "<payload>.<signature>", URL-encoded in the header.
    const valueOf = (cookie: string) => decodeURIComponent(cookie.slice("toast=".length));
    const asCookie = (value: string) => `toast=${encodeURIComponent(value)}`;
    const [payload, signature] = valueOf(genuine).split(".");
    const unsigned = (toast: Toast) => createCookie("toast").serialize(toast).then(pair);
    const forged = {
      // What the cookie held before it was signed: anyone can write one.
      unsigned: await unsigned(message),
      "signed with another secret": pair(await createCookie("toast", { secrets: ["not-ours"] }).serialize(message)),
      "another message under our signature": asCookie(
        `${valueOf(await unsigned({ key: "seller:toast.saved" }))}.${signature}`,
      ),
      "our message, its signature changed": asCookie(
        `${payload}.${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`,
      ),
    };
    for (const [how, cookie] of Object.entries(forged)) {
      const page = await dashboard(asFarmer, cookie);
      expect(page.status, how).toBe(200);
      const html = await page.text();
      expect(html, how).not.toContain(UNPUBLISHED);
      expect(html, how).not.toContain("Đã lưu thay đổi.");
      expect(html, how).not.toMatch(/class="toast/);
      expect(cookieNamed(page, "toast"), how).toBeUndefined();
    }
  });
});
