/**
 * The phone's sender against the real HTTP server (tests/http/server.ts): it
 * replays the queued form posts as the pages make them and reads each answer
 * as the wire protocol says (docs in app/offline/sender.ts). The queue itself
 * is a plain list here (the phone keeps it in IndexedDB, which Node has not).
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listings, orders } from "#db/schema";
import { createActiveListing, createSellingStall, pickupCheckout } from "#tests/fixtures/orders";
import { signedIn } from "#tests/harness/routes";
import { startTestServer, type TestServer } from "../../tests/http/server";
import { serialiseForm } from "./enqueue";
import type { QueueItem, QueueKind, QueueMessage, QueueStore } from "./queue";
import { sendQueue } from "./sender";
import { changeOrderStatus, placeCheckout } from "~/orders/index.server";
import { db } from "~/utils/db.server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const farm = await createSellingStall(db);
const cookie = await signedIn(farm.user.id);

/** The queue as a list, with every request the sender made. */
function phone(items: QueueItem[], { session = cookie as string | null } = {}) {
  const sent: string[] = [];
  const messages: QueueMessage[] = [];
  const store: QueueStore = {
    list: async () => items.map((item) => ({ ...item })),
    update: async (id, change, message) => {
      Object.assign(
        items.find((item) => item.id === id)!,
        change,
      );
      if (message) messages.push(message);
    },
    remove: async (id) => {
      items.splice(
        items.findIndex((item) => item.id === id),
        1,
      );
    },
  };
  // The browser carries the session cookie on every request, redirects followed.
  const fetchAsPhone: typeof fetch = (input, init) => {
    const url = String(input);
    sent.push(url);
    const headers = new Headers(init?.headers);
    if (session) headers.set("Cookie", session);
    return fetch(server.origin + url, { ...init, headers });
  };
  const send = (userId: string | null = farm.user.id) =>
    sendQueue({ store, userId, fetch: fetchAsPhone, sleep: async () => {} });
  return { items, sent, messages, send };
}

let nextId = 1;
async function item(
  kind: QueueKind,
  url: string,
  fields: Record<string, string>,
  extra: Partial<QueueItem> = {},
): Promise<QueueItem> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const { body, contentType } = await serialiseForm(form, false);
  return {
    id: nextId++,
    key: crypto.randomUUID(),
    userId: farm.user.id,
    kind,
    label: kind,
    url,
    method: "POST",
    contentType,
    body,
    doneAt: new Date().toISOString(),
    state: "waiting",
    attempts: 0,
    notBefore: 0,
    href: url,
    ...extra,
  };
}

async function newOrder() {
  const listing = await createActiveListing(db, farm.stall.id);
  const placed = await placeCheckout(db, pickupCheckout([{ listing, qty: 1 }]));
  return placed.orders[0]!;
}
const statusOf = async (orderId: string) =>
  (await db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)))[0]?.status;

describe("the sender replays the queued forms in order and reads each answer", () => {
  it("a redirect is done and leaves the queue; a refusal stays with the server's words, and what depended on it is refused unsent", async () => {
    const order = await newOrder();
    const listing = await createActiveListing(db, farm.stall.id);
    const confirm = await item("order.advance", `/seller/orders/${order.code}`, { intent: "advance", to: "confirmed" });
    // The buyer cancelled this one while the farmer's confirmation waited on the phone.
    const cancelled = await newOrder();
    await changeOrderStatus(db, {
      order: { orderId: cancelled.id },
      scope: { guestOrderId: cancelled.id },
      to: "cancelled",
      actor: { role: "buyer", userId: null },
      reason: "Đặt nhầm",
    });
    const again = await item("order.advance", `/seller/orders/${cancelled.code}`, {
      intent: "advance",
      to: "confirmed",
    });
    const create = await item("listing.create", "/seller/listings/new", { title: "Nhãn lồng", price: "" });
    const photo = await item(
      "listing.photo",
      `/seller/listings/${crypto.randomUUID()}/photos`,
      {},
      {
        dependsOn: create.key,
        accept: "application/json",
      },
    );
    const pause = await item("listing.status", `/seller/listings/${listing.id}`, {
      intent: "status",
      status: "paused",
    });
    const queue = phone([confirm, again, create, photo, pause]);

    const summary = await queue.send();

    expect(summary).toEqual({ sent: 2, refused: 3, stop: "empty" });
    expect(await statusOf(order.id)).toBe("confirmed");
    expect(await statusOf(cancelled.id)).toBe("cancelled");
    const [status] = await db.select({ status: listings.status }).from(listings).where(eq(listings.id, listing.id));
    expect(status?.status).toBe("paused");
    expect(queue.items.map((i) => [i.kind, i.state, i.result?.reason])).toEqual([
      ["order.advance", "refused", "refused"],
      ["listing.create", "refused", "refused"],
      ["listing.photo", "refused", "dependency"],
    ]);
    // The order's refusal in the farmer's words, with the way to the order.
    expect(queue.items[0]!.result).toMatchObject({ href: `/seller/orders/${cancelled.code}` });
    expect(queue.items[0]!.result?.status).toBeGreaterThanOrEqual(400);
    expect(queue.items[0]!.result?.message).toBeTruthy();
    // The photos of a listing that was not created are never sent.
    expect(queue.sent).not.toContain(photo.url);
    expect(queue.messages.filter((m) => m.type === "refused")).toHaveLength(3);
  });

  it("sent to /login: stops and keeps the item and everything after it, to send once someone signs in", async () => {
    const order = await newOrder();
    const confirm = await item("order.advance", `/seller/orders/${order.code}`, { intent: "advance", to: "confirmed" });
    const pack = await item("order.advance", `/seller/orders/${order.code}`, { intent: "advance", to: "packed" });
    const queue = phone([confirm, pack], { session: null });

    expect(await queue.send(null)).toMatchObject({ sent: 0, stop: "signed_out" });
    expect(queue.items.map((i) => i.state)).toEqual(["signed_out", "waiting"]);
    expect(queue.sent).toEqual([confirm.url]);
    expect(await statusOf(order.id)).toBe("placed");
  });

  it("another user's work on a shared phone is never sent under this session", async () => {
    const order = await newOrder();
    const theirs = await item(
      "order.advance",
      `/seller/orders/${order.code}`,
      { intent: "advance", to: "confirmed" },
      { userId: crypto.randomUUID() },
    );
    const queue = phone([theirs]);

    expect(await queue.send()).toMatchObject({ sent: 0, refused: 1 });
    expect(queue.items[0]).toMatchObject({ state: "refused", result: { reason: "other_user" } });
    expect(queue.sent).toEqual([]);
    expect(await statusOf(order.id)).toBe("placed");
  });

  it("a server that asks to wait (429 / 503, Retry-After) is waited for, in order", async () => {
    const order = await newOrder();
    const confirm = await item("order.advance", `/seller/orders/${order.code}`, { intent: "advance", to: "confirmed" });
    const queue = phone([confirm]);
    const busy: typeof fetch = async () => new Response("busy", { status: 429, headers: { "Retry-After": "120" } });
    const before = Date.now();

    const summary = await sendQueue({
      store: {
        list: async () => queue.items,
        update: async (_, c) => void Object.assign(confirm, c),
        remove: async () => {},
      },
      fetch: busy,
    });
    expect(summary.stop).toBe("wait");
    expect(summary.retryAt).toBeGreaterThanOrEqual(before + 120_000);
    expect(confirm).toMatchObject({ state: "waiting" });
    expect(confirm.notBefore).toBe(summary.retryAt);

    // Before that time nothing is sent, even when asked.
    expect(await queue.send()).toMatchObject({ stop: "wait", sent: 0 });
    expect(queue.sent).toEqual([]);
    expect(await statusOf(order.id)).toBe("placed");
  });

  it("a key another sender has in flight (409, offline:in_progress) is tried again after Retry-After, and lands once", async () => {
    const order = await newOrder();
    const confirm = await item("order.advance", `/seller/orders/${order.code}`, { intent: "advance", to: "confirmed" });
    const items = [confirm];
    const waits: number[] = [];
    let answered = 0;
    const firstInFlight: typeof fetch = (input, init) => {
      if (answered++ === 0)
        return Promise.resolve(
          new Response(null, { status: 409, headers: { "Retry-After": "2", "X-Refusal": "offline:in_progress" } }),
        );
      const headers = new Headers(init?.headers);
      headers.set("Cookie", cookie);
      return fetch(server.origin + String(input), { ...init, headers });
    };
    const summary = await sendQueue({
      store: {
        list: async () => items.map((i) => ({ ...i })),
        update: async (_, change) => void Object.assign(confirm, change),
        remove: async () => void items.pop(),
      },
      fetch: firstInFlight,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(summary).toMatchObject({ sent: 1, stop: "empty" });
    expect(waits).toEqual([2000]);
    expect(items).toEqual([]);
    expect(await statusOf(order.id)).toBe("confirmed");
  });
});
