import type { ActionFunctionArgs } from "@remix-run/node";
import { refusalMessage } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { addPhotos, getSellerListing, withListingRequest } from "~/listings/index.server";
import { PhotoError, uploadRefusal } from "~/media";
import { requireActingStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { redirectWithToast } from "~/utils/toast.server";

/**
 * POST photos to a listing. The page's uploader sends one photo per request
 * and reads JSON (progress bars, retry); without JavaScript the form posts
 * them all and gets a redirect back with a message. A resource route: its
 * answers are Responses (a `data()` would lose its status on the way out).
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, stall, path } = await requireActingStall(request);
  const ids = { listingId: params.listingId ?? "", stallId: stall.id };
  const listing = await getSellerListing(db, ids);
  if (!listing) throw new Response("Not found", { status: 404 });
  const t = await getT(request, ["seller", "listings"]);
  const wantsJson = (request.headers.get("Accept") ?? "").includes("application/json");
  const back = path(`/seller/listings/${listing.id}`);
  const refuse = (message: string) =>
    wantsJson
      ? Response.json({ ok: false, error: message }, { status: 400 })
      : redirectWithToast(back, { key: "seller:photoErrors.plain", values: { message }, kind: "error" });

  // addPhotos refuses a total over MAX_PHOTOS before storing anything.
  return withListingRequest(request, async ({ files, problems }) => {
    const refused = uploadRefusal(problems) ?? (files.length === 0 ? new PhotoError("empty") : null);
    if (refused) return refuse(refusalMessage(t, refused));
    try {
      await addPhotos(db, { ...ids, userId: user.id, photos: files });
    } catch (error) {
      return refuse(refusalMessage(t, error));
    }
    if (wantsJson) return Response.json({ ok: true, error: null });
    return redirectWithToast(back, { key: "seller:toast.photosAdded", values: { count: files.length } });
  });
}

export function loader() {
  throw new Response("Not found", { status: 404 });
}
