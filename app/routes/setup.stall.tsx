import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { CheckboxField, Field, FormError, TextareaField } from "~/components/forms";
import { answerRefusal, refusalMessage, withUploadForm } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { MAX_PHOTO_BYTES, uploadRefusal } from "~/media";
import { Picture } from "~/media/Picture";
import { getPhotoRef } from "~/media/index.server";
import { saveStall, afterSave, parseStallForm, reachedIndex, requireStep } from "~/onboarding/index.server";
import { STALL_DESCRIPTION_MAX, STALL_NAME_MAX, type StallFormValues } from "~/onboarding";
import { WizardFrame, WizardNav } from "~/onboarding/WizardFrame";
import { publicOrigin } from "~/stalls/index.server";
import { normaliseTypedSlug, stallSlugFrom } from "~/stalls";
import { db } from "~/utils/db.server";
import { translateErrors, type FormErrors } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "onboarding", "seller"], hydrate: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { onboarding } = await requireStep(request, "stall");
  const t = await getT(request, "onboarding");
  const stall = onboarding.stall;
  const values: StallFormValues = {
    name: stall?.name ?? "",
    slug: stall?.slug ?? "",
    description: stall?.description ?? "",
  };
  return {
    title: pageTitle(t("stall.title")),
    values,
    banner: await getPhotoRef(db, stall?.bannerMediaId ?? null),
    slugLocked: Boolean(stall?.publishedAt),
    linkPrefix: `${publicOrigin(request).replace(/^https?:\/\//, "")}/s/`,
    reached: reachedIndex(onboarding),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, onboarding } = await requireStep(request, "stall");
  const t = await getT(request, ["onboarding", "seller"]);
  return withUploadForm(
    request,
    { fileField: "banner", maxFiles: 1, maxFileBytes: MAX_PHOTO_BYTES },
    async ({ form, files, problems }) => {
      const parsed = parseStallForm(form);
      const bannerRefusal = uploadRefusal(problems);
      if (!parsed.ok) {
        const errors = translateErrors(t, parsed.errors, "onboarding");
        const bannerError = bannerRefusal && refusalMessage(t, bannerRefusal);
        return data({ values: parsed.values, errors, bannerError }, { status: 400 });
      }
      // A refused banner photo is told at its input.
      const refused = (error: unknown) =>
        answerRefusal(t, error, parsed.values, { bannerError: null as string | null }, { uploadError: "bannerError" });
      if (bannerRefusal) return refused(bannerRefusal);
      try {
        await saveStall(db, {
          household: onboarding.household!,
          stall: onboarding.stall,
          input: parsed.data,
          banner: files[0] ?? null,
          removeBanner: form.get("removeBanner") === "on",
          userId: user.id,
        });
      } catch (error) {
        return refused(error);
      }
      return afterSave(onboarding, "stall");
    },
  );
}

export default function StallStep() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("onboarding");
  const values = actionData?.values ?? loaded.values;
  const errors: FormErrors = actionData?.errors ?? {};
  // The link follows the name until the farmer types one of their own.
  const [name, setName] = useState(values.name);
  const [slug, setSlug] = useState(values.slug);
  const [slugTouched, setSlugTouched] = useState(Boolean(values.slug));
  const shownSlug = slugTouched ? normaliseTypedSlug(slug) : name ? stallSlugFrom(name) : "";

  return (
    <WizardFrame step="stall" reached={loaded.reached} title={t("stall.title")} intro={t("stall.intro")}>
      <Form method="post" encType="multipart/form-data" className="stack" noValidate>
        <FormError message={errors.form} />
        <Field
          name="name"
          label={t("stall.name")}
          hint={t("stall.nameHint")}
          error={errors.name}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          maxLength={STALL_NAME_MAX}
          required
        />
        {loaded.slugLocked ? (
          <div className="field">
            <p className="field-label">{t("stall.slug")}</p>
            <p>
              <code>
                {loaded.linkPrefix}
                {loaded.values.slug}
              </code>
            </p>
            <p className="field-hint">{t("stall.slugLocked")}</p>
            {/* Only a form posted from elsewhere asks to change a fixed link. */}
            {errors.slug ? <p className="field-error">{errors.slug}</p> : null}
          </div>
        ) : (
          <Field
            name="slug"
            label={t("stall.slug")}
            hint={t("stall.slugHint", { link: `${loaded.linkPrefix}${shownSlug || "…"}` })}
            error={errors.slug}
            value={slugTouched ? slug : shownSlug}
            onChange={(e) => {
              setSlugTouched(true);
              setSlug(e.currentTarget.value);
            }}
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            maxLength={80}
          />
        )}
        <TextareaField
          name="description"
          label={t("stall.description")}
          hint={t("stall.descriptionHint")}
          error={errors.description}
          defaultValue={values.description}
          maxLength={STALL_DESCRIPTION_MAX}
          rows={3}
        />
        <div className="field">
          <label htmlFor="f-banner">{t("stall.banner")}</label>
          {loaded.banner ? (
            <Picture photo={loaded.banner} alt={t("stall.bannerCurrent")} sizes="(min-width: 600px) 560px, 100vw" />
          ) : null}
          <input
            id="f-banner"
            type="file"
            name="banner"
            accept="image/*"
            aria-describedby="f-banner-hint"
            aria-invalid={actionData?.bannerError ? true : undefined}
          />
          <p id="f-banner-hint" className="field-hint">
            {t("stall.bannerHint")}
          </p>
          {actionData?.bannerError ? <p className="field-error">{actionData.bannerError}</p> : null}
        </div>
        {loaded.banner ? <CheckboxField name="removeBanner" label={t("stall.removeBanner")} /> : null}
        <WizardNav step="stall" />
      </Form>
    </WizardFrame>
  );
}
