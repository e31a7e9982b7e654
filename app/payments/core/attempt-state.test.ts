import { describe, expect, it } from "vitest";
import { paymentAttemptStatus } from "#db/schema";
import { ATTEMPT_EVENTS, ATTEMPT_STATUSES, isOpen, isPaid, transition, type AttemptStatus } from "./attempt-state";

/** Every allowed move, written out by hand: anything not here must be refused. */
const ALLOWED: [AttemptStatus, string, AttemptStatus][] = [
  ["created", "start", "pending"],
  ["created", "succeed", "succeeded"],
  ["created", "fail", "failed"],
  ["created", "expire", "expired"],
  ["created", "cancel", "cancelled"],
  ["pending", "succeed", "succeeded"],
  ["pending", "fail", "failed"],
  ["pending", "expire", "expired"],
  ["pending", "cancel", "cancelled"],
  // Money the provider took after we gave up is still money taken.
  ["failed", "succeed", "succeeded"],
  ["expired", "succeed", "succeeded"],
  ["cancelled", "succeed", "succeeded"],
  ["succeeded", "refund_part", "partially_refunded"],
  ["succeeded", "refund_all", "refunded"],
  ["partially_refunded", "refund_part", "partially_refunded"],
  ["partially_refunded", "refund_all", "refunded"],
];

describe("payment attempt state machine", () => {
  it("allows exactly the listed moves and refuses every other (status, event) pair", () => {
    let checked = 0;
    for (const from of ATTEMPT_STATUSES) {
      for (const event of ATTEMPT_EVENTS) {
        const allowed = ALLOWED.find(([f, e]) => f === from && e === event);
        expect(transition(from, event), `${from} + ${event}`).toEqual(
          allowed ? { ok: true, to: allowed[2] } : { ok: false, refusal: "illegal_transition" },
        );
        checked++;
      }
    }
    expect(checked).toBe(ATTEMPT_STATUSES.length * ATTEMPT_EVENTS.length);
  });

  it("never lets a failure, an expiry or a cancellation undo a success", () => {
    for (const from of ["succeeded", "partially_refunded", "refunded"] as const) {
      for (const event of ["fail", "expire", "cancel", "start", "succeed"] as const) {
        expect(transition(from, event).ok, `${from} + ${event}`).toBe(false);
      }
    }
  });

  it("ends every reordering of success and failure in succeeded", () => {
    const run = (events: ("succeed" | "fail" | "expire" | "cancel")[]) =>
      events.reduce<AttemptStatus>((status, e) => {
        const r = transition(status, e);
        return r.ok ? r.to : status;
      }, "pending");
    expect(run(["succeed", "fail"])).toBe("succeeded");
    expect(run(["fail", "succeed"])).toBe("succeeded");
    expect(run(["expire", "succeed", "cancel"])).toBe("succeeded");
    expect(run(["cancel", "expire", "fail"])).toBe("cancelled");
  });

  it("tells open and paid statuses apart", () => {
    expect(ATTEMPT_STATUSES.filter(isOpen)).toEqual(["created", "pending"]);
    expect(ATTEMPT_STATUSES.filter(isPaid)).toEqual(["succeeded", "partially_refunded", "refunded"]);
  });

  it("knows exactly the statuses the database column holds", () => {
    // The pages need the list without the schema (browser-safe); the two must not drift.
    expect([...ATTEMPT_STATUSES]).toEqual(paymentAttemptStatus.enumValues);
  });
});
