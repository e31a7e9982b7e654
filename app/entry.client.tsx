import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import Backend from "i18next-http-backend";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { getInitialNamespaces } from "remix-i18next/client";
import { i18nConfig } from "~/i18n";

async function hydrate() {
  // The server already chose the language (cookie, then Accept-Language) and wrote it in <html lang>.
  const version = document.querySelector<HTMLMetaElement>('meta[name="i18n-version"]')?.content ?? "0";
  await i18next
    .use(initReactI18next)
    .use(Backend)
    .init({
      ...i18nConfig,
      lng: document.documentElement.lang || i18nConfig.fallbackLng,
      ns: getInitialNamespaces(),
      // Never a raw key: a component whose namespaces are not loaded yet suspends.
      // Client navigations run in a transition (Remix's v7_startTransition), so the
      // page being left stays on screen, with its words, until the next page has
      // its own; the first render has them already (getInitialNamespaces).
      react: { ...i18nConfig.react, useSuspense: true },
      backend: { loadPath: `/locales/{{lng}}/{{ns}}?v=${version}` },
    });

  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

if (window.requestIdleCallback) window.requestIdleCallback(hydrate);
else window.setTimeout(hydrate, 1);
