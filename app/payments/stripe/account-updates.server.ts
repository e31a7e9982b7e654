/**
 * What Stripe's `account.updated` does to a farmer's stall under Stripe
 * Connect, and what the farmer is told (ADR 035).
 *
 * Stripe may turn a connected account's charges off at any time (details it
 * wants, a review). Then the stall stops offering cards at checkout
 * (offeredPaymentMethods reads stalls.stripe_charges_enabled), and:
 * - stalls.stripe_charges_stopped_at records when, once: it is set when
 *   charges go from on to off, and cleared when they come back;
 * - a published stall left with no way to pay at all (cards were its only
 *   method) is taken off sale (status "unpublished", as the farmer's own
 *   "Tạm ẩn" does), the rule of the farmer's own edits (savePaymentMethods);
 *   one with cash, VietQR or VNPay stays on sale;
 * - the farmer gets one SMS (after the commit) and a notice on the dashboard
 *   (`cardsNotice`) while cards stay stopped; when they come back, another SMS.
 *
 * Called by core/notifications.server.ts inside the event's transaction, with
 * the event already recorded once by its id; the stall row is locked, so two
 * events about one account apply one after the other. Events arrive in any
 * order: one older than an account event already applied changes nothing.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import { households, paymentEvents, stalls, users, type PaymentMethod, type Stall } from "#db/schema";
import type { AccountReadiness } from "../core/provider";
import {
  offeredPaymentMethods,
  paymentProviders,
  stripeConnect,
  type PaymentProviders,
} from "../core/providers.server";
import { CONNECT_REFRESH_PATH, PAYMENT_STEP_PATH } from "./connect.server";
import { i18nInstance } from "~/i18n/index.server";
import { smsProvider } from "~/notifications/index.server";
import type { Database, Tx } from "#db/client";
import { logger } from "~/utils/logger.server";

/** What the farmer is told after the commit: cards stopped (and whether the stall went off sale), or came back. */
export interface CardsChange {
  stallId: string;
  kind: "stopped" | "resumed";
  /** Stopped: the stall was taken off sale. Resumed: the stall is off sale (the farmer puts it back). */
  offSale: boolean;
}

export type AccountUpdateResult =
  | { result: "account_updated"; stallId: string | null; cards?: CardsChange }
  | { result: "ignored"; attemptId: null; reason: "older_account_update" };

/** The payment_events.result of an account event that changed the stall (or was nobody's). */
export const ACCOUNT_UPDATED = "account_updated";

/**
 * Applies one verified `account.updated` to the stall of that account, in the
 * caller's transaction (the event row, `eventId`, is already written).
 */
export async function applyAccountReadiness(
  tx: Tx,
  {
    account,
    eventId,
    providers = paymentProviders(),
  }: {
    account: AccountReadiness;
    eventId: string;
    providers?: PaymentProviders;
  },
): Promise<AccountUpdateResult> {
  const [stall] = await tx.select().from(stalls).where(eq(stalls.stripeAccountId, account.id)).limit(1).for("update");
  if (!stall) return { result: "account_updated", stallId: null };
  if (await newerEventApplied(tx, account, eventId)) {
    logger.info({ stallId: stall.id, eventId }, "stripe account.updated older than one already applied: ignored");
    return { result: "ignored", attemptId: null, reason: "older_account_update" };
  }

  const { changes, cards } = readinessChange(stall, account.chargesEnabled, providers);
  await tx.update(stalls).set(changes).where(eq(stalls.id, stall.id));
  if (cards?.kind === "stopped") {
    logger.info(
      { stallId: stall.id, offSale: cards.offSale },
      cards.offSale
        ? "stripe stopped card charges, the stall's only way to be paid: stall taken off sale"
        : "stripe stopped card charges: the stall's other methods stay",
    );
  }
  return cards
    ? { result: "account_updated", stallId: stall.id, cards }
    : { result: "account_updated", stallId: stall.id };
}

/**
 * The stall's new row and what to tell the farmer, from what Stripe says now
 * (a pure rule; the offered methods are `offeredPaymentMethods`, the one rule
 * checkout, publishing and the farmer's own edits use).
 */
function readinessChange(
  stall: Stall,
  chargesEnabled: boolean,
  providers: PaymentProviders = paymentProviders(),
): {
  changes: Partial<Pick<Stall, "stripeChargesEnabled" | "stripeChargesStoppedAt" | "status">>;
  cards: CardsChange | null;
} {
  const before = offeredPaymentMethods(stall, providers);
  const after = offeredPaymentMethods({ ...stall, stripeChargesEnabled: chargesEnabled }, providers);
  const lostCards = before.includes("stripe") && !after.includes("stripe");
  const gotCardsBack = !before.includes("stripe") && after.includes("stripe");

  if (stall.stripeChargesEnabled && !chargesEnabled) {
    const offSale = lostCards && stall.status === "published" && after.length === 0;
    return {
      changes: {
        stripeChargesEnabled: false,
        stripeChargesStoppedAt: new Date(),
        ...(offSale ? { status: "unpublished" as const } : {}),
      },
      cards: lostCards ? { stallId: stall.id, kind: "stopped", offSale } : null,
    };
  }
  if (!stall.stripeChargesEnabled && chargesEnabled) {
    return {
      changes: { stripeChargesEnabled: true, stripeChargesStoppedAt: null },
      // Told only when cards had stopped: the first readiness shows on the payment step.
      cards:
        stall.stripeChargesStoppedAt && gotCardsBack
          ? { stallId: stall.id, kind: "resumed", offSale: stall.status === "unpublished" }
          : null,
    };
  }
  return { changes: { stripeChargesEnabled: chargesEnabled }, cards: null };
}

/**
 * Whether an account event made after this one (Stripe's `created`) has
 * already been applied to the account. Stripe's payload (stored with every
 * event) is the only record of that time; account events are few, and this
 * runs only for them. Same-second events both apply, in arrival order.
 */
async function newerEventApplied(tx: Tx, account: AccountReadiness, eventId: string): Promise<boolean> {
  const seconds = Math.floor(account.updatedAt.getTime() / 1000);
  const [newer] = await tx
    .select({ id: paymentEvents.id })
    .from(paymentEvents)
    .where(
      and(
        eq(paymentEvents.provider, "stripe"),
        eq(paymentEvents.result, ACCOUNT_UPDATED),
        ne(paymentEvents.eventId, eventId),
        sql`${paymentEvents.payload} #>> '{data,object,id}' = ${account.id}`,
        sql`(CASE WHEN jsonb_typeof(${paymentEvents.payload} -> 'created') = 'number'
                  THEN (${paymentEvents.payload} ->> 'created')::numeric END) > ${seconds}`,
      ),
    )
    .limit(1);
  return Boolean(newer);
}

/**
 * One SMS to the farmer, after the commit, in their language: cards stopped
 * (still on sale, or taken off sale) or cards work again, with the link to
 * their dashboard. No amount, no name: the household's phone (else the
 * owner's) is never logged. A failed send is logged; the dashboard notice
 * still tells them.
 */
export async function tellFarmerAboutCards(
  db: Database,
  cards: CardsChange,
  { origin }: { origin: string },
): Promise<void> {
  try {
    const [row] = await db
      .select({ householdPhone: households.phone, ownerPhone: users.phone, locale: users.locale })
      .from(stalls)
      .innerJoin(households, eq(households.id, stalls.householdId))
      .leftJoin(users, eq(users.id, households.ownerUserId))
      .where(eq(stalls.id, cards.stallId));
    const to = row?.householdPhone ?? row?.ownerPhone;
    if (!to) {
      logger.warn({ stallId: cards.stallId, kind: cards.kind }, "no phone to tell the farmer about card payments");
      return;
    }
    const locale = row?.locale ?? "vi";
    const t = i18nInstance(locale).getFixedT(locale, "payments");
    const template = `${cards.kind}${cards.offSale ? "OffSale" : ""}`;
    const text = t(`cardsStopped.sms.${template}`, {
      url: `${origin}/seller`,
      interpolation: { escapeValue: false },
    });
    await smsProvider().send(to, text);
    logger.info({ stallId: cards.stallId, kind: cards.kind }, "farmer told by SMS about card payments");
  } catch (error) {
    logger.error(
      { err: error, stallId: cards.stallId, kind: cards.kind },
      "could not tell the farmer about card payments",
    );
  }
}

/** The dashboard's notice while Stripe keeps the stall's card payments stopped (CardsStoppedNotice.tsx). */
export interface CardsNotice {
  /** When Stripe stopped them (ISO). */
  since: string;
  /** The stall's status now: "unpublished" after being taken off sale. */
  status: Stall["status"];
  /** What buyers can still pay with, in checkout order; empty: nothing. */
  stillOffered: PaymentMethod[];
  /** The farmer's own paths (an officer's page prefixes them): a fresh Stripe onboarding link, the payment settings. */
  links: { openStripe: string; paymentSettings: string };
}

/**
 * Null unless the farmer chose cards, this deployment runs Connect, and
 * Stripe has stopped the account's charges (the notice goes once they come
 * back, or once the farmer unticks cards).
 */
export function cardsNotice(stall: Stall, providers: PaymentProviders = paymentProviders()): CardsNotice | null {
  if (!stall.stripeChargesStoppedAt || !stall.stripeEnabled || !stripeConnect(providers)) return null;
  const stillOffered = offeredPaymentMethods(stall, providers);
  if (stillOffered.includes("stripe")) return null;
  return {
    since: stall.stripeChargesStoppedAt.toISOString(),
    status: stall.status,
    stillOffered,
    links: { openStripe: CONNECT_REFRESH_PATH, paymentSettings: PAYMENT_STEP_PATH },
  };
}
