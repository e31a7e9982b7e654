import { createCookie, redirect, type Cookie } from "@remix-run/node";
import { env, sessionSecrets } from "~/utils/env.server";

/**
 * One-shot messages after a redirect ("Đã lưu"), carried in a short-lived
 * cookie and shown once by the app shell. The message is a translation key
 * (namespace:key) with its values, so it renders in the reader's language.
 * The cookie is signed with the session secrets: one that another site or a
 * script made up, or changed, is ignored.
 */
export type Toast = { key: string; values?: Record<string, string | number>; kind?: "success" | "error" };

let cookie: Cookie | undefined;
// Made at first use, not at import: sessionSecrets() may create the secret file.
function toastCookie(): Cookie {
  cookie ??= createCookie("toast", {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    maxAge: 60,
    secrets: sessionSecrets(),
  });
  return cookie;
}

/** Secure (HTTPS only) when COOKIE_SECURE, read each time a cookie is written. */
const secure = () => ({ secure: env().COOKIE_SECURE });

export async function redirectWithToast(url: string, toast: Toast, init: ResponseInit = {}) {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await toastCookie().serialize(toast, secure()));
  return redirect(url, { ...init, headers });
}

/** The pending toast, and the header that clears it. A missing, unsigned or tampered cookie is no toast. */
export async function readToast(request: Request): Promise<{ toast: Toast | null; headers: Headers }> {
  const headers = new Headers();
  const value: unknown = await toastCookie().parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object" || typeof (value as Toast).key !== "string") return { toast: null, headers };
  headers.append("Set-Cookie", await toastCookie().serialize("", { ...secure(), maxAge: 0, expires: new Date(0) }));
  const { key, values, kind } = value as Toast;
  return { toast: { key, values, kind: kind === "error" ? "error" : "success" }, headers };
}
