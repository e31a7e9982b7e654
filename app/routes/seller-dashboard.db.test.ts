/**
 * The seller dashboard (/seller) through its real loader and action, signed in
 * with a real session: hiding and reopening a stall is what buyers see at
 * /s/:slug, publishing refuses what is missing, and nobody acts on a stall
 * that is not their own.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { stalls } from "#db/schema";
import { createUserSession } from "~/auth/session.server";
import { cookiePair, get, postForm } from "#tests/harness/routes";
import { createListing } from "~/listings/listings.server";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import {
  createFarmerWithStall,
  createUser,
  listingInput,
  makePhoto,
  type FarmerWithStall,
} from "#tests/fixtures/factories";
import { loader as stallPageLoader } from "./s.$stallSlug";
import { action, loader } from "./seller._index";
import { loader as layoutLoader } from "./seller";

type Dashboard = Awaited<ReturnType<typeof loader>>;

async function sessionCookie(userId: string) {
  const res = await createUserSession({ request: new Request("http://localhost/login"), userId, redirectTo: "/" });
  return cookiePair(res.headers.get("Set-Cookie"));
}

/** What a buyer gets at /s/:slug: 200 with the stall, or the 404 the loader throws. */
async function stallPage(slug: string): Promise<number> {
  try {
    await stallPageLoader({
      request: new Request(`http://localhost/s/${slug}`),
      params: { stallSlug: slug },
      context: { requestId: "test", logger },
    });
    return 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

const statusOf = async (stallId: string) =>
  (await db.select({ status: stalls.status }).from(stalls).where(eq(stalls.id, stallId)))[0].status;

/** A farmer whose published stall has a product on sale with a photo (all publishing needs). */
async function sellingFarmer(photoSeed: number): Promise<FarmerWithStall & { cookie: string }> {
  const farmer = await createFarmerWithStall(db);
  await createListing(db, {
    stallId: farmer.stall.id,
    input: listingInput(),
    photos: [await makePhoto(photoSeed)],
    status: "active",
  });
  return { ...farmer, cookie: await sessionCookie(farmer.user.id) };
}

let farmer: FarmerWithStall & { cookie: string };

beforeAll(async () => {
  farmer = await sellingFarmer(1);
});

describe("the dashboard page", () => {
  it("shows a published stall with its public link, its checklist and no setup card", async () => {
    const res = await get<Dashboard>(loader, "/seller", { cookie: farmer.cookie });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      stall: { status: "published", url: `http://localhost/s/${farmer.stall.slug}` },
      resume: null,
      problems: [],
      checklist: { total: 7 },
    });
  });

  it("offers to continue the wizard at the step reached while the stall was never published", async () => {
    const beginner = await createFarmerWithStall(db, {
      household: { onboardingStep: "product" },
      stall: { status: "draft", publishedAt: null },
    });
    const res = await get<Dashboard>(loader, "/seller", { cookie: await sessionCookie(beginner.user.id) });
    expect(res.data).toMatchObject({ resume: "product", stall: { status: "draft" }, problems: ["listing"] });
  });

  it("sends someone without a stall to the wizard, and a visitor to log in", async () => {
    const newcomer = await createUser(db);
    const cookie = await sessionCookie(newcomer.id);
    for (const handler of [layoutLoader, loader]) {
      const res = await get(handler, "/seller", { cookie });
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe("/setup");
    }
    const anonymous = await get(layoutLoader, "/seller");
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("unpublishing and publishing", () => {
  it("hides the stall from buyers (404) and publishing brings it back", async () => {
    expect(await stallPage(farmer.stall.slug)).toBe(200);

    const hide = await postForm(action, "/seller", { intent: "unpublish" }, { cookie: farmer.cookie });
    expect(hide.status).toBe(302);
    expect(hide.headers.get("Location")).toBe("/seller");
    expect(hide.headers.get("Set-Cookie")).toMatch(/^toast=/);
    expect(await statusOf(farmer.stall.id)).toBe("unpublished");
    expect(await stallPage(farmer.stall.slug)).toBe(404);

    // Once hidden, the page offers to publish again, not to finish a setup already done.
    const page = await get<Dashboard>(loader, "/seller", { cookie: farmer.cookie });
    expect(page.data).toMatchObject({ stall: { status: "unpublished" }, resume: null, problems: [] });

    const open = await postForm(action, "/seller", { intent: "publish" }, { cookie: farmer.cookie });
    expect(open.status).toBe(302);
    expect(open.headers.get("Location")).toBe("/seller");
    expect(await statusOf(farmer.stall.id)).toBe("published");
    expect(await stallPage(farmer.stall.slug)).toBe(200);
  });

  it("refuses to publish without a way to be paid, says so (400) and leaves the stall hidden", async () => {
    const seller = await sellingFarmer(2);
    await postForm(action, "/seller", { intent: "unpublish" }, { cookie: seller.cookie });
    await db.update(stalls).set({ codEnabled: false, vietqrEnabled: false }).where(eq(stalls.id, seller.stall.id));

    const res = await postForm<{ problems: string[] }>(
      action,
      "/seller",
      { intent: "publish" },
      { cookie: seller.cookie },
    );
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ problems: ["payment"] });
    expect(await statusOf(seller.stall.id)).toBe("unpublished");
    expect(await stallPage(seller.stall.slug)).toBe(404);
    const page = await get<Dashboard>(loader, "/seller", { cookie: seller.cookie });
    expect(page.data?.problems).toEqual(["payment"]);

    await db.update(stalls).set({ codEnabled: true }).where(eq(stalls.id, seller.stall.id));
    expect((await postForm(action, "/seller", { intent: "publish" }, { cookie: seller.cookie })).status).toBe(302);
    expect(await stallPage(seller.stall.slug)).toBe(200);
  });

  it("answers 400 to an unknown intent and changes nothing", async () => {
    const res = await postForm(action, "/seller", { intent: "delete" }, { cookie: farmer.cookie });
    expect(res.status).toBe(400);
    expect(await statusOf(farmer.stall.id)).toBe("published");
  });
});

describe("someone else's stall", () => {
  it("cannot be unpublished: the action only ever acts on the signed-in person's own stall", async () => {
    const other = await sellingFarmer(3);
    // A stall id in the form is ignored, whoever's it is.
    const res = await postForm(
      action,
      "/seller",
      { intent: "unpublish", stallId: farmer.stall.id, householdId: farmer.household.id },
      { cookie: other.cookie },
    );
    expect(res.status).toBe(302);
    expect(await statusOf(other.stall.id)).toBe("unpublished");
    expect(await statusOf(farmer.stall.id)).toBe("published");
    expect(await stallPage(farmer.stall.slug)).toBe(200);
  });

  it("cannot be unpublished by someone without a stall: they are sent to the wizard", async () => {
    const stranger = await createUser(db, { role: "buyer" });
    const res = await postForm(
      action,
      "/seller",
      { intent: "unpublish", stallId: farmer.stall.id },
      { cookie: await sessionCookie(stranger.id) },
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/setup");
    expect(await statusOf(farmer.stall.id)).toBe("published");
  });
});
