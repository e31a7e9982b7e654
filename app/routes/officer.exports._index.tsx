import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getCommune } from "~/admin-units/index.server";
import { SelectField } from "~/components/forms";
import { BulkExportScreen } from "~/exports/BulkExportScreen";
import { answerBulkExportForm, bulkExportHistory } from "~/exports/index.server";
import { getT } from "~/i18n/index.server";
import { jobQueue } from "~/jobs/index.server";
import { officerCommuneCodes, requireOfficer } from "~/officers/index.server";
import { db } from "~/utils/db.server";
import type { FormErrors, FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";

/**
 * /officer/exports: the admins' bulk export screen for the communes an
 * officer covers. They ask for one of their communes (a province, or a
 * commune they do not cover, is refused with 403 and nothing queued) and see
 * and download the runs of their communes, whoever asked for them (a run of
 * the same commune and format already under way is shared, not doubled);
 * never a province's.
 */
export const handle = { i18n: ["common", "exports", "officers"], hydrate: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

const HOME = "/officer/exports";

async function coveredCommunes(officerId: string) {
  const codes = await officerCommuneCodes(db, officerId);
  const communes = await Promise.all(codes.map((code) => getCommune(db, code)));
  return communes.flatMap((c) => (c ? [{ code: c.code, name: c.fullName }] : []));
}

export async function loader({ request }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request);
  const codes = await officerCommuneCodes(db, officer.id);
  const [t, communes, runs] = await Promise.all([
    getT(request, "exports"),
    coveredCommunes(officer.id),
    bulkExportHistory({ communes: codes }),
  ]);
  const values: FormValues = { scopeKind: "commune", communeCode: communes[0]?.code ?? "", format: "google.xml" };
  return { title: pageTitle(t("bulk.title")), communes, values, runs };
}

export async function action({ request }: ActionFunctionArgs) {
  const officer = await requireOfficer(request);
  const [t, form, communes] = await Promise.all([
    getT(request, "exports"),
    request.formData(),
    officerCommuneCodes(db, officer.id),
  ]);
  if (!form.has("scopeKind")) form.set("scopeKind", "commune");
  return answerBulkExportForm(request, form, {
    t,
    queue: await jobQueue(),
    userId: officer.id,
    home: HOME,
    communes,
    extra: async () => ({}),
  });
}

export default function OfficerExports() {
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("exports");
  const values: FormValues = answer?.values ?? loaded.values;
  const errors: FormErrors = answer?.errors ?? {};

  if (loaded.communes.length === 0 && loaded.runs.length === 0) {
    return (
      <main className="page stack">
        <h1>{t("bulk.heading")}</h1>
        <p className="muted">{t("bulk.officer.none")}</p>
      </main>
    );
  }
  return (
    <BulkExportScreen
      home={HOME}
      runs={loaded.runs}
      format={values.format}
      errors={errors}
      intro={t("bulk.officer.intro")}
      scope={
        <>
          <input type="hidden" name="scopeKind" value="commune" />
          <SelectField
            name="communeCode"
            label={t("bulk.officer.commune")}
            error={errors.communeCode}
            defaultValue={values.communeCode}
            options={loaded.communes.map((c) => ({ value: c.code, label: c.name }))}
          />
        </>
      }
    />
  );
}
