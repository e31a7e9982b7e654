/**
 * /admin/officers: the province's officers, and a new one by phone number
 * (ADR 026: one phone is one account). The officer then sets a password
 * through /signup or /password/forgot with that number; the page says so.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listCommunes, listProvinces } from "~/admin-units/index.server";
import { requireRole } from "~/auth/index.server";
import { Field, FormError, PhoneField } from "~/components/forms";
import { answerRefusal } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { CommuneChecklist, ProvinceChooser } from "~/officers/CommuneChecklist";
import { OfficerStatus } from "~/officers/OfficerStatus";
import { createOfficer, listOfficers, provinceToShow } from "~/officers/index.server";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { formValues, type FormErrors } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";
import { formatPhone } from "~/utils/phone";
import { redirectWithToast } from "~/utils/toast.server";

export const handle = { i18n: ["common", "admin"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const province = await provinceToShow(db, new URL(request.url).searchParams.get("province"));
  const [t, provinces, communes, officers] = await Promise.all([
    getT(request, "admin"),
    listProvinces(db),
    listCommunes(db, province),
    listOfficers(db),
  ]);
  return {
    title: pageTitle(t("officers.title")),
    province,
    provinces: provinces.map((p) => ({ code: p.code, name: p.fullName })),
    communes: communes.map((c) => ({ code: c.code, fullName: c.fullName })),
    officers,
  };
}

const FIELDS = ["phone", "fullName"] as const;

/** A new officer; refused input is told next to its field, nothing saved. */
export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const [t, form] = await Promise.all([getT(request, "admin"), request.formData()]);
  const values = formValues(form, FIELDS);
  const communeCodes = form.getAll("communeCodes").filter((v): v is string => typeof v === "string");
  try {
    const created = await createOfficer(db, { ...values, communeCodes, adminUserId: admin.id });
    const key =
      created.outcome === "created"
        ? "admin:officers.created"
        : created.needsPassword
          ? "admin:officers.promotedNoPassword"
          : "admin:officers.promoted";
    return redirectWithToast(`/admin/officers/${created.officerId}`, { key, values: { name: values.fullName.trim() } });
  } catch (error) {
    return answerRefusal(t, error, values, { checked: communeCodes.slice(0, 200) });
  }
}

export default function AdminOfficers() {
  const { province, provinces, communes, officers } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const errors: FormErrors = answer?.errors ?? {};
  const values: Partial<Record<(typeof FIELDS)[number], string>> = answer?.values ?? {};
  const checked = answer && "checked" in answer ? answer.checked : [];

  return (
    <main className="page stack">
      <h1>{t("officers.heading")}</h1>
      <p className="muted">{t("officers.intro")}</p>

      <section className="card stack" aria-labelledby="new-officer-heading">
        <h2 id="new-officer-heading">{t("officers.form.heading")}</h2>
        <ProvinceChooser provinces={provinces} province={province} />
        <Form method="post" className="stack" noValidate key={province}>
          <FormError message={errors.form} />
          <PhoneField
            label={t("officers.form.phone")}
            hint={t("officers.form.phoneHint")}
            error={errors.phone}
            defaultValue={values.phone}
            autoComplete="off"
          />
          <Field
            name="fullName"
            label={t("officers.form.fullName")}
            error={errors.fullName}
            defaultValue={values.fullName}
            autoComplete="off"
            maxLength={100}
            required
          />
          <CommuneChecklist communes={communes} checked={checked} error={errors.communeCodes} />
          <p className="notice">{t("officers.form.howToSignIn")}</p>
          <p>
            <button type="submit" className="btn btn-primary">
              {t("officers.form.submit")}
            </button>
          </p>
        </Form>
      </section>

      <section className="stack" aria-labelledby="officers-heading">
        <h2 id="officers-heading">{t("officers.listHeading")}</h2>
        {officers.length === 0 ? (
          <p className="muted">{t("officers.empty")}</p>
        ) : (
          <ul className="list-plain stack">
            {officers.map((officer) => (
              <OfficerCard key={officer.id} officer={officer} />
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

type ListedOfficer = ReturnType<typeof useLoaderData<typeof loader>>["officers"][number];

function OfficerCard({ officer }: { officer: ListedOfficer }) {
  const { t, i18n } = useTranslation("admin");
  const lng = i18n.language;
  return (
    <li className="card stack" data-officer={officer.id}>
      <p>
        <strong>
          <Link to={`/admin/officers/${officer.id}`}>{officer.fullName}</Link>
        </strong>{" "}
        <OfficerStatus officer={officer} />
      </p>
      <ul className="list-plain tight">
        <li>
          {t("officers.phone")}: <a href={`tel:${officer.phone}`}>{formatPhone(officer.phone)}</a>
        </li>
        <li className="officer-card__communes">
          {t("officers.communes")}:{" "}
          {officer.communes.length > 0 ? officer.communes.map((c) => c.fullName).join(", ") : t("officers.noCommunes")}
        </li>
        <li>{t("officers.onboarded", { count: officer.householdsOnboarded })}</li>
        <li>{t("officers.delegations", { count: officer.activeDelegations })}</li>
        <li className="muted">{t("officers.since", { date: formatDate(officer.createdAt, lng) })}</li>
      </ul>
      <p>
        <Link to={`/admin/officers/${officer.id}`}>{t("officers.edit")}</Link>
      </p>
    </li>
  );
}
