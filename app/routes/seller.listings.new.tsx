import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { getT } from "~/i18n/index.server";
import { ListingForm } from "~/listings/ListingForm";
import { handOverPhotos, PhotoFileInput } from "~/listings/PhotoUploader";
import {
  createListing,
  ListingError,
  emptyListingFormValues,
  parseListingForm,
  photoProblemMessage,
  withListingRequest,
  refusedForm,
  uploadProblemMessage,
} from "~/listings/index.server";
import { requireSellerStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { redirectWithToast } from "~/utils/toast.server";

export const handle = { i18n: ["common", "seller", "listings"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireSellerStall(request);
  const t = await getT(request, "seller");
  return { title: `${t("form.newTitle")} – Gian Hàng Số`, values: emptyListingFormValues() };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, stall } = await requireSellerStall(request);
  const t = await getT(request, ["seller", "listings"]);
  return withListingRequest(request, async ({ form, files, problems }) => {
    const parsed = parseListingForm(form);
    const uploadProblem = uploadProblemMessage(t, problems);
    if (!parsed.ok || uploadProblem) return refusedForm(parsed.values, parsed.ok ? {} : parsed.errors, uploadProblem);
    try {
      const listing = await createListing(db, {
        stallId: stall.id,
        userId: user.id,
        input: parsed.input,
        photos: files,
      });
      return redirectWithToast(`/seller/listings/${listing.id}`, {
        key: "seller:toast.created",
        values: { title: listing.title },
      });
    } catch (error) {
      const photoError = photoProblemMessage(t, error);
      if (photoError) return refusedForm(parsed.values, {}, photoError);
      if (error instanceof ListingError) return refusedForm(parsed.values, { ...error.fields, form: error.messageKey });
      throw error;
    }
  });
}

export default function NewListing() {
  const actionData = useActionData<typeof action>();
  const { values } = useLoaderData<typeof loader>();
  const { t } = useTranslation("seller");
  const submit = useSubmit();
  const fileInput = useRef<HTMLInputElement>(null);

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
        photoInput={<PhotoFileInput inputRef={fileInput} error={actionData?.photoError} />}
      />
    </main>
  );
}
