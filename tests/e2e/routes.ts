/**
 * The app's pages as the production build knows them, for the specs that
 * must cover every route without listing any: the route tree comes from the
 * client manifest the build wrote (public/build/manifest-*.js), and what each
 * module exports (a page? `handle.hydrate`?) from importing it in the
 * browser, as Remix itself would. Importing the server build instead would
 * open a database.
 */
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import type { Page } from "@playwright/test";
import { ROOT } from "../../scripts/lib/app-process";

interface ManifestEntry {
  id: string;
  parentId?: string;
  path?: string;
  module: string;
}

export interface AppRoute {
  id: string;
  /** The path pattern from the root, e.g. `/seller/orders/:orderCode`. */
  pattern: string;
  /** Has a page (a default export); resource routes have none. */
  page: boolean;
  /** Its handle, or a layout's above it, asks for React in the browser (ADR 022). */
  hydrate: boolean;
}

function manifest(): Record<string, ManifestEntry> {
  const dir = path.join(ROOT, "public/build");
  const file = fs.readdirSync(dir).find((name) => /^manifest-\w+\.js$/.test(name));
  if (!file) throw new Error("no public/build/manifest-*.js: the e2e server builds the app first");
  const context: { window: { __remixManifest?: { routes: Record<string, ManifestEntry> } } } = { window: {} };
  vm.runInNewContext(fs.readFileSync(path.join(dir, file), "utf8"), context);
  return context.window.__remixManifest!.routes;
}

/** Every route of the build but root; `page` is any page of the running app (its modules are imported there). */
export async function appRoutes(page: Page): Promise<AppRoute[]> {
  const routes = manifest();
  const exported = await page.evaluate(async (entries) => {
    const out: Record<string, { page: boolean; hydrate: boolean }> = {};
    for (const entry of entries) {
      const mod = (await import(entry.module)) as { default?: unknown; handle?: { hydrate?: boolean } };
      out[entry.id] = { page: typeof mod.default === "function", hydrate: mod.handle?.hydrate === true };
    }
    return out;
  }, Object.values(routes));
  const chain = (id: string): ManifestEntry[] => {
    const entry = routes[id]!;
    return entry.parentId ? [...chain(entry.parentId), entry] : [entry];
  };
  return Object.values(routes)
    .filter((entry) => entry.id !== "root")
    .map((entry) => ({
      id: entry.id,
      pattern: `/${chain(entry.id)
        .map((e) => e.path)
        .filter(Boolean)
        .join("/")}`,
      page: exported[entry.id]!.page,
      hydrate: chain(entry.id).some((e) => exported[e.id]!.hydrate),
    }));
}

/**
 * The address of a route with these parameter values. A parameter with no
 * value fails loudly, naming where to add one: a new route is covered, not
 * skipped.
 */
export function addressOf(route: AppRoute, params: Record<string, string>, whereToAdd: string): string {
  return route.pattern
    .split("/")
    .map((segment) => {
      if (!segment.startsWith(":") && segment !== "*") return segment;
      const name = segment === "*" ? "*" : segment.slice(1).replace(/\?$/, "");
      const value = params[name];
      if (value === undefined)
        throw new Error(`${route.id} takes :${name}, which has no value: add one in ${whereToAdd}`);
      return encodeURIComponent(value);
    })
    .join("/");
}
