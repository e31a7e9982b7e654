/**
 * Every translation, bundled into the server build. The browser fetches one
 * namespace at a time from /locales/:lng/:ns (cached, versioned by content hash).
 * A new namespace: add app/i18n/locales/{vi,en}/<ns>.json and register it here.
 */
import { createHash } from "node:crypto";
import enAuth from "./locales/en/auth.json";
import enCommon from "./locales/en/common.json";
import viAuth from "./locales/vi/auth.json";
import viCommon from "./locales/vi/common.json";

export const resources = {
  vi: { common: viCommon, auth: viAuth },
  en: { common: enCommon, auth: enAuth },
};

export type Namespace = keyof (typeof resources)["vi"];

/** Changes whenever any translation changes, so the browser can cache them for a year. */
export const resourcesVersion = createHash("sha256").update(JSON.stringify(resources)).digest("hex").slice(0, 12);
