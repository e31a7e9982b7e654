import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { answerRefusal, refusalMessage } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { ListingForm } from "~/listings/ListingForm";
import { downscale, handOverPhotos, PhotoFileInput } from "~/listings/PhotoUploader";
import { createListing, emptyListingFormValues, parseListingForm, withListingRequest } from "~/listings/index.server";
import { uploadRefusal } from "~/media";
import { useOfflineQueue } from "~/offline/OfflineQueue";
import { requireActingStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { redirectWithToast } from "~/utils/toast.server";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "seller", "listings"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireActingStall(request);
  const t = await getT(request, "seller");
  return { title: pageTitle(t("form.newTitle")), values: emptyListingFormValues() };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, stall, path } = await requireActingStall(request);
  const t = await getT(request, ["seller", "listings"]);
  return withListingRequest(request, async ({ form, files, problems }) => {
    const parsed = parseListingForm(form);
    const photoRefusal = uploadRefusal(problems);
    if (!parsed.ok) {
      // The schema's keys: ListingForm translates them, as it does its own in the browser.
      const photoError = photoRefusal && refusalMessage(t, photoRefusal);
      return data({ values: parsed.values, errors: parsed.errors, photoError }, { status: 400 });
    }
    const refused = (error: unknown) =>
      answerRefusal(t, error, parsed.values, { photoError: null as string | null }, { uploadError: "photoError" });
    if (photoRefusal) return refused(photoRefusal);
    try {
      const listing = await createListing(db, {
        stallId: stall.id,
        userId: user.id,
        input: parsed.data,
        photos: files,
      });
      return redirectWithToast(path(`/seller/listings/${listing.id}`), {
        key: "seller:toast.created",
        values: { title: listing.title },
      });
    } catch (error) {
      return refused(error);
    }
  });
}

export default function NewListing() {
  const actionData = useActionData<typeof action>();
  const { values } = useLoaderData<typeof loader>();
  const { t } = useTranslation("seller");
  const submit = useSubmit();
  const fileInput = useRef<HTMLInputElement>(null);
  const offline = useOfflineQueue();

  // A refused form keeps its photos in the file input; nothing waits to be handed over.
  useEffect(() => {
    if (actionData) handOverPhotos([]);
  }, [actionData]);

  return (
    <main className="page stack">
      <h1>{t("form.newTitle")}</h1>
      <ListingForm
        values={actionData?.values ?? values}
        errors={actionData?.errors}
        submitLabel={t("form.create")}
        onSubmit={(event) => {
          // With JavaScript, photos go up one by one with a progress bar on the
          // next page, after being shrunk in the browser; the text goes now.
          const files = Array.from(fileInput.current?.files ?? []);
          if (files.length === 0) return;
          event.preventDefault();
          handOverPhotos(files);
          const form = new FormData(event.currentTarget);
          form.delete("photos");
          submit(form, { method: "post", encType: "multipart/form-data" });
        }}
        onQueue={async (form, element) => {
          // No signal: the listing and its photos (shrunk here, as the uploader does) wait on the phone.
          const files = Array.from(fileInput.current?.files ?? []);
          const photos = await Promise.all(
            files.map(async (file) => ({ blob: await downscale(file), name: file.name })),
          );
          form.delete("photos");
          await offline.queueNewListing({ form, photos, element });
        }}
        photoInput={<PhotoFileInput inputRef={fileInput} error={actionData?.photoError} />}
      />
    </main>
  );
}
