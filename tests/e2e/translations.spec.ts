/**
 * Never a raw translation key, whatever the network (ADR 005): a client
 * navigation into each page that hydrates, with every `/locales/*` answer held
 * back, shows the page being left (or the next one in its words), never
 * `household.title`. The routes come from the build itself, through the
 * browser's route manifest, so a route added later is covered without editing
 * this file; a route whose URL has a parameter this file does not know fails.
 *
 * The same walk checks that no hydrated page loads zod before anyone types:
 * the schemas arrive on the first blur of a field that needs them.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page, Route } from "@playwright/test";
import { expect, test, waitForHydration } from "./fixtures";
import { checkoutCashOnDelivery, findAndAdd } from "./phone";
import { addressOf, appRoutes } from "./routes";

const FARMER = "0912 345 601"; // the demo stall vai-thieu-bac-thinh
const ADMIN = "0973 000 401";
const OFFICER = "0903 000 301"; // covers the households it onboarded, acting for them
const ACTED_SAMPLE = ["/officer/h/:householdId/seller", "/officer/h/:householdId/setup/stall"];

/** Every key of every namespace, as `t()` takes them (`a.b.c`), and with the namespace (`ns:a.b.c`). */
function translationKeys(): Set<string> {
  const keys = new Set<string>();
  const dir = path.resolve("app/i18n/locales/vi");
  const walk = (ns: string, node: unknown, prefix: string) => {
    for (const [name, value] of Object.entries(node as Record<string, unknown>)) {
      const key = prefix
        ? `${prefix}.${name.replace(/_(one|other|zero)$/, "")}`
        : name.replace(/_(one|other|zero)$/, "");
      if (value && typeof value === "object") walk(ns, value, key);
      else if (key.includes(".")) keys.add(key).add(`${ns}:${key}`);
    }
  };
  for (const file of fs.readdirSync(dir)) {
    const ns = file.replace(/\.json$/, "");
    walk(ns, JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")), "");
  }
  return keys;
}
const KEYS = translationKeys();

/** The words on screen that are translation keys. */
async function rawKeysOn(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => `${document.title}\n${document.body.innerText}`);
  return [...new Set(text.match(/[A-Za-z][\w-]*(?::[\w-]+)?(?:\.[\w-]+)+/g) ?? [])].filter((word) => KEYS.has(word));
}

/** Holds every /locales/* answer until released; later requests pass. */
async function holdTranslations(page: Page) {
  const held: Route[] = [];
  let holding = true;
  await page.route("**/locales/**", (route) => (holding ? held.push(route) : route.continue()));
  return {
    held: () => held.map((route) => new URL(route.request().url()).pathname),
    release: async () => {
      holding = false;
      await Promise.all(held.splice(0).map((route) => route.continue()));
    },
  };
}

/** Zod's code in any script the page has loaded so far. */
async function loadedZod(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const scripts = performance
      .getEntriesByType("resource")
      .map((entry) => entry.name)
      .filter((url) => url.includes("/build/") && url.endsWith(".js"));
    const withZod: string[] = [];
    for (const url of scripts) if ((await (await fetch(url)).text()).includes("_zod")) withZod.push(url);
    return withZod;
  });
}

test("a client navigation into every hydrated page never shows a translation key, with translations held back", async ({
  page,
  signedInAs,
}) => {
  test.setTimeout(240_000);
  // An order to the demo stall, for the seller's order pages, from a number of its own: a retry's second
  // order for the same number would wait for an SMS code (ADR 019).
  const buyerPhone = `0912 ${String(Date.now() % 1_000_000)
    .padStart(6, "0")
    .replace(/^(\d{3})(\d{3})$/, "$1 $2")}`;
  await page.goto("/");
  await findAndAdd(page, "vai thieu say", "Vải thiều sấy khô");
  await page.getByRole("main").getByRole("link", { name: "Đặt hàng" }).click();
  const orderCode = await checkoutCashOnDelivery(page, { fullName: "Lê Văn Khách", phone: buyerPhone });

  const farmer = await signedInAs(FARMER, "/seller/listings");
  const listingHref = await farmer.page
    .getByRole("main")
    .locator('a[href^="/seller/listings/"]')
    .evaluateAll((links) =>
      links.map((a) => a.getAttribute("href")!).find((href) => /^\/seller\/listings\/[^/]+$/.test(href)),
    );
  const params: Record<string, string> = {
    orderCode,
    listingId: listingHref!.split("/").pop()!,
    stallSlug: "vai-thieu-bac-thinh",
    // A roster import's report (/officer/import/:importId.csv): a file, not a page; any id addresses it.
    importId: "00000000-0000-4000-8000-000000000000",
  };
  const routes = (await appRoutes(farmer.page)).filter(
    (route) =>
      route.page &&
      route.hydrate &&
      // The farmer's pages mounted again for an officer are the same modules, each checked at its own
      // address; two of them check what the mount adds (the banner's namespace, ADR 029).
      (!route.pattern.startsWith("/officer/h/") || ACTED_SAMPLE.includes(route.pattern)),
  );
  expect(routes.map((r) => r.pattern)).toEqual(expect.arrayContaining(["/seller", "/checkout", "/admin/payouts"]));
  await farmer.close();

  // Each person starts on a page that hydrates and uses few namespaces, then moves client-side.
  const admin = await signedInAs(ADMIN, "/admin/payouts");
  // The demo officer's page, for /admin/officers/:officerId.
  await admin.page.goto("/admin/officers");
  const officerHref = await admin.page
    .getByRole("main")
    .locator('a[href^="/admin/officers/"]')
    .first()
    .getAttribute("href");
  params.officerId = officerHref!.split("/").pop()!;
  await admin.close();
  // A household the demo officer acts for, for /officer/h/:householdId/… (the farmer's pages, mounted again).
  const officer = await signedInAs(OFFICER, "/officer");
  const householdHref = await officer.page
    .getByRole("main")
    .locator('a[href^="/officer/h/"]')
    .first()
    .getAttribute("href");
  params.householdId = householdHref!.split("/")[3]!;
  await officer.close();
  let checked = 0;
  for (const route of routes) {
    const url = addressOf(route, params, "translations.spec.ts");
    const who = url.startsWith("/admin") ? ADMIN : url.startsWith("/officer") ? OFFICER : FARMER;
    const start =
      who === ADMIN
        ? "/admin/payouts"
        : who === OFFICER
          ? "/officer"
          : url.startsWith("/setup/delivery")
            ? "/setup/household"
            : "/setup/delivery";
    const { page: phone, close } = await signedInAs(who, start);
    await waitForHydration(phone);
    expect(await loadedZod(phone), `${start} loads zod before anyone types`).toEqual([]);

    const translations = await holdTranslations(phone);
    await phone.evaluate((to) => {
      void (window as unknown as { __remixRouter: { navigate: (to: string) => Promise<void> } }).__remixRouter.navigate(
        to,
      );
    }, url);
    // While the translations are held: what shows is never a key.
    for (let look = 0; look < 6; look++) {
      expect(await rawKeysOn(phone), `${url} while its translations load`).toEqual([]);
      await phone.waitForTimeout(150);
    }
    await translations.release();
    await phone.waitForFunction(
      () =>
        (window as unknown as { __remixRouter: { state: { navigation: { state: string } } } }).__remixRouter.state
          .navigation.state === "idle",
    );
    // The page is committed once its translations are in: a moment after the last one arrives.
    await phone.waitForTimeout(500);
    expect(await rawKeysOn(phone), `${url} once its translations are in`).toEqual([]);
    expect(await loadedZod(phone), `${url} loads zod before anyone types`).toEqual([]);
    await close();
    checked++;
  }
  expect(checked).toBe(routes.length);
});
