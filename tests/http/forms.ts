/**
 * Posting forms to the in-process test server (tests/http/server.ts) as a
 * browser without JavaScript does, from the client IP a test chooses, and
 * carrying cookies from one answer to the next request: what the auth
 * journeys (sign-up, code login, forgotten password) are tested with.
 *
 * A test that posts `ip` must serve the app behind a trusted proxy
 * (`serveAppForThisFile({ trustProxy: true })`), as a deployment behind a
 * load balancer is: the address then comes from X-Forwarded-For, the way
 * production sees it.
 */
import type { TestServer } from "./server";

/** Cookies a browser keeps between requests: name → value, updated from each Set-Cookie. */
export class CookieJar {
  private cookies = new Map<string, string>();

  constructor(initial?: string) {
    if (initial) this.add(initial);
  }

  /** "a=1; b=2" (a Cookie header) or one Set-Cookie line. */
  add(cookie: string) {
    for (const pair of cookie.split(/;\s*/)) {
      const at = pair.indexOf("=");
      if (at > 0) this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }

  /** Takes the response's Set-Cookie lines: a cookie cleared (Max-Age=0) is dropped. */
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      if (/;\s*Max-Age=0/i.test(line) || pair.slice(at + 1) === "") this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1));
    }
    return res;
  }

  has(name: string) {
    return this.cookies.has(name);
  }

  get header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

export interface Visit {
  ip?: string;
  jar?: CookieJar;
  /** Accept-Language, e.g. "en". */
  language?: string;
}

function headers({ ip, jar, language }: Visit, extra: Record<string, string> = {}) {
  return {
    ...(ip ? { "X-Forwarded-For": ip } : {}),
    ...(jar?.header ? { Cookie: jar.header } : {}),
    ...(language ? { "Accept-Language": language } : {}),
    ...extra,
  };
}

/** A form POST from the server's own pages (Origin is the server's), as a browser sends it. */
export async function postForm(server: TestServer, path: string, fields: Record<string, string>, visit: Visit = {}) {
  const res = await server.fetch(path, {
    method: "POST",
    headers: headers(visit, { "Content-Type": "application/x-www-form-urlencoded", Origin: server.origin }),
    body: new URLSearchParams(fields).toString(),
  });
  return visit.jar ? visit.jar.take(res) : res;
}

/** A page, as a browser asks for it. */
export async function getPage(server: TestServer, path: string, visit: Visit = {}) {
  const res = await server.fetch(path, { headers: headers(visit) });
  return visit.jar ? visit.jar.take(res) : res;
}

/** The text of a page's <main>, tags dropped and entities of React's escaping undone. */
export async function mainText(res: Response): Promise<string> {
  const html = await res.text();
  const main = /<main[^>]*>([^]*)<\/main>/.exec(html)?.[1] ?? html;
  return main
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}
