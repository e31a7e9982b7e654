/**
 * What the seller app's service worker precaches (ADR 031): the seller area's
 * own assets, read from the Remix client manifest (`public/build/manifest-*.js`),
 * never the whole build: the entry, the root route, every `routes/seller…` route
 * module with its imports and CSS, the manifest itself, and the stylesheets
 * the root links (`build/_assets/*.css`). The officers' mounts of the same
 * modules (`acting/…`) and every other area are left to the network.
 */
import fs from "node:fs";
import path from "node:path";

export interface RemixRouteEntry {
  id: string;
  module: string;
  imports?: string[];
  css?: string[];
}

export interface RemixClientManifest {
  url?: string;
  entry: { module: string; imports?: string[] };
  routes: Record<string, RemixRouteEntry>;
}

/** Whether a route belongs to the seller app: its own `seller*` route files (not the officers' mounts). */
export function isSellerRoute(id: string): boolean {
  return id === "root" || /^routes\/seller([._]|$)/.test(id);
}

/** The build URLs (`/build/…`) to precache, sorted, each once. */
export function sellerPrecacheUrls(manifest: RemixClientManifest, stylesheets: string[] = []): string[] {
  const urls = new Set<string>();
  const add = (list: (string | undefined)[] | undefined) => list?.forEach((u) => u && urls.add(u));
  add([manifest.url, manifest.entry.module]);
  add(manifest.entry.imports);
  for (const route of Object.values(manifest.routes)) {
    if (!isSellerRoute(route.id)) continue;
    add([route.module]);
    add(route.imports);
    add(route.css);
  }
  add(stylesheets);
  return [...urls].sort();
}

/** The build files a module names: `from"/build/…"`, `import"/build/…"` and `import("/build/…")`. */
export function referencedBuildUrls(source: string): string[] {
  return [...source.matchAll(/(?:from|import)\s*\(?\s*"(\/build\/[^"]+\.js)"/g)].map((m) => m[1]);
}

/**
 * `urls` and every script they load, now or later: a module loaded on demand
 * (the listing form's schema, `import("/build/_shared/schemas-….js")`) is
 * not in the manifest's imports, and without it the form could not check a
 * price with no signal. `read` gives a build URL's text (null if not a file).
 */
export function withLoadedModules(urls: string[], read: (url: string) => string | null): string[] {
  const all = new Set(urls);
  const todo = urls.filter((u) => u.endsWith(".js"));
  for (let url = todo.pop(); url !== undefined; url = todo.pop()) {
    const source = read(url);
    if (source === null) continue;
    for (const next of referencedBuildUrls(source)) {
      if (all.has(next)) continue;
      all.add(next);
      todo.push(next);
    }
  }
  return [...all].sort();
}

/** Reads the newest client manifest of a build directory (`public/build`). */
export function readClientManifest(buildDir: string): RemixClientManifest {
  const files = fs
    .readdirSync(buildDir)
    .filter((f) => /^manifest-[A-Z0-9]+\.js$/i.test(f))
    .map((f) => ({ f, mtime: fs.statSync(path.join(buildDir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  if (!files.length) throw new Error(`no Remix client manifest in ${buildDir}: run \`remix build\` first`);
  const source = fs.readFileSync(path.join(buildDir, files[0].f), "utf8");
  return parseClientManifest(source);
}

/** `window.__remixManifest={…};` → the object (it is JSON). */
export function parseClientManifest(source: string): RemixClientManifest {
  const start = source.indexOf("{");
  const end = source.lastIndexOf("}");
  if (!source.startsWith("window.__remixManifest=") || start < 0 || end < start)
    throw new Error("not a Remix client manifest");
  return JSON.parse(source.slice(start, end + 1)) as RemixClientManifest;
}
