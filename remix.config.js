import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROUTES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "app/routes");

/** The farmer's own areas, mounted again for an officer acting for one household (ADR 029). */
const ACTED_AREAS = ["seller", "setup"];

/**
 * The seller's and the wizard's route files, nested as the flat-routes
 * convention nests them: `seller.listings.new.tsx` under `seller.tsx`;
 * `setup.payment_.stripe.ts` (a trailing `_` opts out of nesting) under none.
 */
function actedRouteFiles() {
  const files = fs
    .readdirSync(ROUTES_DIR)
    .filter((f) => /\.(tsx|ts)$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.startsWith(".") && !f.startsWith("__"))
    .map((f) => ({ file: f, segments: f.replace(/\.(tsx|ts)$/, "").split(".") }))
    .filter(({ segments }) => ACTED_AREAS.includes(segments[0]));
  const names = new Set(files.map((f) => f.segments.join(".")));
  return files.map(({ file, segments }) => {
    let parent = null;
    for (let n = segments.length - 1; n > 0; n--) {
      const prefix = segments.slice(0, n);
      if (prefix.some((s) => s.endsWith("_") && s !== "_index")) break;
      if (names.has(prefix.join("."))) {
        parent = prefix.join(".");
        break;
      }
    }
    const own = parent ? segments.slice(parent.split(".").length) : segments;
    const index = own[own.length - 1] === "_index";
    const routePath = own
      .filter((s) => s !== "_index")
      .map((s) =>
        s
          .replace(/_$/, "")
          .replace(/^\$/, ":")
          .replace(/\[\.\]/g, "."),
      )
      .join("/");
    return { file, name: segments.join("."), parent, path: routePath, index };
  });
}

/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // Classic compiler on purpose: see docs/decisions/001-classic-remix-compiler.md
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}", "**/__*.*"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
  // An officer acting for a household runs the farmer's own screens, the same
  // route modules, under /officer/h/:householdId (ADR 029): the URL names the
  // household, so two tabs never mix households.
  routes(defineRoutes) {
    const acted = actedRouteFiles();
    return defineRoutes((route) => {
      const children = (parent) => () => {
        for (const r of acted.filter((a) => a.parent === parent)) {
          const options = { id: `acting/${r.name}`, ...(r.index ? { index: true } : {}) };
          route(r.path || undefined, `routes/${r.file}`, options, children(r.name));
        }
      };
      route("officer/h/:householdId", "routes/__acting.tsx", { id: "acting" }, () => {
        route(undefined, "routes/__acting._index.tsx", { id: "acting/_index", index: true });
        children(null)();
      });
    });
  },
};
