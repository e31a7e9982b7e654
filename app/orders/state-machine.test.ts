import { describe, expect, it } from "vitest";
import {
  ACTOR_ROLES,
  DELIVERY_METHODS,
  ORDER_STATUSES,
  nextStatuses,
  transition,
  type ActorRole,
  type DeliveryMethodCode,
  type OrderStatusCode,
} from "./state-machine";

/** Every allowed change, written out independently of the module's rule table. */
const SELLER: ActorRole[] = ["farmer", "officer"];
const ALLOWED: [OrderStatusCode, OrderStatusCode, ActorRole[], DeliveryMethodCode[]][] = [
  ["placed", "confirmed", SELLER, ["pickup", "local", "shipping"]],
  ["confirmed", "packed", SELLER, ["pickup", "local", "shipping"]],
  ["packed", "shipped", SELLER, ["local", "shipping"]],
  ["packed", "ready_for_pickup", SELLER, ["pickup"]],
  ["shipped", "delivered", SELLER, ["local", "shipping"]],
  ["ready_for_pickup", "delivered", SELLER, ["pickup"]],
  ["delivered", "completed", [...SELLER, "system"], ["pickup", "local", "shipping"]],
  ["placed", "cancelled", ["buyer", ...SELLER, "system"], ["pickup", "local", "shipping"]],
  ["confirmed", "cancelled", [...SELLER, "system"], ["pickup", "local", "shipping"]],
  ["packed", "cancelled", SELLER, ["pickup", "local", "shipping"]],
];

describe("order state machine", () => {
  // 8 × 8 statuses × 4 actors × 3 delivery methods.
  for (const from of ORDER_STATUSES) {
    for (const to of ORDER_STATUSES) {
      it(`${from} → ${to}`, () => {
        for (const delivery of DELIVERY_METHODS) {
          for (const actor of ACTOR_ROLES) {
            const rule = ALLOWED.find(([f, t]) => f === from && t === to);
            // A reason is given, so only the arrow and the actor decide.
            const result = transition(from, to, actor, { deliveryMethod: delivery, reason: "Hết hàng" });
            if (!rule || !rule[3].includes(delivery)) {
              expect(result, `${actor}, ${delivery}`).toEqual({ ok: false, refusal: "illegal_transition" });
            } else if (!rule[2].includes(actor)) {
              expect(result, `${actor}, ${delivery}`).toEqual({ ok: false, refusal: "forbidden" });
            } else {
              expect(result, `${actor}, ${delivery}`).toEqual({ ok: true, to });
            }
          }
        }
      });
    }
  }

  it("nothing leaves completed or cancelled", () => {
    for (const actor of ACTOR_ROLES) {
      for (const delivery of DELIVERY_METHODS) {
        expect(nextStatuses("completed", actor, delivery)).toEqual([]);
        expect(nextStatuses("cancelled", actor, delivery)).toEqual([]);
      }
    }
  });

  it("the buyer can only cancel, and only before the farmer confirms", () => {
    expect(nextStatuses("placed", "buyer", "shipping")).toEqual(["cancelled"]);
    for (const from of ORDER_STATUSES.filter((s) => s !== "placed")) {
      expect(nextStatuses(from, "buyer", "shipping")).toEqual([]);
    }
  });

  it("a farmer or officer cancels with a reason; the buyer need not give one", () => {
    for (const actor of SELLER) {
      for (const reason of [undefined, null, "", "   "]) {
        expect(transition("confirmed", "cancelled", actor, { deliveryMethod: "local", reason })).toEqual({
          ok: false,
          refusal: "reason_required",
        });
      }
    }
    expect(transition("placed", "cancelled", "buyer", { deliveryMethod: "local" })).toEqual({
      ok: true,
      to: "cancelled",
    });
  });

  it("offers the farmer the buttons that fit the delivery", () => {
    expect(nextStatuses("packed", "farmer", "pickup")).toEqual(["ready_for_pickup", "cancelled"]);
    expect(nextStatuses("packed", "farmer", "shipping")).toEqual(["shipped", "cancelled"]);
    expect(nextStatuses("placed", "farmer", "local")).toEqual(["confirmed", "cancelled"]);
  });
});
