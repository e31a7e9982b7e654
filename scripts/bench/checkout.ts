/**
 * `npm run bench:checkout`: many buyers after the same few units, on the
 * production build, and whether the stock still adds up — also when the
 * server is killed in the middle.
 *
 * Each virtual buyer has its own cookie jar and phone: POST /cart (add 1 unit
 * of the demo listing "Vải thiều sấy khô") then POST /checkout (pickup, cash
 * on delivery). All buyers start at once, `--connections` of them in flight.
 *
 *   (a) steady run: stock S, N buyers; expect S orders and N − S sold-out answers
 *   (b) crash run: stock reset to S, N buyers, the server is SIGKILLed after
 *       ~40 % of the answers and started again on the same data; the buyers
 *       left without an answer retry once
 *
 * After each run the database is read (PGlite: with the server stopped, as its
 * folder is one process's only): the units in the run's non-cancelled orders
 * must equal the stock taken, the stock must not be negative, and every order
 * a buyer was shown must be in the database. After a crash a buyer may miss
 * the answer to an order that was committed, so the database may hold more
 * orders than the buyers saw — never fewer.
 *
 * Flags: --no-build (reuse build/), --port N, --buyers N (200), --stock S
 * (150), --connections N (50), --kill-at F (0.4), --database-url postgres://…
 * (PostgreSQL: the database is read while the server runs; it is seeded if
 * empty and left as it was found, but for the listing's stock and the bench's
 * orders). A benchmark: exit code 0 when the invariants hold, 1 when one does
 * not; the last line is JSON.
 */
import { launchApp, type AppProcess } from "../lib/app-process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { and, eq, sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "#db/client";
import { listings, stalls } from "#db/schema";
import { ROOT, buildApp, flag, freePort, numberFlag, printTable, seedDemoInto, serverEnv } from "./server";

const BUYERS = numberFlag("buyers", 200);
const STOCK = numberFlag("stock", 150);
const CONNECTIONS = numberFlag("connections", 50);
const KILL_AT = Number(flag("kill-at") ?? 0.4);
const DATABASE_URL = flag("database-url");
const STALL_SLUG = "vai-thieu-bac-thinh";
const LISTING_TITLE = "Vải thiều sấy khô";
/** Bench buyers' phones: 0987 000 000 + i, E.164 +84987000000 + i (the 098 prefix is a real mobile one). */
const PHONE_BASE = 987_000_000;

// ---------------------------------------------------------------- the server

type Server = AppProcess;

/** On a data folder that outlives the process (a restart must find it). */
function launch(port: number, dataDir: string): Promise<Server> {
  return launchApp({ env: serverEnv(port, dataDir, DATABASE_URL), port });
}

function stop(server: Server, signal?: NodeJS.Signals) {
  return server.stop(signal);
}

// ---------------------------------------------------------------- the database

/** PGlite: only while the server is stopped. PostgreSQL: any time. */
async function withDatabase<T>(dataDir: string, run: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase(DATABASE_URL ? { url: DATABASE_URL, poolMax: 2 } : { dataDir });
  try {
    return await run(handle);
  } finally {
    await handle.close();
  }
}

interface Target {
  listingId: string;
  stallId: string;
  priceDong: number;
}

async function findTarget(handle: DatabaseHandle): Promise<Target> {
  const [row] = await handle.db
    .select({ listingId: listings.id, stallId: stalls.id, priceDong: listings.priceDong })
    .from(listings)
    .innerJoin(stalls, eq(stalls.id, listings.stallId))
    .where(and(eq(stalls.slug, STALL_SLUG), eq(listings.title, LISTING_TITLE)));
  if (!row) throw new Error(`no listing "${LISTING_TITLE}" in stall ${STALL_SLUG}: is the demo seeded?`);
  return row;
}

const rowsOf = (result: unknown) =>
  (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as Record<string, unknown>[];

/**
 * Sets the listing to S units on sale, and returns the database's clock: the
 * run's orders are the ones created after it (a PostgreSQL database may hold
 * earlier runs' orders).
 */
async function resetStock(handle: DatabaseHandle, target: Target): Promise<string> {
  await handle.db
    .update(listings)
    .set({ stockQty: STOCK, status: "active", madeToOrder: false, preorder: false, minOrderQty: 1 })
    .where(eq(listings.id, target.listingId));
  const [row] = rowsOf(await handle.db.execute(sql`SELECT now()::text AS now`));
  return String(row.now);
}

interface Ledger {
  stockNow: number;
  status: string;
  orders: number;
  units: number;
  codes: Set<string>;
  /** Buyers (by index) with more than one order: a retry after a lost answer bought twice. */
  doubleBuyers: number;
}

async function readLedger(handle: DatabaseHandle, target: Target, since: string): Promise<Ledger> {
  const [listing] = rowsOf(
    await handle.db.execute(sql`SELECT stock_qty, status::text AS status FROM listings WHERE id = ${target.listingId}`),
  );
  const orderRows = rowsOf(
    await handle.db.execute(sql`
      SELECT o.code, o.buyer_phone, sum(i.qty)::int AS units
      FROM orders o JOIN order_items i ON i.order_id = o.id
      WHERE i.listing_id = ${target.listingId} AND o.status <> 'cancelled' AND o.created_at > ${since}::timestamptz
      GROUP BY o.id`),
  );
  const perPhone = new Map<string, number>();
  for (const r of orderRows) perPhone.set(String(r.buyer_phone), (perPhone.get(String(r.buyer_phone)) ?? 0) + 1);
  return {
    stockNow: Number(listing.stock_qty),
    status: String(listing.status),
    orders: orderRows.length,
    units: orderRows.reduce((total, r) => total + Number(r.units), 0),
    codes: new Set(orderRows.map((r) => String(r.code))),
    doubleBuyers: [...perPhone.values()].filter((n) => n > 1).length,
  };
}

// ---------------------------------------------------------------- the buyers

type Outcome = "ordered" | "sold_out" | "no_answer" | "error";

interface Buyer {
  index: number;
  phone: string;
  cookie: string | null;
  outcome: Outcome | null;
  orderCode: string | null;
  /** A retry found the cart empty: the first checkout was committed, its answer lost. */
  emptyOnRetry: boolean;
  detail: string;
}

interface Timing {
  addMs: number[];
  checkoutMs: number[];
}

const FORM = { "content-type": "application/x-www-form-urlencoded", "accept-language": "vi-VN,vi;q=0.9" };

class NoAnswer extends Error {}

async function post(origin: string, urlPath: string, cookie: string | null, body: Record<string, string>) {
  try {
    const response = await fetch(origin + urlPath, {
      method: "POST",
      redirect: "manual",
      headers: { ...FORM, ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    return { response, text };
  } catch (error) {
    // Refused, reset or cut mid-answer: the server died (or never came back).
    throw new NoAnswer(error instanceof Error ? (error.cause as Error)?.message || error.message : String(error));
  }
}

/** Add to cart (unless the cart was filled before a crash), then check out; records what the buyer saw. */
async function buy(origin: string, buyer: Buyer, target: Target, timing: Timing, retry = false) {
  try {
    if (!buyer.cookie) {
      const started = performance.now();
      const { response, text } = await post(origin, "/cart", null, {
        intent: "add",
        listingId: target.listingId,
        quantity: "1",
      });
      timing.addMs.push(performance.now() - started);
      if (response.status === 400 && /hết hàng/i.test(text)) {
        buyer.outcome = "sold_out";
        buyer.detail = "sold out at add to cart";
        return;
      }
      const setCookie = response.headers.getSetCookie().find((c) => c.startsWith("ghs_cart="));
      if (response.status !== 302 || !setCookie) {
        buyer.outcome = "error";
        buyer.detail = `add to cart answered ${response.status}`;
        return;
      }
      buyer.cookie = setCookie.split(";")[0];
    }
    const started = performance.now();
    const { response, text } = await post(origin, "/checkout", buyer.cookie, {
      name: `Khách thử ${buyer.index + 1}`,
      phone: buyer.phone,
      [`delivery.${target.stallId}`]: "pickup",
      provinceCode: "",
      communeCode: "",
      addressLine: "",
      [`price.${target.listingId}`]: String(target.priceDong),
      paymentMethod: "cod",
    });
    timing.checkoutMs.push(performance.now() - started);
    const location = response.headers.get("location") ?? "";
    const code = /^\/orders\/([^/?#]+)/.exec(location)?.[1];
    if (response.status === 302 && code) {
      buyer.outcome = "ordered";
      buyer.orderCode = code;
    } else if (response.status === 302 && location.startsWith("/cart") && retry) {
      // The cart the crash left is empty: either the first checkout was placed
      // (its answer lost) or the add itself did not survive. The database tells.
      buyer.outcome = "no_answer";
      buyer.emptyOnRetry = true;
      buyer.detail = "cart empty on retry";
    } else if (response.status === 400 && /hết hàng/i.test(text)) {
      buyer.outcome = "sold_out";
    } else {
      buyer.outcome = "error";
      buyer.detail = `checkout answered ${response.status} ${location}`;
    }
  } catch (error) {
    if (!(error instanceof NoAnswer)) throw error;
    buyer.outcome = "no_answer";
    buyer.detail = error.message;
  }
}

/** Runs the buyers, `CONNECTIONS` at a time; `onAnswer` hears each finished buyer. */
async function crowd(
  origin: () => string,
  buyers: Buyer[],
  target: Target,
  timing: Timing,
  retry = false,
  onAnswer?: (done: number) => void,
) {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < buyers.length) {
      const buyer = buyers[next++];
      await buy(origin(), buyer, target, timing, retry);
      onAnswer?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECTIONS, buyers.length) }, worker));
}

const newBuyers = (n: number): Buyer[] =>
  Array.from({ length: n }, (_, index) => ({
    index,
    phone: `0${PHONE_BASE + index}`,
    cookie: null,
    outcome: null,
    orderCode: null,
    emptyOnRetry: false,
    detail: "",
  }));

// ---------------------------------------------------------------- figures

function percentile(values: number[], p: number) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface RunFigures {
  name: string;
  seconds: number;
  buyersPerSecond: number;
  ordersPerSecond: number;
  checkoutP50: number;
  checkoutP95: number;
  addP50: number;
  ordered: number;
  soldOut: number;
  noAnswer: number;
  errors: number;
  retried: number;
  ledger: Ledger;
  problems: string[];
  notes: string[];
}

function judge(name: string, buyers: Buyer[], ledger: Ledger, crashed: boolean) {
  const problems: string[] = [];
  const notes: string[] = [];
  const seen = buyers.filter((b) => b.outcome === "ordered");
  const taken = STOCK - ledger.stockNow;
  if (ledger.units !== taken) problems.push(`units in orders ${ledger.units} ≠ stock taken ${taken}`);
  if (ledger.stockNow < 0) problems.push(`stock is negative: ${ledger.stockNow}`);
  const lost = seen.filter((b) => !ledger.codes.has(b.orderCode!));
  if (lost.length)
    problems.push(`${lost.length} orders shown to buyers are not in the database (${lost[0].orderCode}…)`);
  if (ledger.orders > STOCK) problems.push(`oversold: ${ledger.orders} orders of 1 unit for ${STOCK} units`);
  if (!crashed) {
    if (ledger.orders !== seen.length)
      problems.push(`orders in the database ${ledger.orders} ≠ seen by buyers ${seen.length}`);
    const expected = Math.min(STOCK, buyers.length);
    if (seen.length !== expected) problems.push(`${seen.length} orders placed, ${expected} expected`);
  } else if (ledger.orders > seen.length) {
    notes.push(
      `${ledger.orders - seen.length} orders committed whose answer the buyer never got (killed between commit and reply)`,
    );
  }
  if (ledger.doubleBuyers) notes.push(`${ledger.doubleBuyers} buyers hold two orders (a retry after a lost answer)`);
  if (buyers.some((b) => b.outcome === "error"))
    problems.push(`unexpected answers: ${buyers.find((b) => b.outcome === "error")!.detail}`);
  if (!crashed && buyers.some((b) => b.outcome === "no_answer"))
    problems.push(`buyers without an answer: ${buyers.find((b) => b.outcome === "no_answer")!.detail}`);
  if (taken === STOCK && ledger.status !== "sold_out")
    problems.push(`stock is 0 but the listing is "${ledger.status}"`);
  return { problems, notes, name };
}

function figuresOf(
  name: string,
  buyers: Buyer[],
  timing: Timing,
  seconds: number,
  ledger: Ledger,
  retried: number,
  crashed: boolean,
): RunFigures {
  const count = (o: Outcome) => buyers.filter((b) => b.outcome === o).length;
  const { problems, notes } = judge(name, buyers, ledger, crashed);
  return {
    name,
    seconds,
    buyersPerSecond: buyers.length / seconds,
    ordersPerSecond: ledger.orders / seconds,
    checkoutP50: percentile(timing.checkoutMs, 50),
    checkoutP95: percentile(timing.checkoutMs, 95),
    addP50: percentile(timing.addMs, 50),
    ordered: count("ordered"),
    soldOut: count("sold_out"),
    noAnswer: count("no_answer"),
    errors: count("error"),
    retried,
    ledger,
    problems,
    notes,
  };
}

// ---------------------------------------------------------------- main

async function main() {
  if (flag("no-build") === undefined) buildApp();
  else if (!fs.existsSync(path.join(ROOT, "build/index.js")))
    throw new Error("--no-build, but there is no build/index.js");
  if (!(KILL_AT > 0 && KILL_AT < 1)) throw new Error(`--kill-at must be between 0 and 1, got ${KILL_AT}`);

  const port = Number(flag("port") ?? process.env.BENCH_PORT ?? (await freePort()));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-checkout-"));
  let server: Server | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (server) server.child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  console.log(
    `${BUYERS} buyers, 1 unit each, of "${LISTING_TITLE}" with ${STOCK} in stock, ${CONNECTIONS} at a time, on ${DATABASE_URL ? "PostgreSQL" : `PGlite in ${dataDir}`}\n`,
  );

  const runs: RunFigures[] = [];
  try {
    // The demo first, as `npm start` seeds it; then the stock, before the server has the database (PGlite is one process's).
    await seedDemoInto(serverEnv(port, dataDir, DATABASE_URL));
    let target = await withDatabase(dataDir, findTarget);
    let since = await withDatabase(dataDir, (h) => resetStock(h, target));

    // (a) steady
    server = await launch(port, dataDir);
    {
      const buyers = newBuyers(BUYERS);
      const timing: Timing = { addMs: [], checkoutMs: [] };
      const started = performance.now();
      await crowd(() => server!.origin, buyers, target, timing);
      const seconds = (performance.now() - started) / 1000;
      if (!DATABASE_URL) await stop(server);
      const ledger = await withDatabase(dataDir, (h) => readLedger(h, target, since));
      runs.push(figuresOf("steady", buyers, timing, seconds, ledger, 0, false));
    }

    // (b) crash: kill after KILL_AT of the answers, start again, retry who got none.
    if (DATABASE_URL) await stop(server);
    target = await withDatabase(dataDir, findTarget);
    since = await withDatabase(dataDir, (h) => resetStock(h, target));
    server = await launch(port, dataDir);
    {
      const buyers = newBuyers(BUYERS).map((b) => ({ ...b, phone: `0${PHONE_BASE + BUYERS + b.index}` }));
      const timing: Timing = { addMs: [], checkoutMs: [] };
      const killAfter = Math.round(BUYERS * KILL_AT);
      let killed: Promise<void> | undefined;
      const started = performance.now();
      const first = server;
      await crowd(
        () => first.origin,
        buyers,
        target,
        timing,
        false,
        (done) => {
          if (done === killAfter) {
            console.log(`SIGKILL after ${done} answers`);
            killed = stop(first, "SIGKILL");
          }
        },
      );
      await killed;
      const downAt = performance.now();
      server = await launch(port, dataDir);
      const restartSeconds = (performance.now() - downAt) / 1000;
      const unanswered = buyers.filter((b) => b.outcome === "no_answer");
      const beforeKill = buyers.filter((b) => b.outcome === "ordered").map((b) => b.orderCode!);
      const withCart = unanswered.filter((b) => b.cookie).length;
      for (const b of unanswered) b.outcome = null;
      await crowd(() => server!.origin, unanswered, target, timing, true);
      const seconds = (performance.now() - started) / 1000;
      if (!DATABASE_URL) await stop(server);
      const ledger = await withDatabase(dataDir, (h) => readLedger(h, target, since));
      const figures = figuresOf("crash + restart", buyers, timing, seconds, ledger, unanswered.length, true);
      const emptyOnRetry = buyers.filter((b) => b.emptyOnRetry).length;
      const kept = beforeKill.filter((code) => ledger.codes.has(code)).length;
      figures.notes.unshift(
        `restart took ${restartSeconds.toFixed(1)} s; ${unanswered.length} buyers retried (${withCart} with a cart filled before the kill)`,
        `${beforeKill.length} orders confirmed to buyers before the kill, ${kept} of them in the database after the restart`,
      );
      if (emptyOnRetry)
        figures.notes.push(`${emptyOnRetry} retries found the cart empty (order placed before the kill)`);
      runs.push(figures);
    }
  } finally {
    if (server) await stop(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : "–");
  console.log("");
  printTable(
    [
      "run",
      "seconds",
      "buyers/s",
      "orders/s",
      "checkout p50",
      "p95",
      "add p50",
      "ordered",
      "sold out",
      "no answer",
      "retried",
      "DB orders",
      "DB units",
      "stock taken",
      "stock now",
      "invariant",
    ],
    runs.map((r) => [
      r.name,
      r.seconds.toFixed(2),
      r.buyersPerSecond.toFixed(0),
      r.ordersPerSecond.toFixed(0),
      ms(r.checkoutP50),
      ms(r.checkoutP95),
      ms(r.addP50),
      String(r.ordered),
      String(r.soldOut),
      String(r.noAnswer + r.errors),
      String(r.retried),
      String(r.ledger.orders),
      String(r.ledger.units),
      String(STOCK - r.ledger.stockNow),
      String(r.ledger.stockNow),
      r.problems.length ? "BROKEN" : "ok",
    ]),
  );
  for (const r of runs) {
    for (const note of r.notes) console.log(`${r.name}: ${note}`);
    for (const problem of r.problems) console.error(`${r.name}: INVARIANT BROKEN — ${problem}`);
  }
  const ok = runs.every((r) => r.problems.length === 0);
  console.log(
    ok
      ? "invariant holds in every run: units sold = stock taken, stock ≥ 0, every order a buyer saw is stored."
      : "INVARIANT BROKEN: see above.",
  );
  console.log(
    JSON.stringify({
      bench: "checkout",
      engine: DATABASE_URL ? "postgres" : "pglite",
      buyers: BUYERS,
      stock: STOCK,
      connections: CONNECTIONS,
      killAt: KILL_AT,
      runs: runs.map((r) => ({
        name: r.name,
        seconds: Number(r.seconds.toFixed(3)),
        buyersPerSecond: Number(r.buyersPerSecond.toFixed(1)),
        ordersPerSecond: Number(r.ordersPerSecond.toFixed(1)),
        checkoutP50Ms: Math.round(r.checkoutP50),
        checkoutP95Ms: Math.round(r.checkoutP95),
        addP50Ms: Math.round(r.addP50),
        ordered: r.ordered,
        soldOut: r.soldOut,
        noAnswer: r.noAnswer,
        errors: r.errors,
        retried: r.retried,
        dbOrders: r.ledger.orders,
        dbUnits: r.ledger.units,
        stockTaken: STOCK - r.ledger.stockNow,
        stockNow: r.ledger.stockNow,
        doubleBuyers: r.ledger.doubleBuyers,
        invariantHolds: r.problems.length === 0,
        problems: r.problems,
      })),
      invariantHolds: ok,
    }),
  );
  if (!ok) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
