/**
 * `npm run bench:storefront`: what a public stall page costs, on the production
 * build with the seeded demo, against the app's own floor.
 *
 *   (a) throughput: requests/s of GET /s/vai-thieu-bac-thinh versus a trivial
 *       route of the same server in the same run (aim: ratio ≥ 0.5)
 *   (b) JavaScript: gzipped bytes of the JS the stall page loads versus the
 *       framework floor, the entry plus the root route (aim: ratio ≤ 1.15)
 *
 * Flags: --no-build (reuse build/), --port N (default: a free one),
 * --duration S (10), --warmup S (3), --connections N (10), --rounds N (2),
 * --baseline PATH (default /login), --database-url postgres://… (run on
 * PostgreSQL instead of the embedded PGlite), --no-extra (skip the
 * diagnostic rows). A benchmark, not a test: exit code 0 whatever the figures,
 * with MISSED printed next to a missed aim; the last line is JSON.
 */
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";
import autocannon from "autocannon";
import {
  DEMO_STALL_PATH,
  ROOT,
  findProductPath,
  flag,
  median,
  numberFlag,
  printTable,
  startServer,
  type BenchServer,
} from "./server";

const AIMS = { rpsRatio: 0.5, jsRatio: 1.15 };
const GZIP_LEVEL = 6; // what compression() in server.js sends (zlib's default level)

const DURATION = numberFlag("duration", 10);
const WARMUP = numberFlag("warmup", 3, 0);
const CONNECTIONS = numberFlag("connections", 10);
const ROUNDS = numberFlag("rounds", 2);
/**
 * The baseline is the framework's floor for a page, as the JavaScript ratio
 * below takes the root route alone: /login, a document with no data of its own
 * (root loader, shell, one small form, no database work for an anonymous
 * visitor). Two lighter references are printed too: /locales/vi/common, a
 * resource route (no root loader, no React), and /healthz (one SELECT 1).
 */
const BASELINE = flag("baseline") ?? "/login";
const RESOURCE_ROUTE = "/locales/vi/common";
const EXTRA = flag("no-extra") === undefined;
// What Chrome sends; compression() then answers with brotli, as it does for real visitors.
const HEADERS = { "accept-encoding": "gzip, deflate, br, zstd", "accept-language": "vi-VN,vi;q=0.9" };

const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");

// ---------------------------------------------------------------- throughput

interface LoadFigures {
  path: string;
  role: string;
  rps: number;
  p50: number;
  p99: number;
  runs: number[];
  bad: number;
  encoding: string;
}

async function load(origin: string, urlPath: string, seconds: number) {
  return autocannon({ url: origin + urlPath, connections: CONNECTIONS, duration: seconds, headers: HEADERS });
}

async function throughput(origin: string) {
  const routes: { path: string; role: string }[] = [
    { path: BASELINE, role: "baseline (trivial page)" },
    ...(EXTRA && BASELINE !== RESOURCE_ROUTE ? [{ path: RESOURCE_ROUTE, role: "reference (resource route)" }] : []),
    ...(EXTRA && BASELINE !== "/healthz" ? [{ path: "/healthz", role: "reference (SELECT 1)" }] : []),
    ...(EXTRA ? [{ path: `${DEMO_STALL_PATH}.data`, role: "loaders only, no render" }] : []),
    { path: DEMO_STALL_PATH, role: "target: stall page" },
  ];
  const figures = new Map<string, LoadFigures>();
  for (const route of routes) {
    const probe = await fetch(origin + route.path, { headers: HEADERS });
    await probe.arrayBuffer();
    if (!probe.ok) throw new Error(`GET ${route.path} answered ${probe.status}`);
    figures.set(route.path, {
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
  if (WARMUP > 0) for (const route of routes) await load(origin, route.path, WARMUP);
  const latencies = new Map<string, { p50: number[]; p99: number[] }>(
    routes.map((r) => [r.path, { p50: [], p99: [] }]),
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const route of routes) {
      const result = await load(origin, route.path, DURATION);
      const figure = figures.get(route.path)!;
      figure.runs.push(result.requests.total / result.duration);
      figure.bad += result.non2xx + result.errors + result.timeouts;
      latencies.get(route.path)!.p50.push(result.latency.p50);
      latencies.get(route.path)!.p99.push(result.latency.p99);
    }
  }
  for (const route of routes) {
    const figure = figures.get(route.path)!;
    figure.rps = median(figure.runs);
    figure.p50 = median(latencies.get(route.path)!.p50);
    figure.p99 = median(latencies.get(route.path)!.p99);
  }
  return routes.map((r) => figures.get(r.path)!);
}

// --------------------------------------------------------- JavaScript weight

interface RemixManifest {
  version: string;
  entry: { module: string; imports?: string[] };
  routes: Record<string, { id: string; parentId?: string; module: string; imports?: string[] }>;
}

/** The browser manifest of the current build (public/build/manifest-<version>.js). */
function readManifest(): RemixManifest {
  const version = fs.readFileSync(path.join(ROOT, "build/version.txt"), "utf8").trim();
  const file = path.join(ROOT, "public/build", `manifest-${version.toUpperCase()}.js`);
  const context: { window: { __remixManifest?: RemixManifest } } = { window: {} };
  vm.runInNewContext(fs.readFileSync(file, "utf8"), context);
  const manifest = context.window.__remixManifest;
  if (!manifest || manifest.version !== version) throw new Error(`${file} is not the manifest of build ${version}`);
  return manifest;
}

/** The files a page loads up front: the entry and, for each route from root down to `routeId`, its module and imports. */
function pageModules(manifest: RemixManifest, routeId: string): string[] {
  const chain: string[] = [];
  for (let id: string | undefined = routeId; id; id = manifest.routes[id]?.parentId) {
    if (!manifest.routes[id]) throw new Error(`route ${id} is not in the manifest`);
    chain.unshift(id);
  }
  const files = [manifest.entry.module, ...(manifest.entry.imports ?? [])];
  for (const id of chain) files.push(manifest.routes[id].module, ...(manifest.routes[id].imports ?? []));
  return [...new Set(files)];
}

const fileCache = new Map<string, { raw: number; gzip: number; brotli: number; text: string }>();
function weigh(href: string) {
  let entry = fileCache.get(href);
  if (!entry) {
    if (!href.startsWith("/build/")) throw new Error(`${href} is not under /build`);
    const body = fs.readFileSync(path.join(ROOT, "public", href));
    entry = {
      raw: body.length,
      gzip: zlib.gzipSync(body, { level: GZIP_LEVEL }).length,
      // compression() in server.js answers browsers with brotli at quality 4.
      brotli: zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }).length,
      text: body.toString("utf8"),
    };
    fileCache.set(href, entry);
  }
  return entry;
}

const sum = (files: string[], key: "raw" | "gzip" | "brotli") => files.reduce((total, f) => total + weigh(f)[key], 0);

/** Chunks that these files load later with import() (not counted: the page does not fetch them up front). */
function lazyChunks(files: string[]) {
  const found = new Set<string>();
  for (const file of files) {
    for (const match of weigh(file).text.matchAll(/import\(\s*["'](\/build\/[^"']+\.js)["']\s*\)/g)) {
      if (!files.includes(match[1])) found.add(match[1]);
    }
  }
  return [...found];
}

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

async function jsWeight(origin: string, productPath: string) {
  const manifest = readManifest();
  const pages = [
    { name: "floor: entry + root route", routeId: "root", path: undefined as string | undefined },
    { name: `stall page ${DEMO_STALL_PATH}`, routeId: "routes/s.$stallSlug", path: DEMO_STALL_PATH },
    { name: `product page ${productPath}`, routeId: "routes/s.$stallSlug_.$productSlug", path: productPath },
  ];
  const warnings: string[] = [];
  const result = [];
  for (const page of pages) {
    const files = pageModules(manifest, page.routeId);
    if (page.path) {
      const html = await (await fetch(origin + page.path)).text();
      const fromHtml = scriptsInHtml(html);
      const missing = fromHtml.filter((f) => !files.includes(f));
      const extra = files.filter((f) => !fromHtml.includes(f));
      if (missing.length || extra.length) {
        warnings.push(
          `${page.path}: the HTML and the manifest disagree` +
            (missing.length ? `; HTML only: ${missing.join(", ")}` : "") +
            (extra.length ? `; manifest only: ${extra.join(", ")}` : ""),
        );
      }
    }
    result.push({
      ...page,
      files,
      raw: sum(files, "raw"),
      gzip: sum(files, "gzip"),
      brotli: sum(files, "brotli"),
      lazy: lazyChunks(files),
    });
  }
  return { result, warnings };
}

// ---------------------------------------------------------------------- main

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function main() {
  let server: BenchServer | undefined;
  try {
    server = await startServer();
    const productPath = await findProductPath(server.origin);
    const weights = await jsWeight(server.origin, productPath);
    const load = await throughput(server.origin);

    const baseline = load.find((r) => r.path === BASELINE)!;
    const target = load.find((r) => r.path === DEMO_STALL_PATH)!;
    const healthz = load.find((r) => r.path === "/healthz");
    const rpsRatio = target.rps / baseline.rps;

    console.log(`\n(a) throughput — median of ${ROUNDS} runs, Accept-Encoding as Chrome sends it`);
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
    const resource = load.find((r) => r.path === RESOURCE_ROUTE);
    for (const reference of [resource, healthz]) {
      if (reference && reference !== baseline)
        console.log(`ratio stall / ${reference.path} = ${(target.rps / reference.rps).toFixed(2)}  (for reference)`);
    }
    console.log(
      "note: static files (/build/*, /favicon.svg) are served by express.static before Remix, so they are no baseline.",
    );

    const [floor, stall, product] = weights.result;
    const jsRatio = stall.gzip / floor.gzip;
    console.log(`\n(b) JavaScript loaded up front (from the build manifest; gzip level ${GZIP_LEVEL}, each file once)`);
    printTable(
      ["page", "files", "raw", "gzip", "brotli q4", "× floor (gzip)"],
      weights.result.map((p) => [
        p.name,
        String(p.files.length),
        kb(p.raw),
        kb(p.gzip),
        kb(p.brotli),
        (p.gzip / floor.gzip).toFixed(2),
      ]),
    );
    console.log(
      `ratio stall / floor = ${jsRatio.toFixed(2)}  aim ≤ ${AIMS.jsRatio}  ${verdict(jsRatio <= AIMS.jsRatio)}`,
    );
    console.log(`stall page beyond the floor: ${stall.files.filter((f) => !floor.files.includes(f)).join(", ")}`);
    const largest = [...stall.files].sort((a, b) => weigh(b).gzip - weigh(a).gzip).slice(0, 4);
    console.log(`largest files (gzip): ${largest.map((f) => `${f} ${kb(weigh(f).gzip)}`).join(", ")}`);
    const lazy = [...new Set(weights.result.flatMap((p) => p.lazy))];
    if (lazy.length) {
      console.log(
        `loaded only on demand via import() (not counted): ${lazy.map((f) => `${f} (${kb(weigh(f).gzip)})`).join(", ")}`,
      );
    }
    for (const warning of weights.warnings) console.warn(`WARNING: ${warning}`);
    if (!weights.warnings.length) console.log("cross-check: the pages' HTML asks for exactly the manifest's files.");

    console.log(
      JSON.stringify({
        bench: "storefront",
        connections: CONNECTIONS,
        durationSeconds: DURATION,
        rounds: ROUNDS,
        throughput: Object.fromEntries(
          load.map((r) => [
            r.path,
            { rps: Math.round(r.rps), p50Ms: r.p50, p99Ms: r.p99, runs: r.runs.map(Math.round) },
          ]),
        ),
        rpsRatio: Number(rpsRatio.toFixed(3)),
        rpsRatioAim: AIMS.rpsRatio,
        rpsRatioMet: rpsRatio >= AIMS.rpsRatio,
        gzipLevel: GZIP_LEVEL,
        js: Object.fromEntries(
          weights.result.map((p) => [
            p.path ?? "floor",
            { files: p.files.length, rawBytes: p.raw, gzipBytes: p.gzip, brotliBytes: p.brotli },
          ]),
        ),
        jsRatio: Number(jsRatio.toFixed(3)),
        jsRatioAim: AIMS.jsRatio,
        jsRatioMet: jsRatio <= AIMS.jsRatio,
        productJsRatio: Number((product.gzip / floor.gzip).toFixed(3)),
        manifestMatchesHtml: weights.warnings.length === 0,
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
