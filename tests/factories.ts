/**
 * Small builders of test data: a farmer with a household and a stall, listing
 * input, photos. Each call makes new rows (unique phone numbers and slugs), so
 * tests in one file do not collide. The demo seed (db/seed/demo.ts) is the
 * other source of data when a test wants the believable marketplace.
 */
import sharp from "sharp";
import type { Database } from "#db/client";
import { households, stalls, users, type Household, type Stall, type User } from "#db/schema";
import type { ListingInput } from "~/listings/schemas";

let sequence = 0;
const next = () => ++sequence;

/** A Viettel 038 number no demo account uses, unique within the test file. */
function newPhone(): string {
  return `+8438${String(process.pid % 1000).padStart(3, "0")}${String(next()).padStart(4, "0")}`;
}

/** Xã Thanh Hà, Hải Phòng: built into the migrations, so present in every test database. */
export const THANH_HA = { provinceCode: "31", communeCode: "10813" };

export interface FarmerWithStall {
  user: User;
  household: Household;
  stall: Stall;
}

export async function createUser(db: Database, overrides: Partial<typeof users.$inferInsert> = {}): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({ phone: newPhone(), fullName: "Nguyễn Văn Test", role: "farmer", ...overrides })
    .returning();
  return user;
}

/** A farmer, their household in Xã Thanh Hà and a published stall. */
export async function createFarmerWithStall(
  db: Database,
  overrides: {
    user?: Partial<typeof users.$inferInsert>;
    household?: Partial<typeof households.$inferInsert>;
    stall?: Partial<typeof stalls.$inferInsert>;
  } = {},
): Promise<FarmerWithStall> {
  const user = await createUser(db, overrides.user);
  const [household] = await db
    .insert(households)
    .values({
      name: user.fullName,
      ownerUserId: user.id,
      createdByUserId: user.id,
      phone: user.phone,
      ...THANH_HA,
      addressLine: "Thôn Phú Lương",
      onboardingStep: "done",
      ...overrides.household,
    })
    .returning();
  const n = next();
  const [stall] = await db
    .insert(stalls)
    .values({
      householdId: household.id,
      slug: `gian-hang-thu-${n}`,
      name: `Gian hàng thử ${n}`,
      status: "published",
      publishedAt: new Date(),
      ...overrides.stall,
    })
    .returning();
  return { user, household, stall };
}

/** A valid listing input (lychee by the kg, in stock), with overrides. */
export function listingInput(overrides: Partial<ListingInput> = {}): ListingInput {
  return {
    title: "Vải thiều Thanh Hà",
    description: "Vải chín cây, hái sáng nào giao sáng ấy.",
    category: "trai-cay",
    unit: "kg",
    priceDong: 45_000,
    minOrderQty: 1,
    madeToOrder: false,
    stockQty: 200,
    availableFrom: null,
    availableUntil: null,
    preorder: false,
    preorderCapacity: null,
    certifications: [],
    ...overrides,
  };
}

/**
 * A JPEG photo; the same seed gives the same bytes. Photos are stored by the
 * hash of their bytes, so two seeds must never give the same file: the colour
 * repeats every 256 seeds, hence the seed is also written into the EXIF.
 */
export function makePhoto(seed: number, { width = 800, height = 600 } = {}): Promise<Buffer> {
  const r = (seed * 67) % 256;
  const g = (seed * 131 + 80) % 256;
  const b = (seed * 197 + 160) % 256;
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .withExif({ IFD0: { ImageDescription: `test photo ${seed}` } })
    .jpeg()
    .toBuffer();
}

export function makePhotos(count: number, firstSeed = 1): Promise<Buffer[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => makePhoto(firstSeed + i)));
}
