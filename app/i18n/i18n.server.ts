import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { fallbackLanguage, i18nConfig, supportedLanguages } from "./config";
import { resources } from "./resources.server";

/** The visitor's chosen language; wins over Accept-Language. */
export const languageCookie = createCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

export const i18nServer = new RemixI18Next({
  detection: {
    supportedLanguages: [...supportedLanguages],
    fallbackLanguage,
    cookie: languageCookie,
    order: ["cookie", "header"],
  },
  i18next: { ...i18nConfig, resources },
});

/** A translate function for loaders and actions, e.g. `const t = await getT(request, "auth")`. */
export async function getT(request: Request, ns: string | readonly [string, ...string[]] = "common") {
  return i18nServer.getFixedT(request, ns);
}
