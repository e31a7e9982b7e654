import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { households, mediaAssets, stalls } from "#db/schema";
import {
  createFarmerWithStall,
  createUser,
  listingInput,
  makePhoto,
  makePhotos,
  THANH_HA,
} from "#tests/fixtures/factories";
import {
  canOpen,
  completeProductStep,
  getOnboarding,
  OnboardingError,
  publishProblems,
  publishStall,
  saveDelivery,
  saveHousehold,
  savePaymentMethods,
  saveStall,
  unpublishStall,
} from "./onboarding.server";
import { parseDeliveryForm, parseStallForm, type HouseholdInput } from "./schemas";
import { createListing } from "~/listings/listings.server";
import { getPublishedStall } from "~/stalls/stalls.server";
import { db } from "~/utils/db.server";

const householdInput = (overrides: Partial<HouseholdInput> = {}): HouseholdInput => ({
  fullName: "Trần Thị Mơ",
  kind: "household",
  ...THANH_HA,
  addressLine: "Thôn Phú Lương",
  ...overrides,
});

function stallInput(name: string, slug = "") {
  const parsed = parseStallForm(new URLSearchParams({ name, slug, description: "" }));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.data;
}

async function refusal(promise: Promise<unknown>): Promise<Record<string, string>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof OnboardingError)) throw new Error(`expected an OnboardingError, got ${String(error)}`);
  return error.fields;
}

/** A farmer who has saved the household and stall steps. */
async function farmerAtProduct(name = "Vườn nhà Mơ") {
  const user = await createUser(db);
  const household = await saveHousehold(db, {
    userId: user.id,
    phone: user.phone,
    household: null,
    input: householdInput(),
  });
  const stall = await saveStall(db, { household, stall: null, input: stallInput(name), userId: user.id });
  return { user, household, stall };
}

const reload = async (userId: string) => getOnboarding(db, userId);

describe("the wizard's progress", () => {
  it("starts at the household step with nothing saved, and only that step opens", async () => {
    const user = await createUser(db);
    const onboarding = await reload(user.id);
    expect(onboarding).toEqual({ household: null, stall: null, progress: "household" });
    expect(canOpen(onboarding, "household")).toBe(true);
    expect(canOpen(onboarding, "stall")).toBe(false);
    expect(canOpen(onboarding, "review")).toBe(false);
  });

  it("remembers each saved step, so a reload on any device resumes there", async () => {
    const { user } = await farmerAtProduct();
    const onboarding = await reload(user.id);
    expect(onboarding.progress).toBe("product");
    expect(onboarding.household).toMatchObject({ name: "Trần Thị Mơ", communeCode: THANH_HA.communeCode });
    expect(onboarding.stall).toMatchObject({ name: "Vườn nhà Mơ", status: "draft" });
    expect(canOpen(onboarding, "product")).toBe(true);
    expect(canOpen(onboarding, "payment")).toBe(false);
  });

  it("never moves backwards when an earlier step is saved again", async () => {
    const { user, household, stall } = await farmerAtProduct();
    await completeProductStep(db, { household, stall, skip: true });
    await saveHousehold(db, {
      userId: user.id,
      phone: user.phone,
      household,
      input: householdInput({ addressLine: "Xóm 2" }),
    });
    const onboarding = await reload(user.id);
    expect(onboarding.progress).toBe("payment");
    expect(onboarding.household?.addressLine).toBe("Xóm 2");
  });
});

describe("household step", () => {
  it("refuses a commune outside the chosen province and saves nothing", async () => {
    const user = await createUser(db);
    const fields = await refusal(
      saveHousehold(db, {
        userId: user.id,
        phone: user.phone,
        household: null,
        input: householdInput({ provinceCode: "01" }),
      }),
    );
    expect(fields).toEqual({ communeCode: "errors.communeCode.notInProvince" });
    expect((await reload(user.id)).household).toBeNull();
  });

  it("refuses an unknown commune", async () => {
    const user = await createUser(db);
    const fields = await refusal(
      saveHousehold(db, {
        userId: user.id,
        phone: user.phone,
        household: null,
        input: householdInput({ communeCode: "99999" }),
      }),
    );
    expect(fields).toEqual({ communeCode: "errors.communeCode.unknown" });
  });
});

describe("stall step", () => {
  it("makes the link from the name, and a free variant when it is taken", async () => {
    const first = await farmerAtProduct("Vải thiều Thanh Hà Xanh");
    const second = await farmerAtProduct("Vải thiều Thanh Hà Xanh");
    expect(first.stall.slug).toBe("vai-thieu-thanh-ha-xanh");
    expect(second.stall.slug).toBe("vai-thieu-thanh-ha-xanh-2");
  });

  it("refuses a typed link another stall has, and changes nothing", async () => {
    const other = await createFarmerWithStall(db, { stall: { slug: "ca-rot-duc-chinh" } });
    const { user, household, stall } = await farmerAtProduct();
    const fields = await refusal(
      saveStall(db, { household, stall, input: stallInput("Cà rốt", "ca-rot-duc-chinh"), userId: user.id }),
    );
    expect(fields).toEqual({ slug: "errors.stallSlug.taken" });
    expect((await reload(user.id)).stall?.slug).toBe(stall.slug);
    expect(other.stall.slug).toBe("ca-rot-duc-chinh");
  });

  it("refuses reserved words in the form", () => {
    const parsed = parseStallForm(new URLSearchParams({ name: "Quản trị", slug: "Admin", description: "" }));
    expect(parsed.ok ? null : parsed.errors).toEqual({ slug: "errors.stallSlug.reserved" });
  });

  it("never derives a reserved link from a name", async () => {
    const { stall } = await farmerAtProduct("Admin");
    expect(stall.slug).toBe("admin-2");
  });

  it("keeps the link once the stall has been published (QR posters are printed)", async () => {
    const { user, household, stall } = await createFarmerWithStall(db);
    const fields = await refusal(
      saveStall(db, { household, stall, input: stallInput(stall.name, "ten-moi-hoan-toan"), userId: user.id }),
    );
    expect(fields).toEqual({ slug: "errors.stallSlug.locked" });
    // Renaming without touching the link is fine.
    const renamed = await saveStall(db, { household, stall, input: stallInput("Tên mới", ""), userId: user.id });
    expect(renamed).toMatchObject({ name: "Tên mới", slug: stall.slug });
  });

  it("stores a banner photo and deletes the one it replaces", async () => {
    const { user, household, stall } = await farmerAtProduct();
    const first = await saveStall(db, {
      household,
      stall,
      input: stallInput(stall.name),
      banner: await makePhoto(9001),
      userId: user.id,
    });
    expect(first.bannerMediaId).not.toBeNull();
    const second = await saveStall(db, {
      household,
      stall: first,
      input: stallInput(stall.name),
      banner: await makePhoto(9002),
      userId: user.id,
    });
    expect(second.bannerMediaId).not.toBe(first.bannerMediaId);
    const old = await db.select().from(mediaAssets).where(eq(mediaAssets.id, first.bannerMediaId!));
    expect(old).toHaveLength(0);
    const removed = await saveStall(db, {
      household,
      stall: second,
      input: stallInput(stall.name),
      removeBanner: true,
      userId: user.id,
    });
    expect(removed.bannerMediaId).toBeNull();
  });
});

describe("product step", () => {
  it("needs a product on sale with a photo, unless skipped", async () => {
    const { user, household, stall } = await farmerAtProduct();
    expect(await refusal(completeProductStep(db, { household, stall }))).toEqual({ form: "errors.product.required" });
    await createListing(db, {
      stallId: stall.id,
      userId: user.id,
      input: listingInput(),
      photos: await makePhotos(1, 9100),
      status: "active",
    });
    await completeProductStep(db, { household, stall });
    expect((await reload(user.id)).progress).toBe("payment");
  });
});

describe("payment and delivery steps", () => {
  it("saves VietQR settings and keeps the account when VietQR is turned off", async () => {
    const { user, household, stall } = await farmerAtProduct();
    const on = {
      enabled: true as const,
      bankBin: "970436",
      accountNumber: "0011001234567",
      accountName: "TRAN THI MO",
    };
    await savePaymentMethods(db, { household, stall, input: { cod: false, vietqr: on, vnpay: false, stripe: false } });
    let saved = (await reload(user.id)).stall!;
    expect(saved).toMatchObject({
      codEnabled: false,
      vietqrEnabled: true,
      bankBin: "970436",
      bankAccountName: "TRAN THI MO",
    });
    await savePaymentMethods(db, {
      household,
      stall: saved,
      input: { cod: true, vietqr: { enabled: false }, vnpay: false, stripe: false },
    });
    saved = (await reload(user.id)).stall!;
    expect(saved).toMatchObject({ codEnabled: true, vietqrEnabled: false, bankAccountNumber: "0011001234567" });
  });

  it("saves delivery options with fees in đồng", async () => {
    const { user, household, stall } = await farmerAtProduct();
    const parsed = parseDeliveryForm(
      new URLSearchParams([
        ["pickupEnabled", "on"],
        ["pickupAddress", "Thôn Phú Lương"],
        ["pickupHours", "7:00–17:00"],
        ["localDeliveryEnabled", "on"],
        ["localDeliveryCommunes", THANH_HA.communeCode],
        ["localDeliveryFee", "20.000"],
        ["shippingEnabled", "on"],
        ["shippingFeeMode", "per_kg"],
        ["shippingFee", "8 000 đ"],
      ]),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await saveDelivery(db, { household, stall, input: parsed.data });
    expect((await reload(user.id)).stall).toMatchObject({
      pickupEnabled: true,
      localDeliveryCommunes: [THANH_HA.communeCode],
      localDeliveryFeeDong: 20_000,
      shippingFeeMode: "per_kg",
      shippingFeeDong: 8_000,
    });
  });

  it("refuses delivery with no option, a fee with decimals, or an unknown commune", async () => {
    const none = parseDeliveryForm(new URLSearchParams({ shippingFeeMode: "flat" }));
    expect(none.ok ? null : none.errors).toEqual({ form: "errors.delivery.none" });
    const fraction = parseDeliveryForm(new URLSearchParams({ shippingEnabled: "on", shippingFee: "12,5" }));
    expect(fraction.ok ? null : fraction.errors).toEqual({ shippingFee: "errors.shippingFee.invalid" });

    const { household, stall } = await farmerAtProduct();
    const unknown = parseDeliveryForm(
      new URLSearchParams([
        ["localDeliveryEnabled", "on"],
        ["localDeliveryCommunes", "99999"],
      ]),
    );
    if (!unknown.ok) throw new Error(JSON.stringify(unknown.errors));
    expect(await refusal(saveDelivery(db, { household, stall, input: unknown.data }))).toEqual({
      localDeliveryCommunes: "errors.localDeliveryCommunes.invalid",
    });
  });
});

describe("publishing", () => {
  it("lists what is missing and publishes nothing until it is there", async () => {
    const { user, household, stall } = await farmerAtProduct();
    await db.update(stalls).set({ codEnabled: false }).where(eq(stalls.id, stall.id));
    let current = (await reload(user.id)).stall!;
    expect(await publishProblems(db, { household, stall: current })).toEqual(["listing", "payment"]);
    const refused = await publishStall(db, { household, stall: current });
    expect(refused).toEqual({ ok: false, problems: ["listing", "payment"] });
    expect(await getPublishedStall(db, stall.slug)).toBeNull();

    // A draft without a photo is not "on sale"; an active listing needs a photo anyway.
    await createListing(db, { stallId: stall.id, userId: user.id, input: listingInput(), photos: [] });
    expect(await publishProblems(db, { household, stall: current })).toEqual(["listing", "payment"]);
    await createListing(db, {
      stallId: stall.id,
      userId: user.id,
      input: listingInput(),
      photos: await makePhotos(1, 9200),
      status: "active",
    });
    await db.update(stalls).set({ codEnabled: true }).where(eq(stalls.id, stall.id));
    current = (await reload(user.id)).stall!;
    expect(await publishProblems(db, { household, stall: current })).toEqual([]);

    const published = await publishStall(db, { household, stall: current });
    expect(published.ok).toBe(true);
    expect(await getPublishedStall(db, stall.slug)).toMatchObject({ name: stall.name });
    const [row] = await db.select().from(households).where(eq(households.id, household.id));
    expect(row.onboardingStep).toBe("done");

    await unpublishStall(db, (await reload(user.id)).stall!);
    expect(await getPublishedStall(db, stall.slug)).toBeNull();
    // The first publication date stays: it fixed the link.
    expect((await reload(user.id)).stall?.publishedAt).not.toBeNull();
  });
});
