import { createCookie, type Cookie } from "@remix-run/node";
import { createInstance, type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { RemixI18Next } from "remix-i18next/server";
import { env } from "~/utils/env.server";
import { fallbackLanguage, i18nConfig, isLanguage, supportedLanguages, type Language } from "./config";
import { resources } from "./resources.server";

const lngCookie = createCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

/**
 * The visitor's chosen language; wins over Accept-Language. Secure (HTTPS
 * only) when COOKIE_SECURE: read when the cookie is written, since this
 * object is made at import, before anything may set the environment.
 */
export const languageCookie: Cookie = {
  get name() {
    return lngCookie.name;
  },
  get isSigned() {
    return lngCookie.isSigned;
  },
  get expires() {
    return lngCookie.expires;
  },
  parse: (header, options) => lngCookie.parse(header, options),
  serialize: (value, options) => lngCookie.serialize(value, { secure: env().COOKIE_SECURE, ...options }),
};

export const i18nServer = new RemixI18Next({
  detection: {
    supportedLanguages: [...supportedLanguages],
    fallbackLanguage,
    cookie: languageCookie,
    order: ["cookie", "header"],
  },
  i18next: { ...i18nConfig, resources },
});

/**
 * One ready i18next instance per language, made at boot. Every translation is
 * bundled, so nothing is ever loaded later and the instance is only read:
 * requests share it instead of building and initialising their own, which
 * cost more than rendering a whole stall page.
 */
const instances = new Map<Language, i18n>(
  supportedLanguages.map((lng) => {
    const instance = createInstance().use(initReactI18next);
    // initImmediate: false initialises synchronously (resources are in memory).
    void instance.init({ ...i18nConfig, lng, resources, initImmediate: false });
    return [lng, instance];
  }),
);

export function i18nInstance(lng: string): i18n {
  return instances.get(isLanguage(lng) ? lng : fallbackLanguage)!;
}

const locales = new WeakMap<Request, Promise<string>>();

/** The request's language (cookie, then Accept-Language), worked out once per request. */
export function getLocale(request: Request): Promise<string> {
  let locale = locales.get(request);
  if (!locale) {
    locale = i18nServer.getLocale(request);
    locales.set(request, locale);
  }
  return locale;
}

/** A translate function for loaders and actions, e.g. `const t = await getT(request, "auth")`. */
export async function getT(request: Request, ns: string | readonly [string, ...string[]] = "common") {
  const lng = await getLocale(request);
  return i18nInstance(lng).getFixedT(lng, ns);
}
