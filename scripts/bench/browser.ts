/**
 * A phone in Debian's Chromium for the browser benchmarks (bench:js,
 * bench:slow3g): launched through Playwright with the flags the end-to-end
 * tests use, a 360 × 640 viewport, and a record of what went over the network,
 * read from the DevTools protocol:
 *
 * - downloaded: the sum of `encodedDataLength` of every response (headers and
 *   body as they came over the wire, compressed; redirects included). Answers
 *   from the browser's cache cost nothing, as on a real phone;
 * - uploaded: each request's headers as sent plus its `Content-Length`; bodies
 *   of multipart requests (photos) are counted apart;
 * - JavaScript: every script the page loaded, gzipped at level 6 (what
 *   server.js's compression() sends to a gzip-only client) one file at a time,
 *   split into the framework's (/build/) and any other; plus the inline
 *   scripts of the HTML documents (not JSON-LD and other data blocks),
 *   gzipped together per document.
 */
import zlib from "node:zlib";
import { chromium, type Browser, type BrowserContextOptions, type CDPSession, type Page } from "@playwright/test";

import { CHROMIUM_ARGS as CHROME_ARGS, CHROMIUM_PATH as CHROMIUM } from "../lib/chromium";

export { CHROMIUM, CHROME_ARGS };
export const PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 640 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: "vi-VN",
  timezoneId: "Asia/Ho_Chi_Minh",
};

/** Slow 3G as asked for by issue 14: 400 kbit/s each way, 400 ms round trip. */
export const SLOW_3G = { latencyMs: 400, downKbit: 400, upKbit: 400 };

export function launchPhoneBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROME_ARGS });
}

export const GZIP_LEVEL = 6;
export const gzipSize = (body: Buffer | string) => zlib.gzipSync(body, { level: GZIP_LEVEL }).length;

/** What a screen (or a page) cost on the network. */
export interface Traffic {
  requests: number;
  /** Bytes received: headers and bodies as they came, compressed. */
  downloaded: number;
  /** Bytes sent: request headers and bodies, photo bodies excepted. */
  uploaded: number;
  /** Bodies of multipart (photo) requests. */
  photoUploaded: number;
  js: JsWeight;
  /** Per kind of resource (Document, Script, Stylesheet, Image, Fetch…), bytes received. */
  byType: Record<string, number>;
}

export interface JsWeight {
  /** Script files from /build/ (the framework, Remix's build), gzipped one by one. */
  buildGzip: number;
  buildFiles: number;
  /** Script files from anywhere else, gzipped one by one. */
  otherGzip: number;
  otherFiles: number;
  /** Inline <script> of the documents (not JSON-LD or other data), gzipped per document. */
  inlineGzip: number;
  /** What the script files cost on the wire (as the server compressed them, headers included). */
  transferred: number;
}

interface RequestRecord {
  id: string;
  seq: number;
  /** performance.now() when the request began. */
  startedAt: number;
  url: string;
  method: string;
  type: string;
  mimeType: string;
  downloaded: number;
  uploaded: number;
  photoUploaded: number;
  done: boolean;
  fromCache: boolean;
  /** Gzipped size of the body, for scripts (0 until read). */
  gzip: number;
  inlineGzip: number;
  body?: Promise<void>;
}

const DATA_SCRIPT_TYPES = /^(application\/(ld\+)?json|importmap|speculationrules|text\/template)$/i;

/** The inline scripts of an HTML document, gzipped together (data blocks such as JSON-LD are not JavaScript). */
export function inlineScriptGzip(html: string): number {
  const code: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attributes = match[1];
    if (/\bsrc\s*=/i.test(attributes)) continue;
    const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attributes)?.[1];
    if (type && DATA_SCRIPT_TYPES.test(type)) continue;
    if (match[2].trim()) code.push(match[2]);
  }
  return code.length ? gzipSize(code.join("\n")) : 0;
}

const isScript = (r: Pick<RequestRecord, "type" | "mimeType" | "url">) =>
  r.type === "Script" || /javascript|ecmascript/i.test(r.mimeType) || /\.m?js(\?|$)/.test(r.url);

const headerBytes = (headers: Record<string, string>) =>
  Object.entries(headers).reduce((total, [name, value]) => total + name.length + String(value).length + 4, 0);

/**
 * Records a page's network traffic through the DevTools protocol. `mark()`
 * starts a screen; `since(mark)` sums what was sent and received after it;
 * `quiet()` waits until nothing has been in flight for a while.
 */
export class NetworkRecorder {
  readonly requests = new Map<string, RequestRecord>();
  private seq = 0;
  private inflight = new Set<string>();
  /** performance.now() of the last time a request ended (or began). */
  lastActivity = performance.now();

  private constructor(
    readonly page: Page,
    readonly cdp: CDPSession,
  ) {}

  static async attach(page: Page): Promise<NetworkRecorder> {
    const cdp = await page.context().newCDPSession(page);
    const recorder = new NetworkRecorder(page, cdp);
    recorder.listen();
    await cdp.send("Network.enable");
    return recorder;
  }

  /** Slow network (and a slower CPU) for this page, as the DevTools protocol emulates them. */
  async throttle({ latencyMs, downKbit, upKbit }: typeof SLOW_3G, cpuRate = 1) {
    await this.cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: latencyMs,
      downloadThroughput: (downKbit * 1000) / 8,
      uploadThroughput: (upKbit * 1000) / 8,
    });
    if (cpuRate > 1) await this.cdp.send("Emulation.setCPUThrottlingRate", { rate: cpuRate });
  }

  private record(id: string): RequestRecord | undefined {
    return this.requests.get(id);
  }

  private listen() {
    const cdp = this.cdp;
    cdp.on("Network.requestWillBeSent", (event) => {
      const existing = this.record(event.requestId);
      if (existing && event.redirectResponse) {
        // A redirect keeps the request id: its answer came over the wire too.
        existing.downloaded += event.redirectResponse.encodedDataLength ?? 0;
        existing.url = event.request.url;
        existing.method = event.request.method;
        return;
      }
      this.requests.set(event.requestId, {
        id: event.requestId,
        seq: this.seq++,
        startedAt: performance.now(),
        url: event.request.url,
        method: event.request.method,
        type: event.type ?? "Other",
        mimeType: "",
        downloaded: 0,
        uploaded: 0,
        photoUploaded: 0,
        done: false,
        fromCache: false,
        gzip: 0,
        inlineGzip: 0,
      });
      if (!event.request.url.startsWith("data:")) this.inflight.add(event.requestId);
      this.lastActivity = performance.now();
    });
    cdp.on("Network.requestWillBeSentExtraInfo", (event) => {
      // The headers as they were sent (one of these per hop of a redirect chain).
      const record = this.record(event.requestId);
      if (!record) return;
      const headers = Object.fromEntries(Object.entries(event.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      const length = Number(headers["content-length"] ?? 0);
      record.uploaded += headerBytes(event.headers as Record<string, string>) + 16 + record.url.length;
      if (/^multipart\/form-data/i.test(headers["content-type"] ?? "")) record.photoUploaded += length;
      else record.uploaded += length;
    });
    cdp.on("Network.responseReceived", (event) => {
      const record = this.record(event.requestId);
      if (!record) return;
      record.mimeType = event.response.mimeType;
      record.type = event.type;
      record.fromCache = Boolean(event.response.fromDiskCache || event.response.fromPrefetchCache);
    });
    cdp.on("Network.loadingFinished", (event) => {
      const record = this.record(event.requestId);
      this.inflight.delete(event.requestId);
      this.lastActivity = performance.now();
      if (!record) return;
      record.done = true;
      record.downloaded += event.encodedDataLength;
      if (isScript(record) || record.type === "Document") {
        record.body = cdp
          .send("Network.getResponseBody", { requestId: event.requestId })
          .then(({ body, base64Encoded }) => {
            const buffer = Buffer.from(body, base64Encoded ? "base64" : "utf8");
            if (record.type === "Document") record.inlineGzip = inlineScriptGzip(buffer.toString("utf8"));
            else record.gzip = gzipSize(buffer);
          })
          .catch(() => undefined);
      }
    });
    cdp.on("Network.loadingFailed", (event) => {
      this.inflight.delete(event.requestId);
      this.lastActivity = performance.now();
      const record = this.record(event.requestId);
      if (record) record.done = true;
    });
  }

  /** Where a screen starts: what is recorded from now on belongs to it. */
  mark(): number {
    return this.seq;
  }

  /** Resolves once no request has been in flight for `quietMs` (or after `timeoutMs`). */
  async quiet(quietMs = 500, timeoutMs = 120_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const now = performance.now();
      if (this.inflight.size === 0 && now - this.lastActivity >= quietMs) return;
      if (now > deadline) throw new Error(`the network did not go quiet within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** What the requests started since `mark` cost. */
  async since(mark: number, until = Infinity): Promise<Traffic & { files: RequestRecord[] }> {
    const list = [...this.requests.values()].filter((r) => r.seq >= mark && r.seq < until);
    await Promise.all(list.map((r) => r.body));
    const traffic: Traffic = {
      requests: list.filter((r) => !r.url.startsWith("data:")).length,
      downloaded: 0,
      uploaded: 0,
      photoUploaded: 0,
      byType: {},
      js: { buildGzip: 0, buildFiles: 0, otherGzip: 0, otherFiles: 0, inlineGzip: 0, transferred: 0 },
    };
    for (const r of list) {
      traffic.downloaded += r.downloaded;
      traffic.uploaded += r.uploaded;
      traffic.photoUploaded += r.photoUploaded;
      traffic.byType[r.type] = (traffic.byType[r.type] ?? 0) + r.downloaded;
      traffic.js.inlineGzip += r.inlineGzip;
      // Scripts the page took from the browser's cache (downloaded 0) cost this screen nothing.
      if (isScript(r) && r.done && r.downloaded > 0) {
        traffic.js.transferred += r.downloaded;
        if (new URL(r.url).pathname.startsWith("/build/")) {
          traffic.js.buildGzip += r.gzip;
          traffic.js.buildFiles++;
        } else {
          traffic.js.otherGzip += r.gzip;
          traffic.js.otherFiles++;
        }
      }
    }
    return { ...traffic, files: list };
  }
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
