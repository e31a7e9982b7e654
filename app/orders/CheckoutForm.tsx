/**
 * The checkout form (/checkout): what went wrong, the code step when the page
 * asks for one, the buyer, each stall's part, the address and the total.
 * Works without JavaScript.
 */
import { Form } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CheckoutValues } from "./checkout-form.server";
import { CheckoutStall, type CheckoutStallGroup } from "./CheckoutStall";
import type { PaymentMethod } from "#db/schema";
import { CommunePicker } from "~/admin-units/CommunePicker";
import { CodeField, Field, FormError, PhoneField } from "~/components/forms";
import { formatVnd } from "~/utils/format";

export interface CheckoutAnswer {
  errors: Record<string, string | undefined>;
  /** Above the form, with `problems` (one line per item) under it. */
  message: string | null;
  problems: string[];
  /** Stalls whose delivery choice was refused, and those whose payment choice was. */
  stallIds: string[];
  paymentStallIds: string[];
}

export function CheckoutForm({
  view,
  values,
  answer,
  payments,
  provinces,
  communes,
  noteMax,
  codeStep,
}: {
  view: { stalls: CheckoutStallGroup[]; blocked: boolean; subtotalDong: number };
  values: CheckoutValues;
  answer: CheckoutAnswer | undefined;
  payments: Record<string, PaymentMethod[]>;
  provinces: { code: string; name: string }[];
  communes: { code: string; name: string; fullName: string }[];
  noteMax: number;
  /** Where the SMS code went, as people write the number; null: no code step. */
  codeStep: { phone: string } | null;
}) {
  const { t, i18n } = useTranslation(["orders", "listings"]);
  const lng = i18n.language;
  const errors = answer?.errors ?? {};
  const badStalls = new Set(answer?.stallIds ?? []);
  const badPayments = new Set(answer?.paymentStallIds ?? []);
  const online = Object.values(payments).some((m) => m.includes("vnpay") || m.includes("stripe"));
  // The order is placed by a plain document POST (reloadDocument): the order page then
  // arrives as HTML without framework JavaScript (ADR 022), and a farmer's slow phone
  // does not fetch the order page's modules first. The buttons still lock at once.
  const [submitting, setSubmitting] = useState(false);
  useEffect(() => {
    // Back from the order page (the browser's page cache): the form is usable again.
    const unlock = (event: PageTransitionEvent) => event.persisted && setSubmitting(false);
    window.addEventListener("pageshow", unlock);
    return () => window.removeEventListener("pageshow", unlock);
  }, []);

  return (
    // key: a reloaded province (no-JS) re-renders the fields with their new defaults.
    <Form
      method="post"
      className="stack"
      noValidate
      key={values.provinceCode}
      reloadDocument
      onSubmit={() => setSubmitting(true)}
    >
      {answer?.message ? (
        <div className="form-error stack tight" role="alert" id="form-error">
          <p>{answer.message}</p>
          {answer.problems.length > 0 ? (
            <ul>
              {answer.problems.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : view.blocked ? (
        <FormError message={t("checkoutPage.blocked")} />
      ) : null}

      {codeStep ? (
        // First in the form: Enter in the code field presses its button, and a phone shows it without scrolling.
        <section className="card stack" aria-labelledby="code-heading">
          <h2 id="code-heading">{t("checkoutPage.codeHeading")}</h2>
          <p role="status">{t("checkoutPage.codeSent", { phone: codeStep.phone })}</p>
          <CodeField label={t("checkoutPage.code")} hint={t("checkoutPage.codeHint")} error={errors.code} />
          <button
            type="submit"
            name="intent"
            value="verify"
            className="btn btn-primary btn-block"
            disabled={submitting}
          >
            {submitting ? t("checkoutPage.codeSubmitting") : t("checkoutPage.codeSubmit")}
          </button>
          <button
            type="submit"
            name="intent"
            value="resend"
            className="btn btn-link"
            formNoValidate
            disabled={submitting}
          >
            {t("checkoutPage.codeResend")}
          </button>
          <p className="muted">{t("checkoutPage.codeWhy")}</p>
        </section>
      ) : null}

      <section className="card stack" aria-labelledby="buyer-heading">
        <h2 id="buyer-heading">{t("checkoutPage.buyerHeading")}</h2>
        <Field
          name="name"
          label={t("checkoutPage.name")}
          error={errors.name}
          defaultValue={values.name}
          autoComplete="name"
          maxLength={100}
          required
        />
        <PhoneField
          label={t("checkoutPage.phone")}
          hint={t("checkoutPage.phoneHint")}
          error={errors.phone}
          defaultValue={values.phone}
        />
      </section>

      {view.stalls.map((group) => (
        <CheckoutStall
          key={group.stall.id}
          group={group}
          chosen={values.delivery[group.stall.id]}
          note={values.note[group.stall.id] ?? ""}
          methods={payments[group.stall.id] ?? []}
          chosenMethod={values.payment[group.stall.id]}
          paymentRefused={badPayments.has(group.stall.id) ? (answer?.message ?? null) : null}
          communeKnown={!!values.communeCode}
          errors={errors}
          refused={badStalls.has(group.stall.id)}
          noteMax={noteMax}
          lng={lng}
        />
      ))}

      <section className="card stack" aria-labelledby="address-heading">
        <h2 id="address-heading">{t("checkoutPage.addressHeading")}</h2>
        <p className="muted">{t("checkoutPage.addressHint")}</p>
        <CommunePicker
          provinces={provinces}
          province={values.provinceCode}
          commune={values.communeCode}
          communes={communes}
          errors={{ provinceCode: errors.provinceCode, communeCode: errors.communeCode }}
        />
        <Field
          name="addressLine"
          label={t("checkoutPage.addressLine")}
          error={errors.addressLine}
          defaultValue={values.addressLine}
          autoComplete="street-address"
          maxLength={200}
        />
      </section>

      <div className="card stack checkout-summary">
        <p className="checkout-summary__total">
          {t("checkoutPage.total", { total: formatVnd(view.subtotalDong, lng) })}
        </p>
        <p className="muted">{t("checkoutPage.totalHint")}</p>
        {online ? <p className="muted">{t("checkoutPage.onlineHint")}</p> : null}
        <button type="submit" className="btn btn-primary btn-block" disabled={submitting}>
          {t("checkoutPage.submit")}
        </button>
      </div>
    </Form>
  );
}
