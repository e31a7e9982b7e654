import { createCookie, redirect } from "@remix-run/node";

/**
 * One-shot messages after a redirect ("Đã lưu"), carried in a short-lived
 * cookie and shown once by the app shell. The message is a translation key
 * (namespace:key) with its values, so it renders in the reader's language.
 */
export type Toast = { key: string; values?: Record<string, string | number>; kind?: "success" | "error" };

const toastCookie = createCookie("toast", { path: "/", httpOnly: true, sameSite: "lax", maxAge: 60 });

export async function redirectWithToast(url: string, toast: Toast, init: ResponseInit = {}) {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await toastCookie.serialize(toast));
  return redirect(url, { ...init, headers });
}

/** The pending toast, and the header that clears it. */
export async function readToast(request: Request): Promise<{ toast: Toast | null; headers: Headers }> {
  const headers = new Headers();
  const value: unknown = await toastCookie.parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object" || typeof (value as Toast).key !== "string") return { toast: null, headers };
  headers.append("Set-Cookie", await toastCookie.serialize("", { maxAge: 0, expires: new Date(0) }));
  const { key, values, kind } = value as Toast;
  return { toast: { key, values, kind: kind === "error" ? "error" : "success" }, headers };
}
