import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "#db/seed/demo";
import { households, users } from "#db/schema";
import { createFarmerWithStall, createUser } from "#tests/fixtures/factories";
import { getSellerStall, requireActingStall } from "./ownership.server";
import { createUserSession } from "~/auth/session.server";
import { cookiePair } from "#tests/harness/routes";
import { db } from "~/utils/db.server";

beforeAll(async () => {
  await seedDemo(db);
});

async function userIdOf(phone: string) {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.phone, phone));
  return user.id;
}

/** A request to a seller page, signed in as the user when given. */
async function sellerRequest(userId?: string) {
  const url = "http://localhost/seller/listings?tab=all";
  if (!userId) return new Request(url);
  const signedIn = await createUserSession({ request: new Request(url), userId, redirectTo: "/" });
  return new Request(url, { headers: { Cookie: cookiePair(signedIn.headers.get("Set-Cookie")) } });
}

async function thrown(promise: Promise<unknown>): Promise<Response> {
  const result = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(result instanceof Response)) throw new Error(`expected a thrown Response, got ${String(result)}`);
  return result;
}

describe("getSellerStall", () => {
  it("finds the stall of the household the user owns", async () => {
    const stall = await getSellerStall(db, await userIdOf("+84912345601"));
    expect(stall).toMatchObject({ slug: "vai-thieu-bac-thinh", name: "Vườn vải thiều bác Thịnh" });
  });

  it("finds the stall of a household an officer onboarded once it is handed over", async () => {
    // Vũ Thị Lan's household was created by the officer; she owns it.
    expect((await getSellerStall(db, await userIdOf("+84974678904")))?.slug).toBe("banh-gai-ninh-giang-co-lan");
  });

  it("is null for a buyer, an officer, or a farmer whose household has no stall yet", async () => {
    expect(await getSellerStall(db, await userIdOf("+84983000201"))).toBeNull();
    expect(await getSellerStall(db, await userIdOf("+84903000301"))).toBeNull();
    const farmer = await createUser(db);
    await db.insert(households).values({
      name: farmer.fullName,
      ownerUserId: farmer.id,
      provinceCode: "31",
      communeCode: "10813",
    });
    expect(await getSellerStall(db, farmer.id)).toBeNull();
  });

  it("gives each owner their own stall, not a neighbour's", async () => {
    const a = await createFarmerWithStall(db);
    const b = await createFarmerWithStall(db);
    expect((await getSellerStall(db, a.user.id))?.id).toBe(a.stall.id);
    expect((await getSellerStall(db, b.user.id))?.id).toBe(b.stall.id);
  });
});

describe("requireActingStall", () => {
  it("sends an anonymous visitor to log in and back", async () => {
    const response = await thrown(requireActingStall(await sellerRequest()));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(
      `/login?${new URLSearchParams({ redirectTo: "/seller/listings?tab=all" })}`,
    );
  });

  it("gives a signed-in farmer their stall", async () => {
    const farmerId = await userIdOf("+84983456702");
    const { user, stall } = await requireActingStall(await sellerRequest(farmerId));
    expect(user).toMatchObject({ id: farmerId, role: "farmer", fullName: "Đỗ Thị Hằng" });
    expect(stall.slug).toBe("ca-rot-cam-giang-chi-hang");
  });

  it("refuses a signed-in user without a stall: 403, or a redirect when the route names one", async () => {
    const buyer = await sellerRequest(await userIdOf("+84983000201"));
    expect((await thrown(requireActingStall(buyer))).status).toBe(403);
    const redirected = await thrown(requireActingStall(buyer, { noStallRedirect: "/seller/start" }));
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get("Location")).toBe("/seller/start");
  });
});
