import { describe, expect, it } from "vitest";
import {
  isSellerRoute,
  parseClientManifest,
  sellerPrecacheUrls,
  withLoadedModules,
  type RemixClientManifest,
} from "./seller-precache";

const manifest: RemixClientManifest = {
  url: "/build/manifest-AAAA.js",
  entry: { module: "/build/entry.client-E.js", imports: ["/build/_shared/react.js"] },
  routes: {
    root: { id: "root", module: "/build/root-R.js", imports: ["/build/_shared/react.js", "/build/_shared/shell.js"] },
    "routes/seller": { id: "routes/seller", module: "/build/routes/seller-S.js", css: ["/build/_assets/seller.css"] },
    "routes/seller._index": {
      id: "routes/seller._index",
      module: "/build/routes/seller._index-D.js",
      imports: ["/build/_shared/checklist.js"],
    },
    "routes/seller_.handover": { id: "routes/seller_.handover", module: "/build/routes/seller_.handover-H.js" },
    "acting/seller": {
      id: "acting/seller",
      module: "/build/routes/seller-S.js",
      imports: ["/build/_shared/acting.js"],
    },
    "routes/s.$stallSlug": { id: "routes/s.$stallSlug", module: "/build/routes/s.$stallSlug-P.js" },
    "routes/setup": { id: "routes/setup", module: "/build/routes/setup-W.js" },
    "routes/sellers-guide": { id: "routes/sellers-guide", module: "/build/routes/sellers-guide-G.js" },
  },
};

describe("the seller app's precache list", () => {
  it("holds the entry, the root and the seller routes with their imports and CSS, each once", () => {
    expect(sellerPrecacheUrls(manifest, ["/build/_assets/app-X.css"])).toEqual([
      "/build/_assets/app-X.css",
      "/build/_assets/seller.css",
      "/build/_shared/checklist.js",
      "/build/_shared/react.js",
      "/build/_shared/shell.js",
      "/build/entry.client-E.js",
      "/build/manifest-AAAA.js",
      "/build/root-R.js",
      "/build/routes/seller-S.js",
      "/build/routes/seller._index-D.js",
      "/build/routes/seller_.handover-H.js",
    ]);
  });

  it("leaves out the public pages, the wizard and the officers' mounts", () => {
    const urls = sellerPrecacheUrls(manifest);
    expect(urls).not.toContain("/build/routes/s.$stallSlug-P.js");
    expect(urls).not.toContain("/build/routes/setup-W.js");
    expect(urls).not.toContain("/build/_shared/acting.js");
    expect(urls).not.toContain("/build/routes/sellers-guide-G.js");
    expect(isSellerRoute("acting/seller._index")).toBe(false);
  });

  it("reads the manifest the compiler writes", () => {
    const source = `window.__remixManifest=${JSON.stringify(manifest)};`;
    expect(parseClientManifest(source).routes["routes/seller"].module).toBe("/build/routes/seller-S.js");
    expect(() => parseClientManifest("export default {}")).toThrow(/not a Remix client manifest/);
  });
});

describe("withLoadedModules", () => {
  it("adds what the seller's modules load on demand, and what those import, each once", () => {
    const files: Record<string, string> = {
      "/build/routes/seller.listings.new-A.js":
        'import{a}from"/build/_shared/chunk-F.js";const s=()=>import("/build/_shared/schemas-S.js");',
      "/build/_shared/chunk-F.js": "export const a=1;",
      "/build/_shared/schemas-S.js": 'import{z}from"/build/_shared/chunk-Z.js";import"/build/_shared/chunk-F.js";',
      "/build/_shared/chunk-Z.js": "export const z=2;",
    };
    const urls = withLoadedModules(
      ["/build/routes/seller.listings.new-A.js", "/build/_assets/app.css"],
      (u) => files[u] ?? null,
    );
    expect(urls).toEqual([
      "/build/_assets/app.css",
      "/build/_shared/chunk-F.js",
      "/build/_shared/chunk-Z.js",
      "/build/_shared/schemas-S.js",
      "/build/routes/seller.listings.new-A.js",
    ]);
  });
});
