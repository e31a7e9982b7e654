/** The site's name, and how a page's <title> is made of it. Browser-safe. */
export const SITE_NAME = "Gian Hàng Số";

/** A page's title: what the page is, then the site ("Giỏ hàng · Gian Hàng Số"). */
export const pageTitle = (what: string) => `${what} · ${SITE_NAME}`;
