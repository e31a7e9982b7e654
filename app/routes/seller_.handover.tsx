/**
 * /seller/handover: right after the farmer set their password on their own
 * phone (password.new.tsx), they choose what the officers who helped them
 * keep: edit listings and orders (proposed), view only, or nothing — for
 * every officer whose delegation has not lapsed. Reachable later too; the
 * dashboard's "Cán bộ hỗ trợ" card changes one officer at a time.
 *
 * Only the owner chooses: an officer acting for the household (this module is
 * also mounted under /officer/h/:householdId) is refused with 403.
 * Outside the seller layout (`seller_`): a household handed over before its
 * stall exists has no stall yet.
 */
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormError } from "~/components/forms";
import { AccessChoice } from "~/officers/AccessChoice";
import { answerRefusal } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { householdOfficers, parseAccess, setOfficerAccess } from "~/officers/index.server";
import { SETUP_PATH } from "~/onboarding";
import { requireActingHousehold } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";
import { redirectWithToast } from "~/utils/toast.server";

export const handle = { i18n: ["common", "acting"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

/** The owner and their household; an officer acting → 403; no household yet → the wizard. */
async function requireOwner(request: Request) {
  const acting = await requireActingHousehold(request);
  if (acting.actor.role !== "farmer") throw new Response("Only the owner", { status: 403, statusText: "Forbidden" });
  if (!acting.household) throw redirect(SETUP_PATH);
  return { ...acting, household: acting.household };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { household } = await requireOwner(request);
  const [t, officers] = await Promise.all([getT(request, "acting"), householdOfficers(db, household.id)]);
  return {
    title: pageTitle(t("handover.title")),
    officers: officers.filter((o) => !o.lapsed).map((o) => ({ id: o.officerUserId, name: o.name, access: o.access })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { household, stall, user } = await requireOwner(request);
  const [t, form] = await Promise.all([getT(request, "acting"), request.formData()]);
  const values = { access: String(form.get("access") ?? "") };
  try {
    const access = parseAccess(form.get("access"));
    const officers = (await householdOfficers(db, household.id)).filter((o) => !o.lapsed);
    await setOfficerAccess(db, {
      householdId: household.id,
      access,
      farmer: { userId: user.id, name: user.fullName, role: "farmer" },
    });
    if (!stall) return redirect(SETUP_PATH);
    if (officers.length === 0) return redirect("/seller");
    return redirectWithToast("/seller", {
      key: "acting:handover.saved",
      values: { names: officers.map((o) => o.name).join(", "), level: t(`access.levels.${access}`) },
    });
  } catch (error) {
    return answerRefusal(t, error, values);
  }
}

export default function Handover() {
  const { officers } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("acting");
  const errors = answer && "errors" in answer ? (answer.errors as Record<string, string>) : {};
  return (
    <main className="page page--narrow stack">
      <div className="card stack">
        <h1>{t("handover.heading")}</h1>
        {officers.length === 0 ? (
          <>
            <p>{t("handover.noOfficers")}</p>
            <p>
              <Link to="/seller" className="btn btn-primary btn-block">
                {t("handover.continue")}
              </Link>
            </p>
          </>
        ) : (
          <Form method="post" className="stack" noValidate>
            <p>{t("handover.intro")}</p>
            <p>{t("handover.officers")}</p>
            <ul>
              {officers.map((o) => (
                <li key={o.id}>
                  <strong>{o.name}</strong>
                </li>
              ))}
            </ul>
            <FormError message={errors.form ?? errors.access} />
            <AccessChoice name="access" defaultValue="edit" proposed="edit" legend={t("handover.legend")} />
            <p className="muted">{t("handover.later")}</p>
            <button type="submit" className="btn btn-primary btn-block">
              {t("handover.submit")}
            </button>
          </Form>
        )}
      </div>
    </main>
  );
}
