/**
 * The order's life, as a pure function (no database): which change is allowed,
 * to whom. changeOrderStatus (orders.server.ts) asks it first and then
 * persists with `UPDATE … WHERE status = <from>`, so two taps racing each
 * other cannot both win.
 *
 *   placed → confirmed → packed → shipped          → delivered → completed
 *                               → ready_for_pickup →
 *   placed | confirmed | packed → cancelled
 *
 * - shipped is for local delivery and shipping, ready_for_pickup for pickup.
 * - The buyer may only cancel, and only while the order is placed (the farmer
 *   has not confirmed it yet). The farmer (or an officer acting for the
 *   household) cancels with a reason; once shipped or ready for pickup an
 *   order is no longer cancelled but delivered (refusal and returns come with
 *   the payment issues).
 * - The system (jobs) may cancel an unconfirmed order that expired, and
 *   complete a delivered one when the return window is over.
 * Browser-safe, so pages can show only the buttons that will work.
 */

import type { ActorRole, DeliveryMethodCode, OrderStatusCode } from "#db/vocabulary";

export {
  DELIVERY_METHODS,
  ORDER_ACTOR_ROLES as ACTOR_ROLES,
  ORDER_STATUSES,
  type ActorRole,
  type DeliveryMethodCode,
  type OrderStatusCode,
} from "#db/vocabulary";

/** Statuses nothing leaves. */
export const FINAL_STATUSES: readonly OrderStatusCode[] = ["completed", "cancelled"];

type Seller = "farmer" | "officer";
const SELLERS: readonly ActorRole[] = ["farmer", "officer"] satisfies Seller[];

interface Rule {
  from: OrderStatusCode;
  to: OrderStatusCode;
  who: readonly ActorRole[];
  /** Only for orders delivered this way. */
  delivery?: readonly DeliveryMethodCode[];
}

const RULES: readonly Rule[] = [
  { from: "placed", to: "confirmed", who: SELLERS },
  { from: "confirmed", to: "packed", who: SELLERS },
  { from: "packed", to: "shipped", who: SELLERS, delivery: ["local", "shipping"] },
  { from: "packed", to: "ready_for_pickup", who: SELLERS, delivery: ["pickup"] },
  { from: "shipped", to: "delivered", who: SELLERS, delivery: ["local", "shipping"] },
  { from: "ready_for_pickup", to: "delivered", who: SELLERS, delivery: ["pickup"] },
  { from: "delivered", to: "completed", who: [...SELLERS, "system"] },
  { from: "placed", to: "cancelled", who: ["buyer", ...SELLERS, "system"] },
  { from: "confirmed", to: "cancelled", who: [...SELLERS, "system"] },
  { from: "packed", to: "cancelled", who: SELLERS },
];

export type TransitionRefusal =
  /** No such arrow (e.g. placed → delivered, or anything out of completed). */
  | "illegal_transition"
  /** The arrow exists, but not for this actor (e.g. the buyer cancelling a confirmed order). */
  | "forbidden"
  /** A farmer or officer cancelling must say why (the buyer sees it). */
  | "reason_required";

export type TransitionResult = { ok: true; to: OrderStatusCode } | { ok: false; refusal: TransitionRefusal };

export function transition(
  from: OrderStatusCode,
  to: OrderStatusCode,
  actor: ActorRole,
  { deliveryMethod, reason }: { deliveryMethod: DeliveryMethodCode; reason?: string | null },
): TransitionResult {
  const rule = RULES.find((r) => r.from === from && r.to === to);
  if (!rule || (rule.delivery && !rule.delivery.includes(deliveryMethod))) {
    return { ok: false, refusal: "illegal_transition" };
  }
  if (!rule.who.includes(actor)) return { ok: false, refusal: "forbidden" };
  if (to === "cancelled" && (actor === "farmer" || actor === "officer") && !(reason ?? "").trim()) {
    return { ok: false, refusal: "reason_required" };
  }
  return { ok: true, to };
}

/** The statuses this actor may move the order to now: the buttons to show. */
export function nextStatuses(
  from: OrderStatusCode,
  actor: ActorRole,
  deliveryMethod: DeliveryMethodCode,
): OrderStatusCode[] {
  return RULES.filter(
    (r) => r.from === from && r.who.includes(actor) && (!r.delivery || r.delivery.includes(deliveryMethod)),
  ).map((r) => r.to);
}
