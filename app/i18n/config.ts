/** i18next settings shared by the server and the browser. */
export const supportedLanguages = ["vi", "en"] as const;
export type Language = (typeof supportedLanguages)[number];
export const fallbackLanguage: Language = "vi";

export const i18nConfig = {
  supportedLngs: [...supportedLanguages],
  fallbackLng: fallbackLanguage,
  defaultNS: "common",
  interpolation: { escapeValue: false }, // React escapes already
  // The server holds every namespace, so nothing waits there. The browser
  // overrides this (entry.client.tsx): a component suspends until its
  // namespaces are in, and a navigation keeps the old page until then (ADR 005).
  react: { useSuspense: false },
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (supportedLanguages as readonly string[]).includes(value);
}
