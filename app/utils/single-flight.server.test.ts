import { describe, expect, it } from "vitest";
import { singleFlight } from "./single-flight.server";

describe("singleFlight", () => {
  it("shares one running call among callers with the same key, and runs again once it settled", async () => {
    let calls = 0;
    const read = singleFlight(async (key: string) => {
      const call = ++calls;
      await new Promise((r) => setTimeout(r, 10));
      return `${key}#${call}`;
    });
    const burst = await Promise.all([read("a"), read("a"), read("a"), read("b")]);
    expect(burst).toEqual(["a#1", "a#1", "a#1", "b#2"]);
    expect(calls).toBe(2);
    // Settled: the next caller reads afresh (no stale cache).
    expect(await read("a")).toBe("a#3");
  });

  it("lets a failure reach every waiting caller, then forgets it", async () => {
    let fail = true;
    const read = singleFlight(async () => {
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error("database down");
      return "ok";
    });
    const results = await Promise.allSettled([read(1), read(1)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    expect(await read(1)).toBe("ok");
  });
});
