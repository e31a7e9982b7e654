import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listCommunes } from "~/admin-units/index.server";
import { CheckboxField, Field, FormError } from "~/components/forms";
import { answerRefusal } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { saveDelivery, afterSave, parseDeliveryForm, reachedIndex, requireStallStep } from "~/onboarding/index.server";
import { ADDRESS_MAX, HOURS_MAX, type DeliveryFormValues } from "~/onboarding";
import { WizardFrame, WizardNav } from "~/onboarding/WizardFrame";
import { db } from "~/utils/db.server";
import { translateErrors, type FormErrors } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "onboarding"], hydrate: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

const feeText = (dong: number) => (dong ? String(dong) : "");

export async function loader({ request }: LoaderFunctionArgs) {
  const { onboarding, household, stall } = await requireStallStep(request, "delivery");
  const t = await getT(request, "onboarding");
  // Never saved yet: suggest pickup at the farm, at the household's address.
  const fresh = !stall.pickupEnabled && !stall.localDeliveryEnabled && !stall.shippingEnabled;
  const values: DeliveryFormValues = {
    pickupEnabled: fresh || stall.pickupEnabled ? "on" : "",
    pickupAddress: stall.pickupAddress || household.addressLine,
    pickupHours: stall.pickupHours,
    localDeliveryEnabled: stall.localDeliveryEnabled ? "on" : "",
    localDeliveryCommunes: stall.localDeliveryCommunes.length ? stall.localDeliveryCommunes : [household.communeCode],
    localDeliveryFee: feeText(stall.localDeliveryFeeDong),
    shippingEnabled: stall.shippingEnabled ? "on" : "",
    shippingFeeMode: stall.shippingFeeMode,
    shippingFee: feeText(stall.shippingFeeDong),
  };
  const communes = (await listCommunes(db, household.provinceCode)).map((c) => ({ code: c.code, name: c.fullName }));
  return {
    title: pageTitle(t("delivery.title")),
    values,
    communes,
    reached: reachedIndex(onboarding),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { onboarding, household, stall } = await requireStallStep(request, "delivery");
  const t = await getT(request, "onboarding");
  const parsed = parseDeliveryForm(await request.formData());
  if (!parsed.ok) {
    return data({ values: parsed.values, errors: translateErrors(t, parsed.errors, "onboarding") }, { status: 400 });
  }
  try {
    await saveDelivery(db, { household, stall, input: parsed.data });
  } catch (error) {
    return answerRefusal(t, error, parsed.values);
  }
  return afterSave(onboarding, "delivery");
}

export default function DeliveryStep() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("onboarding");
  const values = actionData?.values ?? loaded.values;
  const errors: FormErrors = actionData?.errors ?? {};
  return (
    <WizardFrame step="delivery" reached={loaded.reached} title={t("delivery.title")} intro={t("delivery.intro")}>
      <Form method="post" className="stack" noValidate>
        <FormError message={errors.form} />
        <fieldset className="stack option-group">
          <legend>{t("delivery.pickup")}</legend>
          <CheckboxField
            name="pickupEnabled"
            label={t("delivery.pickupEnabled")}
            defaultChecked={values.pickupEnabled === "on"}
          />
          <Field
            name="pickupAddress"
            label={t("delivery.pickupAddress")}
            error={errors.pickupAddress}
            defaultValue={values.pickupAddress}
            maxLength={ADDRESS_MAX}
          />
          <Field
            name="pickupHours"
            label={t("delivery.pickupHours")}
            hint={t("delivery.pickupHoursHint")}
            error={errors.pickupHours}
            defaultValue={values.pickupHours}
            maxLength={HOURS_MAX}
          />
        </fieldset>
        <fieldset className="stack option-group">
          <legend>{t("delivery.local")}</legend>
          <CheckboxField
            name="localDeliveryEnabled"
            label={t("delivery.localEnabled")}
            defaultChecked={values.localDeliveryEnabled === "on"}
          />
          <div className="field">
            <label htmlFor="f-localDeliveryCommunes">{t("delivery.localCommunes")}</label>
            <select
              id="f-localDeliveryCommunes"
              name="localDeliveryCommunes"
              multiple
              size={5}
              defaultValue={values.localDeliveryCommunes}
              aria-describedby="f-localDeliveryCommunes-hint"
              aria-invalid={errors.localDeliveryCommunes ? true : undefined}
            >
              {loaded.communes.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
            <p id="f-localDeliveryCommunes-hint" className="field-hint">
              {t("delivery.localCommunesHint")}
            </p>
            {errors.localDeliveryCommunes ? <p className="field-error">{errors.localDeliveryCommunes}</p> : null}
          </div>
          <Field
            name="localDeliveryFee"
            label={t("delivery.localFee")}
            hint={t("delivery.feeHint")}
            inputMode="numeric"
            error={errors.localDeliveryFee}
            defaultValue={values.localDeliveryFee}
          />
        </fieldset>
        <fieldset className="stack option-group">
          <legend>{t("delivery.shipping")}</legend>
          <CheckboxField
            name="shippingEnabled"
            label={t("delivery.shippingEnabled")}
            defaultChecked={values.shippingEnabled === "on"}
          />
          <fieldset className="field">
            <legend>{t("delivery.shippingFeeMode")}</legend>
            {(["flat", "per_kg"] as const).map((mode) => (
              <label key={mode} className="choice">
                <input
                  type="radio"
                  name="shippingFeeMode"
                  value={mode}
                  defaultChecked={values.shippingFeeMode === mode}
                />
                {t(`delivery.feeModes.${mode}`)}
              </label>
            ))}
          </fieldset>
          <Field
            name="shippingFee"
            label={t("delivery.shippingFee")}
            hint={t("delivery.feeHint")}
            inputMode="numeric"
            error={errors.shippingFee}
            defaultValue={values.shippingFee}
          />
        </fieldset>
        <WizardNav step="delivery" />
      </Form>
    </WizardFrame>
  );
}
