import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { FormError } from "~/components/forms";
import { answerRefusal, refusalMessage } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { ListingForm } from "~/listings/ListingForm";
import { downscale, PhotoFileInput } from "~/listings/PhotoUploader";
import {
  createListing,
  listStallListings,
  emptyListingFormValues,
  parseListingForm,
  withListingRequest,
} from "~/listings/index.server";
import { uploadRefusal } from "~/media";
import { Picture } from "~/media/Picture";
import { completeProductStep, afterSave, reachedIndex, requireStallStep } from "~/onboarding/index.server";
import { stepPath } from "~/onboarding";
import { WizardFrame, WizardNav } from "~/onboarding/WizardFrame";
import { db } from "~/utils/db.server";
import { formatVnd } from "~/utils/format";
import { pageTitle } from "~/utils/page-title";
import { useActingPath } from "~/utils/acting-paths";

export const handle = { i18n: ["common", "onboarding", "seller", "listings"], hydrate: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

/**
 * The first product: the listing form, with at least one photo, saved as a
 * listing on sale. A farmer who already has products sees them and goes on;
 * one without a photo to hand may skip and add it before publishing.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { onboarding, stall } = await requireStallStep(request, "product");
  const t = await getT(request, "onboarding");
  const products = await listStallListings(db, stall.id, { statuses: ["active", "sold_out", "paused", "draft"] });
  return {
    title: pageTitle(t("product.title")),
    values: emptyListingFormValues(),
    products,
    reached: reachedIndex(onboarding),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, onboarding, household, stall } = await requireStallStep(request, "product");
  const t = await getT(request, ["onboarding", "seller", "listings"]);
  return withListingRequest(request, async ({ form, files, problems }) => {
    const intent = form.get("intent");

    if (intent === "next" || intent === "skip") {
      try {
        await completeProductStep(db, { household, stall, skip: intent === "skip" });
      } catch (error) {
        return answerRefusal(t, error);
      }
      return afterSave(onboarding, "product");
    }

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
    if (files.length === 0) {
      const photoError = t("onboarding:product.photoRequired");
      return data({ values: parsed.values, errors: {}, photoError }, { status: 400 });
    }
    try {
      await createListing(db, {
        stallId: stall.id,
        userId: user.id,
        input: parsed.data,
        photos: files,
        status: "active",
      });
    } catch (error) {
      return refused(error);
    }
    await completeProductStep(db, { household, stall });
    return afterSave(onboarding, "product");
  });
}

export default function ProductStep() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation(["onboarding", "listings", "seller"]);
  const to = useActingPath();
  const submit = useSubmit();
  const fileInput = useRef<HTMLInputElement>(null);
  // The listing form's answers carry photoError; the step's own (next, skip) do not.
  const refused = actionData && "photoError" in actionData ? actionData : null;
  const stepError = actionData && !("photoError" in actionData) ? actionData.errors.form : null;

  if (loaded.products.length > 0) {
    return (
      <WizardFrame
        step="product"
        reached={loaded.reached}
        title={t("product.titleDone")}
        intro={t("product.introDone")}
      >
        <ul className="list-plain">
          {loaded.products.map((p) => (
            <li key={p.id} className="listing-row">
              {p.cover ? <Picture photo={p.cover} alt="" sizes="64px" /> : <span className="photo-missing" />}
              <div>
                <Link to={to(`/seller/listings/${p.id}`)}>{p.title}</Link>
                <p className="muted">
                  {t("seller:listings.pricePerUnit", {
                    price: formatVnd(p.priceDong, i18n.language),
                    unit: t(`listings:units.${p.unit}`),
                  })}
                  {" · "}
                  {p.photoCount > 0 ? t("product.photoCount", { count: p.photoCount }) : t("product.noPhoto")}
                </p>
              </div>
            </li>
          ))}
        </ul>
        <Form method="post" className="stack">
          <FormError message={stepError ?? undefined} />
          <WizardNav step="product" intent="next" />
        </Form>
      </WizardFrame>
    );
  }

  return (
    <WizardFrame step="product" reached={loaded.reached} title={t("product.title")} intro={t("product.intro")}>
      <ListingForm
        values={refused?.values ?? loaded.values}
        errors={refused?.errors}
        submitLabel={t("product.save")}
        onSubmit={(event) => {
          // With JavaScript, photos are made upright and small in the phone before
          // they leave it (a 5 MB photo becomes ~0.5 MB on a weak 3G link).
          const files = Array.from(fileInput.current?.files ?? []);
          if (files.length === 0) return;
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          Promise.all(files.map(async (file) => ({ file, blob: await downscale(file) }))).then((shrunk) => {
            form.delete("photos");
            for (const { file, blob } of shrunk) form.append("photos", blob, file.name);
            submit(form, { method: "post", encType: "multipart/form-data" });
          });
        }}
        photoInput={<PhotoFileInput inputRef={fileInput} error={refused?.photoError} />}
      />
      <Form method="post" className="stack">
        <FormError message={stepError ?? undefined} />
        <p className="muted">{t("product.skipHint")}</p>
        <div className="wizard-nav">
          <Link to={to(stepPath("stall"))} className="btn">
            {t("nav.back")}
          </Link>
          <button type="submit" name="intent" value="skip" className="btn">
            {t("product.skip")}
          </button>
        </div>
      </Form>
    </WizardFrame>
  );
}
