/**
 * `npm run bench:storefront`: what a public stall page costs, on the production
 * build with the seeded demo, against the app's own floor.
 *
 *   (a) throughput: requests/s of GET /s/vai-thieu-bac-thinh as a visitor from
 *       a shared link or a QR code asks for it (no cookies), versus /healthz,
 *       a trivial route of the same server (one SELECT 1, no page), in the
 *       same run (aim: ratio ≥ 0.5). Diagnostic rows: the same stall page
 *       for a visitor with a cookie (rendered every time: a signed-in buyer,
 *       a cart), its loaders alone (.data), and /login (a page with no data,
 *       rendered every time);
 *   (b) weight: what the stall and product pages make a phone download up
 *       front, as the server sends it to Chrome: the document, the stylesheet
 *       and the scripts the HTML asks for (aim, issue 14 and ADR 022: no
 *       framework JavaScript, /build/; public/enhance.js is reported apart).
 *
 * Flags: --no-build (reuse build/), --port N (default: a free one),
 * --duration S (10), --warmup S (3), --connections N (10), --rounds N (2),
 * --baseline PATH (default /healthz), --database-url postgres://… (run on
 * PostgreSQL instead of the embedded PGlite), --no-extra (skip the
 * diagnostic rows). A benchmark, not a test: exit code 0 whatever the figures,
 * with MISSED printed next to a missed aim; the last line is JSON.
 */
import http from "node:http";
import os from "node:os";
import zlib from "node:zlib";
import autocannon from "autocannon";
import {
  DEMO_STALL_PATH,
  findProductPath,
  flag,
  median,
  numberFlag,
  printTable,
  startServer,
  type BenchServer,
} from "./server";

const AIMS = { rpsRatio: 0.5, frameworkJsBytes: 0 };
const GZIP_LEVEL = 6; // what compression() in server.js sends to a gzip-only client (zlib's default level)

const DURATION = numberFlag("duration", 10);
const WARMUP = numberFlag("warmup", 3, 0);
const CONNECTIONS = numberFlag("connections", 10);
const ROUNDS = numberFlag("rounds", 2);
/** A trivial route of the same server: Express, the headers, the guards, Remix and one SELECT 1, no page. */
const BASELINE = flag("baseline") ?? "/healthz";
const EXTRA = flag("no-extra") === undefined;
// What Chrome sends; compression() then answers with brotli, as it does for real visitors.
const HEADERS = { "accept-encoding": "gzip, deflate, br, zstd", "accept-language": "vi-VN,vi;q=0.9" };
/** Any cookie makes a visitor one the server renders the page for (app/http/kept-pages.server.ts). */
const WITH_COOKIE = { ...HEADERS, cookie: "ghs_bench=1" };

const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");

// ---------------------------------------------------------------- throughput

interface Route {
  id: string;
  path: string;
  role: string;
  headers: Record<string, string>;
}

interface LoadFigures extends Route {
  rps: number;
  p50: number;
  p99: number;
  runs: number[];
  bad: number;
  encoding: string;
}

async function load(origin: string, route: Route, seconds: number) {
  return autocannon({ url: origin + route.path, connections: CONNECTIONS, duration: seconds, headers: route.headers });
}

async function throughput(origin: string): Promise<LoadFigures[]> {
  const routes: Route[] = [
    { id: "baseline", path: BASELINE, role: "baseline (trivial route)", headers: HEADERS },
    ...(EXTRA && BASELINE !== "/login"
      ? [{ id: "login", path: "/login", role: "reference (page without data)", headers: HEADERS }]
      : []),
    ...(EXTRA
      ? [
          { id: "data", path: `${DEMO_STALL_PATH}.data`, role: "loaders only, no render", headers: HEADERS },
          { id: "rendered", path: DEMO_STALL_PATH, role: "stall page, visitor with a cookie", headers: WITH_COOKIE },
        ]
      : []),
    { id: "target", path: DEMO_STALL_PATH, role: "target: stall page", headers: HEADERS },
  ];
  const figures = new Map<string, LoadFigures>();
  for (const route of routes) {
    const probe = await fetch(origin + route.path, { headers: route.headers });
    await probe.arrayBuffer();
    if (!probe.ok) throw new Error(`GET ${route.path} answered ${probe.status}`);
    figures.set(route.id, {
      ...route,
      rps: 0,
      p50: 0,
      p99: 0,
      runs: [],
      bad: 0,
      encoding: probe.headers.get("content-encoding") ?? "identity",
    });
  }

  console.log(
    `throughput: ${CONNECTIONS} connections, ${WARMUP} s warm-up then ${ROUNDS} × ${DURATION} s per route, taking turns…`,
  );
  if (WARMUP > 0) for (const route of routes) await load(origin, route, WARMUP);
  const latencies = new Map<string, { p50: number[]; p99: number[] }>(routes.map((r) => [r.id, { p50: [], p99: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const route of routes) {
      const result = await load(origin, route, DURATION);
      const figure = figures.get(route.id)!;
      figure.runs.push(result.requests.total / result.duration);
      figure.bad += result.non2xx + result.errors + result.timeouts;
      latencies.get(route.id)!.p50.push(result.latency.p50);
      latencies.get(route.id)!.p99.push(result.latency.p99);
    }
  }
  for (const route of routes) {
    const figure = figures.get(route.id)!;
    figure.rps = median(figure.runs);
    figure.p50 = median(latencies.get(route.id)!.p50);
    figure.p99 = median(latencies.get(route.id)!.p99);
  }
  return routes.map((r) => figures.get(r.id)!);
}

// ------------------------------------------------------------------- weight

/** GET as Chrome asks (brotli accepted): the body as it came over the wire, still compressed. */
function rawGet(origin: string, pathname: string): Promise<{ status: number; body: Buffer; encoding: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(origin + pathname, { headers: HEADERS }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks),
            encoding: String(res.headers["content-encoding"] ?? "identity"),
          }),
        );
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

const decode = (body: Buffer, encoding: string) =>
  encoding === "br" ? zlib.brotliDecompressSync(body) : encoding === "gzip" ? zlib.gunzipSync(body) : body;

/** The JS an HTML page asks for: <script src>, modulepreload links and static imports in inline module scripts. */
function scriptsInHtml(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) found.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*>/g)) {
    const href = /\bhref="([^"]+)"/.exec(m[0]);
    if (href) found.add(href[1]);
  }
  for (const m of html.matchAll(/<script\b[^>]*type="module"[^>]*>([\s\S]*?)<\/script>/g)) {
    for (const i of m[1].matchAll(/\bimport\s+(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/g)) found.add(i[1]);
  }
  return [...found].map((href) => href.replace(/&amp;/g, "&"));
}

function stylesheetsInHtml(html: string): string[] {
  return [...html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*>/g)]
    .map((m) => /\bhref="([^"]+)"/.exec(m[0])?.[1])
    .filter((href): href is string => Boolean(href));
}

async function pageWeight(origin: string, pathname: string) {
  const page = await rawGet(origin, pathname);
  if (page.status !== 200) throw new Error(`GET ${pathname} answered ${page.status}`);
  const html = decode(page.body, page.encoding).toString("utf8");
  let css = 0;
  for (const href of stylesheetsInHtml(html)) css += (await rawGet(origin, href)).body.length;
  const scripts = scriptsInHtml(html);
  let frameworkGzip = 0;
  let otherGzip = 0;
  for (const src of scripts) {
    const script = await rawGet(origin, src);
    const gzip = zlib.gzipSync(decode(script.body, script.encoding), { level: GZIP_LEVEL }).length;
    if (new URL(src, origin).pathname.startsWith("/build/")) frameworkGzip += gzip;
    else otherGzip += gzip;
  }
  return {
    path: pathname,
    htmlRaw: Buffer.byteLength(html),
    htmlSent: page.body.length,
    css,
    scripts,
    frameworkGzip,
    otherGzip,
  };
}

// ---------------------------------------------------------------------- main

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function main() {
  let server: BenchServer | undefined;
  try {
    server = await startServer();
    const productPath = await findProductPath(server.origin);
    const weights = [await pageWeight(server.origin, DEMO_STALL_PATH), await pageWeight(server.origin, productPath)];
    const loadAverage = os.loadavg();
    const load = await throughput(server.origin);

    const baseline = load.find((r) => r.id === "baseline")!;
    const target = load.find((r) => r.id === "target")!;
    const rendered = load.find((r) => r.id === "rendered");
    const rpsRatio = target.rps / baseline.rps;

    console.log(
      `\n(a) throughput — median of ${ROUNDS} runs, Accept-Encoding as Chrome sends it; load average ${loadAverage.map((l) => l.toFixed(2)).join(" ")} before, ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")} after`,
    );
    printTable(
      ["route", "req/s", "p50", "p99", "encoding", "runs (req/s)"],
      load.map((r) => [
        `${r.role}: ${r.path}`,
        r.rps.toFixed(0),
        `${r.p50} ms`,
        `${r.p99} ms`,
        r.encoding,
        r.runs.map((x) => x.toFixed(0)).join(", ") + (r.bad ? ` (${r.bad} errors/non-2xx!)` : ""),
      ]),
    );
    console.log(
      `ratio stall / baseline (${BASELINE}) = ${rpsRatio.toFixed(2)}  aim ≥ ${AIMS.rpsRatio}  ${verdict(rpsRatio >= AIMS.rpsRatio)}`,
    );
    if (rendered)
      console.log(
        `ratio stall rendered for a visitor with a cookie / baseline = ${(rendered.rps / baseline.rps).toFixed(2)}  (for reference)`,
      );
    console.log(
      "note: static files (/build/*, /favicon.svg) are served by express.static before Remix, so they are no baseline.",
    );

    console.log(`\n(b) what a phone downloads up front (as sent to Chrome; scripts gzipped at level ${GZIP_LEVEL})`);
    printTable(
      ["page", "HTML", "HTML as sent", "stylesheet", "scripts", "framework JS (gzip)", "aim", "", "other JS (gzip)"],
      weights.map((w) => [
        w.path,
        kb(w.htmlRaw),
        kb(w.htmlSent),
        kb(w.css),
        String(w.scripts.length),
        kb(w.frameworkGzip),
        `${AIMS.frameworkJsBytes} B`,
        verdict(w.frameworkGzip <= AIMS.frameworkJsBytes),
        kb(w.otherGzip),
      ]),
    );
    console.log(
      JSON.stringify({
        bench: "storefront",
        connections: CONNECTIONS,
        durationSeconds: DURATION,
        rounds: ROUNDS,
        loadAverage,
        throughput: Object.fromEntries(
          load.map((r) => [
            r.id,
            { path: r.path, rps: Math.round(r.rps), p50Ms: r.p50, p99Ms: r.p99, runs: r.runs.map(Math.round) },
          ]),
        ),
        rpsRatio: Number(rpsRatio.toFixed(3)),
        rpsRatioAim: AIMS.rpsRatio,
        rpsRatioMet: rpsRatio >= AIMS.rpsRatio,
        renderedRpsRatio: rendered ? Number((rendered.rps / baseline.rps).toFixed(3)) : null,
        gzipLevel: GZIP_LEVEL,
        weight: Object.fromEntries(
          weights.map((w) => [
            w.path,
            {
              htmlBytes: w.htmlRaw,
              htmlSentBytes: w.htmlSent,
              cssSentBytes: w.css,
              scripts: w.scripts.length,
              frameworkJsGzipBytes: w.frameworkGzip,
              otherJsGzipBytes: w.otherGzip,
            },
          ]),
        ),
        frameworkJsMet: weights.every((w) => w.frameworkGzip <= AIMS.frameworkJsBytes),
      }),
    );
  } finally {
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
