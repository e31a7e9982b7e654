import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CommunePicker } from "~/admin-units/CommunePicker";
import { listCommunes, listProvinces } from "~/admin-units/index.server";
import { Field, FormError } from "~/components/forms";
import { answerRefusal } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { saveHousehold, afterSave, parseHouseholdForm, reachedIndex, requireStep } from "~/onboarding/index.server";
import { type HouseholdFormValues } from "~/onboarding";
import { WizardFrame, WizardNav } from "~/onboarding/WizardFrame";
import { db } from "~/utils/db.server";
import { translateErrors, type FormErrors } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "onboarding"], hydrate: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

const provinceCommunes = (code: string) => (/^\d{2}$/.test(code) ? listCommunes(db, code) : Promise.resolve([]));
const communeOptions = async (code: string) =>
  (await provinceCommunes(code)).map((c) => ({ code: c.code, name: c.name, fullName: c.fullName }));

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, onboarding } = await requireStep(request, "household");
  const t = await getT(request, "onboarding");
  const h = onboarding.household;
  const values: HouseholdFormValues = {
    fullName: h?.name ?? user.fullName,
    kind: h?.kind ?? "household",
    provinceCode: h?.provinceCode ?? "",
    communeCode: h?.communeCode ?? "",
    addressLine: h?.addressLine ?? "",
  };
  const provinces = (await listProvinces(db)).map((p) => ({ code: p.code, name: p.fullName }));
  return {
    title: pageTitle(t("household.title")),
    values,
    provinces,
    communes: await communeOptions(values.provinceCode),
    reached: reachedIndex(onboarding),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, onboarding } = await requireStep(request, "household");
  const t = await getT(request, "onboarding");
  const form = await request.formData();
  const parsed = parseHouseholdForm(form);
  // Without JavaScript, choosing a province reloads the form with its communes; nothing is saved.
  if (form.get("intent") === "pick-province") {
    return {
      values: { ...parsed.values, communeCode: "" },
      errors: {},
      communes: await communeOptions(parsed.values.provinceCode),
    };
  }
  // The form again shows the communes of the province as typed.
  const communes = () => communeOptions(parsed.values.provinceCode);
  if (!parsed.ok) {
    const errors = translateErrors(t, parsed.errors, "onboarding");
    return data({ values: parsed.values, errors, communes: await communes() }, { status: 400 });
  }
  try {
    await saveHousehold(db, {
      userId: user.id,
      phone: user.phone,
      household: onboarding.household,
      input: parsed.data,
    });
  } catch (error) {
    return answerRefusal(t, error, parsed.values, { communes: await communes() });
  }
  return afterSave(onboarding, "household");
}

export default function HouseholdStep() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("onboarding");
  const values = actionData?.values ?? loaded.values;
  const errors: FormErrors = actionData?.errors ?? {};
  const communes = actionData?.communes ?? loaded.communes;
  return (
    <WizardFrame step="household" reached={loaded.reached} title={t("household.title")} intro={t("household.intro")}>
      {/* key: a reloaded province (no-JS) re-renders the fields with their new defaults. */}
      <Form method="post" className="stack" noValidate key={values.provinceCode}>
        <FormError message={errors.form} />
        <Field
          name="fullName"
          label={t("household.fullName")}
          hint={t("household.fullNameHint")}
          error={errors.fullName}
          defaultValue={values.fullName}
          autoComplete="name"
          maxLength={80}
          required
        />
        <fieldset className="field">
          <legend>{t("household.kind")}</legend>
          {(["household", "cooperative"] as const).map((kind) => (
            <label key={kind} className="choice">
              <input type="radio" name="kind" value={kind} defaultChecked={values.kind === kind} />
              {t(`household.kinds.${kind}`)}
            </label>
          ))}
        </fieldset>
        <CommunePicker
          provinces={loaded.provinces}
          province={values.provinceCode}
          commune={values.communeCode}
          communes={communes}
          errors={{ provinceCode: errors.provinceCode, communeCode: errors.communeCode }}
        />
        <Field
          name="addressLine"
          label={t("household.addressLine")}
          hint={t("household.addressLineHint")}
          error={errors.addressLine}
          defaultValue={values.addressLine}
          autoComplete="street-address"
          maxLength={160}
          required
        />
        <WizardNav step="household" />
      </Form>
    </WizardFrame>
  );
}
