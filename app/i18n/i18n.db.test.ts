import { describe, expect, it } from "vitest";
import { loader as localesLoader } from "~/routes/locales.$lng.$ns";
import { action as setLanguage } from "~/routes/set-language";
import { loader as rootLoader } from "~/root";
import { languageCookie } from "./i18n.server";
import { resourcesVersion } from "./resources.server";

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });

async function localeOf(headers: HeadersInit) {
  const result = await rootLoader(args(new Request("http://localhost/", { headers })));
  return result.data.locale;
}

describe("language detection", () => {
  it("is Vietnamese by default", async () => {
    expect(await localeOf({})).toBe("vi");
  });
  it("follows Accept-Language when there is no cookie", async () => {
    expect(await localeOf({ "Accept-Language": "en-US,en;q=0.9" })).toBe("en");
    expect(await localeOf({ "Accept-Language": "fr-FR,fr;q=0.9" })).toBe("vi");
  });
  it("lets the language cookie win over Accept-Language", async () => {
    const cookie = await languageCookie.serialize("vi");
    expect(await localeOf({ Cookie: cookie, "Accept-Language": "en" })).toBe("vi");
  });
});

describe("/set-language", () => {
  const post = (body: Record<string, string>) =>
    setLanguage(
      args(
        new Request("http://localhost/set-language", {
          method: "POST",
          body: new URLSearchParams(body),
        }),
      ),
    );

  it("stores the choice and returns to the page", async () => {
    const response = await post({ lng: "en", redirectTo: "/search?q=vai" });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/search?q=vai");
    const setCookie = response.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(await languageCookie.parse(setCookie)).toBe("en");
    expect(await localeOf({ Cookie: setCookie.split(";")[0] })).toBe("en");
  });

  it("never redirects off-site and ignores unknown languages", async () => {
    const response = await post({ lng: "xx", redirectTo: "https://evil.example/" });
    expect(response.headers.get("Location")).toBe("/");
    expect(response.headers.get("Set-Cookie")).toBeNull();
  });
});

describe("/locales/:lng/:ns", () => {
  it("serves a namespace, cached for a year when the version matches", async () => {
    const res = await localesLoader(
      args(new Request(`http://localhost/locales/en/common?v=${resourcesVersion}`), { lng: "en", ns: "common" }),
    );
    expect(res.headers.get("Cache-Control")).toContain("immutable");
    const body = await res.json();
    expect(body.shell.login).toBe("Log in");
    const stale = await localesLoader(
      args(new Request("http://localhost/locales/vi/common?v=old"), { lng: "vi", ns: "common" }),
    );
    expect(stale.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect((await stale.json()).shell.login).toBe("Đăng nhập");
  });

  it("answers 404 for unknown languages and namespaces", async () => {
    for (const params of [
      { lng: "fr", ns: "common" },
      { lng: "vi", ns: "constructor" },
      { lng: "vi", ns: "nope" },
    ]) {
      await expect(localesLoader(args(new Request("http://localhost/x"), params))).rejects.toMatchObject({
        status: 404,
      });
    }
  });
});

describe("translations", () => {
  it("have the same keys in Vietnamese and English (plural forms aside: Vietnamese has one)", async () => {
    const { resources } = await import("./resources.server");
    const keys = (o: unknown, prefix = ""): string[] => [
      ...new Set(
        Object.entries(o as Record<string, unknown>).flatMap(([k, v]) =>
          v && typeof v === "object"
            ? keys(v, `${prefix}${k}.`)
            : [`${prefix}${k.replace(/_(zero|one|two|few|many|other)$/, "")}`],
        ),
      ),
    ];
    for (const ns of Object.keys(resources.vi) as (keyof typeof resources.vi)[]) {
      expect(keys(resources.en[ns]).sort(), ns).toEqual(keys(resources.vi[ns]).sort());
    }
  });
});
