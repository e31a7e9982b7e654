/**
 * The checkout form (/checkout) and what placing it decides, between the
 * page and placeCheckout:
 *
 * - the fields: name, phone, provinceCode, communeCode, addressLine; per stall
 *   of the cart delivery.<stallId>, payment.<stallId> and note.<stallId>; per
 *   line price.<listingId>, the price the page showed;
 * - what is bought is the cart as it is on the server (so a second tap of the
 *   button finds it empty and places nothing twice); the prices posted are
 *   only compared with today's, and a line the page did not show has none and
 *   is refused as changed;
 * - a stall whose delivery was not chosen is refused as "not offered"; a
 *   payment method not posted (the radio's default) is the stall's first.
 *
 * The schema names every field it can at once; placeCheckout checks all of it
 * again (scripts and tests call it directly) and what only the database knows.
 */
import { z } from "zod";
import type { PaymentMethod } from "#db/schema";
import { ADDRESS_LINE_MAX, BUYER_NAME_MAX, NOTE_MAX, placeCheckout, type CheckoutInput } from "./checkout.server";
import { PhoneCodeNeeded, type CodeReason } from "./checkout-guard.server";
import { OrderError, type ItemProblem } from "./errors";
import type { DeliveryMethodCode } from "./state-machine";
import { formValues, parseForm } from "~/utils/forms";
import type { Database } from "~/utils/db.server";
import { formatPhone, parseVietnameseMobile } from "~/utils/phone";

/** What the page shows in the form: as typed, the per-stall choices by stall id. */
export interface CheckoutValues {
  name: string;
  phone: string;
  provinceCode: string;
  communeCode: string;
  addressLine: string;
  /** stallId → chosen method */
  delivery: Record<string, string>;
  /** stallId → note to the farmer */
  note: Record<string, string>;
  /** stallId → chosen payment method */
  payment: Record<string, string>;
}

/** The cart as the page showed it: the stalls and their lines. */
export interface CheckoutCart {
  stalls: { stall: { id: string }; lines: { listingId: string; qty: number }[] }[];
}

const BUYER_FIELDS = ["name", "phone", "provinceCode", "communeCode", "addressLine"] as const;
const PER_STALL = ["delivery", "note", "payment"] as const;
const DELIVERY_METHODS: readonly string[] = ["pickup", "local", "shipping"];

/** The form before anything is typed: a signed-in buyer's name and phone filled in. */
export function blankCheckout(buyer: { fullName: string; phone: string } | null): CheckoutValues {
  return {
    name: buyer?.fullName ?? "",
    phone: buyer ? formatPhone(buyer.phone) : "",
    provinceCode: "",
    communeCode: "",
    addressLine: "",
    delivery: {},
    note: {},
    payment: {},
  };
}

/** What was typed, to fill the form again (every per-stall field posted, whatever its stall). */
export function checkoutValues(form: FormData): CheckoutValues {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const values = blankCheckout(null);
  for (const key of BUYER_FIELDS) values[key] = text(key);
  for (const [key, value] of form) {
    const [group, stallId] = key.split(/\.(.*)/s);
    if (typeof value === "string" && stallId && (PER_STALL as readonly string[]).includes(group)) {
      values[group as (typeof PER_STALL)[number]][stallId] = value;
    }
  }
  return values;
}

const oneLine = (v: string) => v.normalize("NFC").replace(/\s+/g, " ").trim();

function checkoutSchema(cart: CheckoutCart, choices: Record<string, PaymentMethod[]>) {
  const stallIds = cart.stalls.map((g) => g.stall.id);
  return z
    .object({
      name: z
        .string()
        .transform(oneLine)
        .pipe(z.string().min(1, "fields.name.required").max(BUYER_NAME_MAX, "fields.name.tooLong")),
      phone: z.string().transform((typed, ctx) => {
        const phone = parseVietnameseMobile(typed);
        if (phone.ok) return phone.e164;
        ctx.addIssue({ code: "custom", message: `fields.phone.${phone.problem}` });
        return z.NEVER;
      }),
      provinceCode: z.string(),
      communeCode: z.string(),
      addressLine: z.string().transform(oneLine),
    })
    .catchall(z.string())
    .superRefine((form, ctx) => {
      const fail = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });
      for (const id of stallIds) {
        if ((form[`note.${id}`] ?? "").normalize("NFC").trim().length > NOTE_MAX)
          fail(`note.${id}`, "fields.note.tooLong");
      }
      // Local delivery and shipping need the address; pickup alone does not.
      if (stallIds.every((id) => form[`delivery.${id}`] === "pickup")) return;
      if (!form.provinceCode) fail("provinceCode", "fields.province.required");
      if (!form.communeCode) fail("communeCode", "fields.commune.required");
      if (!form.addressLine) fail("addressLine", "fields.addressLine.required");
      else if (form.addressLine.length > ADDRESS_LINE_MAX) fail("addressLine", "fields.addressLine.tooLong");
    })
    .transform((form) => ({
      buyer: { name: form.name, phone: form.phone },
      address: { provinceCode: form.provinceCode, communeCode: form.communeCode, addressLine: form.addressLine },
      stalls: stallIds.map((id) => ({
        stallId: id,
        // An unknown or missing choice is refused by placeCheckout as "not offered".
        delivery: (DELIVERY_METHODS.includes(form[`delivery.${id}`])
          ? form[`delivery.${id}`]
          : "none") as DeliveryMethodCode,
        // Anything the stall does not offer is refused by placeCheckout.
        paymentMethod: (form[`payment.${id}`] ?? choices[id]?.[0] ?? "cod") as PaymentMethod,
        note: form[`note.${id}`] ?? "",
      })),
      items: cart.stalls.flatMap((g) =>
        g.lines.map((line) => {
          const shown = form[`price.${line.listingId}`] ?? "";
          return { listingId: line.listingId, qty: line.qty, priceDong: /^\d{1,12}$/.test(shown) ? Number(shown) : -1 };
        }),
      ),
    }));
}

/** The posted checkout of this cart: placeCheckout's buyer, address, stall choices and items, or the fields refused. */
export function parseCheckoutForm(form: FormData, cart: CheckoutCart, choices: Record<string, PaymentMethod[]>) {
  const perStall = [
    ...cart.stalls.flatMap((g) => PER_STALL.map((group) => `${group}.${g.stall.id}`)),
    ...cart.stalls.flatMap((g) => g.lines.map((line) => `price.${line.listingId}`)),
  ];
  // A per-stall choice not posted (the radio's default) is absent, not empty: an empty one is refused.
  const values = formValues(form, [...BUYER_FIELDS, ...perStall]);
  for (const name of perStall) if (!form.has(name)) delete values[name];
  return parseForm(checkoutSchema(cart, choices), values);
}

export type CheckoutOutcome =
  | { placed: Awaited<ReturnType<typeof placeCheckout>> }
  /** The number must be proved by SMS code first; nothing was placed. */
  | { codeNeeded: CodeReason }
  /** Placed in another tab, or by a second tap: the cart is empty. */
  | { emptied: true };

/** The form's names for placeCheckout's fields (CommunePicker posts provinceCode and communeCode). */
const FORM_NAMES: Record<string, string> = { province: "provinceCode", commune: "communeCode" };

/**
 * Places the parsed checkout. A refusal is thrown (OrderError, CheckoutLimited),
 * its fields under the form's names; the code step and an emptied cart are outcomes.
 */
export async function placeCheckoutForm(db: Database, input: CheckoutInput): Promise<CheckoutOutcome> {
  try {
    return { placed: await placeCheckout(db, input) };
  } catch (error) {
    if (error instanceof PhoneCodeNeeded) return { codeNeeded: error.reason };
    if (!(error instanceof OrderError)) throw error;
    if (error.code === "empty") return { emptied: true };
    if (Object.keys(error.fields).every((field) => !FORM_NAMES[field])) throw error;
    const fields = Object.fromEntries(Object.entries(error.fields).map(([f, key]) => [FORM_NAMES[f] ?? f, key]));
    throw new OrderError(error.code, { fields, items: error.items, stallIds: error.stallIds, amounts: error.amounts });
  }
}

/**
 * What a refused checkout marks on the page: the items it could not sell, and
 * the stalls whose delivery or whose payment choice it refused. None for any
 * other error.
 */
export function checkoutRefusal(error: unknown): {
  items: ItemProblem[];
  deliveryStallIds: string[];
  paymentStallIds: string[];
} {
  if (!(error instanceof OrderError)) return { items: [], deliveryStallIds: [], paymentStallIds: [] };
  const payment = error.code === "payment_unavailable" || error.code === "payment_amount";
  return {
    items: error.items,
    deliveryStallIds: payment ? [] : error.stallIds,
    paymentStallIds: payment ? error.stallIds : [],
  };
}
