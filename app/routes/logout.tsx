/**
 * POST /logout signs out (deletes the session row, clears the cookie) and
 * tells the browser to drop this site's caches and storage: on a shared phone
 * the seller app's kept pages and queue belong to the one who signed out (ADR 031).
 * GET only sends people home: a link or prefetch must never sign anyone out.
 */
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { logout } from "~/auth/index.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const response = await logout(request);
  response.headers.set("Clear-Site-Data", '"cache", "storage"');
  return response;
}
