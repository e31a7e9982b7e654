/**
 * What the database benchmarks share (scripts/bench/search.ts, reports.ts,
 * export.ts): a scratch PostgreSQL database of their own, dropped afterwards,
 * and a query's p50/p95 over repeated runs after a warm-up.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "#db/client";

export interface Timing {
  p50: number;
  p95: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/** Runs `run` 5 times to warm plans and caches, then `iterations` times timed: milliseconds. */
export async function timeRuns(run: () => Promise<unknown>, iterations: number): Promise<Timing> {
  for (let i = 0; i < 5; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
}

/** A new database `ghs_bench_<label>_…` on the server of `databaseUrl`, migrated; `drop` removes it. */
export async function openScratchPostgres(
  databaseUrl: string,
  label: string,
): Promise<{ handle: DatabaseHandle; url: string; name: string; drop: () => Promise<void> }> {
  const name = `ghs_bench_${label}_${process.pid}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const scratch = new URL(databaseUrl);
  scratch.pathname = `/${name}`;
  const handle = await openDatabase({ url: scratch.toString(), poolMax: 2 });
  return {
    handle,
    url: scratch.toString(),
    name,
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
