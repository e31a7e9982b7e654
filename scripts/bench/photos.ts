/**
 * `npm run bench:photos`: what the photo pipeline costs on this machine, for a
 * 12-megapixel phone photo made up in memory (no files needed).
 *
 *   (a) baseline: one sharp resize of it to a 1280 px WebP
 *   (b) processPhoto: every check, 3 widths × AVIF/WebP/JPEG, colour, placeholder
 *
 * Prints medians, the ratio b/a, the peak memory (RSS) during (b) and the size
 * of the 640 px WebP, each against its aim. A benchmark, not a test: it never
 * fails on timings (exit code 0 unless something crashes).
 *
 * The photo is made in this process and measured in a fresh child, so the
 * memory figure is the pipeline's and not the photo generator's.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import url from "node:url";
import sharp from "sharp";
import { processPhoto } from "~/media/photos.server";
import { phonePhoto } from "./phone-photo";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const AIMS = { ratio: 3, peakRssMb: 300, webp640Kb: 80 };

function median(values: number[]) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function time(fn: () => Promise<unknown>) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Linux keeps the process's peak RSS (VmHWM) and lets us reset it (clear_refs 5). */
function peakRss(): { resetable: boolean; read: () => number; reset: () => void } {
  const read = () => {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
    return match ? Number(match[1]) * 1024 : NaN;
  };
  try {
    fs.writeFileSync("/proc/self/clear_refs", "5");
    return { resetable: true, read, reset: () => fs.writeFileSync("/proc/self/clear_refs", "5") };
  } catch {
    // Elsewhere: sample RSS while (b) runs (may miss short native peaks).
    let peak = 0;
    let timer: NodeJS.Timeout | undefined;
    return {
      resetable: false,
      read: () => {
        clearInterval(timer);
        return peak;
      },
      reset: () => {
        clearInterval(timer);
        peak = process.memoryUsage.rss();
        timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
      },
    };
  }
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function measure(file: string) {
  console.log(
    `Photo pipeline benchmark — Node ${process.version}, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), ` +
      `${os.availableParallelism()} CPUs, sharp.concurrency ${sharp.concurrency()}, ` +
      `MALLOC_ARENA_MAX ${process.env.MALLOC_ARENA_MAX ?? "unset"}, ${RUNS} runs each\n`,
  );
  const input = fs.readFileSync(file);
  const meta = await sharp(input).metadata();
  console.log(`input: ${meta.width}×${meta.height} JPEG, ${(input.length / 1024 / 1024).toFixed(2)} MB\n`);

  // Warm-up: load codecs, JIT, the HEIC probe.
  await sharp(input).resize({ width: 1280 }).webp().toBuffer();
  await processPhoto(input);

  // (a) and (b) take turns, so a burst of load from elsewhere hits both alike.
  const peak = peakRss();
  const baseline: number[] = [];
  const pipeline: number[] = [];
  let peakBytes = 0;
  let rssBefore = Infinity;
  let last: Awaited<ReturnType<typeof processPhoto>> | undefined;
  for (let i = 0; i < RUNS; i++) {
    baseline.push(await time(() => sharp(input).resize({ width: 1280 }).webp().toBuffer()));
    // Each run of (b) starts from a collected heap, as a server between uploads would.
    last = undefined;
    gc();
    rssBefore = Math.min(rssBefore, process.memoryUsage.rss());
    peak.reset();
    pipeline.push(
      await time(async () => {
        last = await processPhoto(input);
      }),
    );
    peakBytes = Math.max(peakBytes, peak.read());
  }

  const a = median(baseline);
  const b = median(pipeline);
  const ratio = b / a;
  const webp640 = last!.variants.find((v) => v.width === 640 && v.format === "webp")!.body.length;

  const rows: [string, string, string, string][] = [
    ["(a) sharp resize → 1280 px WebP", `${a.toFixed(0)} ms`, "", ""],
    ["(b) processPhoto (9 variants + extras)", `${b.toFixed(0)} ms`, "", ""],
    ["ratio b / a", `${ratio.toFixed(2)}×`, `≤ ${AIMS.ratio}×`, ratio <= AIMS.ratio ? "PASS" : "MISS"],
    [
      `peak RSS during one (b)${peak.resetable ? " (VmHWM)" : " (sampled)"}`,
      `${mb(peakBytes).toFixed(0)} MB`,
      `< ${AIMS.peakRssMb} MB`,
      mb(peakBytes) < AIMS.peakRssMb ? "PASS" : "MISS",
    ],
    ["  RSS at rest before a run of (b)", `${mb(rssBefore).toFixed(0)} MB`, "", ""],
    [
      "640 px WebP",
      `${(webp640 / 1024).toFixed(1)} KB`,
      `≤ ${AIMS.webp640Kb} KB`,
      webp640 / 1024 <= AIMS.webp640Kb ? "PASS" : "MISS",
    ],
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ");
  console.log(line(["measure", "value", "aim", ""]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));

  console.log("\nvariants of the last run:");
  for (const v of last!.variants) {
    console.log(
      `  ${String(v.width).padStart(4)} × ${String(v.height).padEnd(4)} ${v.format.padEnd(4)} ${(v.body.length / 1024).toFixed(1).padStart(7)} KB`,
    );
  }
  console.log(
    `  total ${(last!.bytes / 1024).toFixed(0)} KB; placeholder ${last!.placeholder.length} bytes; colour ${last!.dominantColor}`,
  );
  console.log(
    `\nruns (ms): a = ${baseline.map((t) => t.toFixed(0)).join(", ")}; b = ${pipeline.map((t) => t.toFixed(0)).join(", ")}`,
  );
}

async function main() {
  const [flag, file] = process.argv.slice(2);
  if (flag === "--measure" && file) return measure(file);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ghs-bench-"));
  try {
    const photo = path.join(dir, "phone-12mp.jpg");
    fs.writeFileSync(photo, await phonePhoto());
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, url.fileURLToPath(import.meta.url), "--measure", photo],
      { stdio: "inherit" },
    );
    if (child.status !== 0) process.exitCode = child.status ?? 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
