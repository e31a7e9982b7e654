import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export type ChecklistCommune = { code: string; fullName: string };

/**
 * The communes an officer covers, as checkboxes named `communeCodes` inside
 * the caller's form: the chosen province's communes, then those checked in
 * other provinces (kept when the form is saved). Plain HTML: works without
 * JavaScript.
 */
export function CommuneChecklist({
  communes,
  elsewhere = [],
  checked,
  error,
}: {
  communes: ChecklistCommune[];
  /** Communes already assigned outside the shown province. */
  elsewhere?: ChecklistCommune[];
  checked: readonly string[];
  error?: string;
}) {
  const { t } = useTranslation("admin");
  const ticked = new Set(checked);
  const box = (c: ChecklistCommune) => (
    <li key={c.code}>
      <label className="choice">
        <input type="checkbox" name="communeCodes" value={c.code} defaultChecked={ticked.has(c.code)} />
        <span>{c.fullName}</span>
      </label>
    </li>
  );
  return (
    <fieldset className="stack" aria-describedby={error ? "communes-error" : "communes-hint"}>
      <legend>{t("officers.form.communes")}</legend>
      <p id="communes-hint" className="field-hint">
        {t("officers.form.communesHint")}
      </p>
      {error ? (
        <p id="communes-error" className="field-error">
          {error}
        </p>
      ) : null}
      <ul className="list-plain commune-checklist">{communes.map(box)}</ul>
      {elsewhere.length > 0 ? (
        <>
          <p>
            <strong>{t("officers.page.otherProvince")}</strong>
          </p>
          <ul className="list-plain commune-checklist">{elsewhere.map(box)}</ul>
        </>
      ) : null}
    </fieldset>
  );
}

/** A GET form: which province's communes the checklist shows (a round trip, with or without JavaScript). */
export function ProvinceChooser({
  provinces,
  province,
}: {
  provinces: { code: string; name: string }[];
  province: string;
}) {
  const { t } = useTranslation("admin");
  return (
    <Form method="get" className="stack">
      <div className="field">
        <label htmlFor="f-province">{t("officers.province.label")}</label>
        <select id="f-province" name="province" defaultValue={province} aria-describedby="f-province-hint">
          {provinces.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))}
        </select>
        <p id="f-province-hint" className="field-hint">
          {t("officers.province.hint")}
        </p>
      </div>
      <p>
        <button type="submit" className="btn">
          {t("officers.province.show")}
        </button>
      </p>
    </Form>
  );
}
