/**
 * Every translation, bundled into the server build. The browser fetches one
 * namespace at a time from /locales/:lng/:ns (cached, versioned by content hash).
 * A new namespace: add app/i18n/locales/{vi,en}/<ns>.json and register it here.
 */
import { createHash } from "node:crypto";
import enActing from "./locales/en/acting.json";
import enAdmin from "./locales/en/admin.json";
import enAuth from "./locales/en/auth.json";
import enCommon from "./locales/en/common.json";
import enExports from "./locales/en/exports.json";
import enListings from "./locales/en/listings.json";
import enOfficers from "./locales/en/officers.json";
import enOffline from "./locales/en/offline.json";
import enOnboarding from "./locales/en/onboarding.json";
import enOrders from "./locales/en/orders.json";
import enPayments from "./locales/en/payments.json";
import enRoster from "./locales/en/roster.json";
import enSeller from "./locales/en/seller.json";
import viActing from "./locales/vi/acting.json";
import viAdmin from "./locales/vi/admin.json";
import viAuth from "./locales/vi/auth.json";
import viCommon from "./locales/vi/common.json";
import viExports from "./locales/vi/exports.json";
import viListings from "./locales/vi/listings.json";
import viOfficers from "./locales/vi/officers.json";
import viOffline from "./locales/vi/offline.json";
import viOnboarding from "./locales/vi/onboarding.json";
import viOrders from "./locales/vi/orders.json";
import viPayments from "./locales/vi/payments.json";
import viRoster from "./locales/vi/roster.json";
import viSeller from "./locales/vi/seller.json";

export const resources = {
  vi: {
    common: viCommon,
    auth: viAuth,
    listings: viListings,
    seller: viSeller,
    offline: viOffline,
    onboarding: viOnboarding,
    orders: viOrders,
    payments: viPayments,
    admin: viAdmin,
    exports: viExports,
    officers: viOfficers,
    acting: viActing,
    roster: viRoster,
  },
  en: {
    common: enCommon,
    auth: enAuth,
    listings: enListings,
    seller: enSeller,
    offline: enOffline,
    onboarding: enOnboarding,
    orders: enOrders,
    payments: enPayments,
    admin: enAdmin,
    exports: enExports,
    officers: enOfficers,
    acting: enActing,
    roster: enRoster,
  },
};

export type Namespace = keyof (typeof resources)["vi"];

/** Changes whenever any translation changes, so the browser can cache them for a year. */
export const resourcesVersion = createHash("sha256").update(JSON.stringify(resources)).digest("hex").slice(0, 12);
