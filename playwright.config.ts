import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./scripts/lib/chromium";
import { stripeServerEnv } from "./tests/e2e/stripe-env";
import { vnpayServerEnv } from "./tests/e2e/vnpay-env";

/**
 * End-to-end tests against the production build on a fresh, seeded PGlite
 * database, in Debian's Chromium at a phone-sized viewport.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: "./tests/e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    viewport: { width: 360, height: 640 },
    isMobile: true,
    hasTouch: true,
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    // The seller app's worker (ADR 031) stays out of every journey but its own (seller-app.spec.ts allows it):
    // a worker kept from an earlier page would answer from its caches and hide what the server does.
    serviceWorkers: "block",
  },
  projects: [
    {
      name: "chromium-phone",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 360, height: 640 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        launchOptions: {
          executablePath: CHROMIUM_PATH,
          args: CHROMIUM_ARGS,
        },
      },
    },
  ],
  webServer: {
    command: "node --import tsx tests/e2e/start-server.ts",
    url: `http://localhost:${PORT}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    // VNPay and Stripe point at the local doubles that paying.spec.ts starts (no stall offers them until a farmer
    // ticks them).
    env: { E2E_PORT: String(PORT), ...vnpayServerEnv(), ...stripeServerEnv() },
  },
});
