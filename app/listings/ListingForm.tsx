import { Form, useNavigation } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { CheckboxField, Field, FormError, SelectField, TextareaField } from "~/components/forms";
import { useOfflineQueue } from "~/offline/OfflineQueue";
import { CATEGORIES, CERTIFICATION_TYPES, EXPORT_DETAIL_FIELDS, OCOP_STARS, UNITS } from "./catalog";
import type { ListingFormValues } from "./schemas";
import { isMessageKey, type FieldErrors, type FormErrors } from "~/utils/forms";

/**
 * The schema (zod) is fetched on the first blur, not with the page: it is the
 * largest piece of JavaScript here and only matters once the farmer types.
 */
const loadSchemas = () => import("./schemas");

/**
 * The listing form, for create and edit. It posts as a plain form (works
 * without JavaScript; the server validates with the same schema); with
 * JavaScript it also validates each field as soon as the farmer leaves it.
 */
export function ListingForm({
  values,
  errors: serverErrors = {},
  submitLabel,
  photoInput,
  onSubmit,
  onQueue,
  openExportDetails = false,
}: {
  values: ListingFormValues;
  /** The schema's keys (a form refused as typed), or a refusal's messages (answerRefusal). */
  errors?: FormErrors;
  submitLabel: string;
  /** The create form also takes photos. */
  photoInput?: React.ReactNode;
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
  /**
   * With no signal (or work already waiting on the phone), a form the schema
   * accepts is handed here for the phone's queue instead of posted; one it
   * refuses shows its errors at once, nothing queued.
   */
  onQueue?: (form: FormData, element: HTMLFormElement) => Promise<void>;
  /** Show the marketplace details unfolded (a readiness link sent the farmer to one of them). */
  openExportDetails?: boolean;
}) {
  const { t } = useTranslation(["seller", "listings"]);
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  // Offline, the schema comes from the seller app's worker, which keeps it (scripts/lib/seller-precache.ts);
  // it is still loaded only once someone types, as online.
  const offline = useOfflineQueue();

  const revalidate = async (form: HTMLFormElement, name?: string) => {
    if (name) setTouched((prev) => new Set(prev).add(name));
    const { parseListingForm } = await loadSchemas();
    const result = parseListingForm(new FormData(form));
    setClientErrors(result.ok ? {} : result.errors);
  };
  // The schema's errors are keys, translated here; a refusal's are already words.
  const say = (error: string | undefined) => (error && isMessageKey(error) ? t(error, { ns: "listings" }) : error);
  const errorFor = (name: string) => say(touched.has(name) ? clientErrors[name] : serverErrors[name]);

  // Existing certifications plus one blank row to add another (no JavaScript needed).
  const certRows = [
    ...values.certifications,
    { type: "", number: "", issuer: "", stars: "", validFrom: "", validUntil: "" },
  ];
  const formError = say(serverErrors.form);
  const exportDetailsOpen =
    openExportDetails ||
    EXPORT_DETAIL_FIELDS.some((name) => name !== "leadTimeDays" && (values[name] !== "" || serverErrors[name]));

  return (
    <Form
      method="post"
      encType={photoInput ? "multipart/form-data" : undefined}
      className="stack"
      noValidate
      onBlur={(e) => {
        const name = fieldName(e.target);
        if (name) revalidate(e.currentTarget, name);
      }}
      onChange={(e) => {
        const name = fieldName(e.target);
        if (name && touched.has(name)) revalidate(e.currentTarget);
      }}
      onSubmit={(event) => {
        if (!onQueue || !offline.shouldQueue()) return onSubmit?.(event);
        event.preventDefault();
        const element = event.currentTarget;
        const form = new FormData(element);
        void loadSchemas().then(
          ({ parseListingForm }) => {
            const result = parseListingForm(form);
            setTouched(new Set(Object.keys(result.ok ? {} : result.errors)));
            setClientErrors(result.ok ? {} : result.errors);
            if (result.ok) return onQueue(form, element);
          },
          // The schema never reached the phone: the server checks it when sent, and says what it refused.
          () => onQueue(form, element),
        );
      }}
    >
      <FormError message={formError ?? (Object.keys(serverErrors).length > 0 ? t("form.fixErrors") : undefined)} />
      <Field
        name="title"
        label={t("form.title")}
        hint={t("form.titleHint")}
        defaultValue={values.title}
        error={errorFor("title")}
        required
        maxLength={120}
      />
      <SelectField
        name="category"
        label={t("form.category")}
        placeholder={t("form.chooseCategory")}
        options={CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`, { ns: "listings" }) }))}
        defaultValue={values.category}
        error={errorFor("category")}
        required
      />
      <div className="field-row">
        <Field
          name="price"
          label={t("form.price")}
          hint={t("form.priceHint")}
          inputMode="numeric"
          autoComplete="off"
          defaultValue={values.price}
          error={errorFor("price")}
          required
        />
        <SelectField
          name="unit"
          label={t("form.unit")}
          placeholder={t("form.chooseUnit")}
          options={UNITS.map((u) => ({ value: u.code, label: t(`units.${u.code}`, { ns: "listings" }) }))}
          defaultValue={values.unit}
          error={errorFor("unit")}
          required
        />
      </div>
      <div className="field-row">
        <Field
          name="stockQty"
          label={t("form.stockQty")}
          inputMode="numeric"
          defaultValue={values.stockQty}
          error={errorFor("stockQty")}
        />
        <Field
          name="minOrderQty"
          label={t("form.minOrderQty")}
          inputMode="numeric"
          defaultValue={values.minOrderQty}
          error={errorFor("minOrderQty")}
        />
      </div>
      <CheckboxField name="madeToOrder" label={t("form.madeToOrder")} defaultChecked={values.madeToOrder === "on"} />
      <Field
        name="leadTimeDays"
        label={t("form.leadTimeDays")}
        hint={t("form.leadTimeDaysHint")}
        inputMode="numeric"
        autoComplete="off"
        defaultValue={values.leadTimeDays}
        error={errorFor("leadTimeDays")}
      />
      <TextareaField
        name="description"
        label={t("form.description")}
        hint={t("form.descriptionHint")}
        defaultValue={values.description}
        error={errorFor("description")}
        maxLength={2000}
        rows={4}
      />
      {photoInput}
      <fieldset className="stack">
        <legend>{t("form.harvest")}</legend>
        <div className="field-row">
          <Field
            name="availableFrom"
            type="date"
            label={t("form.availableFrom")}
            defaultValue={values.availableFrom}
            error={errorFor("availableFrom")}
          />
          <Field
            name="availableUntil"
            type="date"
            label={t("form.availableUntil")}
            defaultValue={values.availableUntil}
            error={errorFor("availableUntil")}
          />
        </div>
        <CheckboxField name="preorder" label={t("form.preorder")} defaultChecked={values.preorder === "on"} />
        <Field
          name="preorderCapacity"
          label={t("form.preorderCapacity")}
          inputMode="numeric"
          defaultValue={values.preorderCapacity}
          error={errorFor("preorderCapacity")}
        />
      </fieldset>
      <fieldset className="stack" id="certifications">
        <legend>{t("form.certifications")}</legend>
        <p className="field-hint">{t("form.certificationsHint")}</p>
        {certRows.map((cert, i) => (
          <div key={i} className="stack cert-row">
            <SelectField
              name={`cert[${i}].type`}
              id={`cert-${i}-type`}
              label={t("form.certType")}
              placeholder={t("form.certNone")}
              options={CERTIFICATION_TYPES.map((c) => ({
                value: c,
                label: t(`certifications.${c}`, { ns: "listings" }),
              }))}
              defaultValue={cert.type}
              error={errorFor(`cert[${i}].type`)}
            />
            <div className="field-row">
              <Field
                name={`cert[${i}].number`}
                id={`cert-${i}-number`}
                label={t("form.certNumber")}
                defaultValue={cert.number}
                error={errorFor(`cert[${i}].number`)}
              />
              <SelectField
                name={`cert[${i}].stars`}
                id={`cert-${i}-stars`}
                label={t("form.certStars")}
                placeholder="–"
                options={OCOP_STARS.map((s) => ({ value: String(s), label: `${s}★` }))}
                defaultValue={cert.stars}
                error={errorFor(`cert[${i}].stars`)}
              />
            </div>
            <div className="field-row">
              <Field
                name={`cert[${i}].issuer`}
                id={`cert-${i}-issuer`}
                label={t("form.certIssuer")}
                defaultValue={cert.issuer}
                error={errorFor(`cert[${i}].issuer`)}
              />
              <Field
                name={`cert[${i}].validUntil`}
                id={`cert-${i}-validUntil`}
                type="date"
                label={t("form.certValidUntil")}
                defaultValue={cert.validUntil}
                error={errorFor(`cert[${i}].validUntil`)}
              />
            </div>
          </div>
        ))}
      </fieldset>
      <details className="stack" open={exportDetailsOpen}>
        <summary>{t("form.exportDetails")}</summary>
        <p className="field-hint">{t("form.exportDetailsHint")}</p>
        <Field
          name="weightGrams"
          label={t("form.weightGrams")}
          hint={t("form.weightGramsHint")}
          inputMode="numeric"
          autoComplete="off"
          defaultValue={values.weightGrams}
          error={errorFor("weightGrams")}
        />
        <fieldset className="stack">
          <legend>{t("form.packageSize")}</legend>
          <div className="field-row field-row-3">
            {(["packageLengthCm", "packageWidthCm", "packageHeightCm"] as const).map((name) => (
              <Field
                key={name}
                name={name}
                label={t(`form.${name}`)}
                inputMode="numeric"
                autoComplete="off"
                defaultValue={values[name]}
                error={errorFor(name)}
              />
            ))}
          </div>
        </fieldset>
      </details>
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {busy ? t("form.saving") : submitLabel}
      </button>
    </Form>
  );
}

function fieldName(target: EventTarget): string | null {
  const isField =
    target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement;
  return isField && target.name ? target.name : null;
}
