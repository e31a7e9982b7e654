/**
 * /admin/officers/:officerId: the communes one officer covers, and their
 * account: deactivate (with a confirmation: sessions end, delegations lapse)
 * or reactivate (sign-in only; delegations stay lapsed). ADR 026.
 */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listCommunes, listProvinces } from "~/admin-units/index.server";
import { requireRole } from "~/auth/index.server";
import { FormError } from "~/components/forms";
import { answerRefusal } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { CommuneChecklist, ProvinceChooser } from "~/officers/CommuneChecklist";
import {
  assignCommunes,
  deactivateOfficer,
  getOfficer,
  provinceToShow,
  reactivateOfficer,
} from "~/officers/index.server";
import { OfficerStatus } from "~/officers/OfficerStatus";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import type { FormErrors } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";
import { formatPhone } from "~/utils/phone";
import { redirectWithToast } from "~/utils/toast.server";

export const handle = { i18n: ["common", "admin"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** The officer of the URL; a malformed id, an unknown one or another role's is a 404. */
async function officerOf(params: LoaderFunctionArgs["params"]) {
  const officer = await getOfficer(db, params.officerId ?? "");
  if (!officer) throw new Response("Not found", { status: 404 });
  return officer;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const officer = await officerOf(params);
  const province = await provinceToShow(
    db,
    new URL(request.url).searchParams.get("province"),
    officer.communes[0]?.provinceCode,
  );
  const [t, provinces, communes] = await Promise.all([
    getT(request, "admin"),
    listProvinces(db),
    listCommunes(db, province),
  ]);
  return {
    title: pageTitle(t("officers.page.title", { name: officer.fullName })),
    officer,
    province,
    provinces: provinces.map((p) => ({ code: p.code, name: p.fullName })),
    communes: communes.map((c) => ({ code: c.code, fullName: c.fullName })),
  };
}

/** intent=communes (the set, replaced), intent=deactivate (confirmed), intent=reactivate. */
export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const officer = await officerOf(params);
  const [t, form] = await Promise.all([getT(request, "admin"), request.formData()]);
  const intent = form.get("intent");
  const here = new URL(request.url);
  const back = `/admin/officers/${officer.id}${here.search}`;
  try {
    switch (intent) {
      case "communes": {
        const codes = form.getAll("communeCodes").filter((v): v is string => typeof v === "string");
        try {
          await assignCommunes(db, officer.id, codes, admin.id);
        } catch (error) {
          return answerRefusal(t, error, {}, { intent: "communes", checked: codes.slice(0, 200) });
        }
        return redirectWithToast(back, { key: "admin:officers.page.saved" });
      }
      case "deactivate": {
        if (form.get("confirm") !== "yes") {
          const errors: FormErrors = { confirm: t("officers.page.deactivateConfirmRequired") };
          return data({ intent: "deactivate", errors, values: {} }, { status: 400 });
        }
        const { lapsed } = await deactivateOfficer(db, officer.id);
        return redirectWithToast(back, { key: "admin:officers.page.deactivated", values: { count: lapsed } });
      }
      case "reactivate":
        await reactivateOfficer(db, officer.id);
        return redirectWithToast(back, { key: "admin:officers.page.reactivated" });
      default:
        return data(
          { intent: "page", errors: { form: t("errors.invalid_input") } as FormErrors, values: {} },
          { status: 400 },
        );
    }
  } catch (error) {
    return answerRefusal(t, error, {}, { intent: "page" });
  }
}

export default function AdminOfficer() {
  const { officer, province, provinces, communes } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t, i18n } = useTranslation("admin");
  const errorsFor = (intent: string): FormErrors =>
    answer && "intent" in answer && answer.intent === intent ? ((answer.errors as FormErrors) ?? {}) : {};
  const communeErrors = errorsFor("communes");
  const checked =
    answer && "checked" in answer && Array.isArray(answer.checked)
      ? (answer.checked as string[])
      : officer.communes.map((c) => c.code);
  const shown = new Set(communes.map((c) => c.code));
  const elsewhere = officer.communes.filter((c) => !shown.has(c.code));
  const deactivateErrors = errorsFor("deactivate");

  return (
    <main className="page stack">
      <p>
        <Link to="/admin/officers">{t("officers.page.back")}</Link>
      </p>
      <h1>{officer.fullName}</h1>
      <FormError message={errorsFor("page").form} />
      <ul className="list-plain tight">
        <li>
          <OfficerStatus officer={officer} />
        </li>
        <li>
          {t("officers.phone")}: <a href={`tel:${officer.phone}`}>{formatPhone(officer.phone)}</a>
        </li>
        <li>{t("officers.onboarded", { count: officer.householdsOnboarded })}</li>
        <li>{t("officers.delegations", { count: officer.activeDelegations })}</li>
        <li className="muted">{t("officers.since", { date: formatDate(officer.createdAt, i18n.language) })}</li>
      </ul>
      {officer.hasPassword ? null : <p className="notice">{t("officers.form.howToSignIn")}</p>}

      <section className="card stack" aria-labelledby="communes-heading">
        <h2 id="communes-heading">{t("officers.page.communesHeading")}</h2>
        <p className="officer-card__communes">
          {officer.communes.length > 0
            ? t("officers.page.current", { communes: officer.communes.map((c) => c.fullName).join(", ") })
            : t("officers.noCommunes")}
        </p>
        <ProvinceChooser provinces={provinces} province={province} />
        <Form method="post" className="stack" noValidate key={`${province}:${checked.join(",")}`}>
          <input type="hidden" name="intent" value="communes" />
          <FormError message={communeErrors.form} />
          <CommuneChecklist
            communes={communes}
            elsewhere={elsewhere}
            checked={checked}
            error={communeErrors.communeCodes}
          />
          <p>
            <button type="submit" className="btn btn-primary">
              {t("officers.page.save")}
            </button>
          </p>
        </Form>
      </section>

      <section className="card stack" aria-labelledby="access-heading">
        <h2 id="access-heading">{t("officers.page.accessHeading")}</h2>
        {officer.deactivatedAt ? (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="reactivate" />
            <p>{t("officers.page.reactivateIntro")}</p>
            <p>
              <button type="submit" className="btn">
                {t("officers.page.reactivate")}
              </button>
            </p>
          </Form>
        ) : (
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="deactivate" />
            <p>{t("officers.page.deactivateIntro")}</p>
            <div className="field">
              <label className="choice">
                <input
                  type="checkbox"
                  name="confirm"
                  value="yes"
                  required
                  aria-invalid={deactivateErrors.confirm ? true : undefined}
                  aria-describedby={deactivateErrors.confirm ? "confirm-error" : undefined}
                />
                <span>{t("officers.page.deactivateConfirm")}</span>
              </label>
              {deactivateErrors.confirm ? (
                <p id="confirm-error" className="field-error">
                  {deactivateErrors.confirm}
                </p>
              ) : null}
            </div>
            <p>
              <button type="submit" className="btn">
                {t("officers.page.deactivate")}
              </button>
            </p>
          </Form>
        )}
      </section>
    </main>
  );
}
