/**
 * The seller routes with hostile input, through their real loaders and actions:
 * each refusal is a clear, translated answer and nothing is stored.
 */
import fs from "node:fs";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listingPhotos, listings, mediaAssets } from "#db/schema";
import { cookiePair } from "#tests/harness/routes";
import { createUserSession } from "~/auth/session.server";
import { resources } from "~/i18n/resources.server";
import { createListing } from "~/listings/listings.server";
import { db } from "~/utils/db.server";
import {
  createFarmerWithStall,
  listingInput,
  makePhoto,
  makePhotos,
  type FarmerWithStall,
} from "#tests/fixtures/factories";
import { action as photosAction } from "./seller.listings.$listingId.photos";
import { action as editAction, loader as editLoader } from "./seller.listings.$listingId";
import { action as newAction } from "./seller.listings.new";

const vietnamese = (key: string) =>
  key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], resources.vi.listings);

let farmer: FarmerWithStall;
let cookie: string;
let listingId: string;

async function sessionCookie(userId: string) {
  const res = await createUserSession({ request: new Request("http://localhost/login"), userId, redirectTo: "/" });
  return cookiePair(res.headers.get("Set-Cookie"));
}

type Args = Parameters<typeof newAction>[0];
async function call(
  handler: (args: Args) => unknown,
  url: string,
  init: RequestInit & { params?: Record<string, string> } = {},
) {
  const { params = {}, ...rest } = init;
  const request = new Request(`http://localhost${url}`, {
    ...rest,
    headers: { Cookie: cookie, ...(rest.headers as Record<string, string>) },
  });
  try {
    const result = (await handler({ request, params, context: {} })) as unknown;
    if (result instanceof Response) {
      // The photo uploader's answers are JSON Responses (a resource route's data() would lose its status).
      const json = (result.headers.get("Content-Type") ?? "").startsWith("application/json");
      return { status: result.status, data: (json ? await result.json() : null) as never, headers: result.headers };
    }
    const { data, init: responseInit } = result as { data: Record<string, unknown>; init: ResponseInit | null };
    return { status: responseInit?.status ?? 200, data, headers: new Headers(responseInit?.headers) };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, data: null as never, headers: thrown.headers };
    throw thrown;
  }
}

const counts = async () => ({
  listings: (await db.select({ n: count() }).from(listings))[0].n,
  photos: (await db.select({ n: count() }).from(listingPhotos))[0].n,
  media: (await db.select({ n: count() }).from(mediaAssets))[0].n,
});
const storedFiles = () => {
  const root = path.join(process.env.DATA_DIR!, "media");
  return fs.existsSync(root) ? fs.readdirSync(root, { recursive: true }).length : 0;
};

function listingForm(fields: Record<string, string>, files: { name: string; body: Buffer }[] = []) {
  const form = new FormData();
  const base = {
    title: "Cà rốt Cẩm Giàng",
    category: "cu-qua",
    unit: "kg",
    price: "12000",
    stockQty: "100",
    minOrderQty: "1",
  };
  for (const [k, v] of Object.entries({ ...base, ...fields })) form.append(k, v);
  for (const f of files) form.append("photos", new Blob([new Uint8Array(f.body)], { type: "image/jpeg" }), f.name);
  return form;
}

beforeAll(async () => {
  farmer = await createFarmerWithStall(db);
  cookie = await sessionCookie(farmer.user.id);
  const listing = await createListing(db, {
    stallId: farmer.stall.id,
    userId: farmer.user.id,
    input: listingInput({ title: "Vải thiều" }),
    photos: [await makePhoto(1)],
    status: "active",
  });
  listingId = listing.id;
});

describe("creating a listing", () => {
  it("refuses a negative, fractional or zero price and an unknown unit with translated messages, storing nothing", async () => {
    const before = await counts();
    const files = storedFiles();
    for (const [fields, field] of [
      [{ price: "-5000" }, "price"],
      [{ price: "12,5" }, "price"],
      [{ price: "0" }, "price"],
      [{ unit: "gallon" }, "unit"],
    ] as const) {
      const res = await call(newAction, "/seller/listings/new", {
        method: "POST",
        body: listingForm(fields, [{ name: "a.jpg", body: await makePhoto(2) }]),
      });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      // A key of the "listings" namespace, which the form shows in the reader's language.
      const key = (res.data.errors as Record<string, string>)[field];
      expect(vietnamese(key), key).toMatch(/[à-ỹ]/);
    }
    expect(await counts()).toEqual(before);
    expect(storedFiles()).toBe(files);
  });

  it("refuses a text file renamed .jpg and keeps what was typed", async () => {
    const before = await counts();
    const res = await call(newAction, "/seller/listings/new", {
      method: "POST",
      body: listingForm({ title: "Hành khô Kinh Môn" }, [
        { name: "anh.jpg", body: Buffer.from("xin chào, tôi là văn bản") },
      ]),
    });
    expect(res.status).toBe(400);
    expect(res.data.photoError).toMatch(/không phải là ảnh/);
    expect((res.data.values as { title: string }).title).toBe("Hành khô Kinh Môn");
    expect(await counts()).toEqual(before);
  });

  it("refuses a 16 MB file without storing it", async () => {
    const before = await counts();
    const files = storedFiles();
    const res = await call(newAction, "/seller/listings/new", {
      method: "POST",
      body: listingForm({}, [{ name: "lon.jpg", body: Buffer.alloc(16 * 1024 * 1024, 1) }]),
    });
    expect(res.status).toBe(400);
    expect(res.data.photoError).toMatch(/quá lớn/);
    expect(await counts()).toEqual(before);
    expect(storedFiles()).toBe(files);
  });
});

describe("the marketplace details", () => {
  const save = (fields: Record<string, string>) => {
    const form = listingForm({ title: "Vải thiều", ...fields });
    form.append("intent", "save");
    return call(editAction, `/seller/listings/${listingId}`, { method: "POST", body: form, params: { listingId } });
  };
  const stored = async () =>
    (
      await db
        .select({
          leadTimeDays: listings.leadTimeDays,
          weightGrams: listings.weightGrams,
          packageLengthCm: listings.packageLengthCm,
          packageWidthCm: listings.packageWidthCm,
          packageHeightCm: listings.packageHeightCm,
        })
        .from(listings)
        .where(eq(listings.id, listingId))
    )[0];

  it("are saved from the edit form and shown again", async () => {
    const res = await save({
      madeToOrder: "on",
      leadTimeDays: "3",
      weightGrams: "500",
      packageLengthCm: "30",
      packageWidthCm: "20",
      packageHeightCm: "15",
    });
    expect(res.status).toBe(302);
    expect(await stored()).toEqual({
      leadTimeDays: 3,
      weightGrams: 500,
      packageLengthCm: 30,
      packageWidthCm: 20,
      packageHeightCm: 15,
    });
    const page = await editLoader({
      request: new Request(`http://localhost/seller/listings/${listingId}`, { headers: { Cookie: cookie } }),
      params: { listingId },
      context: {},
    });
    expect(page.values).toMatchObject({ leadTimeDays: "3", weightGrams: "500", packageHeightCm: "15" });
  });

  it("refuses a weight in words or a zero size with a translated message and changes nothing", async () => {
    const before = await stored();
    for (const [fields, field] of [
      [{ weightGrams: "nửa cân" }, "weightGrams"],
      [{ packageWidthCm: "0" }, "packageWidthCm"],
      [{ madeToOrder: "on", leadTimeDays: "400" }, "leadTimeDays"],
    ] as const) {
      const res = await save(fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      const key = (res.data.errors as Record<string, string>)[field];
      expect(vietnamese(key), key).toMatch(/[à-ỹ]/);
    }
    expect(await stored()).toEqual(before);
  });
});

describe("adding photos", () => {
  it("refuses the ninth photo and stores nothing", async () => {
    const add = (photos: Buffer[]) => {
      const form = new FormData();
      for (const [i, p] of photos.entries()) form.append("photos", new Blob([new Uint8Array(p)]), `p${i}.jpg`);
      return call(photosAction, `/seller/listings/${listingId}/photos`, {
        method: "POST",
        body: form,
        params: { listingId },
        headers: { Accept: "application/json" },
      });
    };
    expect((await add(await makePhotos(7, 10))).data).toEqual({ ok: true, error: null });
    const before = await counts();
    const files = storedFiles();
    const ninth = await add([await makePhoto(99)]);
    expect(ninth.status).toBe(400);
    expect(ninth.data.error).toMatch(/tối đa 8 ảnh/);
    expect(await counts()).toEqual(before);
    expect(storedFiles()).toBe(files);
    const [{ n }] = await db.select({ n: count() }).from(listingPhotos).where(eq(listingPhotos.listingId, listingId));
    expect(n).toBe(8);
  });
});

describe("another seller's listing", () => {
  it("is a 404 to read, edit, change status or add photos to, and stays unchanged", async () => {
    const intruder = await createFarmerWithStall(db);
    const mine = cookie;
    cookie = await sessionCookie(intruder.user.id);
    try {
      const params = { listingId };
      expect((await call(editLoader, `/seller/listings/${listingId}`, { params })).status).toBe(404);
      const status = new FormData();
      status.append("intent", "status");
      status.append("status", "archived");
      expect(
        (await call(editAction, `/seller/listings/${listingId}`, { method: "POST", body: status, params })).status,
      ).toBe(404);
      const photo = new FormData();
      photo.append("photos", new Blob([new Uint8Array(await makePhoto(5))]), "x.jpg");
      expect(
        (await call(photosAction, `/seller/listings/${listingId}/photos`, { method: "POST", body: photo, params }))
          .status,
      ).toBe(404);
      const [row] = await db.select().from(listings).where(eq(listings.id, listingId));
      expect(row.status).toBe("active");
    } finally {
      cookie = mine;
    }
  });

  it("sends an anonymous visitor to log in", async () => {
    const mine = cookie;
    cookie = "";
    try {
      const res = await call(editLoader, `/seller/listings/${listingId}`, { params: { listingId } });
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    } finally {
      cookie = mine;
    }
  });
});
