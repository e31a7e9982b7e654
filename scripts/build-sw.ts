/**
 * Builds the seller app's service worker (ADR 031) after `remix build`:
 * bundles app/offline/sw/worker.ts with esbuild, then workbox-build's
 * `injectManifest` writes the precache list into it → public/seller-sw.js
 * (gitignored). The list is the seller area's share of the client build, read
 * from the Remix client manifest in public/build (never the server build, which
 * opens the database), and the offline page with its stylesheet and the icons.
 *
 *   npx tsx scripts/build-sw.ts     (npm run build runs it)
 */
import fs from "node:fs";
import path from "node:path";
import url from "node:url";
import { build } from "esbuild";
import { injectManifest } from "workbox-build";
import { readClientManifest, sellerPrecacheUrls, withLoadedModules } from "./lib/seller-precache";

const ROOT = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..");
const PUBLIC = path.join(ROOT, "public");

/** Files of public/ the worker keeps besides the build's (revisioned by their content). */
const PUBLIC_FILES = [
  "seller-offline.html",
  "seller-offline.css",
  "seller.webmanifest",
  "icons/seller-192.png",
  "enhance.js",
  "favicon.svg",
];

export async function buildServiceWorker({ quiet = false } = {}) {
  const started = performance.now();
  const buildDir = path.join(PUBLIC, "build");
  const stylesheets = fs
    .readdirSync(path.join(buildDir, "_assets"))
    .filter((f) => f.endsWith(".css"))
    .map((f) => `/build/_assets/${f}`);
  const buildUrls = withLoadedModules(sellerPrecacheUrls(readClientManifest(buildDir), stylesheets), (u) => {
    const file = path.join(PUBLIC, u);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
  });

  const swSrc = path.join(ROOT, ".cache/seller-sw.src.js");
  const swDest = path.join(PUBLIC, "seller-sw.js");
  await build({
    entryPoints: [path.join(ROOT, "app/offline/sw/worker.ts")],
    outfile: swSrc,
    bundle: true,
    format: "iife",
    target: "es2020",
    minify: true,
    legalComments: "none",
    // Workbox's logging belongs to development builds only.
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "warning",
  });

  const { count, size, warnings } = await injectManifest({
    swSrc,
    swDest,
    globDirectory: PUBLIC,
    // Build files: exactly the seller area's (fingerprinted, so no revision); public files by content hash.
    globPatterns: [...buildUrls.map((u) => u.replace(/^\//, "")), ...PUBLIC_FILES],
    dontCacheBustURLsMatching: /^build\//,
    maximumFileSizeToCacheInBytes: 2 * 1024 * 1024,
  });
  for (const warning of warnings) console.warn(`seller-sw: ${warning}`);
  if (!quiet)
    console.log(
      `seller-sw.js: ${count} files precached, ${size} bytes, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  return { count, size };
}

if (process.argv[1] && path.resolve(process.argv[1]) === url.fileURLToPath(import.meta.url)) {
  await buildServiceWorker();
}
