/**
 * POST /logout signs out (deletes the session row, clears the cookie).
 * GET only sends people home: a link or prefetch must never sign anyone out.
 */
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { logout } from "~/auth/index.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  return logout(request);
}
