/**
 * The onboarding wizard's rules, without HTTP: who is at which step, saving
 * each step, and what publishing a stall needs. Each step writes straight to
 * the household and stall rows, so the wizard resumes on any device; the
 * household row remembers the furthest step reached.
 *
 * Every function takes the household the caller is allowed to act for; the
 * routes find it from the session (the farmer's own). Officers acting for a
 * household will reach the same functions through their own check.
 */
import { and, eq, exists, inArray, sql } from "drizzle-orm";
import { communes, households, listingPhotos, listings, stalls, type Household, type Stall } from "#db/schema";
import type { DeliveryInput, HouseholdInput, StallInput } from "./schemas";
import { RefusalError } from "~/utils/refusal";
import { nextStep, stepIndex, type OnboardingProgress, type PublishProblem, type WizardStep } from "./steps";
import { deletePhotoIfUnused, storePhoto, type PhotoSource } from "~/media/index.server";
import { PAYMENT_FIELDS, payoutChange, type PaymentMethods } from "~/payments";
import { offeredPaymentMethods, type PaymentProviders } from "~/payments/index.server";
import { findActingFor, freeStallSlug, stallSlugTaken, type ActingFor, type Actor } from "~/stalls/index.server";
import type { Database } from "~/utils/db.server";
import { isUniqueViolation } from "~/utils/db-errors.server";

/**
 * A wizard step refused: `fields` are keys of the "onboarding" namespace
 * ("form" for the step as a whole); without "form" the refusal is told next
 * to its fields only.
 */
export class OnboardingError extends RefusalError<"invalid_input"> {
  override name = "OnboardingError";
  readonly namespace = "onboarding";
  constructor(fields: Record<string, string>) {
    super("invalid_input", { fields });
  }

  get messageKey(): string {
    return this.fields.form ?? "errors.invalid";
  }

  override get concernsForm(): boolean {
    return "form" in this.fields;
  }
}

export type Onboarding = {
  household: Household | null;
  stall: Stall | null;
  /** The furthest step reached; "household" while there is no household yet. */
  progress: OnboardingProgress;
};

/** Where the wizard stands for a household and stall (app/stalls' findActingFor says whose). */
export function onboardingOf({ household, stall }: ActingFor): Onboarding {
  if (!household) return { household: null, stall: null, progress: "household" };
  return { household, stall, progress: household.onboardingStep };
}

/** The onboarding of the household this user may act for. */
export async function getOnboarding(db: Database, userId: string): Promise<Onboarding> {
  return onboardingOf(await findActingFor(db, userId));
}

/**
 * Moves the household's progress past `completed`, never backwards: saving an
 * earlier step again (Back, or an edit after publishing) keeps what was reached.
 * PostgreSQL compares enum values by their declared order.
 */
async function advance(db: Database, householdId: string, completed: WizardStep): Promise<OnboardingProgress> {
  const next = nextStep(completed);
  await db
    .update(households)
    .set({ onboardingStep: next })
    .where(and(eq(households.id, householdId), sql`${households.onboardingStep} < ${next}`));
  return next;
}

/** Whether a step can be opened: every step before it has been saved once. */
export function canOpen(onboarding: Onboarding, step: WizardStep): boolean {
  if (step !== "household" && !onboarding.household) return false;
  if (stepIndex(step) > stepIndex("stall") && !onboarding.stall) return false;
  return stepIndex(step) <= stepIndex(onboarding.progress);
}

// ---------------------------------------------------------------- 1. household

export async function saveHousehold(
  db: Database,
  {
    userId,
    phone,
    household,
    input,
  }: { userId: string; phone: string; household: Household | null; input: HouseholdInput },
): Promise<Household> {
  const [commune] = await db
    .select({ provinceCode: communes.provinceCode })
    .from(communes)
    .where(eq(communes.code, input.communeCode))
    .limit(1);
  if (!commune) throw new OnboardingError({ communeCode: "errors.communeCode.unknown" });
  if (commune.provinceCode !== input.provinceCode)
    throw new OnboardingError({ communeCode: "errors.communeCode.notInProvince" });

  const values = {
    name: input.fullName,
    kind: input.kind,
    provinceCode: input.provinceCode,
    communeCode: input.communeCode,
    addressLine: input.addressLine,
  };
  if (household) {
    const [row] = await db.update(households).set(values).where(eq(households.id, household.id)).returning();
    return row;
  }
  const [row] = await db
    .insert(households)
    .values({ ...values, ownerUserId: userId, createdByUserId: userId, phone, onboardingStep: "stall" })
    .returning();
  return row;
}

// ---------------------------------------------------------------- 2. stall

const STALL_SLUG_INDEX = "stalls_slug_idx";

/**
 * Creates the household's stall (a draft) or updates it. The link is the typed
 * slug, or one made from the name; it cannot change once the stall has been
 * published, because posters with its QR code are printed. A new banner photo
 * goes through the photo pipeline; the one it replaces is deleted when unused.
 */
export async function saveStall(
  db: Database,
  {
    household,
    stall,
    input,
    banner,
    removeBanner = false,
    userId,
  }: {
    household: Household;
    stall: Stall | null;
    input: StallInput;
    banner?: PhotoSource | null;
    removeBanner?: boolean;
    userId: string;
  },
): Promise<Stall> {
  if (stall?.publishedAt && input.slug && input.slug !== stall.slug)
    throw new OnboardingError({ slug: "errors.stallSlug.locked" });
  let slug = stall?.slug ?? "";
  if (input.slug && input.slug !== stall?.slug) {
    if (await stallSlugTaken(db, input.slug, stall?.id)) throw new OnboardingError({ slug: "errors.stallSlug.taken" });
    slug = input.slug;
  } else if (!stall) {
    slug = await freeStallSlug(db, input.name);
  }

  const asset = banner ? await storePhoto(db, banner, { uploadedByUserId: userId }) : null;
  const bannerMediaId = asset ? asset.id : removeBanner ? null : (stall?.bannerMediaId ?? null);
  const values = { name: input.name, description: input.description, slug, bannerMediaId };
  let saved: Stall;
  try {
    if (stall) {
      [saved] = await db.update(stalls).set(values).where(eq(stalls.id, stall.id)).returning();
    } else {
      [saved] = await db
        .insert(stalls)
        .values({ ...values, householdId: household.id, pickupAddress: household.addressLine })
        .returning();
    }
  } catch (error) {
    if (asset && asset.id !== stall?.bannerMediaId) await deletePhotoIfUnused(db, asset.id);
    if (isUniqueViolation(error, STALL_SLUG_INDEX)) throw new OnboardingError({ slug: "errors.stallSlug.taken" });
    throw error;
  }
  if (stall?.bannerMediaId && stall.bannerMediaId !== saved.bannerMediaId)
    await deletePhotoIfUnused(db, stall.bannerMediaId);
  await advance(db, household.id, "stall");
  return saved;
}

// ---------------------------------------------------------------- 3. product

/** Listings that count for publishing: on sale and with at least one photo. */
async function sellableListingCount(db: Database, stallId: string): Promise<{ active: number; withPhoto: number }> {
  const [row] = await db
    .select({
      active: sql<number>`count(*)::int`,
      withPhoto: sql<number>`count(*) FILTER (WHERE ${exists(
        db
          .select({ one: sql`1` })
          .from(listingPhotos)
          .where(eq(listingPhotos.listingId, listings.id)),
      )})::int`,
    })
    .from(listings)
    .where(and(eq(listings.stallId, stallId), inArray(listings.status, ["active", "sold_out"])));
  return row ?? { active: 0, withPhoto: 0 };
}

/** Leaves the product step: with a product on sale that has a photo, or (`skip`) to add one later. */
export async function completeProductStep(
  db: Database,
  { household, stall, skip = false }: { household: Household; stall: Stall; skip?: boolean },
): Promise<void> {
  if (!skip) {
    const { withPhoto } = await sellableListingCount(db, stall.id);
    if (withPhoto === 0) throw new OnboardingError({ form: "errors.product.required" });
  }
  await advance(db, household.id, "product");
}

// ---------------------------------------------------------------- 4. payment

/**
 * Saves how the stall is paid. A stall that is open to buyers must keep a
 * method they can use today: ticking only cards while the farmer's Stripe
 * account is not ready yet (or only a provider the deployment lacks) is
 * refused, and nothing changes.
 */
export async function savePaymentMethods(
  db: Database,
  {
    household,
    stall,
    input,
    providers,
    actor,
    payoutAgreed = false,
  }: {
    household: Household;
    stall: Stall;
    input: PaymentMethods;
    providers?: PaymentProviders;
    /** Who saves: an officer acting for the household may not change where its money goes alone. */
    actor?: Pick<Actor, "role">;
    /** The farmer read back the code for this very account (app/officers payout, ADR 029). */
    payoutAgreed?: boolean;
  },
): Promise<Stall> {
  if (actor?.role === "officer" && !payoutAgreed && payoutChange(stall, input))
    throw new OnboardingError({ [PAYMENT_FIELDS.accountNumber]: "payments:errors.payout.needsFarmer" });
  const vietqr = input.vietqr.enabled ? input.vietqr : null;
  const changes = {
    codEnabled: input.cod,
    vietqrEnabled: Boolean(vietqr),
    // What the farmer saw and ticked: a method the deployment lacks was not on the form, so it is off.
    vnpayEnabled: input.vnpay,
    stripeEnabled: input.stripe,
    // Turning VietQR off keeps the account, so turning it on again needs no retyping.
    ...(vietqr
      ? { bankBin: vietqr.bankBin, bankAccountNumber: vietqr.accountNumber, bankAccountName: vietqr.accountName }
      : {}),
  };
  if (stall.status === "published" && offeredPaymentMethods({ ...stall, ...changes }, providers).length === 0)
    throw new OnboardingError({ methods: "payments:errors.methods.noneReady" });
  const [saved] = await db.update(stalls).set(changes).where(eq(stalls.id, stall.id)).returning();
  await advance(db, household.id, "payment");
  return saved;
}

// ---------------------------------------------------------------- 5. delivery

export async function saveDelivery(
  db: Database,
  { household, stall, input }: { household: Household; stall: Stall; input: DeliveryInput },
): Promise<Stall> {
  if (input.localDeliveryCommunes.length > 0) {
    const known = await db
      .select({ code: communes.code })
      .from(communes)
      .where(inArray(communes.code, input.localDeliveryCommunes));
    if (known.length !== input.localDeliveryCommunes.length)
      throw new OnboardingError({ localDeliveryCommunes: "errors.localDeliveryCommunes.invalid" });
  }
  const [saved] = await db
    .update(stalls)
    .set({
      pickupEnabled: input.pickupEnabled,
      pickupAddress: input.pickupAddress,
      pickupHours: input.pickupHours,
      localDeliveryEnabled: input.localDeliveryEnabled,
      localDeliveryCommunes: input.localDeliveryCommunes,
      localDeliveryFeeDong: input.localDeliveryFee,
      shippingEnabled: input.shippingEnabled,
      shippingFeeMode: input.shippingFeeMode,
      shippingFeeDong: input.shippingFee,
    })
    .where(eq(stalls.id, stall.id))
    .returning();
  await advance(db, household.id, "delivery");
  return saved;
}

// ---------------------------------------------------------------- 6. review and publish

/**
 * What the stall still needs before buyers can see it, in wizard order: a name,
 * a commune, a product on sale with a photo, and a way to be paid — a method a
 * buyer could choose today (offeredPaymentMethods): VNPay and cards count only
 * where the deployment has them, and, with Stripe Connect, cards only once the
 * farmer's account may take charges.
 */
export async function publishProblems(
  db: Database,
  { household, stall, providers }: { household: Household; stall: Stall; providers?: PaymentProviders },
): Promise<PublishProblem[]> {
  const problems: PublishProblem[] = [];
  if (!household.communeCode) problems.push("commune");
  if (!stall.name.trim()) problems.push("name");
  const { active, withPhoto } = await sellableListingCount(db, stall.id);
  if (active === 0) problems.push("listing");
  else if (withPhoto === 0) problems.push("photo");
  if (offeredPaymentMethods(stall, providers).length === 0) problems.push("payment");
  return problems;
}

/**
 * Publishes the stall when nothing is missing; returns what is missing
 * otherwise (and changes nothing). The first publication fixes the slug.
 */
export async function publishStall(
  db: Database,
  { household, stall, providers }: { household: Household; stall: Stall; providers?: PaymentProviders },
): Promise<{ ok: true; stall: Stall } | { ok: false; problems: PublishProblem[] }> {
  const problems = await publishProblems(db, { household, stall, providers });
  if (problems.length > 0) return { ok: false, problems };
  const [saved] = await db
    .update(stalls)
    .set({ status: "published", publishedAt: sql`coalesce(${stalls.publishedAt}, now())` })
    .where(eq(stalls.id, stall.id))
    .returning();
  await db.update(households).set({ onboardingStep: "done" }).where(eq(households.id, household.id));
  return { ok: true, stall: saved };
}

/** Takes the stall off the public pages (its link answers 404) until published again. */
export async function unpublishStall(db: Database, stall: Stall): Promise<Stall> {
  const [saved] = await db
    .update(stalls)
    .set({ status: "unpublished" })
    .where(and(eq(stalls.id, stall.id), eq(stalls.status, "published")))
    .returning();
  return saved ?? stall;
}
