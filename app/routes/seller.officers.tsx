/**
 * POST /seller/officers: the farmer changes or revokes what one officer may
 * do for their household (the dashboard's "Cán bộ hỗ trợ" card posts here),
 * then goes back to the dashboard with a toast. Refused input changes nothing
 * and says why in the toast.
 *
 * Only the owner: this module is also mounted under /officer/h/:householdId,
 * where an officer acting for the household is refused with 403 (a "view"
 * delegation is refused by the guard already), whatever their level.
 */
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { getT } from "~/i18n/index.server";
import { HandoverError, householdOfficers, parseAccess, setOfficerAccess } from "~/officers/index.server";
import { requireActingHousehold } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { redirectWithToast } from "~/utils/toast.server";

export const handle = { i18n: ["common", "acting"] };

/** Nothing to show here: the card lives on the dashboard (for whoever may see it). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { path } = await requireActingHousehold(request);
  throw redirect(path("/seller"));
}

export async function action({ request }: ActionFunctionArgs) {
  const { household, user, actor } = await requireActingHousehold(request);
  if (actor.role !== "farmer") throw new Response("Only the owner", { status: 403, statusText: "Forbidden" });
  if (!household) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  const [t, form] = await Promise.all([getT(request, "acting"), request.formData()]);
  const officerUserId = String(form.get("officerUserId") ?? "");
  try {
    const access = parseAccess(form.get("access"));
    const officer = (await householdOfficers(db, household.id)).find((o) => o.officerUserId === officerUserId);
    if (!officer) throw new HandoverError("not_found");
    const changed = await setOfficerAccess(db, {
      householdId: household.id,
      officerUserId,
      access,
      farmer: { userId: user.id, name: user.fullName, role: "farmer" },
    });
    if (changed === 0) return redirectWithToast("/seller", { key: "acting:access.unchanged" });
    return redirectWithToast("/seller", {
      key: "acting:access.saved",
      values: { name: officer.name, level: t(`access.levels.${access}`) },
    });
  } catch (error) {
    if (!(error instanceof HandoverError)) throw error;
    return redirectWithToast("/seller", { key: error.textKey, kind: "error" });
  }
}
