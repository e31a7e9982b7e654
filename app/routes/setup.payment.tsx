import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { CheckboxField, Field, FormError, SelectField } from "~/components/forms";
import { answerRefusal } from "~/http/index.server";
import { codeNotRight, codeNotSent } from "~/auth/index.server";
import { getT, i18nInstance } from "~/i18n/index.server";
import { askFarmerForPayoutChange, farmerAgreedToPayout } from "~/officers/index.server";
import { savePaymentMethods, afterSave, reachedIndex, requireStallStep } from "~/onboarding/index.server";
import { WizardFrame, WizardNav } from "~/onboarding/WizardFrame";
import { BANKS, PAYMENT_FIELDS, payoutChange } from "~/payments";
import {
  onlineAvailability,
  previewQr,
  stallPaymentFormValues,
  stallPaymentMethods,
  connectStatus,
  onboardingLinks,
  startStripeOnboarding,
  parsePaymentMethodsForm,
} from "~/payments/index.server";
import { publicOrigin } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { formatVnd } from "~/utils/format";
import { translateErrors, type FormErrors } from "~/utils/forms";
import { logger } from "~/utils/logger.server";
import { useHydrated } from "~/utils/use-hydrated";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "onboarding", "payments", "acting"], hydrate: true };

/** The farmer's code for a new payout account, asked of an officer acting for them (ADR 029). */
const PAYOUT_CODE = "payoutCode";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { onboarding, stall, actor } = await requireStallStep(request, "payment");
  const t = await getT(request, "onboarding");
  const values = stallPaymentFormValues(stall);
  const connect = connectStatus(stall);
  return {
    title: pageTitle(t("payment.title")),
    values,
    preview: await previewQr(stallPaymentMethods(stall)),
    reached: reachedIndex(onboarding),
    available: onlineAvailability(),
    connect,
    // Back from Stripe's onboarding: readiness arrives by webhook, so say what happens next.
    returnedFromStripe: connect !== "off" && new URL(request.url).searchParams.get("stripe") === "return",
    actingOfficer: actor.role === "officer",
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, actor, onboarding, household, stall } = await requireStallStep(request, "payment");
  const t = await getT(request, ["onboarding", "payments", "acting", "auth"]);
  const form = await request.formData();
  const intent = form.get("intent");
  const connecting = intent === "stripe-connect" && connectStatus(stall) !== "off";
  // "Kết nối Stripe" means the farmer wants card payments: the box counts as ticked.
  if (connecting) form.set(PAYMENT_FIELDS.stripe, "on");
  const parsed = parsePaymentMethodsForm(form, onlineAvailability());
  if (!parsed.ok) {
    const errors = translateErrors(t, parsed.errors, "payments");
    return data({ values: parsed.values, errors, preview: null }, { status: 400 });
  }
  // "Try the QR code": show the code for a test transfer to the account as typed; save nothing yet.
  if (intent === "preview") {
    return { values: parsed.values, errors: {} as Record<string, string>, preview: await previewQr(parsed.data) };
  }
  if (connecting && actor.role === "officer") {
    const errors = { methods: t("acting:payout.connectIsFarmers") };
    return data({ values: parsed.values, errors, preview: null }, { status: 403 });
  }
  // Where the farmer's money goes is theirs to say: an officer needs the code sent to the farmer.
  const newAccount = actor.role === "officer" ? payoutChange(stall, parsed.data) : null;
  if (newAccount) {
    const ip = String(context.clientIp);
    const typed = String(form.get(PAYOUT_CODE) ?? "").trim();
    if (!typed) {
      const sms = i18nInstance("vi").getFixedT("vi", "acting");
      const asked = await askFarmerForPayoutChange(db, {
        household,
        stall,
        account: newAccount,
        officerName: user.fullName,
        ip,
        sms: (key, values) => sms(key, values),
      });
      if (!asked.ok) {
        const errors = "noPhone" in asked ? { methods: t("acting:payout.noPhone") } : codeNotSent(t, asked).errors;
        return data({ values: parsed.values, errors, preview: null }, { status: "noPhone" in asked ? 409 : 503 });
      }
      return { values: parsed.values, errors: {} as FormErrors, preview: null, payoutCodeSentTo: asked.sentTo };
    }
    const agreed = await farmerAgreedToPayout(db, { household, stall, account: newAccount, code: typed, ip });
    if (!agreed.ok) {
      const problem = codeNotRight(t, agreed);
      const errors = { [PAYOUT_CODE]: problem.errors.code ?? problem.errors.form };
      return data({ values: parsed.values, errors, preview: null, payoutCodeSentTo: "" }, { status: problem.status });
    }
  }
  let saved;
  try {
    saved = await savePaymentMethods(db, {
      household,
      stall,
      input: parsed.data,
      actor,
      payoutAgreed: newAccount !== null,
    });
  } catch (error) {
    return answerRefusal(t, error, parsed.values, { preview: null });
  }
  if (connecting) {
    try {
      const { url } = await startStripeOnboarding(db, {
        stall: saved,
        links: onboardingLinks(publicOrigin(request)),
      });
      return redirect(url);
    } catch (error) {
      logger.warn({ err: error, stallId: stall.id, userId: user.id }, "stripe connect onboarding could not start");
      const errors = { methods: t("payment.connect.unavailable") };
      return data({ values: parsed.values, errors, preview: null }, { status: 502 });
    }
  }
  return afterSave(onboarding, "payment");
}

export default function PaymentStep() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation(["onboarding", "payments", "acting"]);
  const values = actionData?.values ?? loaded.values;
  const errors: FormErrors = actionData?.errors ?? {};
  const preview = actionData ? actionData.preview : loaded.preview;
  const [vietqrOn, setVietqrOn] = useState(values.vietqr.enabled === "on");
  const hydrated = useHydrated();
  const { available, connect } = loaded;

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
          {loaded.actingOfficer ? <p className="field-hint">{t("acting:payout.hint")}</p> : null}
          {actionData && "payoutCodeSentTo" in actionData ? (
            <Field
              name={PAYOUT_CODE}
              label={t("acting:payout.codeLabel")}
              hint={t("acting:payout.codeHint", { phone: actionData.payoutCodeSentTo })}
              error={errors[PAYOUT_CODE]}
              inputMode="numeric"
              autoComplete="off"
              pattern="[0-9]*"
              maxLength={7}
            />
          ) : null}
          <button type="submit" name="intent" value="preview" className="btn">
            {t("payment.preview")}
          </button>
          {preview ? (
            <figure className="qr-preview">
              <img src={preview.dataUrl} alt={t("payment.previewAlt")} width={220} height={220} />
              <figcaption>
                {t("payment.previewCaption", {
                  amount: formatVnd(preview.amountDong, i18n.language),
                  bank: preview.bankName,
                  name: preview.accountName,
                })}
              </figcaption>
            </figure>
          ) : null}
        </fieldset>
        {available.vnpay || available.stripe ? (
          <fieldset className="stack">
            <legend>{t("payment.online")}</legend>
            <p className="field-hint">{t(connect === "off" ? "payment.onlineHint" : "payment.onlineHintConnect")}</p>
            {available.vnpay ? (
              <CheckboxField
                name={PAYMENT_FIELDS.vnpay}
                label={t("payment.vnpay")}
                hint={t("payment.vnpayHint")}
                defaultChecked={values.vnpay === "on"}
              />
            ) : null}
            {available.stripe ? (
              <CheckboxField
                name={PAYMENT_FIELDS.stripe}
                label={t("payment.stripe")}
                hint={t(connect === "off" ? "payment.stripeHint" : "payment.stripeHintConnect")}
                defaultChecked={values.stripe === "on"}
              />
            ) : null}
            {connect !== "off" ? (
              <div className="stack" role="status">
                <p>
                  <strong>{t("payment.connect.heading")}:</strong> {t(`payment.connect.${connect}`)}
                </p>
                {loaded.returnedFromStripe && connect !== "ready" ? <p>{t("payment.connect.returned")}</p> : null}
                {connect !== "ready" ? (
                  <button type="submit" name="intent" value="stripe-connect" className="btn">
                    {t(connect === "none" ? "payment.connect.start" : "payment.connect.continue")}
                  </button>
                ) : null}
              </div>
            ) : null}
          </fieldset>
        ) : null}
        <WizardNav step="payment" />
      </Form>
    </WizardFrame>
  );
}
