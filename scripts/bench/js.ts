/**
 * `npm run bench:js`: the JavaScript each public page makes a phone download,
 * on the production build with the seeded demo, measured in Debian's Chromium
 * (360 × 640, a fresh browser profile per page, so nothing comes from a cache).
 *
 * Pages: home, a search, a stall, a product, the stall's poster, a cart with a
 * product in it, an order just placed, login and sign-up. For each: the
 * framework's JavaScript (scripts from /build/, Remix's build), other script
 * files, and the documents' inline scripts (not JSON-LD), each gzipped at level
 * 6, one file at a time; what the scripts cost on the wire (as the server
 * compressed them, headers included); and everything the page downloaded.
 *
 * Aim (issue 14, "made for a cheap phone on slow 3G"): public pages are HTML
 * and CSS only, so no framework JavaScript: 0 bytes.
 *
 * Flags: --no-build, --port N. A benchmark, not a test: exit code 0 whatever
 * the figures, MISSED next to a missed aim; the last line is JSON.
 */
import { PHONE, kb, launchPhoneBrowser, NetworkRecorder, type Traffic } from "./browser";
import { publicPages } from "./public-pages";
import { printTable, startServer, type BenchServer } from "./server";

const AIMS = { frameworkGzip: 0 };

async function measure(
  browser: Awaited<ReturnType<typeof launchPhoneBrowser>>,
  origin: string,
  page: { path: string; cookies?: string[] },
): Promise<Traffic & { status: number; scripts: string[] }> {
  const context = await browser.newContext(PHONE);
  try {
    if (page.cookies?.length) {
      await context.addCookies(
        page.cookies.map((cookie) => {
          const [name, ...value] = cookie.split("=");
          return { name, value: value.join("="), url: origin };
        }),
      );
    }
    const tab = await context.newPage();
    const network = await NetworkRecorder.attach(tab);
    const mark = network.mark();
    const response = await tab.goto(origin + page.path, { waitUntil: "load" });
    // Chunks a page imports once it runs (hydration, lazy routes) come after the load event.
    await network.quiet(1000);
    const traffic = await network.since(mark);
    const scripts = traffic.files.filter((f) => f.gzip > 0).map((f) => `${new URL(f.url).pathname} ${kb(f.gzip)}`);
    return { ...traffic, status: response?.status() ?? 0, scripts };
  } finally {
    await context.close();
  }
}

async function main() {
  let server: BenchServer | undefined;
  let browser: Awaited<ReturnType<typeof launchPhoneBrowser>> | undefined;
  try {
    server = await startServer();
    const pages = await publicPages(server.origin);
    browser = await launchPhoneBrowser();
    const results = [];
    for (const page of pages) {
      const figures = await measure(browser, server.origin, page);
      if (figures.status !== 200) throw new Error(`${page.path} answered ${figures.status}`);
      results.push({ ...page, ...figures });
    }

    console.log("\nJavaScript per public page (gzip level 6, each file once; a fresh browser per page)");
    printTable(
      ["page", "framework (/build/)", "files", "other files", "inline", "JS on the wire", "page total", "aim"],
      results.map((r) => [
        `${r.name} ${r.path.length > 40 ? `${r.path.slice(0, 39)}…` : r.path}`,
        kb(r.js.buildGzip),
        String(r.js.buildFiles),
        kb(r.js.otherGzip),
        kb(r.js.inlineGzip),
        kb(r.js.transferred),
        kb(r.downloaded),
        r.js.buildGzip <= AIMS.frameworkGzip ? "0 ok" : "0 MISSED",
      ]),
    );
    const largest = new Map<string, string>();
    for (const r of results) for (const s of r.scripts) largest.set(s.split(" ")[0], s);
    if (largest.size) console.log(`script files seen: ${[...largest.values()].join(", ")}`);
    console.log(
      JSON.stringify({
        bench: "js",
        gzipLevel: 6,
        aims: AIMS,
        pages: Object.fromEntries(
          results.map((r) => [
            r.name,
            {
              path: r.path,
              frameworkGzipBytes: r.js.buildGzip,
              frameworkFiles: r.js.buildFiles,
              otherGzipBytes: r.js.otherGzip,
              inlineGzipBytes: r.js.inlineGzip,
              jsTransferredBytes: r.js.transferred,
              pageBytes: r.downloaded,
              met: r.js.buildGzip <= AIMS.frameworkGzip,
            },
          ]),
        ),
      }),
    );
  } finally {
    await browser?.close();
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
