import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CommunePicker, PICK_PROVINCE_INTENT } from "~/admin-units/CommunePicker";
import { listCommunes, listProvinces } from "~/admin-units/index.server";
import { requireRole } from "~/auth/index.server";
import { BULK_SCOPE_KINDS } from "~/exports";
import { BulkExportScreen } from "~/exports/BulkExportScreen";
import { answerBulkExportForm, bulkExportHistory, parseBulkExportForm } from "~/exports/index.server";
import { getT } from "~/i18n/index.server";
import { jobQueue } from "~/jobs/index.server";
import { db } from "~/utils/db.server";
import type { FormErrors, FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "exports"], hydrate: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const HOME = "/admin/exports";

const communeOptions = async (provinceCode: string) =>
  (await listCommunes(db, provinceCode)).map(({ code, name, fullName }) => ({ code, name, fullName }));

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const [t, provinces, runs] = await Promise.all([getT(request, "exports"), listProvinces(db), bulkExportHistory()]);
  const values: FormValues = { scopeKind: "province", provinceCode: "", communeCode: "", format: "google.xml" };
  return {
    title: pageTitle(t("bulk.title")),
    provinces: provinces.map((p) => ({ code: p.code, name: p.fullName })),
    communes: [] as Awaited<ReturnType<typeof communeOptions>>,
    values,
    runs,
  };
}

/**
 * A new bulk export of any scope (or, without JavaScript, intent=pick-province:
 * the form again with the chosen province's communes). The run is built in
 * the background; the page then shows it in the history.
 */
export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const [t, form] = await Promise.all([getT(request, "exports"), request.formData()]);
  if (form.get("intent") === PICK_PROVINCE_INTENT) {
    const { values } = parseBulkExportForm(form);
    return {
      values: { ...values, communeCode: "" },
      errors: {} as FormErrors,
      communes: await communeOptions(values.provinceCode),
    };
  }
  return answerBulkExportForm(request, form, {
    t,
    queue: await jobQueue(),
    userId: admin.id,
    home: HOME,
    extra: async () => ({ communes: await communeOptions(String(form.get("provinceCode") ?? "").trim()) }),
  });
}

export default function AdminExports() {
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("exports");
  const values: FormValues = answer?.values ?? loaded.values;
  const errors: FormErrors = answer?.errors ?? {};
  const communes = answer?.communes ?? loaded.communes;

  return (
    <BulkExportScreen
      home={HOME}
      runs={loaded.runs}
      format={values.format}
      errors={errors}
      intro={t("bulk.intro")}
      links={
        <p>
          <Link to="/admin/exports/categories">{t("bulk.categoriesLink")}</Link>
        </p>
      }
      // A province chosen without JavaScript re-renders the fields with their new defaults.
      formKey={values.provinceCode}
      scope={
        <>
          <fieldset className="field">
            <legend>{t("bulk.form.scope")}</legend>
            {BULK_SCOPE_KINDS.map((kind) => (
              <label key={kind} className="choice">
                <input type="radio" name="scopeKind" value={kind} defaultChecked={values.scopeKind === kind} />
                {t(`bulk.form.scopes.${kind}`)}
              </label>
            ))}
            {errors.scopeKind ? <p className="field-error">{errors.scopeKind}</p> : null}
          </fieldset>
          <CommunePicker
            provinces={loaded.provinces}
            province={values.provinceCode}
            commune={values.communeCode}
            communes={communes}
            errors={{ provinceCode: errors.provinceCode, communeCode: errors.communeCode }}
            labels={{ commune: t("bulk.form.commune") }}
          />
        </>
      }
    />
  );
}
