/**
 * The journeys' `test`: Playwright's, plus `signedInAs(phone, path)`, which
 * opens another phone already signed in as a demo account, at `path`.
 *
 * Each demo account signs in once per worker, through the real login form; the
 * browser state it leaves (the session cookie) starts every later phone of that
 * account. Only the journeys about signing in (account.spec.ts, onboarding)
 * go through the forms themselves. Phones are closed when the test ends.
 */
import { test as base, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "../../db/seed/demo-password";
import { PHONE_CONTEXT } from "./phone";

export { expect } from "@playwright/test";

type SignedInState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/** One sign-in per demo account and worker: what its browser holds afterwards. */
const signedInStates = new Map<string, Promise<SignedInState>>();

async function signIn(browser: Browser, phone: string): Promise<SignedInState> {
  const context = await browser.newContext(PHONE_CONTEXT);
  try {
    const page = await context.newPage();
    await page.goto("/login?redirectTo=/account");
    const main = page.getByRole("main");
    await main.getByLabel("Số điện thoại").fill(phone);
    await main.getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
    await main.getByRole("button", { name: "Đăng nhập" }).click();
    await page.waitForURL((url) => url.pathname === "/account");
    return await context.storageState();
  } finally {
    await context.close();
  }
}

export interface SignedInPhone {
  page: Page;
  close: () => Promise<void>;
}

/** Waits for React on a page that hydrates; returns at once on a page without framework JavaScript. */
export async function waitForHydration(page: Page) {
  if (await page.locator('script[type="module"]').count()) await page.waitForFunction(() => "__remixRouter" in window);
}

export type SignedInAs = (phone: string, path: string) => Promise<SignedInPhone>;

export const test = base.extend<{ signedInAs: SignedInAs }>({
  // (The fixture's `use` is named `provide`: React's lint rules read `use` as a hook.)
  signedInAs: async ({ browser }, provide) => {
    const opened: BrowserContext[] = [];
    await provide(async (phone, path) => {
      if (!signedInStates.has(phone)) {
        // A failed sign-in is not kept: the next journey tries again.
        signedInStates.set(
          phone,
          signIn(browser, phone).catch((error: unknown) => {
            signedInStates.delete(phone);
            throw error;
          }),
        );
      }
      const context = await browser.newContext({ ...PHONE_CONTEXT, storageState: await signedInStates.get(phone)! });
      opened.push(context);
      const page = await context.newPage();
      await page.goto(path);
      const at = new URL(page.url());
      if (at.pathname + at.search !== path) throw new Error(`${phone} is not signed in: ${path} led to ${page.url()}`);
      // A page that asks for JavaScript (the seller area, the wizard, checkout) is handed
      // over once it runs, as the person would find it: the router Remix makes while
      // hydrating exists. Public pages send none (ADR 022).
      await waitForHydration(page);
      return { page, close: () => context.close() };
    });
    for (const context of opened) await context.close();
  },
});
