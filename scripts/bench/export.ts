/**
 * `npm run bench:export`: what a bulk export (app/exports, issue 15) costs.
 *
 *   (a) PostgreSQL, on a scratch database created next to --database-url and
 *       dropped after: 10,000 then 100,000 listings (shared photos) over
 *       stalls of one commune, loaded with INSERT … SELECT generate_series.
 *       For the Google XML and the Meta CSV, the bulk export job runs (the
 *       format's writer from EXPORT_WRITERS, streamed through putStream into
 *       a folder) in a child process of its own, which reports its peak RSS
 *       (aim < 250 MB, and about the same at both sizes) and its time; the
 *       throughput is given as a ratio to PostgreSQL's own
 *       `COPY (SELECT … the same rows …) TO STDOUT` in the same run
 *       (copy time / export time; aim ≥ 0.25).
 *   (b) PGlite, where the job shares the web server's thread: the production
 *       server (`node server.js`, jobs on) on a fresh seeded data folder with
 *       --pglite-listings more listings across the province; request latency
 *       of /healthz and of a stall page (rendered: a visitor with a cookie)
 *       while an admin's province export runs, against the same idle, as ratios.
 *
 * Flags: --database-url postgres://… (default: DATABASE_URL when it is
 * PostgreSQL, else postgres://postgres@127.0.0.1:5432/postgres), --sizes
 * 10000,100000, --stalls-per-1000 N (10: listings per stall = 100), --runs N
 * (2, the best time and the highest peak are kept), --pglite-listings N
 * (20000), --no-pglite, --no-build (reuse build/ for (b)),
 * --child-node-options "…" (Node flags for the export's process, e.g.
 * "--max-old-space-size=64" to see whether a peak is live data or a lazy
 * garbage collector), --stand-in (a
 * simple writer of this script instead of the registry's, to check the bench
 * itself before the real writers exist; its figures say nothing about them).
 * A benchmark, not a test: exit code 0 whatever the figures, MISSED next to a
 * missed aim; the last line is JSON.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase, rowsOf } from "#db/client";
import { exportRuns, households, listingPhotos, listings, mediaAssets, stalls } from "#db/schema";
import { DEMO_PASSWORD } from "#db/seed/demo-password";
import type { ExportWriter, ExportWriters } from "~/exports/index.server";
import type { Database } from "../../app/utils/db.server";
import { openScratchPostgres } from "../lib/bench-db";
import { buildApp, freePort, launchApp, ROOT, seedDemoInto, type AppProcess } from "../lib/app-process";
import { DEMO_STALL_PATH, flag, median, numberFlag, printTable, serverEnv } from "./server";

const AIMS = { peakRssMb: 250, rssGrowth: 1.25, throughputRatio: 0.25 };
const FORMATS = ["google.xml", "meta.csv"] as const;
type Format = (typeof FORMATS)[number];
/** Xã Thanh Hà, Hải Phòng: built into the migrations. */
const COMMUNE = { code: "10813", province: "31" };
const PHOTOS = 12;
const LISTINGS_PER_STALL = Math.round(1000 / numberFlag("stalls-per-1000", 10));
const SIZES = (flag("sizes") ?? "10000,100000").split(",").map(Number);
const RUNS = numberFlag("runs", 2);
const PGLITE_LISTINGS = numberFlag("pglite-listings", 20_000);
const STAND_IN = flag("stand-in") !== undefined;
const DATABASE_URL =
  flag("database-url") ??
  (process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : undefined) ??
  "postgres://postgres@127.0.0.1:5432/postgres";
const CHILD_ENV = "BENCH_EXPORT_CHILD";

const mb = (bytes: number) => bytes / (1024 * 1024);
const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");

// ---------------------------------------------------------------- data

/**
 * `count` listings over new published stalls of one commune, 1 in 10 sold
 * out, each with one of a few shared photos as its cover; titles and
 * descriptions with Vietnamese text, commas and quotes, as farmers type them.
 */
async function loadListings(
  db: Database,
  { count, batch, communes }: { count: number; batch: string; communes: string[] },
) {
  const stallCount = Math.max(1, Math.ceil(count / LISTINGS_PER_STALL));
  await db.execute(sql`
    INSERT INTO media_assets (hash, width, height, widths, dominant_color, placeholder, bytes)
    SELECT md5('bench-photo-' || g) || md5('bench-photo-x' || g), 1280, 960, '{320,640,1280}', '#6a8f3c',
      'data:image/webp;base64,UklGRh4AAABXRUJQVlA4TBEAAAAvAAAAAAfQ//73v/+BiOh/AAA=', 180000
    FROM generate_series(1, ${PHOTOS}::int) g
    ON CONFLICT (hash) DO NOTHING`);
  const communeList = sql.raw(`ARRAY[${communes.map((c) => `'${c.replace(/\D/g, "")}'`).join(",")}]::text[]`);
  await db.execute(sql`
    INSERT INTO households (name, province_code, commune_code, address_line)
    SELECT 'Hộ ' || ${batch} || ' ' || g, ${COMMUNE.province}, (${communeList})[1 + g % ${communes.length}], ${batch}
    FROM generate_series(1, ${stallCount}::int) g`);
  await db.execute(sql`
    INSERT INTO stalls (household_id, slug, name, status, published_at)
    SELECT id, ${batch} || '-' || row_number() OVER (ORDER BY id), 'Vườn "' || name || '", Thanh Hà', 'published', now()
    FROM households WHERE address_line = ${batch}`);
  await db.execute(sql`
    WITH ids AS (
      SELECT array_agg(s.id ORDER BY s.id) AS a FROM stalls s JOIN households h ON h.id = s.household_id
      WHERE h.address_line = ${batch}
    )
    INSERT INTO listings (stall_id, slug, title, description, category, unit, price_dong, stock_qty, status, position,
      weight_grams, package_length_cm, package_width_cm, package_height_cm)
    SELECT ids.a[1 + g % cardinality(ids.a)], ${batch} || '-' || g,
      (ARRAY['Vải thiều', 'Cam sành', 'Bưởi Diễn', 'Rau muống', 'Gạo tám thơm', 'Mật ong rừng', 'Trứng gà ta'])[1 + g % 7]
        || ' loại ' || (1 + g % 3) || ', lô ' || g,
      'Hàng nhà trồng, hái sáng nào giao sáng ấy. "Ngọt, mọng nước", đóng thùng xốp; giao trong xã, gửi xe khách đi tỉnh. '
        || repeat('Vườn không phun thuốc, bón phân chuồng hoai. ', 1 + g % 4) || 'Lô số ' || g || '.',
      (ARRAY['trai-cay', 'rau-la', 'lua-gao', 'mat-ong-do-kho', 'gia-cam-trung'])[1 + g % 5],
      (ARRAY['kg', 'kg', 'bo', 'hop'])[1 + g % 4], 10000 + (g * 37) % 490000, 50 + g % 200,
      (CASE WHEN g % 10 = 0 THEN 'sold_out' ELSE 'active' END)::listing_status, g / cardinality(ids.a),
      CASE WHEN g % 4 IN (2, 3) THEN 250 + g % 750 END, 30, 20, 15
    FROM generate_series(1, ${count}::int) g, ids`);
  await db.execute(sql`
    WITH photos AS (SELECT array_agg(id ORDER BY hash) AS a FROM media_assets)
    INSERT INTO listing_photos (listing_id, media_id, position)
    SELECT l.id, photos.a[1 + abs(hashtext(l.slug)) % cardinality(photos.a)], 0
    FROM listings l JOIN stalls s ON s.id = l.stall_id JOIN households h ON h.id = s.household_id, photos
    WHERE h.address_line = ${batch}`);
}

/** The rows an export of the commune reads (listings on sale of its published stalls, with stall and cover), as COPY sends them. */
function copyQuery(communeCode: string) {
  const code = communeCode.replace(/\D/g, "");
  return `COPY (
    SELECT l.id, l.slug, l.title, l.description, l.category, l.unit, l.price_dong, l.stock_qty, l.status,
      l.available_from, l.available_until, l.preorder, l.made_to_order, l.lead_time_days, l.weight_grams,
      l.package_length_cm, l.package_width_cm, l.package_height_cm, l.updated_at,
      s.id AS stall_id, s.slug AS stall_slug, s.name AS stall_name, m.hash, m.width, m.height
    FROM listings l
    JOIN stalls s ON s.id = l.stall_id
    JOIN households h ON h.id = s.household_id
    LEFT JOIN listing_photos p ON p.listing_id = l.id AND p.position = 0
    LEFT JOIN media_assets m ON m.id = p.media_id
    WHERE h.commune_code = '${code}' AND s.status = 'published' AND l.status IN ('active', 'sold_out')
    ORDER BY s.id, l.position, l.id
  ) TO STDOUT WITH (FORMAT csv)`;
}

async function timeCopy(url: string, communeCode: string): Promise<{ ms: number; bytes: number; rows: number }> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const started = performance.now();
    const stream = await client.unsafe(copyQuery(communeCode)).readable();
    let bytes = 0;
    let rows = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      // A row per line: the bench's values hold no line breaks.
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) rows++;
    }
    return { ms: performance.now() - started, bytes, rows };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- the stand-in writer

/**
 * A plain writer for checking this bench before the real ones exist: the
 * scope's stalls in keyset batches of 20, their listings on sale with the
 * cover's hash, one JSON line per item. Never used by the app.
 */
const standInWriter: ExportWriter = async function* (db, scope, format, context, stats, onBatch) {
  yield `# ${format} ${context.today}\n`;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const place =
      scope.kind === "commune"
        ? eq(households.communeCode, scope.code)
        : scope.kind === "province"
          ? eq(households.provinceCode, scope.code)
          : eq(stalls.id, scope.stallId);
    const batch = await db
      .select({ id: stalls.id, name: stalls.name, slug: stalls.slug })
      .from(stalls)
      .innerJoin(households, eq(households.id, stalls.householdId))
      .where(and(eq(stalls.status, "published"), place, gt(stalls.id, after)))
      .orderBy(asc(stalls.id))
      .limit(20);
    if (batch.length === 0) break;
    const rows = await db
      .select({
        id: listings.id,
        stallId: listings.stallId,
        title: listings.title,
        description: listings.description,
        priceDong: listings.priceDong,
        status: listings.status,
        hash: mediaAssets.hash,
      })
      .from(listings)
      .leftJoin(listingPhotos, and(eq(listingPhotos.listingId, listings.id), eq(listingPhotos.position, 0)))
      .leftJoin(mediaAssets, eq(mediaAssets.id, listingPhotos.mediaId))
      .where(
        and(
          inArray(
            listings.stallId,
            batch.map((s) => s.id),
          ),
          inArray(listings.status, ["active", "sold_out"]),
        ),
      )
      .orderBy(asc(listings.stallId), asc(listings.position), asc(listings.id));
    const byStall = new Map(batch.map((s) => [s.id, s]));
    let chunk = "";
    for (const row of rows) {
      const stall = byStall.get(row.stallId)!;
      if (!row.hash) {
        stats.skipped++;
        stats.skippedByReason.no_photo = (stats.skippedByReason.no_photo ?? 0) + 1;
        continue;
      }
      chunk += JSON.stringify({
        id: row.id,
        title: row.title,
        description: row.description,
        price: `${row.priceDong} VND`,
        availability: row.status === "active" ? "in_stock" : "out_of_stock",
        link: `${context.site}/s/${stall.slug}`,
        image: `${context.site}/media/photos/${row.hash}/1280.jpg`,
        brand: stall.name,
      });
      chunk += "\n";
      stats.items++;
    }
    yield chunk;
    stats.stalls += batch.length;
    after = batch.at(-1)!.id;
    await onBatch();
  }
};

// ---------------------------------------------------------------- (a) the job in a child process

interface ChildConfig {
  runId: string;
  format: Format;
  standIn: boolean;
}

interface ChildFigures {
  ms: number;
  baseRss: number;
  peakRss: number;
  result: Record<string, unknown>;
}

/** Linux keeps a process's peak RSS (VmHWM) and lets it be reset (clear_refs 5); elsewhere, sampling. */
function highWaterMark(): number | null {
  const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
  return match ? Number(match[1]) * 1024 : null;
}

async function child(config: ChildConfig) {
  const { bulkExportJob, EXPORT_WRITERS } = await import("~/exports/index.server");
  const handle = await openDatabase({ url: process.env.DATABASE_URL, poolMax: 2 });
  const writers: ExportWriters = config.standIn ? { [config.format]: standInWriter } : EXPORT_WRITERS;
  const job = bulkExportJob({ writers });
  globalThis.gc?.();
  let resetable = true;
  try {
    fs.writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    resetable = false;
  }
  const baseRss = process.memoryUsage.rss();
  let sampled = baseRss;
  const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage.rss())), 5);
  const started = performance.now();
  const result = (await job.handler(
    handle.db,
    { runId: config.runId, site: "https://gianhangso.example.vn" },
    { attempt: 1, signal: new AbortController().signal },
  )) as unknown as Record<string, unknown>;
  const ms = performance.now() - started;
  clearInterval(sampler);
  const hwm = resetable ? highWaterMark() : null;
  const figures: ChildFigures = { ms, baseRss, peakRss: Math.max(sampled, hwm ?? 0), result };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  await handle.close();
}

/**
 * The child's code as one bundle (esbuild, packages left to node_modules), as
 * the server's build is: run through tsx, a child would carry the
 * transpiler's own memory (~40 MB) in every figure. Null when esbuild is
 * missing: the child then runs through tsx.
 */
async function bundleChild(): Promise<string | null> {
  try {
    const { build } = await import("esbuild");
    const outfile = path.join(ROOT, ".bench/export/child.mjs");
    // node_modules stay outside (esbuild 0.17's `packages: "external"` would take `~/…` for a package too).
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Record<
      string,
      Record<string, string> | undefined
    >;
    const packages = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
    await build({
      entryPoints: [path.join(ROOT, "scripts/bench/export.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      external: packages.flatMap((name) => [name, `${name}/*`]),
      outfile,
      tsconfig: path.join(ROOT, "tsconfig.json"),
      logLevel: "warning",
    });
    return outfile;
  } catch (error) {
    console.error(`esbuild did not bundle the child (${String(error)}): it runs through tsx`);
    return null;
  }
}

let childScript: Promise<string | null> | undefined;

async function runChild(config: ChildConfig, env: Record<string, string>): Promise<ChildFigures> {
  childScript ??= bundleChild();
  const script = await childScript;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, [CHILD_ENV]: JSON.stringify(config) };
  // Links in the files: the site the job is given, not the shell's PUBLIC_URL; files in the bench's folder.
  delete childEnv.PUBLIC_URL;
  for (const name of ["S3_BUCKET", "S3_ENDPOINT", "S3_PUBLIC_URL"]) delete childEnv[name];
  const args = script ? [script] : ["--import", "tsx", "scripts/bench/export.ts"];
  const nodeOptions = (flag("child-node-options") ?? "").split(" ").filter(Boolean);
  const proc = spawn(process.execPath, ["--expose-gc", ...nodeOptions, ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    proc.once("error", reject);
    proc.once("close", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(line) as ChildFigures);
      } catch (error) {
        reject(new Error(`the export child failed (${String(error)}):\n${out}`));
      }
    });
  });
}

const openScratch = () => openScratchPostgres(DATABASE_URL, "export");

interface SizeFigures {
  listings: number;
  copy: { ms: number; bytes: number; rows: number };
  formats: Record<
    string,
    { ms: number; peakRss: number; baseRss: number; bytes: number; items: number; skipped: number } | { error: string }
  >;
}

async function postgresPart(): Promise<SizeFigures[]> {
  const { handle, url, drop } = await openScratch();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-export-"));
  const figures: SizeFigures[] = [];
  try {
    await handle.migrate();
    const { db } = handle;
    let present = 0;
    for (const size of SIZES) {
      const loadStart = performance.now();
      await loadListings(db, { count: size - present, batch: `bench${size}`, communes: [COMMUNE.code] });
      await db.execute(sql`ANALYZE`);
      present = size;
      console.error(`PostgreSQL: ${size} listings loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

      const copies = [];
      for (let i = 0; i < RUNS; i++) copies.push(await timeCopy(url, COMMUNE.code));
      const copy = copies.reduce((best, c) => (c.ms < best.ms ? c : best));
      const sizeFigures: SizeFigures = { listings: size, copy, formats: {} };
      for (const format of FORMATS) {
        const runs: ChildFigures[] = [];
        let error: string | undefined;
        for (let i = 0; i < RUNS && !error; i++) {
          const [run] = await db
            .insert(exportRuns)
            .values({ scopeKind: "commune", scopeCode: COMMUNE.code, format })
            .returning();
          const got = await runChild(
            { runId: run.id, format, standIn: STAND_IN },
            { DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: "warn" },
          );
          if (!("bytes" in got.result)) error = JSON.stringify(got.result);
          else runs.push(got);
          await db.delete(exportRuns).where(eq(exportRuns.id, run.id));
          fs.rmSync(path.join(dataDir, "media", "exports"), { recursive: true, force: true });
        }
        if (error || runs.length === 0) {
          sizeFigures.formats[format] = { error: error ?? "no run" };
          console.error(`  ${format}: ${error} (is its writer in EXPORT_WRITERS? --stand-in checks the bench alone)`);
          continue;
        }
        const best = runs.reduce((b, r) => (r.ms < b.ms ? r : b));
        const result = best.result as { bytes: number; items: number; skipped: number };
        sizeFigures.formats[format] = {
          ms: best.ms,
          peakRss: Math.max(...runs.map((r) => r.peakRss)),
          baseRss: Math.min(...runs.map((r) => r.baseRss)),
          bytes: result.bytes,
          items: result.items,
          skipped: result.skipped,
        };
        console.error(`  ${format}: ${(best.ms / 1000).toFixed(2)} s, peak ${mb(best.peakRss).toFixed(0)} MB`);
      }
      figures.push(sizeFigures);
    }
  } finally {
    await handle.close();
    await drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}

// ---------------------------------------------------------------- (b) PGlite: a page while a province export runs

interface Latency {
  samples: number;
  p50: number;
  p95: number;
}

function summary(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return { samples: 0, p50: NaN, p95: NaN };
  return {
    samples: sorted.length,
    p50: median(sorted),
    p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))],
  };
}

async function timed(url: string, headers: Record<string, string> = {}): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return performance.now() - started;
}

/** Requests one after the other (a pause of 10 ms between) until `done()` or `count` of them. */
async function sample(
  origin: string,
  paths: { path: string; headers?: Record<string, string> }[],
  { count, done }: { count?: number; done?: () => boolean },
): Promise<number[][]> {
  const samples = paths.map(() => [] as number[]);
  for (let i = 0; count === undefined || i < count; i++) {
    if (done?.()) break;
    for (const [k, { path: p, headers }] of paths.entries()) samples[k].push(await timed(origin + p, headers));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return samples;
}

async function signIn(origin: string, phone: string): Promise<string> {
  const res = await fetch(`${origin}/login`, {
    method: "POST",
    body: new URLSearchParams({ phone, password: DEMO_PASSWORD }),
    redirect: "manual",
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("__session="));
  if (res.status !== 302 || !session) throw new Error(`signing in as the demo admin answered ${res.status}`);
  return session.split(";")[0];
}

interface PgliteFigures {
  listings: number;
  exportSeconds: number;
  status: string;
  idle: Record<string, Latency>;
  during: Record<string, Latency>;
}

async function pglitePart(): Promise<PgliteFigures> {
  if (flag("no-build") === undefined) buildApp();
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-export-pglite-"));
  const env = { ...serverEnv(port, dataDir, ""), JOBS: "on", LOG_LEVEL: "warn" };
  let app: AppProcess | undefined;
  try {
    await seedDemoInto(env);
    // More stalls across the province's communes, written before the server opens the folder.
    const handle = await openDatabase({ dataDir });
    const loadStart = performance.now();
    const communes = rowsOf(
      await handle.db.execute(sql`SELECT code FROM communes WHERE province_code = ${COMMUNE.province}`),
    ).map((r) => String(r.code));
    await loadListings(handle.db, { count: PGLITE_LISTINGS, batch: "benchpglite", communes });
    await handle.close();
    console.error(
      `PGlite: ${PGLITE_LISTINGS} listings loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
    );

    app = await launchApp({ env, port, capture: true });
    const cookie = await signIn(app.origin, "+84973000401");
    const paths = [
      { path: "/healthz" },
      // A visitor with a cookie: rendered each time, not the kept page (ADR 009).
      { path: DEMO_STALL_PATH, headers: { cookie: "ghs_bench=1" } },
    ];
    await sample(app.origin, paths, { count: 20 }); // warm up
    const idle = await sample(app.origin, paths, { count: 100 });

    const asked = await fetch(`${app.origin}/admin/exports`, {
      method: "POST",
      headers: { cookie, origin: app.origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ scopeKind: "province", provinceCode: COMMUNE.province, format: "google.xml" }),
      redirect: "manual",
    });
    if (asked.status !== 302) throw new Error(`asking for the export answered ${asked.status}`);
    const started = performance.now();
    let status = "running";
    let finished = false;
    const watch = (async () => {
      while (!finished) {
        const html = await (await fetch(`${app!.origin}/admin/exports`, { headers: { cookie } })).text();
        // The screen says it is still making a file (and refreshes itself) while a run is open.
        if (!html.includes("Đang tạo tệp, trang tự cập nhật.")) {
          status = /Không thành công|Failed/.test(html) ? "failed" : "done";
          finished = true;
        } else await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const during = await sample(app.origin, paths, { done: () => finished });
    await watch;
    const exportSeconds = (performance.now() - started) / 1000;
    if (status === "failed") console.error("  the province export failed: is google.xml's writer in EXPORT_WRITERS?");
    const byPath = (samples: number[][]) =>
      Object.fromEntries(paths.map((p, k) => [p.path, summary(samples[k])])) as Record<string, Latency>;
    return { listings: PGLITE_LISTINGS, exportSeconds, status, idle: byPath(idle), during: byPath(during) };
  } finally {
    await app?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- report

async function main() {
  const started = performance.now();
  if (STAND_IN)
    console.error("--stand-in: the bench's own writer, not the app's: these figures check the bench only.\n");
  const sizes = await postgresPart();
  const pglite = flag("no-pglite") === undefined ? await pglitePart() : null;

  console.log(`\nBulk export on PostgreSQL (child process per run, best of ${RUNS})\n`);
  const rows: string[][] = [];
  const verdicts: Record<string, boolean> = {};
  for (const size of sizes) {
    rows.push([
      `COPY … TO STDOUT (${size.listings})`,
      (size.copy.ms / 1000).toFixed(2),
      String(size.copy.rows),
      mb(size.copy.bytes).toFixed(1),
      "",
      "",
      "",
    ]);
    for (const format of FORMATS) {
      const f = size.formats[format];
      if ("error" in f) {
        rows.push([`${format} (${size.listings})`, "-", "-", "-", "-", "-", f.error.slice(0, 40)]);
        continue;
      }
      const ratio = size.copy.ms / f.ms;
      const rssOk = mb(f.peakRss) < AIMS.peakRssMb;
      verdicts[`${format} ${size.listings} rss`] = rssOk;
      verdicts[`${format} ${size.listings} throughput`] = ratio >= AIMS.throughputRatio;
      rows.push([
        `${format} (${size.listings})`,
        (f.ms / 1000).toFixed(2),
        `${f.items} (+${f.skipped} skipped)`,
        mb(f.bytes).toFixed(1),
        `${mb(f.peakRss).toFixed(0)} ${verdict(rssOk)}`,
        mb(f.baseRss).toFixed(0),
        `${ratio.toFixed(2)} ${verdict(ratio >= AIMS.throughputRatio)}`,
      ]);
    }
  }
  printTable(
    ["run", "seconds", "rows / items", "MB", "peak RSS MB (< 250)", "base RSS MB", "÷ COPY time (≥ 0.25)"],
    rows,
  );
  const growth: Record<string, number> = {};
  if (sizes.length >= 2) {
    const [small, large] = [sizes[0], sizes.at(-1)!];
    for (const format of FORMATS) {
      const a = small.formats[format];
      const b = large.formats[format];
      if ("error" in a || "error" in b) continue;
      growth[format] = +(b.peakRss / a.peakRss).toFixed(2);
      verdicts[`${format} rss growth`] = growth[format] <= AIMS.rssGrowth;
      console.log(
        `peak RSS ${format}: ${large.listings} / ${small.listings} listings = ${growth[format].toFixed(2)} ${verdict(growth[format] <= AIMS.rssGrowth)} (aim ≤ ${AIMS.rssGrowth})`,
      );
    }
  }

  if (pglite) {
    console.log(
      `\nPGlite: request latency while a province export of ${pglite.listings} more listings runs (${pglite.status}, ${pglite.exportSeconds.toFixed(1)} s) vs idle (ms)\n`,
    );
    printTable(
      ["path", "idle p50", "idle p95", "during p50", "during p95", "p50 ×", "p95 ×", "samples during"],
      Object.keys(pglite.idle).map((p) => {
        const idle = pglite.idle[p];
        const during = pglite.during[p];
        return [
          p,
          idle.p50.toFixed(1),
          idle.p95.toFixed(1),
          during.p50.toFixed(1),
          during.p95.toFixed(1),
          (during.p50 / idle.p50).toFixed(2),
          (during.p95 / idle.p95).toFixed(2),
          String(during.samples),
        ];
      }),
    );
  }

  console.log(
    JSON.stringify({
      bench: "export",
      standIn: STAND_IN,
      seconds: +((performance.now() - started) / 1000).toFixed(1),
      aims: AIMS,
      postgres: sizes.map((s) => ({
        listings: s.listings,
        copy: { seconds: +(s.copy.ms / 1000).toFixed(3), rows: s.copy.rows, bytes: s.copy.bytes },
        formats: Object.fromEntries(
          Object.entries(s.formats).map(([format, f]) => [
            format,
            "error" in f
              ? f
              : {
                  seconds: +(f.ms / 1000).toFixed(3),
                  peakRssMb: +mb(f.peakRss).toFixed(1),
                  baseRssMb: +mb(f.baseRss).toFixed(1),
                  bytes: f.bytes,
                  items: f.items,
                  skipped: f.skipped,
                  throughputRatio: +(s.copy.ms / f.ms).toFixed(3),
                },
          ]),
        ),
      })),
      rssGrowth: growth,
      pglite: pglite && {
        listings: pglite.listings,
        status: pglite.status,
        exportSeconds: +pglite.exportSeconds.toFixed(1),
        latencyRatio: Object.fromEntries(
          Object.keys(pglite.idle).map((p) => [
            p,
            {
              p50: +(pglite.during[p].p50 / pglite.idle[p].p50).toFixed(2),
              p95: +(pglite.during[p].p95 / pglite.idle[p].p95).toFixed(2),
              idle: pglite.idle[p],
              during: pglite.during[p],
            },
          ]),
        ),
      },
      allWithinAim: Object.values(verdicts).every(Boolean),
    }),
  );
}

const childConfig = process.env[CHILD_ENV];
if (childConfig) await child(JSON.parse(childConfig) as ChildConfig);
else await main();
