/**
 * Debian's Chromium as every browser run here starts it (the e2e tests, the
 * benchmarks): this machine's network is closed, so anything Chromium would
 * fetch in the background is turned off. CHROMIUM_PATH overrides the path.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];
