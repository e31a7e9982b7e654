import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteError,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import { getUser } from "~/auth/index.server";
import { cartLineCount } from "~/cart/index.server";
import { AppShell } from "./components/AppShell";
import { GeneralErrorBoundary } from "./components/ErrorBoundary";
import { useNonce } from "./http";
import { fallbackLanguage } from "~/i18n";
import { getLocale, resourcesVersion } from "~/i18n/index.server";
import { MediaBaseUrlProvider } from "~/media/Picture";
import { mediaBaseUrl } from "~/media/index.server";
import { manifestOf, wantsHydration, type RouteHandle } from "./utils/route-handle";
import { readToast } from "./utils/toast.server";
import stylesheet from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/** Progressive enhancement for every page (public/enhance.js); allowed by the CSP's 'self'. */
const ENHANCE_SCRIPT = "/enhance.js";

export const meta: MetaFunction = () => [{ title: "Gian Hàng Số" }];

export const handle: RouteHandle = { i18n: ["common"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const [locale, user, { toast, headers }, cartCount] = await Promise.all([
    getLocale(request),
    getUser(request),
    readToast(request),
    getUser(request).then((u) => cartLineCount(request, u)),
  ]);
  headers.set("Vary", "Cookie, Accept-Language");
  return data(
    { locale, user, toast, cartCount, i18nVersion: resourcesVersion, mediaBaseUrl: mediaBaseUrl() },
    { headers },
  );
}

/**
 * A revalidation of the same page that no form caused (the photo uploader
 * refreshing its grid) leaves root alone: nothing of it changed, and its
 * loader would consume the toast the page is still showing.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  formMethod,
  currentUrl,
  nextUrl,
  defaultShouldRevalidate,
}) => (!formMethod && currentUrl.href === nextUrl.href ? false : defaultShouldRevalidate);

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

export function Layout({ children }: { children: React.ReactNode }) {
  const rootData = useRootData();
  const { i18n } = useTranslation();
  const nonce = useNonce();
  const locale = rootData?.locale ?? i18n.language ?? fallbackLanguage;
  // Public pages work as plain HTML and send no framework JavaScript; a route asks for it
  // (ADR 022). Once React runs in the browser it stays: a public page reached by a client
  // navigation from a hydrated one keeps the scripts and the scroll restoration.
  const matches = useMatches();
  const hydrate = wantsHydration(matches) || typeof document !== "undefined";
  return (
    <html lang={locale} dir={i18n.dir(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#1f6f3b" />
        <meta name="i18n-version" content={rootData?.i18nVersion ?? "0"} />
        <Meta />
        {/* The seller pages link the seller app's manifest (ADR 031), every other page the site's. */}
        <link rel="manifest" href={manifestOf(matches)} />
        <Links />
      </head>
      <body>
        {children}
        {/* Copy and share buttons on any page: a few lines of progressive enhancement, not React. */}
        <script src={ENHANCE_SCRIPT} defer />
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  const rootData = useRootData();
  useChangeLanguage(rootData?.locale ?? fallbackLanguage);
  return (
    <MediaBaseUrlProvider baseUrl={rootData?.mediaBaseUrl ?? "/media"}>
      <AppShell user={rootData?.user ?? null} toast={rootData?.toast ?? null} cartCount={rootData?.cartCount ?? 0}>
        {/* Catches a component waiting for its translations outside a navigation (ADR 005). */}
        <Suspense fallback={null}>
          <Outlet />
        </Suspense>
      </AppShell>
    </MediaBaseUrlProvider>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const rootData = useRootData();
  return (
    <AppShell user={rootData?.user ?? null}>
      <GeneralErrorBoundary error={error} />
    </AppShell>
  );
}
