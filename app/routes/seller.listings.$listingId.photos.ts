import type { ActionFunctionArgs } from "@remix-run/node";
import { getT } from "~/i18n/index.server";
import {
  addPhotos,
  getSellerListing,
  ListingError,
  photoProblemMessage,
  withListingRequest,
  uploadProblemMessage,
} from "~/listings/index.server";
import { requireSellerStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { redirectWithToast } from "~/utils/toast.server";

/**
 * POST photos to a listing. The page's uploader sends one photo per request
 * and reads JSON (progress bars, retry); without JavaScript the form posts
 * them all and gets a redirect back with a message. A resource route: its
 * answers are Responses (a `data()` would lose its status on the way out).
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, stall } = await requireSellerStall(request);
  const ids = { listingId: params.listingId ?? "", stallId: stall.id };
  const listing = await getSellerListing(db, ids);
  if (!listing) throw new Response("Not found", { status: 404 });
  const t = await getT(request, ["seller", "listings"]);
  const wantsJson = (request.headers.get("Accept") ?? "").includes("application/json");
  const back = `/seller/listings/${listing.id}`;
  const refuse = (message: string) =>
    wantsJson
      ? Response.json({ ok: false, error: message }, { status: 400 })
      : redirectWithToast(back, { key: "seller:photoErrors.plain", values: { message }, kind: "error" });

  // addPhotos refuses a total over MAX_PHOTOS before storing anything.
  return withListingRequest(request, async ({ files, problems }) => {
    const uploadProblem = uploadProblemMessage(t, problems);
    if (uploadProblem) return refuse(uploadProblem);
    if (files.length === 0) return refuse(t("seller:photoErrors.empty"));
    try {
      await addPhotos(db, { ...ids, userId: user.id, photos: files });
    } catch (error) {
      const message = photoProblemMessage(t, error);
      if (message) return refuse(message);
      if (error instanceof ListingError) return refuse(t(error.textKey));
      throw error;
    }
    if (wantsJson) return Response.json({ ok: true, error: null });
    return redirectWithToast(back, { key: "seller:toast.photosAdded", values: { count: files.length } });
  });
}

export function loader() {
  throw new Response("Not found", { status: 404 });
}
