import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { CheckboxField, Field, FormError, SelectField } from "~/components/forms";
import { getT } from "~/i18n/i18n.server";
import { savePaymentMethods } from "~/onboarding/onboarding.server";
import { afterSave, reachedIndex, requireStallStep, translateErrors } from "~/onboarding/route-helpers.server";
import { WizardFrame, WizardNav } from "~/onboarding/WizardFrame";
import { BANKS } from "~/payments/banks";
import { previewQr, stallPaymentFormValues, stallPaymentMethods } from "~/payments/payment-settings.server";
import { parsePaymentMethodsForm, PAYMENT_FIELDS } from "~/payments/payment-methods";
import { db } from "~/utils/db.server";
import { formatVnd } from "~/utils/format";
import { useHydrated } from "~/utils/use-hydrated";

export const handle = { i18n: ["common", "onboarding", "payments"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { onboarding, stall } = await requireStallStep(request, "payment");
  const t = await getT(request, "onboarding");
  const values = stallPaymentFormValues(stall);
  return {
    title: `${t("payment.title")} · Gian Hàng Số`,
    values,
    preview: await previewQr(stallPaymentMethods(stall)),
    reached: reachedIndex(onboarding),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { onboarding, household, stall } = await requireStallStep(request, "payment");
  const t = await getT(request, ["onboarding", "payments"]);
  const form = await request.formData();
  const parsed = parsePaymentMethodsForm(form);
  if (!parsed.ok) {
    const errors = translateErrors(t, parsed.errors, "payments");
    return data({ values: parsed.values, errors, preview: null }, { status: 400 });
  }
  // "Try the QR code": show the code for a test transfer to the account as typed; save nothing yet.
  if (form.get("intent") === "preview") {
    return { values: parsed.values, errors: {} as Record<string, string>, preview: await previewQr(parsed.methods) };
  }
  await savePaymentMethods(db, { household, stall, input: parsed.methods });
  return afterSave(onboarding, "payment");
}

export default function PaymentStep() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation(["onboarding", "payments"]);
  const values = actionData?.values ?? loaded.values;
  const errors: Record<string, string> = actionData?.errors ?? {};
  const preview = actionData ? actionData.preview : loaded.preview;
  const [vietqrOn, setVietqrOn] = useState(values.vietqr.enabled === "on");
  const hydrated = useHydrated();

  return (
    <WizardFrame step="payment" reached={loaded.reached} title={t("payment.title")} intro={t("payment.intro")}>
      <Form method="post" className="stack" noValidate key={JSON.stringify(values)}>
        <FormError message={errors.methods} />
        <CheckboxField
          name={PAYMENT_FIELDS.cod}
          label={t("payment.cod")}
          hint={t("payment.codHint")}
          defaultChecked={values.cod === "on"}
        />
        <CheckboxField
          name={PAYMENT_FIELDS.vietqrEnabled}
          label={t("payment.vietqr")}
          hint={t("payment.vietqrHint")}
          checked={vietqrOn}
          onChange={(e) => setVietqrOn(e.currentTarget.checked)}
        />
        {/* Without JavaScript the bank fields always show; they are only read when VietQR is ticked. */}
        <fieldset className="stack" hidden={hydrated && !vietqrOn}>
          <legend>{t("payment.bankAccount")}</legend>
          <SelectField
            name={PAYMENT_FIELDS.bankBin}
            label={t("payment.bank")}
            placeholder={t("payment.chooseBank")}
            options={BANKS.map((b) => ({ value: b.bin, label: `${b.shortName} – ${b.name}` }))}
            defaultValue={values.vietqr.bankBin}
            error={errors[PAYMENT_FIELDS.bankBin]}
          />
          <Field
            name={PAYMENT_FIELDS.accountNumber}
            label={t("payment.accountNumber")}
            inputMode="numeric"
            autoComplete="off"
            defaultValue={values.vietqr.accountNumber}
            error={errors[PAYMENT_FIELDS.accountNumber]}
            maxLength={30}
          />
          <Field
            name={PAYMENT_FIELDS.accountName}
            label={t("payment.accountName")}
            hint={t("payment.accountNameHint")}
            autoCapitalize="characters"
            autoComplete="off"
            defaultValue={values.vietqr.accountName}
            error={errors[PAYMENT_FIELDS.accountName]}
            maxLength={60}
          />
          <button type="submit" name="intent" value="preview" className="btn">
            {t("payment.preview")}
          </button>
          {preview ? (
            <figure className="qr-preview">
              <img src={preview.dataUrl} alt={t("payment.previewAlt")} width={220} height={220} />
              <figcaption>
                {t("payment.previewCaption", {
                  amount: formatVnd(preview.amountVnd, i18n.language),
                  bank: preview.bankName,
                  name: preview.accountName,
                })}
              </figcaption>
            </figure>
          ) : null}
        </fieldset>
        <WizardNav step="payment" />
      </Form>
    </WizardFrame>
  );
}
