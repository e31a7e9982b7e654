/**
 * Public pages kept whole for anonymous visitors (ADR 009): the stall page,
 * product pages, the poster, the home page and searches, as HTML and
 * compressed, so that a burst of buyers from a shared link or a printed QR
 * code costs the server a lookup per visit instead of a render.
 *
 * What may be kept is narrow on purpose:
 * - the request: GET of one of KEPT_PATHS, with no Cookie and no
 *   Authorization header (no session, cart, toast or language choice: the
 *   page is the same for every such visitor). The key is the address as
 *   Remix sees it (host and query included: links on the page are built
 *   from it), the Accept-Language header and today's date in Vietnam
 *   (in-season badges, certificates valid today);
 * - the answer: 200, HTML, no Set-Cookie, no `private`/`no-store`. A page
 *   whose script tags carry the CSP nonce of the response it was made for
 *   gets each visit's own nonce in its place (and is compressed then, as any
 *   response); a page without the nonce is sent compressed as kept;
 * - the database: the embedded one only, whose write count (db/client.ts)
 *   moves with every write. A kept page carries the count it was rendered
 *   at and is dropped once the count moves; a render during which it moved
 *   is not kept. On PostgreSQL other app servers write too: nothing is kept.
 *
 * Bodies are compressed once, on the first visit that needs the encoding.
 */
import zlib from "node:zlib";
import type { Request as ExpressRequest } from "express";
import { writeCount } from "#db/client";
import { db } from "~/utils/db.server";
import { todayInVietnam } from "~/utils/format";

/** Paths whose anonymous pages may be kept (`:name` matches one segment). */
export const KEPT_PATHS: readonly string[] = [
  "/",
  "/search",
  "/s/:stallSlug",
  "/s/:stallSlug/:productSlug",
  "/s/:stallSlug/poster",
];

/** Memory the kept pages may take at most (bodies, all encodings); the least recently used go first. */
const MAX_BYTES = 24 * 1024 * 1024;

const compiled = KEPT_PATHS.map((pattern) => pattern.split("/").filter(Boolean));

export function isKeptPath(pathname: string): boolean {
  const segments = pathname.split("/").filter(Boolean);
  return compiled.some(
    (pattern) => pattern.length === segments.length && pattern.every((s, i) => s.startsWith(":") || s === segments[i]),
  );
}

export type Encoding = "br" | "gzip" | "identity";

/** The encoding to send a kept body in: brotli, else gzip, else none (what compression() would pick). */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  const q = new Map<string, number>();
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const weight = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    q.set(name, weight === undefined ? 1 : Number(weight));
  }
  const accepts = (name: string) => (q.get(name) ?? q.get("*") ?? 0) > 0;
  if (accepts("br")) return "br";
  if (accepts("gzip")) return "gzip";
  return "identity";
}

export interface KeptPage {
  status: number;
  headers: [string, string][];
  bodies: Partial<Record<Encoding, Buffer>> & { identity: Buffer };
  /** The CSP nonce the page was rendered with, where it appears in the body (script tags); else null. */
  nonce: string | null;
  writes: number;
  bytes: number;
}

export interface KeptPagesOptions {
  /** The write count of the database the pages are read from; null: nothing is kept. */
  writeCount?: () => number | null;
  today?: () => string;
  maxBytes?: number;
}

export class KeptPages {
  private readonly pages = new Map<string, KeptPage>();
  private bytes = 0;
  readonly writeCount: () => number | null;
  private readonly today: () => string;
  private readonly maxBytes: number;

  constructor({
    writeCount: count = () => writeCount(db),
    today = () => todayInVietnam(),
    maxBytes = MAX_BYTES,
  }: KeptPagesOptions = {}) {
    this.writeCount = count;
    this.today = today;
    this.maxBytes = maxBytes;
  }

  /** The key of a request whose page may be kept, or null. `url` is the address as Remix sees it. */
  keyFor(req: Pick<ExpressRequest, "method" | "path" | "headers">, url: string): string | null {
    if (req.method !== "GET" || req.headers.cookie || req.headers.authorization) return null;
    if (!isKeptPath(req.path)) return null;
    return `${this.today()} ${req.headers["accept-language"] ?? ""} ${url}`;
  }

  /** The kept page for this key, if the database has not changed since it was rendered. */
  lookup(key: string): KeptPage | undefined {
    const page = this.pages.get(key);
    if (!page) return undefined;
    if (page.writes !== this.writeCount()) {
      this.drop(key);
      return undefined;
    }
    // Most recently used last: the first in the map goes first when memory runs out.
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  /**
   * Keeps an answer rendered while the database's write count was `writesBefore`
   * (read before the loaders ran), if it is a page any anonymous visitor may get.
   */
  keep(key: string, writesBefore: number | null, response: Response, body: Buffer, nonce: string): boolean {
    if (writesBefore === null || writesBefore !== this.writeCount()) return false;
    if (response.status !== 200 || response.headers.has("set-cookie")) return false;
    if (!/^text\/html\b/i.test(response.headers.get("content-type") ?? "")) return false;
    if (/\b(private|no-store)\b/i.test(response.headers.get("cache-control") ?? "")) return false;
    if (response.headers.has("content-encoding")) return false;
    const headers = [...response.headers].filter(([name]) => name !== "content-length");
    this.drop(key);
    const page: KeptPage = {
      status: 200,
      headers,
      bodies: { identity: body },
      nonce: nonce && body.includes(nonce) ? nonce : null,
      writes: writesBefore,
      bytes: body.length,
    };
    this.pages.set(key, page);
    this.bytes += page.bytes;
    this.trim();
    return true;
  }

  /** The page with this response's nonce in place of the one it was rendered with (the page must have one). */
  withNonce(page: KeptPage, nonce: string): Buffer {
    return Buffer.from(page.bodies.identity.toString("latin1").replaceAll(page.nonce!, nonce), "latin1");
  }

  /** The page's body in `encoding`, compressed the first time it is asked for (pages without a nonce). */
  body(key: string, page: KeptPage, encoding: Encoding): Buffer {
    let body = page.bodies[encoding];
    if (!body) {
      const raw = page.bodies.identity;
      body =
        encoding === "br"
          ? zlib.brotliCompressSync(raw, {
              params: {
                [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
                [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
              },
            })
          : zlib.gzipSync(raw, { level: 6 });
      page.bodies[encoding] = body;
      if (this.pages.get(key) === page) {
        page.bytes += body.length;
        this.bytes += body.length;
        this.trim();
      }
    }
    return body;
  }

  get size() {
    return this.pages.size;
  }

  private drop(key: string) {
    const page = this.pages.get(key);
    if (!page) return;
    this.pages.delete(key);
    this.bytes -= page.bytes;
  }

  private trim() {
    for (const key of this.pages.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(key);
    }
  }
}
