/**
 * The admins' payouts page (/admin/payouts): what is owed to each farmer, the
 * payment alerts to look at, and the form that records a payout (the stall,
 * the amount as people type it, the bank transfer's reference). The form's
 * messages are the admin page's.
 */
import { oneLine } from "~/utils/text";
import { z } from "zod";
import { listPaymentAlerts } from "../core/alerts.server";
import { parseDongInput } from "../farmer/order-money.server";
import { payoutsOverview } from "./payouts.server";
import type { Database } from "~/utils/db.server";
import { isUuid } from "~/utils/db-errors.server";
import { parseForm } from "~/utils/forms";

/** The longest transfer reference kept with a payout. */
export const PAYOUT_REFERENCE_MAX = 200;

export const PAYOUT_FORM_FIELDS = ["stallId", "amount", "reference"] as const;

const PayoutFormSchema = z
  .object({ stallId: z.string(), amount: z.string(), reference: z.string() })
  .transform((form, ctx) => {
    // Not a stall the page showed: the form as a whole is refused.
    if (!isUuid(form.stallId)) {
      ctx.addIssue({ code: "custom", path: [], message: "admin:errors.invalid_input" });
      return z.NEVER;
    }
    const amountDong = parseDongInput(form.amount);
    if (amountDong === null) ctx.addIssue({ code: "custom", path: ["amount"], message: "admin:errors.amount" });
    const reference = oneLine(form.reference);
    if (reference.length > PAYOUT_REFERENCE_MAX) {
      ctx.addIssue({ code: "custom", path: ["reference"], message: "admin:errors.referenceTooLong" });
    }
    if (amountDong === null || reference.length > PAYOUT_REFERENCE_MAX) return z.NEVER;
    return { stallId: form.stallId, amountDong, reference };
  });

/** A payout to record (recordPayout's input), or the fields refused ("form": no such stall on the page). */
export function parsePayoutForm(form: FormData) {
  return parseForm(PayoutFormSchema, form, { fields: PAYOUT_FORM_FIELDS });
}

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

const safeInteger = (value: unknown): number | null =>
  typeof value === "number" && Number.isSafeInteger(value) ? value : null;

/** What the page shows: each stall's figures, their totals, and the open alerts as the page says them. */
export async function payoutsPage(db: Database) {
  const [rows, alerts] = await Promise.all([payoutsOverview(db), listPaymentAlerts(db)]);
  return {
    rows,
    totals: {
      owedDong: rows.reduce((sum, r) => sum + Math.max(0, r.owedDong), 0),
      pendingDong: rows.reduce((sum, r) => sum + r.pendingPayoutDong, 0),
    },
    alerts: alerts.map((a) => ({
      id: a.id,
      kind: a.kind,
      amountDong: a.amountDong,
      createdAt: a.createdAt,
      orderCodes: stringList(a.details.orderCodes),
      provider: typeof a.details.provider === "string" ? a.details.provider : null,
      reason: a.details.stuck === true ? "stuck" : a.details.reason === "system:not_confirmed" ? "not_confirmed" : null,
      expectedDong: safeInteger(a.details.expectedDong),
      receivedDong: safeInteger(a.details.receivedDong),
    })),
  };
}
