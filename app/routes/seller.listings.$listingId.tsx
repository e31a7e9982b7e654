import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormError } from "~/components/forms";
import { answerRefusal } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { LISTING_TRANSITIONS, MAX_PHOTOS, type ListingStatusCode } from "~/listings";
import { opensExportDetails } from "~/exports";
import { ListingForm } from "~/listings/ListingForm";
import { PhotoUploader } from "~/listings/PhotoUploader";
import {
  duplicateListing,
  getSellerListing,
  movePhoto,
  removePhoto,
  setCoverPhoto,
  setListingStatus,
  updateListing,
  parseListingForm,
  toListingFormValues,
  type ListingInput,
} from "~/listings/index.server";
import { Picture } from "~/media/Picture";
import { useOfflineQueue, useQueuedSubmit } from "~/offline/OfflineQueue";
import { requireActingStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { redirectWithToast } from "~/utils/toast.server";
import { useActingPath } from "~/utils/acting-paths";

export const handle = { i18n: ["common", "seller", "listings"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

async function loadOwnListing(request: Request, listingId: string | undefined) {
  const { user, stall, path } = await requireActingStall(request);
  // Another seller's id, a malformed id and a deleted listing all read as "not found".
  const listing = listingId ? await getSellerListing(db, { listingId, stallId: stall.id }) : null;
  if (!listing) throw new Response("Not found", { status: 404 });
  return { user, stall, listing, path };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { stall, listing } = await loadOwnListing(request, params.listingId);
  const t = await getT(request, "seller");
  return {
    title: `${listing.title} – ${t("form.editTitle")}`,
    stall: { slug: stall.slug, published: stall.status === "published" },
    listing: {
      id: listing.id,
      slug: listing.slug,
      title: listing.title,
      status: listing.status as ListingStatusCode,
      photos: listing.photos,
    },
    // The listing's stored values as the form shows them (the form only stringifies).
    values: toListingFormValues(listing as unknown as ListingInput),
  };
}

/** Labels of the status buttons, by target status and where it comes from. */
function statusActionLabel(from: ListingStatusCode, to: ListingStatusCode) {
  if (to === "active") return from === "draft" ? "actions.publish" : "actions.resume";
  if (to === "paused") return "actions.pause";
  if (to === "sold_out") return "actions.markSoldOut";
  if (to === "archived") return "actions.archive";
  return "actions.restore";
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { stall, listing, path } = await loadOwnListing(request, params.listingId);
  const t = await getT(request, ["seller", "listings"]);
  const form = await request.formData();
  const intent = form.get("intent") ?? "save";
  const here = path(`/seller/listings/${listing.id}`);
  const ids = { listingId: listing.id, stallId: stall.id };
  const mediaId = String(form.get("mediaId") ?? "");
  // The edit form answers with what was typed; the page's buttons (status, photos) with a message above it.
  if (intent === "save") {
    const parsed = parseListingForm(form);
    // The schema's keys: ListingForm translates them, as it does its own in the browser.
    if (!parsed.ok)
      return data({ saving: true as const, errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      await updateListing(db, { ...ids, input: parsed.data });
    } catch (error) {
      return answerRefusal(t, error, parsed.values, { saving: true as const });
    }
    return redirectWithToast(here, { key: "seller:toast.saved" });
  }
  try {
    switch (intent) {
      case "status": {
        const to = String(form.get("status") ?? "");
        const updated = await setListingStatus(db, { ...ids, status: to as ListingStatusCode });
        return redirectWithToast(here, {
          key: "seller:toast.status",
          values: { status: t(`listings:statuses.${updated.status}`) },
        });
      }
      case "duplicate": {
        const copy = await duplicateListing(db, { ...ids, copyLabel: t("listings:copySuffix") });
        return redirectWithToast(path(`/seller/listings/${copy.id}`), { key: "seller:toast.duplicated" });
      }
      case "photo-cover":
        await setCoverPhoto(db, { ...ids, mediaId });
        return redirectWithToast(here, { key: "seller:toast.photosReordered" });
      case "photo-move":
        await movePhoto(db, { ...ids, mediaId, direction: form.get("direction") === "earlier" ? "earlier" : "later" });
        return redirectWithToast(here, { key: "seller:toast.photosReordered" });
      case "photo-remove":
        await removePhoto(db, { ...ids, mediaId });
        return redirectWithToast(here, { key: "seller:toast.photoRemoved" });
      default:
        return data(
          { saving: false as const, errors: { form: t("listings:errors.form") }, values: {} },
          { status: 400 },
        );
    }
  } catch (error) {
    return answerRefusal(t, error, {}, { saving: false as const });
  }
}

export default function EditListing() {
  const { listing, values, stall } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation(["seller", "listings"]);
  const to = useActingPath();
  const offline = useOfflineQueue();
  const queued = useQueuedSubmit();
  const formRefusal = actionData?.saving ? actionData : null;
  const actionError = actionData && !actionData.saving ? actionData.errors.form : undefined;
  const isPublic = stall.published && (listing.status === "active" || listing.status === "sold_out");

  return (
    <main className="page stack">
      <h1>{listing.title}</h1>
      <p>
        <span className={`status-badge status-badge--${listing.status}`}>
          {t(`statuses.${listing.status}`, { ns: "listings" })}
        </span>
        {isPublic ? (
          <>
            {" "}
            <Link to={`/s/${stall.slug}/${listing.slug}`}>{t("actions.viewPage")}</Link>
          </>
        ) : null}
      </p>
      <FormError message={actionError} />

      <section aria-labelledby="status-heading" className="stack">
        <h2 id="status-heading">{t("actions.heading")}</h2>
        <div className="button-row">
          {LISTING_TRANSITIONS[listing.status].map((to) => (
            <Form
              method="post"
              key={to}
              onSubmit={queued("listing.status", `${listing.title} · ${t(statusActionLabel(listing.status, to))}`)}
            >
              <input type="hidden" name="intent" value="status" />
              <input type="hidden" name="status" value={to} />
              <button type="submit" className={to === "active" ? "btn btn-primary" : "btn"}>
                {t(statusActionLabel(listing.status, to))}
              </button>
            </Form>
          ))}
          <Form method="post">
            <input type="hidden" name="intent" value="duplicate" />
            <button type="submit" className="btn">
              {t("actions.duplicate")}
            </button>
          </Form>
        </div>
      </section>

      <section aria-labelledby="photos-heading" className="stack">
        <h2 id="photos-heading">{t("photos.heading")}</h2>
        {listing.photos.length === 0 ? <p>{t("photos.none")}</p> : null}
        <ol className="photo-grid">
          {listing.photos.map((photo, i) => (
            <li key={photo.mediaId}>
              <Picture
                photo={photo}
                alt={t("photos.alt", { position: i + 1, title: listing.title })}
                sizes="(min-width: 600px) 30vw, 50vw"
              />
              {i === 0 ? <span className="cover-badge">{t("photos.cover")}</span> : null}
              <div className="photo-grid__actions">
                {i > 0 ? (
                  <PhotoAction intent="photo-move" mediaId={photo.mediaId} extra={{ direction: "earlier" }}>
                    {t("photos.moveEarlier")}
                  </PhotoAction>
                ) : null}
                {i < listing.photos.length - 1 ? (
                  <PhotoAction intent="photo-move" mediaId={photo.mediaId} extra={{ direction: "later" }}>
                    {t("photos.moveLater")}
                  </PhotoAction>
                ) : null}
                {i > 0 ? (
                  <PhotoAction intent="photo-cover" mediaId={photo.mediaId}>
                    {t("photos.makeCover")}
                  </PhotoAction>
                ) : null}
                <PhotoAction intent="photo-remove" mediaId={photo.mediaId}>
                  {t("photos.remove")}
                </PhotoAction>
              </div>
            </li>
          ))}
        </ol>
        <PhotoUploader
          action={to(`/seller/listings/${listing.id}/photos`)}
          remaining={MAX_PHOTOS - listing.photos.length}
          listingUrl={to(`/seller/listings/${listing.id}`)}
          title={listing.title}
        />
      </section>

      <section aria-labelledby="details-heading" className="stack">
        <h2 id="details-heading">{t("form.editTitle")}</h2>
        <ListingForm
          key={listing.id}
          values={formRefusal?.values ?? values}
          errors={formRefusal?.errors}
          submitLabel={t("form.save")}
          openExportDetails={opensExportDetails(searchParams.get("fix"))}
          onQueue={(form, element) =>
            offline.queueForm({
              kind: "listing.save",
              label: `${String(form.get("title") ?? listing.title)} · ${t("form.save")}`,
              url: element.getAttribute("action") ?? to(`/seller/listings/${listing.id}`),
              form,
            })
          }
        />
      </section>
    </main>
  );
}

function PhotoAction({
  intent,
  mediaId,
  extra = {},
  children,
}: {
  intent: string;
  mediaId: string;
  extra?: Record<string, string>;
  children: React.ReactNode;
}) {
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="mediaId" value={mediaId} />
      {Object.entries(extra).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className="btn btn-small">
        {children}
      </button>
    </Form>
  );
}
