/**
 * Every user-supplied redirect target goes through here, so `?redirectTo=`
 * can never send someone to another site (open redirect) or run a script.
 */
const DEFAULT_REDIRECT = "/";

/**
 * Returns `to` when it is a path on this site ("/orders/123?tab=1"), otherwise `fallback`.
 * Refused: absolute URLs and schemes (https:, javascript:), protocol-relative "//host",
 * backslashes (browsers read "/\host" as "//host"), control characters and whitespace.
 */
export function safeRedirect(
  to: FormDataEntryValue | string | null | undefined,
  fallback: string = DEFAULT_REDIRECT,
): string {
  if (typeof to !== "string" || to.length === 0 || to.length > 2048) return fallback;
  if (!to.startsWith("/") || to.startsWith("//")) return fallback;
  if (to.includes("\\")) return fallback;
  // Tabs and newlines are stripped by URL parsers ("/\t/evil.com" → "//evil.com").
  for (let i = 0; i < to.length; i++) {
    const c = to.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return fallback;
  }
  // Percent-encoded slashes or backslashes right after the first one are the same trick.
  if (/^\/%(2f|5c)/i.test(to)) return fallback;
  // Final check: resolved against a dummy origin it must stay on that origin.
  try {
    const url = new URL(to, "http://same-origin.invalid");
    if (url.origin !== "http://same-origin.invalid") return fallback;
  } catch {
    return fallback;
  }
  return to;
}
