/**
 * "Sent exactly once" through the real HTTP server, as the phone's queue
 * sends it (ADR 030): the same form POST, same bytes, same Idempotency-Key,
 * to the page's own address. For each change the queue makes — a listing
 * created with the phone's id, a photo, a listing saved, its status, an
 * order confirmed, packed, shipped, its money received — sent three times
 * and twice at once it happens once and answers the same; a reused key with
 * another body, another user's session or queue are refused and change
 * nothing. Then: a change that can no longer apply (the buyer cancelled) is
 * refused in plain words, a rate limit says when to come back, a first run
 * that fails gives the key back, and the keys are pruned after 30 days.
 */
import { randomUUID } from "node:crypto";
import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { idempotencyKeys, listingPhotos, listings, orderEvents, orders, rateLimits } from "#db/schema";
import { createUser, listingInput, makePhoto, type FarmerWithStall } from "#tests/fixtures/factories";
import { createActiveListing, createSellingStall, pickupCheckout, VIETQR_STALL } from "#tests/fixtures/orders";
import { signedIn } from "#tests/harness/routes";
import { serveAppForThisFile } from "#tests/http/server";
import { DONE_AT_HEADER, IDEMPOTENCY_KEY_HEADER, QUEUED_FOR_HEADER, REPLAYED_HEADER } from "./index";
import { pruneIdempotencyKeys, withIdempotency } from "./index.server";
import { getUser as userOf } from "~/auth/index.server";
import { RATE_LIMITS } from "~/http/index.server";
import { toListingFormValues } from "~/listings/schemas";
import { changeOrderStatus, placeCheckout } from "~/orders/index.server";
import { checkoutPayments } from "~/payments/index.server";
import { REFUSAL_CODE_HEADER, REFUSAL_MESSAGE_HEADER } from "~/utils/refusal";
import { db } from "~/utils/db.server";

const server = serveAppForThisFile();

const seller = await createSellingStall(db, { ...VIETQR_STALL });
const farmer = await signedIn(seller.user.id);
const neighbour = await createSellingStall(db);
const neighbourCookie = await signedIn(neighbour.user.id);
const buyer = await createUser(db, { role: "buyer", fullName: "Trần Thị Mua" });

/** One request as the queue keeps it: the serialised body and its content type, made once. */
interface Queued {
  path: string;
  contentType: string;
  body: Uint8Array<ArrayBuffer>;
  accept?: string;
}

const urlencoded = (path: string, fields: Record<string, string>): Queued => ({
  path,
  contentType: "application/x-www-form-urlencoded",
  body: new TextEncoder().encode(new URLSearchParams(fields).toString()),
});

/** A multipart body as the browser serialises a FormData (boundary included), read once. */
async function multipart(path: string, form: FormData, accept?: string): Promise<Queued> {
  const request = new Request("http://localhost/", { method: "POST", body: form });
  return {
    path,
    contentType: request.headers.get("Content-Type")!,
    body: new Uint8Array(await request.arrayBuffer()),
    accept,
  };
}

function send(
  queued: Queued,
  key: string,
  { cookie = farmer, queuedFor = seller.user.id, body = queued.body, doneAt }: SendOptions = {},
) {
  return server.fetch(queued.path, {
    method: "POST",
    headers: {
      Cookie: cookie,
      Origin: server.origin,
      "Content-Type": queued.contentType,
      ...(queued.accept ? { Accept: queued.accept } : {}),
      [IDEMPOTENCY_KEY_HEADER]: key,
      ...(queuedFor ? { [QUEUED_FOR_HEADER]: queuedFor } : {}),
      ...(doneAt ? { [DONE_AT_HEADER]: doneAt } : {}),
    },
    body,
  });
}

interface SendOptions {
  cookie?: string;
  queuedFor?: string | null;
  body?: Uint8Array<ArrayBuffer>;
  doneAt?: string;
}

/** What the phone reads of an answer. */
async function answer(res: Response) {
  return { status: res.status, location: res.headers.get("Location"), body: await res.text() };
}

// ---------------------------------------------------------------- the changes the queue sends

interface Change {
  /** The queued request, on fresh data of its own. */
  queued: Queued;
  /** What a user would see changed (rows counted, states): the same after one send or many. */
  effect: () => Promise<unknown>;
}

const listingState = async (id: string) =>
  (
    await db
      .select({ title: listings.title, status: listings.status, updatedAt: listings.updatedAt })
      .from(listings)
      .where(eq(listings.id, id))
  )[0];

async function orderState(orderId: string) {
  const [order] = await db
    .select({ status: orders.status, paymentStatus: orders.paymentStatus })
    .from(orders)
    .where(eq(orders.id, orderId));
  const [events] = await db.select({ n: count() }).from(orderEvents).where(eq(orderEvents.orderId, orderId));
  return { ...order, events: events.n };
}

/** An order of the seller's lychee: picked up and paid by VietQR, or delivered locally (it can be shipped). */
async function newOrder(
  { delivery = "pickup" }: { delivery?: "pickup" | "local" } = {},
  stall: FarmerWithStall = seller,
) {
  const listing = await createActiveListing(db, stall.stall.id);
  const input = pickupCheckout([{ listing, qty: 2 }], {
    buyer: { userId: buyer.id, name: "Trần Thị Mua", phone: "0912345678", phoneProved: true },
  });
  const placed = await placeCheckout(db, {
    ...input,
    ...(delivery === "local"
      ? { address: { provinceCode: "31", communeCode: "10813", addressLine: "Số 5, thôn Phú Lương" } }
      : {}),
    stalls: [{ stallId: stall.stall.id, delivery, paymentMethod: delivery === "pickup" ? "vietqr" : "cod" }],
    payments: checkoutPayments(),
  });
  return placed.orders[0];
}

async function moveTo(order: { code: string }, steps: ("confirmed" | "packed")[]) {
  for (const to of steps) {
    await changeOrderStatus(db, {
      order: { orderCode: order.code },
      scope: { stallId: seller.stall.id },
      to,
      actor: { role: "farmer", userId: seller.user.id },
    });
  }
}

const advance =
  (order: { id: string; code: string }): Change["effect"] =>
  () =>
    orderState(order.id);

function listingFields(overrides: Parameters<typeof listingInput>[0] = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(toListingFormValues(listingInput(overrides)))) {
    if (typeof value === "string") form.set(name, value);
  }
  return form;
}

let photoSeed = 7100;

const CHANGES: readonly (readonly [string, () => Promise<Change>])[] = [
  [
    "a listing created with the phone's id (multipart, as ListingForm posts it)",
    async () => {
      const id = randomUUID();
      const form = listingFields({ title: `Nhãn lồng ${id.slice(0, 6)}` });
      form.set("id", id);
      return {
        queued: await multipart("/seller/listings/new", form),
        effect: async () => {
          const [here] = await db.select({ n: count() }).from(listings).where(eq(listings.id, id));
          const [all] = await db.select({ n: count() }).from(listings).where(eq(listings.stallId, seller.stall.id));
          return { here: here.n, all: all.n };
        },
      };
    },
  ],
  [
    "a photo of a listing (one per request, JSON)",
    async () => {
      const listing = await createActiveListing(db, seller.stall.id);
      const form = new FormData();
      const photo = await makePhoto(photoSeed++);
      form.append("photos", new Blob([new Uint8Array(photo)], { type: "image/jpeg" }), "anh.jpg");
      return {
        queued: await multipart(`/seller/listings/${listing.id}/photos`, form, "application/json"),
        effect: async () => {
          const [row] = await db
            .select({ n: count() })
            .from(listingPhotos)
            .where(eq(listingPhotos.listingId, listing.id));
          return row.n;
        },
      };
    },
  ],
  [
    "a listing saved (intent=save)",
    async () => {
      const listing = await createActiveListing(db, seller.stall.id);
      const fields = Object.fromEntries(
        Object.entries(toListingFormValues(listingInput({ title: "Vải thiều loại một" }))).filter(
          (e): e is [string, string] => typeof e[1] === "string",
        ),
      );
      return {
        queued: urlencoded(`/seller/listings/${listing.id}`, { ...fields, intent: "save" }),
        effect: () => listingState(listing.id),
      };
    },
  ],
  [
    "a listing's status (intent=status)",
    async () => {
      const listing = await createActiveListing(db, seller.stall.id);
      return {
        queued: urlencoded(`/seller/listings/${listing.id}`, { intent: "status", status: "paused" }),
        effect: () => listingState(listing.id),
      };
    },
  ],
  [
    "an order confirmed (intent=advance&to=confirmed)",
    async () => {
      const order = await newOrder();
      return {
        queued: urlencoded(`/seller/orders/${order.code}`, { intent: "advance", to: "confirmed", reason: "" }),
        effect: advance(order),
      };
    },
  ],
  [
    "an order packed (intent=advance&to=packed)",
    async () => {
      const order = await newOrder();
      await moveTo(order, ["confirmed"]);
      return {
        queued: urlencoded(`/seller/orders/${order.code}`, { intent: "advance", to: "packed", reason: "" }),
        effect: advance(order),
      };
    },
  ],
  [
    "an order shipped (intent=advance&to=shipped)",
    async () => {
      const order = await newOrder({ delivery: "local" });
      await moveTo(order, ["confirmed", "packed"]);
      return {
        queued: urlencoded(`/seller/orders/${order.code}`, { intent: "advance", to: "shipped", reason: "" }),
        effect: advance(order),
      };
    },
  ],
  [
    "an order's money received (intent=received&amount=…)",
    async () => {
      const order = await newOrder();
      await moveTo(order, ["confirmed"]);
      return {
        queued: urlencoded(`/seller/orders/${order.code}`, { intent: "received", amount: String(order.totalDong) }),
        effect: advance(order),
      };
    },
  ],
];

const keyRow = async (key: string) => (await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key)))[0];

describe.each(CHANGES)("%s", (_name, prepare) => {
  it("sent three times in a row: done once, the same answer each time, the replays say so", async () => {
    const { queued, effect } = await prepare();
    const before = await effect();
    const key = randomUUID();
    const first = await send(queued, key, { doneAt: "2026-12-07T08:15:00+07:00" });
    expect(first.status).toBeLessThan(400);
    expect(first.headers.get(REPLAYED_HEADER)).toBeNull();
    const firstAnswer = await answer(first);
    const after = await effect();
    expect(after).not.toEqual(before);

    for (let i = 0; i < 2; i++) {
      const again = await send(queued, key, { doneAt: "2026-12-07T08:15:00+07:00" });
      expect(again.headers.get(REPLAYED_HEADER)).toBe("true");
      expect(again.headers.get("Set-Cookie")).toBeNull();
      expect(await answer(again)).toEqual(firstAnswer);
    }
    expect(await effect()).toEqual(after);
    const row = await keyRow(key);
    expect(row).toMatchObject({ state: "done", userId: seller.user.id, status: firstAnswer.status });
    expect(row.doneAt?.toISOString()).toBe("2026-12-07T01:15:00.000Z");
  });

  it("sent twice at once: done once, both answered the same", async () => {
    const { queued, effect } = await prepare();
    const before = await effect();
    const key = randomUUID();
    const [a, b] = await Promise.all([send(queued, key), send(queued, key)]);
    const answers = await Promise.all([answer(a), answer(b)]);
    expect(answers[0].status).toBeLessThan(400);
    expect(answers[1]).toEqual(answers[0]);
    expect([a.headers.get(REPLAYED_HEADER), b.headers.get(REPLAYED_HEADER)].sort()).toEqual(["true", null].sort());
    const after = await effect();
    expect(after).not.toEqual(before);
    // A third, later, changes nothing more.
    await answer(await send(queued, key));
    expect(await effect()).toEqual(after);
  });

  it("the same key with another body, or from another user, is refused and changes nothing", async () => {
    const { queued, effect } = await prepare();
    const key = randomUUID();
    await answer(await send(queued, key));
    const after = await effect();

    const other = new Uint8Array([
      ...queued.body,
      ...new TextEncoder().encode(queued.contentType.startsWith("multipart") ? "\r\n" : "&x=1"),
    ]);
    const reused = await send(queued, key, { body: other });
    expect(reused.status).toBe(422);
    expect(reused.headers.get(REFUSAL_CODE_HEADER)).toBe("offline:key_reused");
    expect(decodeURIComponent(reused.headers.get(REFUSAL_MESSAGE_HEADER)!)).toMatch(/nội dung khác/);

    const stranger = await send(queued, key, { cookie: neighbourCookie, queuedFor: neighbour.user.id });
    expect(stranger.status).toBe(403);
    expect(stranger.headers.get(REFUSAL_CODE_HEADER)).toBe("offline:other_user");
    expect(await effect()).toEqual(after);
    expect((await keyRow(key)).userId).toBe(seller.user.id);
  });

  it("queued for another user: refused before anything is done", async () => {
    const { queued, effect } = await prepare();
    const before = await effect();
    const key = randomUUID();
    const res = await send(queued, key, { queuedFor: neighbour.user.id });
    expect(res.status).toBe(403);
    expect(res.headers.get(REFUSAL_CODE_HEADER)).toBe("offline:other_user");
    expect(decodeURIComponent(res.headers.get(REFUSAL_MESSAGE_HEADER)!)).toMatch(/tài khoản khác/);
    expect(await effect()).toEqual(before);
    expect(await keyRow(key)).toBeUndefined();
  });
});

describe("what the queue is told besides", () => {
  it("a confirm queued before the buyer cancelled: 409, in plain words, and the order stays cancelled", async () => {
    const order = await newOrder();
    const cancelled = await server.fetch(`/orders/${order.code}`, {
      method: "POST",
      headers: {
        Cookie: await signedIn(buyer.id),
        Origin: server.origin,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ intent: "cancel", reason: "Đặt nhầm" }).toString(),
    });
    expect(cancelled.status).toBe(302);

    const queued = urlencoded(`/seller/orders/${order.code}`, { intent: "advance", to: "confirmed", reason: "" });
    const res = await send(queued, randomUUID());
    expect(res.status).toBe(409);
    expect(decodeURIComponent(res.headers.get(REFUSAL_MESSAGE_HEADER)!)).toBe(
      "Người mua đã hủy đơn này trước khi thay đổi của bạn được gửi đến. Đơn vẫn ở trạng thái đã hủy, không có gì thay đổi",
    );
    expect(res.headers.get(REFUSAL_CODE_HEADER)).toBe("orders:illegal_transition");
    expect(await orderState(order.id)).toMatchObject({ status: "cancelled" });
  });

  it("a confirm queued while the order expired unconfirmed: 409, saying it was cancelled for being late", async () => {
    const order = await newOrder();
    await changeOrderStatus(db, {
      order: { orderCode: order.code },
      scope: { system: true },
      to: "cancelled",
      actor: { role: "system" },
      reason: "Quá hạn xác nhận",
    });
    const queued = urlencoded(`/seller/orders/${order.code}`, { intent: "advance", to: "confirmed", reason: "" });
    const res = await send(queued, randomUUID(), { doneAt: new Date().toISOString() });
    expect(res.status).toBe(409);
    expect(decodeURIComponent(res.headers.get(REFUSAL_MESSAGE_HEADER)!)).toMatch(/tự hủy vì không được xác nhận/);
    expect(await orderState(order.id)).toMatchObject({ status: "cancelled" });
  });

  it("a listing id already used is refused (409) and nothing is written", async () => {
    const existing = await createActiveListing(db, neighbour.stall.id);
    const form = listingFields({ title: "Bưởi Diễn" });
    form.set("id", existing.id);
    const res = await send(await multipart("/seller/listings/new", form), randomUUID());
    expect(res.status).toBe(409);
    expect(decodeURIComponent(res.headers.get(REFUSAL_MESSAGE_HEADER)!)).toMatch(/đã được dùng/);
    const [row] = await db.select().from(listings).where(eq(listings.id, existing.id));
    expect(row.stallId).toBe(neighbour.stall.id);
    const mine = await db
      .select()
      .from(listings)
      .where(and(eq(listings.stallId, seller.stall.id), eq(listings.title, "Bưởi Diễn")));
    expect(mine).toEqual([]);
  });

  it("a photo sent past the upload limit is told when to come back (429, Retry-After), and its key stays free", async () => {
    const listing = await createActiveListing(db, seller.stall.id);
    const form = new FormData();
    form.append("photos", new Blob([new Uint8Array(await makePhoto(photoSeed++))], { type: "image/jpeg" }), "a.jpg");
    const queued = await multipart(`/seller/listings/${listing.id}/photos`, form, "application/json");
    const { limit } = RATE_LIMITS["upload.ip"];
    const window = { count: limit, resetAt: sql`now() + interval '10 minutes'` };
    await db
      .insert(rateLimits)
      .values({ key: "upload.ip:127.0.0.1", ...window })
      .onConflictDoUpdate({ target: rateLimits.key, set: window });
    const key = randomUUID();
    try {
      const res = await send(queued, key);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    } finally {
      await db.delete(rateLimits).where(eq(rateLimits.key, "upload.ip:127.0.0.1"));
    }
    expect(await keyRow(key)).toBeUndefined();
    const later = await send(queued, key);
    expect(later.status).toBe(200);
    expect(await later.json()).toEqual({ ok: true, error: null });
  });

  it("a malformed key is refused (400); without a session the key is ignored and the answer is /login", async () => {
    const listing = await createActiveListing(db, seller.stall.id);
    const queued = urlencoded(`/seller/listings/${listing.id}`, { intent: "status", status: "paused" });
    const bad = await send(queued, "short");
    expect(bad.status).toBe(400);
    expect(bad.headers.get(REFUSAL_CODE_HEADER)).toBe("offline:bad_key");
    const key = randomUUID();
    const signedOut = await send(queued, key, { cookie: "" });
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("Location")).toMatch(/^\/login/);
    expect(await keyRow(key)).toBeUndefined();
    expect((await listingState(listing.id)).status).toBe("active");
  });

  it("a phone clock far off is not recorded", async () => {
    const listing = await createActiveListing(db, seller.stall.id);
    const queued = urlencoded(`/seller/listings/${listing.id}`, { intent: "status", status: "paused" });
    const key = randomUUID();
    await answer(await send(queued, key, { doneAt: "2099-01-01T00:00:00Z" }));
    expect(await keyRow(key)).toMatchObject({ state: "done", doneAt: null });
  });
});

describe("withIdempotency's own rules", () => {
  const request = (key: string, body = "a=1") =>
    new Request("http://localhost/seller/listings/x", {
      method: "POST",
      headers: { Cookie: farmer, "Content-Type": "application/x-www-form-urlencoded", [IDEMPOTENCY_KEY_HEADER]: key },
      body,
    });
  const reads = (respond: () => Response | Promise<Response>) => {
    let runs = 0;
    return {
      get runs() {
        return runs;
      },
      run: async (handed: Request) => {
        runs++;
        await handed.text();
        return respond();
      },
    };
  };

  it("a first run that answers ≥ 500 gives the key back: the retry does it", async () => {
    const key = randomUUID();
    let fail = true;
    const route = reads(() => (fail ? new Response("boom", { status: 503 }) : new Response("done", { status: 200 })));
    expect((await withIdempotency(db, request(key), route.run, { userOf })).status).toBe(503);
    expect(await keyRow(key)).toBeUndefined();
    fail = false;
    expect(await (await withIdempotency(db, request(key), route.run, { userOf })).text()).toBe("done");
    expect(await (await withIdempotency(db, request(key), route.run, { userOf })).text()).toBe("done");
    expect(route.runs).toBe(2);
  });

  it("a first run that throws gives the key back: the retry does it", async () => {
    const key = randomUUID();
    const throwing = async (handed: Request) => {
      await handed.text();
      throw new Error("database went away");
    };
    await expect(withIdempotency(db, request(key), throwing, { userOf })).rejects.toThrow("database went away");
    expect(await keyRow(key)).toBeUndefined();
    const route = reads(() => new Response(null, { status: 302, headers: { Location: "/seller" } }));
    const res = await withIdempotency(db, request(key), route.run, { userOf });
    expect(res.headers.get("Location")).toBe("/seller");
    expect(route.runs).toBe(1);
  });

  it("a replay that finds the first still running waits; past the wait it is told to come back (409, Retry-After)", async () => {
    const key = randomUUID();
    let finish!: () => void;
    const running = new Promise<void>((resolve) => (finish = resolve));
    const slow = reads(async () => {
      await running;
      return new Response("first", { status: 200 });
    });
    const first = withIdempotency(db, request(key), slow.run, { userOf });
    while (!(await keyRow(key))) await new Promise((r) => setTimeout(r, 10));
    const early = await withIdempotency(db, request(key), slow.run, { userOf, waitMs: 0 });
    expect(early.status).toBe(409);
    expect(early.headers.get("Retry-After")).toBe("2");
    expect(early.headers.get(REFUSAL_CODE_HEADER)).toBe("offline:in_progress");
    const waiting = withIdempotency(db, request(key), slow.run, { userOf, pollMs: 5 });
    finish();
    expect(await (await first).text()).toBe("first");
    const replayed = await waiting;
    expect(await replayed.text()).toBe("first");
    expect(replayed.headers.get(REPLAYED_HEADER)).toBe("true");
    expect(slow.runs).toBe(1);
  });

  it("an answer over 1 MB keeps its status and headers, and is given whole the first time", async () => {
    const key = randomUUID();
    const big = "x".repeat(1024 * 1024 + 10);
    const route = reads(() => new Response(big, { status: 200, headers: { "X-Kind": "big" } }));
    expect((await (await withIdempotency(db, request(key), route.run, { userOf })).text()).length).toBe(big.length);
    const row = await keyRow(key);
    expect(row).toMatchObject({ state: "done", status: 200, body: null });
    const again = await withIdempotency(db, request(key), route.run, { userOf });
    expect(again.headers.get("X-Kind")).toBe("big");
    expect(route.runs).toBe(1);
  });

  it("keys older than 30 days are pruned, younger ones kept", async () => {
    const old = randomUUID();
    const young = randomUUID();
    const route = reads(() => new Response("ok"));
    await withIdempotency(db, request(old), route.run, { userOf });
    await withIdempotency(db, request(young), route.run, { userOf });
    await db
      .update(idempotencyKeys)
      .set({ createdAt: sql`now() - interval '31 days'` })
      .where(eq(idempotencyKeys.key, old));
    expect((await pruneIdempotencyKeys(db)).keys).toBeGreaterThanOrEqual(1);
    expect(await keyRow(old)).toBeUndefined();
    expect(await keyRow(young)).toBeDefined();
  });
});
