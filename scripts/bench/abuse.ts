/**
 * `npm run bench:abuse`: what an attacker or a busy market day costs the
 * production server, measured on the server process itself (its RSS from
 * /proc), with a baseline taken in the same run:
 *
 *   (a) 4 concurrent 300 MB form POSTs to /login: RSS before and after
 *       (aim: < +50 MB), and each answered 413 within a second;
 *   (b) 6 concurrent maximal photo uploads (8 photos × 15 MB each, as a
 *       phone without JavaScript would send them) to a farmer's listing:
 *       the highest RSS while they are received (aim: < +150 MB). The bytes
 *       are not photos, so processing refuses them at once: this measures
 *       receiving, not the photo pipeline (bench:photos measures that);
 *   (c) checkout throughput with the rate limits on, buyers on distinct IPs
 *       (TRUST_PROXY=1 + X-Forwarded-For) and phones under every threshold,
 *       as a ratio to the same load with the limits off (aim: ≥ 0.9).
 *
 * Flags: --no-build, --buyers N (200), --connections N (20), --rounds N (2).
 * A benchmark, not a test: exit code 0 whatever the figures, MISSED next to a
 * missed aim; the last line is JSON.
 */
import fs from "node:fs";
import http from "node:http";
import { addToCart, postForm, type BuyTarget } from "../lib/buyer-client";
import { buildApp, DEMO_STALL_PATH, flag, numberFlag, printTable, startServer, type BenchServer } from "./server";

const AIMS = { loginMb: 50, loginAnswerMs: 1000, uploadMb: 150, checkoutRatio: 0.9 };
const BUYERS = numberFlag("buyers", 200);
const CONNECTIONS = numberFlag("connections", 20);
const ROUNDS = numberFlag("rounds", 2);
const MB = 1024 * 1024;
/** A demo farmer (db/seed/demo.ts) and the demo password. */
const FARMER = { phone: "0912345601", password: "nongsan2026" };
/** A made-to-order demo product: no stock runs out during the checkout runs. */
const PRODUCT_QUERY = "bánh gai hộp quà";

const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Samples the process's RSS every 20 ms while `work` runs; the highest seen. */
async function peakRssDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peakMb = rssMb(pid);
  const timer = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pid))), 20);
  try {
    const result = await work();
    peakMb = Math.max(peakMb, rssMb(pid));
    return { result, peakMb };
  } finally {
    clearInterval(timer);
  }
}

/** Lets the server settle (and collect garbage) before a reading. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

/** Streams a body of `bytes` to the server; resolves with the status and how long the answer took. */
function streamPost(
  origin: string,
  pathname: string,
  headers: Record<string, string>,
  body: Generator<Buffer>,
  contentLength: number,
): Promise<{ status: number; ms: number }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let answered = false;
    const req = http.request({
      host: hostname,
      port,
      path: pathname,
      method: "POST",
      headers: { ...headers, "Content-Length": String(contentLength) },
    });
    req.on("response", (res) => {
      answered = true;
      const ms = performance.now() - started;
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms }));
      res.on("close", () => resolve({ status: res.statusCode ?? 0, ms }));
    });
    req.on("error", (error) => (answered ? undefined : reject(error)));
    const pump = () => {
      for (;;) {
        if (answered) return;
        const next = body.next();
        if (next.done) return void req.end();
        if (!req.write(next.value)) return void req.once("drain", pump);
      }
    };
    pump();
  });
}

function* repeat(chunk: Buffer, bytes: number) {
  for (let sent = 0; sent < bytes; sent += chunk.length) yield chunk.subarray(0, Math.min(chunk.length, bytes - sent));
}

// ---------------------------------------------------------------- (a) huge form posts

async function hugeLoginPosts(server: BenchServer, pid: number) {
  await settle();
  const before = rssMb(pid);
  const chunk = Buffer.alloc(MB, "a");
  const { result, peakMb } = await peakRssDuring(pid, () =>
    Promise.all(
      Array.from({ length: 4 }, () =>
        streamPost(
          server.origin,
          "/login",
          { "Content-Type": "application/x-www-form-urlencoded" },
          repeat(chunk, 300 * MB),
          300 * MB,
        ),
      ),
    ),
  );
  await settle();
  const after = rssMb(pid);
  return {
    before,
    after,
    peakMb,
    statuses: result.map((r) => r.status),
    slowestMs: Math.max(...result.map((r) => r.ms)),
  };
}

// ---------------------------------------------------------------- (b) maximal uploads

async function farmerSession(origin: string): Promise<string> {
  const login = await postForm(origin, "/login", FARMER);
  const session = login.setCookies.find((c) => c.startsWith("__session="));
  if (login.status !== 302 || !session) throw new Error(`the demo farmer could not log in (${login.status})`);
  return session.split(";")[0];
}

async function aListingOf(origin: string, cookie: string): Promise<string> {
  const page = await (await fetch(`${origin}/seller/listings`, { headers: { cookie } })).text();
  const id = /href="\/seller\/listings\/([0-9a-f-]{36})"/.exec(page)?.[1];
  if (!id) throw new Error("no listing on the demo farmer's /seller/listings");
  return id;
}

function* multipart(boundary: string, files: number, fileBytes: number) {
  const chunk = Buffer.alloc(MB, 0);
  for (let i = 0; i < files; i++) {
    yield Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="anh-${i}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    );
    yield* repeat(chunk, fileBytes);
    yield Buffer.from("\r\n");
  }
  yield Buffer.from(`--${boundary}--\r\n`);
}

function multipartLength(boundary: string, files: number, fileBytes: number) {
  let total = 0;
  for (const part of multipart(boundary, files, 0)) total += part.length;
  return total + files * fileBytes;
}

async function maximalUploads(server: BenchServer, pid: number) {
  const cookie = await farmerSession(server.origin);
  const listingId = await aListingOf(server.origin, cookie);
  const boundary = "----benchAbuseBoundary7MA4YWxkTrZu0gW";
  const files = 8;
  const fileBytes = 15 * MB;
  await settle();
  const before = rssMb(pid);
  const { result, peakMb } = await peakRssDuring(pid, () =>
    Promise.all(
      Array.from({ length: 6 }, () =>
        streamPost(
          server.origin,
          `/seller/listings/${listingId}/photos`,
          { "Content-Type": `multipart/form-data; boundary=${boundary}`, cookie },
          multipart(boundary, files, fileBytes),
          multipartLength(boundary, files, fileBytes),
        ),
      ),
    ),
  );
  return { before, peakMb, statuses: result.map((r) => r.status), mbPerRequest: (files * fileBytes) / MB };
}

// ---------------------------------------------------------------- (c) checkout with and without limits

/** The made-to-order demo product: its listing, stall, price and a delivery method its stall offers. */
async function discoverTarget(origin: string): Promise<BuyTarget & { delivery: string }> {
  const search = await (await fetch(`${origin}/search?${new URLSearchParams({ q: PRODUCT_QUERY })}`)).text();
  const productPath = /href="(\/s\/[^"/]+\/[^"/?#]+)"/.exec(search)?.[1];
  if (!productPath) throw new Error(`no product found for "${PRODUCT_QUERY}"`);
  const product = await (await fetch(origin + productPath)).text();
  const listingId = /name="listingId" value="([0-9a-f-]{36})"/.exec(product)?.[1];
  if (!listingId) throw new Error(`no buy form on ${productPath}`);
  const cart = await addToCart(origin, { listingId });
  if (!cart.ok) throw new Error(`could not add ${productPath} to a cart (${cart.answer.status})`);
  const checkout = await (await fetch(`${origin}/checkout`, { headers: { cookie: cart.cookie } })).text();
  const delivery = /name="delivery\.([0-9a-f-]{36})"[^>]*value="(\w+)"/.exec(checkout);
  const price = new RegExp(`name="price\\.${listingId}" value="(\\d+)"`).exec(checkout)?.[1];
  if (!delivery || !price) throw new Error("the checkout page has no delivery choice or price");
  return { listingId, stallId: delivery[1], priceDong: Number(price), delivery: delivery[2] };
}

/** BUYERS buyers, CONNECTIONS at a time, each from its own IP and phone: add to cart, check out. */
async function checkoutRun(origin: string, target: BuyTarget & { delivery: string }, round: number) {
  let next = 0;
  let ordered = 0;
  const problems = new Map<string, number>();
  const started = performance.now();
  const worker = async () => {
    while (next < BUYERS) {
      const i = next++;
      const n = round * BUYERS + i;
      const headers = { "X-Forwarded-For": `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` };
      const cart = await addToCart(origin, target, { headers });
      if (!cart.ok) {
        problems.set(`add ${cart.answer.status}`, (problems.get(`add ${cart.answer.status}`) ?? 0) + 1);
        continue;
      }
      const answer = await postForm(
        origin,
        "/checkout",
        {
          name: `Khách thử ${n + 1}`,
          phone: `0986${String(n).padStart(6, "0")}`,
          [`delivery.${target.stallId}`]: target.delivery,
          [`payment.${target.stallId}`]: "cod",
          provinceCode: "31",
          communeCode: "10813",
          addressLine: "Thôn Phú Lương",
          [`price.${target.listingId}`]: String(target.priceDong),
        },
        { cookie: cart.cookie, headers },
      );
      if (answer.status === 302 && answer.location.startsWith("/orders/")) ordered++;
      else problems.set(`checkout ${answer.status}`, (problems.get(`checkout ${answer.status}`) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { buyersPerSecond: BUYERS / seconds, ordered, problems: Object.fromEntries(problems) };
}

/** Whether this server counts: one address checking out past `checkout.ip` must get a 429. */
async function limitsEnforced(origin: string): Promise<boolean> {
  const headers = { "X-Forwarded-For": "192.0.2.250" };
  for (let i = 0; i < 200; i++) {
    const answer = await postForm(origin, "/checkout", {}, { headers });
    if (answer.status === 429) return true;
  }
  return false;
}

async function withServer<T>(env: Record<string, string>, run: (server: BenchServer) => Promise<T>): Promise<T> {
  const server = await startServer({ build: false, env });
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

async function main() {
  if (flag("no-build") === undefined) buildApp();

  const memory = await withServer({}, async (server) => {
    if (!server.pid) throw new Error("no server pid");
    // Warm up: the pages and routes the runs touch, so their code is loaded before the baseline.
    await fetch(server.origin + DEMO_STALL_PATH);
    await farmerSession(server.origin);
    const login = await hugeLoginPosts(server, server.pid);
    const uploads = await maximalUploads(server, server.pid);
    return { login, uploads };
  });

  const throughput = { off: [] as number[], on: [] as number[] };
  const details: Record<string, unknown>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const limits of ["off", "on"] as const) {
      const env = { TRUST_PROXY: "1", DISABLE_RATE_LIMIT: limits === "off" ? "true" : "false" };
      const run = await withServer(env, async (server) => {
        const target = await discoverTarget(server.origin);
        await checkoutRun(server.origin, target, 1000 + round); // warm-up buyers of their own
        const figures = await checkoutRun(server.origin, target, round * 2 + (limits === "on" ? 1 : 0));
        return { ...figures, limitsEnforced: await limitsEnforced(server.origin) };
      });
      throughput[limits].push(run.buyersPerSecond);
      details.push({ round, limits, ...run });
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const ratio = mean(throughput.on) / mean(throughput.off);

  const { login, uploads } = memory;
  const loginDelta = login.after - login.before;
  const uploadDelta = uploads.peakMb - uploads.before;
  console.log("");
  printTable(
    ["measure", "baseline", "measured", "figure", "aim", ""],
    [
      [
        "4 × 300 MB POST /login: RSS after",
        `${login.before.toFixed(0)} MB`,
        `${login.after.toFixed(0)} MB (peak ${login.peakMb.toFixed(0)})`,
        `+${loginDelta.toFixed(1)} MB`,
        `< +${AIMS.loginMb} MB`,
        verdict(loginDelta < AIMS.loginMb),
      ],
      [
        "  … each answered",
        "",
        login.statuses.join(" "),
        `${login.slowestMs.toFixed(0)} ms (slowest)`,
        `413 < ${AIMS.loginAnswerMs} ms`,
        verdict(login.statuses.every((s) => s === 413) && login.slowestMs < AIMS.loginAnswerMs),
      ],
      [
        `6 × ${uploads.mbPerRequest} MB photo uploads: peak RSS`,
        `${uploads.before.toFixed(0)} MB`,
        `${uploads.peakMb.toFixed(0)} MB`,
        `+${uploadDelta.toFixed(1)} MB`,
        `< +${AIMS.uploadMb} MB`,
        verdict(uploadDelta < AIMS.uploadMb),
      ],
      ["  … answered", "", uploads.statuses.join(" "), "", "", ""],
      [
        `checkout, ${BUYERS} buyers × ${ROUNDS}: limits on / off`,
        `${mean(throughput.off).toFixed(1)} buyers/s`,
        `${mean(throughput.on).toFixed(1)} buyers/s`,
        ratio.toFixed(2),
        `≥ ${AIMS.checkoutRatio}`,
        verdict(ratio >= AIMS.checkoutRatio),
      ],
    ],
  );
  for (const d of details) console.log(JSON.stringify(d));
  // A ratio is only worth something if the "on" servers did refuse, and the "off" ones did not.
  const sane = details.every((d) => d.limitsEnforced === (d.limits === "on"));
  if (!sane) console.log("MISSED: the rate limits were not on (or not off) as the run asked");
  console.log(
    JSON.stringify({
      loginRssDeltaMb: Number(loginDelta.toFixed(1)),
      loginSlowestMs: Math.round(login.slowestMs),
      loginStatuses: login.statuses,
      uploadRssDeltaMb: Number(uploadDelta.toFixed(1)),
      uploadStatuses: uploads.statuses,
      checkoutRatio: Number(ratio.toFixed(3)),
      buyersPerSecond: { off: mean(throughput.off), on: mean(throughput.on) },
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
