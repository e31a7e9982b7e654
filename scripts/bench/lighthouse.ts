/**
 * `npm run bench:lighthouse`: Lighthouse on the public storefront pages, on the
 * production build with the seeded demo, as a phone on a slow network sees them.
 *
 * Lighthouse's default (mobile) config: an emulated Moto G Power, simulated
 * throttling (slow 4G, 4× CPU slowdown), in Debian's Chromium headless. Pages:
 * home, a search that finds demo products, the demo stall and the first product
 * on it. Categories: performance, accessibility, best practices, SEO; the aim
 * is 100 for each (issue 14: made for a cheap phone on a slow network).
 *
 * Flags: --no-build, --port N, --runs N (3; the run with the median performance
 * score is reported, as Lighthouse recommends), --lang vi|en
 * (Accept-Language sent; vi). CHROMIUM_PATH overrides /usr/bin/chromium.
 * Reports (JSON and HTML) go to .bench/lighthouse/ (git-ignored).
 * A benchmark, not a test: exit code 0 whatever the scores; the last line is JSON.
 */
import fs from "node:fs";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { type Flags, type Result } from "lighthouse";
import { CHROMIUM_ARGS, CHROMIUM_PATH as CHROMIUM } from "../lib/chromium";
import { SEARCH_PATH } from "./public-pages";
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

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const AIMS: Record<string, number> = Object.fromEntries(CATEGORIES.map((c) => [c, 100]));
const CHROME_FLAGS = ["--headless=new", ...CHROMIUM_ARGS];
const RUNS = numberFlag("runs", 3);
const LANG = flag("lang") ?? "vi";
const WARMUP_REQUESTS = 20;
const OUT_DIR = path.join(ROOT, ".bench/lighthouse");

type Audit = Result["audits"][string];

const score = (lhr: Result, category: string) => Math.round((lhr.categories[category]?.score ?? 0) * 100);

/** Audits of a category that did not pass, heaviest first (weight in the category score, then score). */
function failing(lhr: Result, category: string, threshold = 1) {
  const refs = lhr.categories[category]?.auditRefs ?? [];
  return refs
    .map((ref) => ({ ref, audit: lhr.audits[ref.id] }))
    .filter(
      ({ audit }) =>
        audit &&
        audit.score !== null &&
        audit.score < threshold &&
        !["notApplicable", "manual", "informative", "error"].includes(audit.scoreDisplayMode),
    )
    .sort((a, b) => b.ref.weight - a.ref.weight || (a.audit.score ?? 0) - (b.audit.score ?? 0));
}

/** Where the problem is: the first few failing elements (selector, or the node's label), else files and their waste. */
function where(audit: Audit, max = 3): string {
  const details = audit.details as
    { items?: { node?: { selector?: string; nodeLabel?: string }; url?: string; wastedBytes?: number }[] } | undefined;
  const items = details?.items ?? [];
  const nodes = items.map((item) => item.node).filter((node) => node !== undefined);
  if (!nodes.length) {
    const files = items.filter((item) => typeof item.url === "string");
    if (!files.length) return "";
    const shown = files.slice(0, max).map((item) => {
      const file = item.url!.startsWith("data:") ? "data: URL" : new URL(item.url!).pathname;
      return item.wastedBytes ? `${file} −${(item.wastedBytes / 1024).toFixed(1)} KiB` : file;
    });
    return ` [${shown.join(" | ")}${files.length > max ? " …" : ""}]`;
  }
  const shown = nodes.slice(0, max).map((node) => node.selector ?? node.nodeLabel ?? "?");
  return ` [${nodes.length} element${nodes.length > 1 ? "s" : ""}: ${shown.join(" | ")}${nodes.length > max ? " …" : ""}]`;
}

function lcpElement(lhr: Result): string {
  const audit = lhr.audits["largest-contentful-paint-element"];
  const details = audit?.details as
    { items?: { items?: { node?: { selector?: string; snippet?: string } }[] }[] } | undefined;
  const node = details?.items?.[0]?.items?.[0]?.node;
  if (node) return `${node.selector ?? ""} ${node.snippet ?? ""}`.trim();
  return audit?.scoreDisplayMode === "error" ? "unknown (the audit errored, see below)" : "unknown";
}

/** Audits of the run's categories that could not run (their weight then drops out of the score). */
function errored(lhr: Result) {
  const ids = new Set(CATEGORIES.flatMap((c) => lhr.categories[c]?.auditRefs.map((ref) => ref.id) ?? []));
  return [...ids].filter((id) => lhr.audits[id]?.scoreDisplayMode === "error");
}

const metric = (lhr: Result, id: string) => lhr.audits[id]?.numericValue ?? NaN;

async function audit(port: number, url: string): Promise<{ lhr: Result; json: string; html: string }> {
  const flags: Flags = {
    port,
    output: ["json", "html"],
    logLevel: "error",
    onlyCategories: CATEGORIES,
    // Who the storefront is for: without it headless Chromium asks for English.
    extraHeaders: { "Accept-Language": LANG === "en" ? "en-US,en;q=0.9" : "vi-VN,vi;q=0.9" },
  };
  // No config: Lighthouse's default, the mobile one (Moto G Power, simulated throttling).
  const result = await lighthouse(url, flags);
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const [json, html] = result.report as string[];
  if (result.lhr.runtimeError)
    throw new Error(`${url}: ${result.lhr.runtimeError.code} ${result.lhr.runtimeError.message}`);
  return { lhr: result.lhr, json, html };
}

/**
 * Lighthouse asks to be run again when its trace came out broken (NO_NAVSTART,
 * NO_FCP…), which happens on a busy machine: up to two more tries.
 */
async function auditWithRetry(port: number, url: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await audit(port, url);
    } catch (error) {
      if (attempt >= 3 || !/Please run Lighthouse again|NO_NAVSTART|NO_FCP/.test(String(error))) throw error;
      console.warn(`  ${String(error).split("\n")[0]}; trying again`);
    }
  }
}

async function main() {
  let server: BenchServer | undefined;
  let chrome: chromeLauncher.LaunchedChrome | undefined;
  try {
    server = await startServer();
    const pages = [
      { name: "home", path: "/" },
      { name: "search", path: SEARCH_PATH },
      { name: "stall", path: DEMO_STALL_PATH },
      { name: "product", path: await findProductPath(server.origin) },
    ];
    // A server that has been up a while: JIT-compiled code and warm database pages.
    for (const page of pages) {
      for (let i = 0; i < WARMUP_REQUESTS; i++) await (await fetch(server.origin + page.path)).arrayBuffer();
    }
    chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS, logLevel: "error" });
    fs.mkdirSync(OUT_DIR, { recursive: true });

    const summary: Record<string, unknown> = {};
    const rows: string[][] = [];
    const details: string[] = [];
    for (const page of pages) {
      const url = server.origin + page.path;
      console.log(`Lighthouse ${RUNS > 1 ? `(${RUNS} runs) ` : ""}on ${page.path}…`);
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await auditWithRetry(chrome.port, url));
      // The run with the median performance score stands for the page.
      const perf = median(runs.map((r) => score(r.lhr, "performance")));
      const chosen = runs.find((r) => score(r.lhr, "performance") === perf) ?? runs[0];
      const { lhr } = chosen;
      fs.writeFileSync(path.join(OUT_DIR, `${page.name}.report.json`), chosen.json);
      fs.writeFileSync(path.join(OUT_DIR, `${page.name}.report.html`), chosen.html);

      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, score(lhr, c)]));
      const metrics = {
        fcpMs: Math.round(metric(lhr, "first-contentful-paint")),
        lcpMs: Math.round(metric(lhr, "largest-contentful-paint")),
        tbtMs: Math.round(metric(lhr, "total-blocking-time")),
        cls: Number(metric(lhr, "cumulative-layout-shift").toFixed(3)),
        speedIndexMs: Math.round(metric(lhr, "speed-index")),
      };
      rows.push([
        page.path,
        ...CATEGORIES.map((c) => `${scores[c]}${c in AIMS && scores[c] < AIMS[c] ? " MISSED" : ""}`),
        `${metrics.lcpMs} ms`,
        `${metrics.tbtMs} ms`,
        String(metrics.cls),
        `${metrics.fcpMs} ms`,
      ]);

      details.push(`\n${page.path}  (Lighthouse ${lhr.lighthouseVersion}, ${lhr.environment.hostUserAgent})`);
      details.push(`  LCP element: ${lcpElement(lhr)}`);
      const sections: [string, string, number][] = [
        ["accessibility", "failing accessibility audits", 1],
        ["performance", "performance audits below 0.9", 0.9],
        ["best-practices", "failing best-practices audits", 1],
        ["seo", "failing SEO audits", 1],
      ];
      const failed: Record<string, string[]> = {};
      for (const [category, label, threshold] of sections) {
        const list = failing(lhr, category, threshold);
        failed[category] = list.map(({ ref }) => ref.id);
        if (!list.length) continue;
        details.push(`  ${label}:`);
        for (const { ref, audit } of list) {
          const value = audit.displayValue ? ` — ${audit.displayValue}` : "";
          details.push(
            `    - ${ref.id} (score ${audit.score}, weight ${ref.weight}): ${audit.title}${value}${where(audit)}`,
          );
        }
      }
      const broken = errored(lhr);
      if (broken.length) {
        const reason = lhr.audits[broken[0]].errorMessage ?? "";
        details.push(`  audits that errored (not scored): ${broken.join(", ")}`);
        details.push(`    first error: ${reason.length > 160 ? `${reason.slice(0, 160)}…` : reason}`);
      }
      for (const warning of lhr.runWarnings) details.push(`  run warning: ${warning}`);
      summary[page.path] = { scores, metrics, failing: failed, errored: broken };
    }

    console.log(
      `\nLighthouse, mobile (emulated Moto G Power, simulated throttling), Accept-Language ${LANG}; reports in ${path.relative(ROOT, OUT_DIR)}/`,
    );
    printTable(["page", ...CATEGORIES, "LCP", "TBT", "CLS", "FCP"], rows);
    console.log(`aims: ${CATEGORIES.map((c) => `${c} ${AIMS[c]}`).join(", ")}`);
    for (const line of details) console.log(line);
    console.log(JSON.stringify({ bench: "lighthouse", runs: RUNS, lang: LANG, aims: AIMS, pages: summary }));
  } finally {
    chrome?.kill();
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
