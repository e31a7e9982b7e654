import { afterEach, vi } from "vitest";

/** A stray console.error means something went wrong that no assertion caught. */
const spy = vi.spyOn(console, "error");
afterEach(() => {
  const calls = spy.mock.calls;
  if (calls.length > 0) {
    const first = calls.map((c) => c.map(String).join(" ")).join("\n");
    spy.mockClear();
    throw new Error(`console.error was called:\n${first}`);
  }
});
