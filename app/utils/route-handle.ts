/**
 * What a route module may say about itself in `export const handle`.
 *
 * - `i18n`: the translation namespaces its components use; remix-i18next
 *   loads them before hydration (ADR 005).
 * - `hydrate`: the page needs React in the browser (the photo uploader, live
 *   validation, the commune search). Without it the page is sent as HTML and
 *   CSS alone, with no framework JavaScript (ADR 022). A layout's `hydrate`
 *   covers its child routes.
 * - `manifest`: the web app manifest the page links instead of the site's
 *   (`/seller.webmanifest` for the seller app, ADR 031); a layout's covers its children.
 *   Not on the officers' mounts of the same modules (`acting/…`): outside the app's scope.
 */
export interface RouteHandle {
  i18n?: string[];
  hydrate?: boolean;
  manifest?: string;
}

/** The site's manifest, for every page no route names another for. */
export const SITE_MANIFEST = "/site.webmanifest";

/** The manifest a page links: the innermost route's that names one, else the site's. */
export function manifestOf(matches: readonly { id: string; handle?: unknown }[]): string {
  for (let i = matches.length - 1; i >= 0; i--) {
    const manifest = (matches[i].handle as RouteHandle | undefined)?.manifest;
    if (manifest && !matches[i].id.startsWith("acting")) return manifest;
  }
  return SITE_MANIFEST;
}

/** Whether any matched route asks for the browser's React. */
export function wantsHydration(matches: readonly { handle?: unknown }[]): boolean {
  return matches.some((match) => (match.handle as RouteHandle | undefined)?.hydrate === true);
}
