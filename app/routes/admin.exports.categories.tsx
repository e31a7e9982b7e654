import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth/index.server";
import { FormError } from "~/components/forms";
import { MARKETPLACE_TARGETS, type MarketplaceTarget } from "~/exports";
import { categoryMappings, parseCategoryMappingForm, saveCategoryMappings } from "~/exports/index.server";
import { answerRefusal, type FormErrors } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { CATEGORIES } from "~/listings";
import { db } from "~/utils/db.server";
import { translateErrors, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";
import { redirectWithToast } from "~/utils/toast.server";

export const handle = { i18n: ["common", "exports", "listings"], hydrate: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const PATH = "/admin/exports/categories";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const [t, mappings] = await Promise.all([getT(request, "exports"), categoryMappings(db)]);
  return { title: pageTitle(t("categories.title")), mappings };
}

/** One target's ids (the form of its column): saved all or none, then back here with a toast. */
export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const [t, form] = await Promise.all([getT(request, "exports"), request.formData()]);
  const parsed = parseCategoryMappingForm(form);
  const { target } = parsed.values;
  if (!parsed.ok) {
    return data(
      { target, errors: translateErrors(t, parsed.errors, "exports"), values: parsed.values },
      { status: 400 },
    );
  }
  try {
    const { changed } = await saveCategoryMappings(db, admin.id, parsed.data.target, parsed.data.values);
    return redirectWithToast(PATH, {
      key: changed > 0 ? "exports:categories.savedToast" : "exports:categories.unchangedToast",
      values: { target: t(`targets.${parsed.data.target}`), count: changed },
    });
  } catch (error) {
    return answerRefusal(t, error, parsed.values, { target });
  }
}

type Answer = { target: string; errors: FormErrors; values: FormValues };

const formId = (target: MarketplaceTarget) => `map-${target}`;

export default function AdminExportCategories() {
  const { mappings } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as Answer | undefined;
  const { t } = useTranslation(["exports", "listings"]);
  const answered = (target: MarketplaceTarget) => (answer?.target === target ? answer : undefined);
  const refused = MARKETPLACE_TARGETS.find((target) => answered(target));

  return (
    <main className="page stack admin-export-categories">
      <h1>{t("categories.heading")}</h1>
      <p className="muted">{t("categories.intro")}</p>
      <FormError
        message={
          answer
            ? (answer.errors.form ??
              (refused ? t("categories.fixErrors", { target: t(`targets.${refused}`) }) : undefined))
            : undefined
        }
      />
      {/* One form per marketplace; the table's inputs and buttons join theirs with form="…" (plain HTML, no JavaScript needed). */}
      {MARKETPLACE_TARGETS.map((target) => (
        <Form key={target} method="post" id={formId(target)} aria-label={t(`targets.${target}`)}>
          <input type="hidden" name="target" value={target} />
        </Form>
      ))}
      <div className="mapping-table__scroll">
        <table className="mapping-table">
          <caption className="visually-hidden">{t("categories.tableCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("categories.ourCategory")}</th>
              {MARKETPLACE_TARGETS.map((target) => (
                <th key={target} scope="col">
                  {t(`targets.${target}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {CATEGORIES.map((category) => (
              <tr key={category}>
                <th scope="row">{t(`listings:categories.${category}`)}</th>
                {MARKETPLACE_TARGETS.map((target) => {
                  const mine = answered(target);
                  const error = mine?.errors[category];
                  const value = mine ? (mine.values[category] ?? "") : (mappings[target][category] ?? "");
                  const id = `${formId(target)}-${category}`;
                  return (
                    <td key={target}>
                      <input
                        // A new saved value replaces what the input shows.
                        key={value}
                        id={id}
                        form={formId(target)}
                        name={category}
                        defaultValue={value}
                        inputMode="numeric"
                        autoComplete="off"
                        maxLength={40}
                        aria-label={t("categories.inputLabel", {
                          target: t(`targets.${target}`),
                          category: t(`listings:categories.${category}`),
                        })}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={error ? `${id}-error` : "mapping-hint"}
                      />
                      {error ? (
                        <p id={`${id}-error`} className="field-error">
                          {error}
                        </p>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td />
              {MARKETPLACE_TARGETS.map((target) => (
                <td key={target}>
                  <button type="submit" form={formId(target)} className="btn btn-primary">
                    {t("categories.save", { target: t(`targets.${target}`) })}
                  </button>
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      <p id="mapping-hint" className="field-hint">
        {t("categories.hint")}
      </p>
      <section className="stack" aria-labelledby="where-heading">
        <h2 id="where-heading">{t("categories.whereHeading")}</h2>
        <ul>
          {MARKETPLACE_TARGETS.map((target) => (
            <li key={target}>{t(`categories.where.${target}`)}</li>
          ))}
        </ul>
      </section>
    </main>
  );
}
