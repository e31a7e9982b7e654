/**
 * Bulk exports as background jobs, on the real runner of each database
 * (pg-boss on PostgreSQL, the in-process queue on PGlite), with the app's
 * storage (this file's DATA_DIR/media) and a small real writer of the tests'
 * own (tests/fixtures/bulk-export-writer.ts): what is asked for is checked,
 * a commune's or a province's file holds exactly its published stalls, a run
 * interrupted half-way (a stopped server, a run given up on while its handler
 * still goes) finishes once, failures are told by code, and files expire.
 */
import { buffer, text } from "node:stream/consumers";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { communes, exportRuns, listings } from "#db/schema";
import { createFarmerWithStall, createUser, THANH_HA } from "#tests/fixtures/factories";
import { stallLinesWriter, type WriterHooks } from "#tests/fixtures/bulk-export-writer";
import {
  BulkExportError,
  bulkExportJob,
  expireBulkExports,
  listBulkExports,
  openBulkExportFile,
  requestBulkExport,
  type ExportWriters,
} from "./index.server";
import { runBulkExport } from "./bulk.server";
import { InProcessJobRunner } from "~/jobs/in-process-runner.server";
import { PgBossJobRunner } from "~/jobs/pg-boss-runner.server";
import type { JobRunner, OneOffJobDefinition } from "~/jobs/runner.server";
import { storage } from "~/media/index.server";
import { db, dbDriver } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { todayInVietnam } from "~/utils/format";

// ---- places and stalls -------------------------------------------------------

/** Another commune of Hải Phòng (31), and a commune of Hà Nội (01) for a stall outside the province. */
const NAM_SACH = "10606";
const [hanoiCommune] = await db
  .insert(communes)
  .values({
    code: "99001",
    provinceCode: "01",
    name: "Thử Nghiệm",
    nameEn: "Thu Nghiem",
    fullName: "Xã Thử Nghiệm",
    fullNameEn: "Thu Nghiem Commune",
    codeName: "thu_nghiem",
  })
  .returning();

const stallIn = async (communeCode: string, provinceCode: string, status: "published" | "draft" = "published") =>
  (await createFarmerWithStall(db, { household: { communeCode, provinceCode }, stall: { status } })).stall;

const thanhHa = [
  await stallIn(THANH_HA.communeCode, "31"),
  await stallIn(THANH_HA.communeCode, "31"),
  await stallIn(THANH_HA.communeCode, "31"),
];
const thanhHaDraft = await stallIn(THANH_HA.communeCode, "31", "draft");
const namSach = await stallIn(NAM_SACH, "31");
const hanoi = await stallIn(hanoiCommune.code, "01");

let slug = 0;
async function addListings(stallId: string, active: number, soldOut = 0) {
  const row = (status: "active" | "sold_out") => ({
    stallId,
    slug: `hang-${++slug}`,
    title: `Hàng thử ${slug}`,
    category: "trai-cay",
    unit: "kg",
    priceDong: 10_000,
    status,
  });
  await db
    .insert(listings)
    .values([
      ...Array.from({ length: active }, () => row("active")),
      ...Array.from({ length: soldOut }, () => row("sold_out")),
    ]);
}
await addListings(thanhHa[0].id, 3, 1);
await addListings(thanhHa[1].id, 2);
await addListings(thanhHa[2].id, 0, 2);
await addListings(thanhHaDraft.id, 5);
await addListings(namSach.id, 4);
await addListings(hanoi.id, 1);

const admin = await createUser(db, { role: "admin", fullName: "Trần Quốc Bảo" });

/** The file the test writer makes for these stalls (active listings from the counts above). */
function expectedFile(
  format: string,
  scope: string,
  rows: { stall: { id: string; name: string }; active: number }[],
  site = "http://localhost:3000",
) {
  const sorted = [...rows].sort((a, b) => (a.stall.id < b.stall.id ? -1 : 1));
  return (
    `# ${format} ${scope} ${todayInVietnam()} ${site}\n` +
    sorted.map(({ stall, active }) => `${stall.id}\t${stall.name}\t${active}\n`).join("")
  );
}
const THANH_HA_ROWS = [
  { stall: thanhHa[0], active: 3 },
  { stall: thanhHa[1], active: 2 },
  { stall: thanhHa[2], active: 0 },
];

// ---- runners -----------------------------------------------------------------

const runners: JobRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

type JobOptions = Parameters<typeof bulkExportJob>[0] & { withoutRecover?: boolean };

function runnerWith(writers: ExportWriters, { withoutRecover, ...options }: JobOptions = {}) {
  const runner: JobRunner =
    dbDriver === "postgres"
      ? new PgBossJobRunner({
          db,
          connectionString: env().DATABASE_URL!,
          pollingIntervalSeconds: 0.5,
          stopTimeoutMs: 1000,
        })
      : new InProcessJobRunner({ db });
  const job = bulkExportJob({ writers, progressEveryMs: 0, retry: { limit: 2, delaySeconds: 0 }, ...options });
  const definition: OneOffJobDefinition = withoutRecover ? { ...job, recover: undefined } : job;
  runner.registerOneOff(definition);
  runners.push(runner);
  return runner;
}

const runOf = async (id: string) => (await db.select().from(exportRuns).where(eq(exportRuns.id, id)))[0];

/** Polls the run's row until `check` holds (the job runs in the background). */
async function until(id: string, check: (run: typeof exportRuns.$inferSelect) => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const run = await runOf(id);
    if (check(run)) return run;
    if (Date.now() > deadline) throw new Error(`run ${id} is still ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const fileText = async (key: string) => text((await storage().get(key))!.body);
const filesOf = (runId: string) => storage().list(`exports/${runId}/`);
const commune = (code: string) => ({ kind: "commune" as const, code });
const province = (code: string) => ({ kind: "province" as const, code });

// ---- asking ------------------------------------------------------------------

describe("requestBulkExport", () => {
  it("refuses an unknown format, commune or province, or a commune outside the form's province, and writes nothing", async () => {
    const before = (await db.select().from(exportRuns)).length;
    const refused = async (input: Parameters<typeof requestBulkExport>[2]) =>
      (await requestBulkExport(db, null, input).catch((e: unknown) => e)) as BulkExportError;
    const base = { userId: admin.id, scope: commune(THANH_HA.communeCode), format: "meta.csv" };
    expect((await refused({ ...base, format: "amazon.csv" })).code).toBe("unknown_format");
    expect((await refused({ ...base, format: "../meta.csv" })).code).toBe("unknown_format");
    expect((await refused({ ...base, scope: commune("12345") })).code).toBe("unknown_commune");
    expect((await refused({ ...base, scope: commune("1; DROP TABLE") })).code).toBe("unknown_commune");
    expect((await refused({ ...base, scope: province("98") })).code).toBe("unknown_province");
    const outside = await refused({ ...base, scope: commune(hanoiCommune.code), provinceCode: "31" });
    expect(outside).toBeInstanceOf(BulkExportError);
    expect(outside.code).toBe("commune_not_in_province");
    expect(outside.fields).toEqual({ communeCode: "bulk.errors.commune_not_in_province" });
    expect(outside.textKey).toBe("exports:bulk.errors.commune_not_in_province");
    expect((await db.select().from(exportRuns)).length).toBe(before);
  });

  it("answers the run already waiting for the same scope and format instead of a second one", async () => {
    const input = { userId: admin.id, scope: province("31"), format: "products.json" };
    const first = await requestBulkExport(db, null, input);
    const again = await requestBulkExport(db, null, input);
    expect(first.created).toBe(true);
    expect(again).toEqual({ run: first.run, created: false });
    expect((await requestBulkExport(db, null, { ...input, format: "products.csv" })).created).toBe(true);
    await db.delete(exportRuns).where(eq(exportRuns.scopeCode, "31"));
  });
});

// ---- running -----------------------------------------------------------------

describe(`a bulk export as a job on ${dbDriver === "postgres" ? "pg-boss" : "the in-process queue"}`, () => {
  it("writes a commune's file with exactly its published stalls, its progress and its expiry, and lists it", async () => {
    const { writer } = stallLinesWriter();
    const runner = runnerWith({ "meta.csv": writer });
    await runner.start();
    const { run } = await requestBulkExport(db, runner, {
      userId: admin.id,
      scope: commune(THANH_HA.communeCode),
      format: "meta.csv",
      site: "https://cho.example.vn/",
    });
    const done = await until(run.id, (r) => r.status === "done");

    const expected = expectedFile(
      "meta.csv",
      `commune ${THANH_HA.communeCode}`,
      THANH_HA_ROWS,
      "https://cho.example.vn",
    );
    expect(done).toMatchObject({
      stallsTotal: 3,
      stallsDone: 3,
      itemsWritten: 5,
      itemsSkipped: 3,
      errors: { skippedByReason: { sold_out: 3 } },
      attempts: 1,
      fileKey: `exports/${run.id}/1/meta.csv`,
      fileBytes: Buffer.byteLength(expected),
    });
    expect(await fileText(done.fileKey!)).toBe(expected);
    const days = (done.expiresAt!.getTime() - done.finishedAt!.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(7, 5);

    const [listed] = (await listBulkExports(db, { limit: 50 })).filter((r) => r.id === run.id);
    expect(listed).toMatchObject({
      requestedByName: "Trần Quốc Bảo",
      scopeKind: "commune",
      scopeCode: THANH_HA.communeCode,
      scopeName: "Xã Thanh Hà",
      format: "meta.csv",
      status: "done",
      downloadable: true,
    });
    expect(await listBulkExports(db, { scope: commune(NAM_SACH) })).toEqual([]);

    const file = await openBulkExportFile(db, run.id);
    expect(file).toMatchObject({ size: Buffer.byteLength(expected), contentType: "text/csv; charset=utf-8" });
    expect(file!.fileName).toBe(`gian-hang-so-xa-${THANH_HA.communeCode}-${todayInVietnam()}-meta.csv`);
    expect((await buffer(file!.body)).toString()).toBe(expected);
    // Another scope's screen does not reach it.
    expect(await openBulkExportFile(db, run.id, { scope: commune(NAM_SACH) })).toBeNull();
    expect(await openBulkExportFile(db, "not-a-uuid")).toBeNull();
  });

  it("writes a province's file with the stalls of all its communes, and none of another province", async () => {
    const { writer } = stallLinesWriter();
    const runner = runnerWith({ "google.xml": writer });
    await runner.start();
    const { run } = await requestBulkExport(db, runner, {
      userId: admin.id,
      scope: province("31"),
      format: "google.xml",
    });
    const done = await until(run.id, (r) => r.status === "done");
    expect(done.stallsTotal).toBeGreaterThanOrEqual(4);
    const body = await fileText(done.fileKey!);
    for (const stall of [...thanhHa, namSach]) expect(body).toContain(`${stall.id}\t`);
    expect(body).not.toContain(hanoi.id);
    expect(body).not.toContain(thanhHaDraft.id);
    expect(done.stallsDone).toBe(done.stallsTotal);
  });

  it(
    dbDriver === "postgres"
      ? "stopped half-way, the run is retried by pg-boss on the next runner and finishes once"
      : "stopped half-way, the run is claimed again when the next runner starts and finishes once",
    async () => {
      const paused = deferred();
      const gate = deferred();
      const hooks: WriterHooks = {
        afterBatch: async (call, batch) => {
          if (call === 1 && batch === 1) {
            paused.resolve();
            await gate.promise;
          }
        },
      };
      const { writer, calls } = stallLinesWriter(hooks);
      const first = runnerWith({ "meta.csv": writer });
      await first.start();
      const { run } = await requestBulkExport(db, first, {
        userId: admin.id,
        scope: commune(THANH_HA.communeCode),
        format: "meta.csv",
      });
      await paused.promise;
      // Mid-way: progress of the first batch is in the row, no file is visible.
      expect(await runOf(run.id)).toMatchObject({ status: "running", attempts: 1, stallsDone: 2, stallsTotal: 3 });
      expect(await filesOf(run.id)).toEqual([]);

      // The server stops (a deploy): the run's signal is aborted; the writer goes on to its next chunk and stops there.
      const stopping = first.stop();
      gate.resolve();
      await stopping;
      expect((await runOf(run.id)).status).toBe("queued");
      expect(await filesOf(run.id)).toEqual([]);

      // On PostgreSQL only pg-boss's own retry may bring it back: the second runner recovers nothing itself.
      const second = runnerWith({ "meta.csv": writer }, { withoutRecover: dbDriver === "postgres" });
      await second.start();
      const done = await until(run.id, (r) => r.status === "done");
      expect(done.attempts).toBe(2);
      expect(calls()).toBe(2);
      expect(await filesOf(run.id)).toEqual([`exports/${run.id}/2/meta.csv`]);
      expect(await fileText(done.fileKey!)).toBe(
        expectedFile("meta.csv", `commune ${THANH_HA.communeCode}`, THANH_HA_ROWS),
      );
      expect(done).toMatchObject({ stallsDone: 3, itemsWritten: 5, fileBytes: expect.any(Number) });
    },
  );

  it(
    dbDriver === "postgres"
      ? "a run pg-boss gives up on (its expiry) while its handler still goes is retried; the old handler leaves no file"
      : "a run left running by a server that died is claimed on the next start; the old handler leaves no file",
    async () => {
      const paused = deferred();
      const gate = deferred();
      const { writer, calls } = stallLinesWriter({
        afterBatch: async (call, batch) => {
          if (call === 1 && batch === 1) {
            paused.resolve();
            await gate.promise;
          }
        },
      });
      // pg-boss: a run may take 2 s, then it is failed and retried while the first handler is still stuck.
      const first = runnerWith({ "shopify.csv": writer }, { timeoutSeconds: dbDriver === "postgres" ? 2 : undefined });
      await first.start();
      const { run } = await requestBulkExport(db, first, {
        userId: admin.id,
        scope: commune(THANH_HA.communeCode),
        format: "shopify.csv",
      });
      await paused.promise;

      // PGlite: a new server starts on the data folder while the old one's handler is frozen (it died).
      if (dbDriver === "pglite") await runnerWith({ "shopify.csv": writer }).start();
      const done = await until(run.id, (r) => r.status === "done");
      expect(done.attempts).toBe(2);
      expect(await filesOf(run.id)).toEqual([`exports/${run.id}/2/shopify.csv`]);

      // The old handler wakes up: it lost the run, writes nothing and changes nothing.
      gate.resolve();
      await first.stop();
      expect(calls()).toBe(2);
      expect(await runOf(run.id)).toMatchObject({ status: "done", attempts: 2, fileKey: done.fileKey });
      expect(await filesOf(run.id)).toEqual([`exports/${run.id}/2/shopify.csv`]);
      expect(await fileText(done.fileKey!)).toBe(
        expectedFile("shopify.csv", `commune ${THANH_HA.communeCode}`, THANH_HA_ROWS),
      );
    },
  );

  it("two deliveries of one run at once: the newer attempt owns it, the older one finishes without a file", async () => {
    const gates = [deferred(), deferred()];
    const paused = [deferred(), deferred()];
    const { writer } = stallLinesWriter({
      afterBatch: async (call, batch) => {
        if (batch === 1 && call <= 2) {
          paused[call - 1].resolve();
          await gates[call - 1].promise;
        }
      },
    });
    const { run } = await requestBulkExport(db, null, {
      userId: admin.id,
      scope: commune(THANH_HA.communeCode),
      format: "products.json",
    });
    const deps = { writers: { "products.json": writer }, progressEveryMs: 0 };
    const going = { signal: new AbortController().signal, lastTry: false };
    const older = runBulkExport(db, { runId: run.id }, going, deps);
    await paused[0].promise;
    const newer = runBulkExport(db, { runId: run.id }, going, deps);
    await paused[1].promise;
    expect(await runOf(run.id)).toMatchObject({ status: "running", attempts: 2 });

    // The older one reaches its end first: its rows and its file are no longer its to write.
    gates[0].resolve();
    expect(await older).toEqual({ runId: run.id, attempt: 1, superseded: true });
    expect(await filesOf(run.id)).toEqual([]);
    expect(await runOf(run.id)).toMatchObject({ status: "running", attempts: 2, fileKey: null });

    gates[1].resolve();
    expect(await newer).toMatchObject({ runId: run.id, attempt: 2, stalls: 3, items: 5 });
    expect(await filesOf(run.id)).toEqual([`exports/${run.id}/2/products.json`]);
    expect(await runOf(run.id)).toMatchObject({ status: "done", attempts: 2, stallsDone: 3 });
    // A third delivery finds the run finished and does nothing.
    expect(await runBulkExport(db, { runId: run.id }, going, deps)).toEqual({ runId: run.id, skipped: "not_open" });
    expect((await runOf(run.id)).attempts).toBe(2);
  });

  it("a writer that keeps failing is tried again, then the run fails with a code and leaves no file", async () => {
    const { writer, calls } = stallLinesWriter({ failAt: () => 2 });
    const runner = runnerWith({ "google.tsv": writer }, { retry: { limit: 1, delaySeconds: 0 } });
    await runner.start();
    const { run } = await requestBulkExport(db, runner, {
      userId: admin.id,
      scope: commune(THANH_HA.communeCode),
      format: "google.tsv",
    });
    const failed = await until(run.id, (r) => r.status === "failed");
    expect(failed).toMatchObject({ attempts: 2, errors: { failure: "writer_failed" }, fileKey: null });
    expect(calls()).toBe(2);
    expect(await filesOf(run.id)).toEqual([]);
    expect(await openBulkExportFile(db, run.id)).toBeNull();
    // The error's text (which may carry a person's data) is not kept.
    expect(JSON.stringify(failed.errors)).not.toContain("query failed");
  });

  it("a format without a writer fails at once, without retries", async () => {
    const runner = runnerWith({});
    await runner.start();
    const { run } = await requestBulkExport(db, runner, {
      userId: admin.id,
      scope: commune(NAM_SACH),
      format: "lazada.xlsx",
    });
    const failed = await until(run.id, (r) => r.status === "failed");
    expect(failed).toMatchObject({ attempts: 1, errors: { failure: "no_writer" } });
  });
});

// ---- expiry ------------------------------------------------------------------

describe("expireBulkExports", () => {
  it("deletes files past their expiry and marks their runs expired; gives up runs stuck for a day", async () => {
    const { writer } = stallLinesWriter();
    const runner = runnerWith({ "products.csv": writer });
    await runner.start();
    const { run: old } = await requestBulkExport(db, runner, {
      userId: admin.id,
      scope: commune(NAM_SACH),
      format: "products.csv",
    });
    const { run: fresh } = await requestBulkExport(db, runner, {
      userId: admin.id,
      scope: commune(THANH_HA.communeCode),
      format: "products.csv",
    });
    const oldDone = await until(old.id, (r) => r.status === "done");
    await until(fresh.id, (r) => r.status === "done");
    await runner.stop();
    await db
      .update(exportRuns)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(exportRuns.id, old.id));
    const [stuck] = await db
      .insert(exportRuns)
      .values({
        scopeKind: "commune",
        scopeCode: NAM_SACH,
        format: "meta.csv",
        status: "running",
        createdAt: sql`now() - interval '25 hours'`,
      })
      .returning();

    expect(await expireBulkExports(db)).toEqual({ expired: 1, stale: 1 });
    expect(await filesOf(old.id)).toEqual([]);
    expect(await storage().exists(oldDone.fileKey!)).toBe(false);
    expect(await runOf(old.id)).toMatchObject({ status: "expired", fileKey: null, fileBytes: oldDone.fileBytes });
    expect(await openBulkExportFile(db, old.id)).toBeNull();
    expect(await runOf(stuck.id)).toMatchObject({ status: "failed", errors: { failure: "stale" } });
    // The fresh one is untouched, and a second pass finds nothing.
    expect((await runOf(fresh.id)).status).toBe("done");
    expect(await filesOf(fresh.id)).toHaveLength(1);
    expect(await expireBulkExports(db)).toEqual({ expired: 0, stale: 0 });
    const [listed] = (await listBulkExports(db, { limit: 100 })).filter((r) => r.id === old.id);
    expect(listed).toMatchObject({ status: "expired", downloadable: false });
    await db.delete(exportRuns).where(and(eq(exportRuns.id, stuck.id)));
  });
});

// ---- with the app's own writers -----------------------------------------------

describe("a bulk export with the app's writers", () => {
  it("holds the commune's per-stall feeds together, in order, under one header or root", async () => {
    const { EXPORT_WRITERS, streamFeed } = await import("./index.server");
    const { parse } = await import("csv-parse/sync");
    const { XMLParser } = await import("fast-xml-parser");
    const site = { origin: "https://cho.example.vn", mediaBaseUrl: "/media" };
    const today = todayInVietnam();
    const { createListing } = await import("~/listings/index.server");
    const { listingInput, makePhoto } = await import("#tests/fixtures/factories");
    // Ready for Google and Meta (a photo, a description), in two of the commune's stalls.
    for (const [i, stall] of [thanhHa[0], thanhHa[0], thanhHa[1]].entries()) {
      const input = listingInput({ title: `Vải thiều lô ${i + 1}` });
      await createListing(db, { stallId: stall.id, input, photos: [await makePhoto(8100 + i)], status: "active" });
    }
    const runner = runnerWith(EXPORT_WRITERS);
    await runner.start();
    const ask = (format: string) =>
      requestBulkExport(db, runner, {
        userId: admin.id,
        scope: commune(THANH_HA.communeCode),
        format,
        site: site.origin,
      });

    // The stalls' own feeds, each on its own, in the order of their links (as the bulk file walks them).
    const perStall = async (file: "meta.csv" | "google.xml") => {
      const parts: string[] = [];
      for (const stall of [...thanhHa].sort((a, b) => (a.slug < b.slug ? -1 : 1))) {
        let body = "";
        for await (const chunk of streamFeed(db, { kind: "stall", stallId: stall.id }, file, { site, today }))
          body += chunk;
        parts.push(body);
      }
      return parts;
    };

    const csvRun = await until((await ask("meta.csv")).run.id, (r) => r.status === "done");
    const csvRows = parse(await fileText(csvRun.fileKey!), { columns: true }) as Record<string, string>[];
    const stallRows = (await perStall("meta.csv")).flatMap((body) => parse(body, { columns: true }) as object[]);
    expect(csvRows).toEqual(stallRows);
    expect(csvRows).toHaveLength(csvRun.itemsWritten);
    expect(csvRows.map((row) => row.title)).toEqual(
      expect.arrayContaining(["Vải thiều lô 1", "Vải thiều lô 2", "Vải thiều lô 3"]),
    );

    const xmlRun = await until((await ask("google.xml")).run.id, (r) => r.status === "done");
    const items = (xml: string) => {
      const channel = new XMLParser({ isArray: (name) => name === "item" }).parse(xml).rss.channel;
      return (channel.item ?? []) as { "g:id": string }[];
    };
    const bulkIds = items(await fileText(xmlRun.fileKey!)).map((i) => i["g:id"]);
    const stallIds = (await perStall("google.xml")).flatMap((body) => items(body).map((i) => i["g:id"]));
    expect(bulkIds).toEqual(stallIds);
  });
});
