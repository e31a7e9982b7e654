/**
 * What a route module may say about itself in `export const handle`.
 *
 * - `i18n`: the translation namespaces its components use; remix-i18next
 *   loads them before hydration (ADR 005).
 * - `hydrate`: the page needs React in the browser (the photo uploader, live
 *   validation, the commune search). Without it the page is sent as HTML and
 *   CSS alone, with no framework JavaScript (ADR 022). A layout's `hydrate`
 *   covers its child routes.
 */
export interface RouteHandle {
  i18n?: string[];
  hydrate?: boolean;
}

/** Whether any matched route asks for the browser's React. */
export function wantsHydration(matches: readonly { handle?: unknown }[]): boolean {
  return matches.some((match) => (match.handle as RouteHandle | undefined)?.hydrate === true);
}
