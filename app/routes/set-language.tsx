import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isLanguage } from "~/i18n";
import { languageCookie } from "~/i18n/index.server";
import { safeRedirect } from "~/utils/redirect";

/** POST lng=vi|en: remember the language and go back where the visitor was. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lng = form.get("lng");
  const to = safeRedirect(form.get("redirectTo"), "/");
  if (!isLanguage(lng)) return redirect(to);
  return redirect(to, { headers: { "Set-Cookie": await languageCookie.serialize(lng) } });
}

// No mutating GETs: a GET just goes home.
export function loader() {
  return redirect("/");
}
