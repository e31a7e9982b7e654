import { useEffect, useRef } from "react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CommunePicker, PICK_PROVINCE_INTENT } from "~/admin-units/CommunePicker";
import { listCommunes, listProvinces } from "~/admin-units/index.server";
import { requireRole } from "~/auth/index.server";
import { FormError, SelectField } from "~/components/forms";
import {
  BULK_EXPORT_FORMATS,
  BULK_FAILURES,
  BULK_SCOPE_KINDS,
  isOpenRun,
  READINESS_CODES,
  type BulkFailure,
  type BulkRunStatus,
} from "~/exports";
import { listBulkExports, parseBulkExportForm, requestBulkExport } from "~/exports/index.server";
import { answerRefusal } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { jobQueue } from "~/jobs/index.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { formatDateTime, formatNumber } from "~/utils/format";
import { translateErrors, type FormErrors, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";
import { redirectWithToast } from "~/utils/toast.server";

export const handle = { i18n: ["common", "exports"], hydrate: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** How often the page asks again while a run is queued or running. */
const REFRESH_MS = 2000;
const HISTORY_LIMIT = 30;

const communeOptions = async (provinceCode: string) =>
  (await listCommunes(db, provinceCode)).map(({ code, name, fullName }) => ({ code, name, fullName }));

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const [t, provinces, runs] = await Promise.all([
    getT(request, "exports"),
    listProvinces(db),
    listBulkExports(db, { limit: HISTORY_LIMIT }),
  ]);
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
 * A new bulk export (or, without JavaScript, intent=pick-province: the form
 * again with the chosen province's communes). The run is built in the
 * background; the page then shows it in the history.
 */
export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const [t, form] = await Promise.all([getT(request, "exports"), request.formData()]);
  const parsed = parseBulkExportForm(form);
  const communes = () => communeOptions(parsed.values.provinceCode);
  if (form.get("intent") === PICK_PROVINCE_INTENT) {
    return { values: { ...parsed.values, communeCode: "" }, errors: {} as FormErrors, communes: await communes() };
  }
  if (!parsed.ok) {
    const errors = translateErrors(t, parsed.errors, "exports");
    return data({ values: parsed.values, errors, communes: await communes() }, { status: 400 });
  }
  try {
    const { created } = await requestBulkExport(db, await jobQueue(), {
      userId: admin.id,
      ...parsed.data,
      site: env().PUBLIC_URL ?? new URL(request.url).origin,
    });
    return redirectWithToast("/admin/exports", {
      key: created ? "exports:bulk.requestedToast" : "exports:bulk.alreadyToast",
    });
  } catch (error) {
    return answerRefusal(t, error, parsed.values, { communes: await communes() });
  }
}

/** A format's label key: i18next reads dots in keys as nesting ("google.xml" → "google_xml"). */
const formatKey = (format: string) => format.replace(/\./g, "_");

export default function AdminExports() {
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t, i18n } = useTranslation("exports");
  const lng = i18n.language;
  const values: FormValues = answer?.values ?? loaded.values;
  const errors: FormErrors = answer?.errors ?? {};
  const communes = answer?.communes ?? loaded.communes;
  const open = loaded.runs.some((run) => isOpenRun(run.status));
  useRefreshWhile(open);

  const size = (bytes: number) =>
    bytes < 1024 * 1024
      ? new Intl.NumberFormat(lng, { style: "unit", unit: "kilobyte", maximumFractionDigits: 1 }).format(bytes / 1024)
      : new Intl.NumberFormat(lng, { style: "unit", unit: "megabyte", maximumFractionDigits: 1 }).format(
          bytes / (1024 * 1024),
        );
  const reasonsText = (reasons: Record<string, number> | undefined) =>
    Object.entries(reasons ?? {})
      .filter(([, n]) => n > 0)
      .map(([code, n]) => {
        const known = (READINESS_CODES as readonly string[]).includes(code);
        return `${known ? t(`bulk.reasons.${code}`) : t("bulk.reasons.other")} (${formatNumber(n, lng)})`;
      })
      .join(", ");
  const failureText = (failure: string | undefined) =>
    failure && (BULK_FAILURES as readonly string[]).includes(failure)
      ? t(`bulk.failures.${failure as BulkFailure}`)
      : undefined;

  return (
    <main className="page stack admin-exports">
      <h1>{t("bulk.heading")}</h1>
      <p className="muted">{t("bulk.intro")}</p>
      <p>
        <Link to="/admin/exports/categories">{t("bulk.categoriesLink")}</Link>
      </p>

      <section className="stack" aria-labelledby="new-export-heading">
        <h2 id="new-export-heading">{t("bulk.form.heading")}</h2>
        {/* key: a province chosen without JavaScript re-renders the fields with their new defaults. */}
        <Form method="post" className="stack" noValidate key={values.provinceCode}>
          <FormError message={errors.form} />
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
          <SelectField
            name="format"
            label={t("bulk.form.format")}
            hint={t("bulk.form.formatHint")}
            error={errors.format}
            defaultValue={values.format}
            options={BULK_EXPORT_FORMATS.map((format) => ({
              value: format,
              label: t(`bulk.formats.${formatKey(format)}`),
            }))}
          />
          <button type="submit" className="btn btn-primary">
            {t("bulk.form.submit")}
          </button>
        </Form>
      </section>

      <section className="stack" aria-labelledby="history-heading">
        <h2 id="history-heading">{t("bulk.history.heading")}</h2>
        {open ? (
          <p className="muted" aria-live="polite">
            {t("bulk.history.refreshing")} <a href="/admin/exports">{t("bulk.history.refresh")}</a>
          </p>
        ) : null}
        {loaded.runs.length === 0 ? (
          <p className="muted">{t("bulk.history.empty")}</p>
        ) : (
          <ul className="list-plain stack">
            {loaded.runs.map((run) => {
              const status = run.status as BulkRunStatus;
              const failure = failureText(run.errors.failure);
              const lastFailure = failureText(run.errors.lastFailure);
              const reasons = reasonsText(run.errors.skippedByReason);
              return (
                <li key={run.id} className="card stack" data-run={run.id}>
                  <p>
                    <strong>
                      {t(`bulk.history.scope.${run.scopeKind}`, { name: run.scopeName ?? run.scopeCode })}
                    </strong>{" "}
                    · {t(`bulk.formats.${formatKey(run.format)}`)}
                  </p>
                  <p>
                    <span className="status-badge">{t(`bulk.statuses.${status}`)}</span>
                  </p>
                  {isOpenRun(status) && run.stallsTotal > 0 ? (
                    <progress max={run.stallsTotal} value={run.stallsDone}>
                      {run.stallsDone}/{run.stallsTotal}
                    </progress>
                  ) : null}
                  <ul className="list-plain tight">
                    <li>
                      {run.requestedByName
                        ? t("bulk.history.by", { name: run.requestedByName })
                        : t("bulk.history.byUnknown")}
                    </li>
                    <li className="muted">{t("bulk.history.when", { when: formatDateTime(run.createdAt, lng) })}</li>
                    <li>
                      {t("bulk.history.stalls", {
                        done: formatNumber(run.stallsDone, lng),
                        total: formatNumber(run.stallsTotal, lng),
                      })}
                    </li>
                    <li>{t("bulk.history.items", { written: formatNumber(run.itemsWritten, lng) })}</li>
                    {run.itemsSkipped > 0 ? (
                      <li>{t("bulk.history.skipped", { skipped: formatNumber(run.itemsSkipped, lng) })}</li>
                    ) : null}
                    {reasons ? <li className="muted">{t("bulk.history.reasons", { reasons })}</li> : null}
                    {run.attempts > 1 ? <li>{t("bulk.history.attempts", { count: run.attempts })}</li> : null}
                    {failure ? <li className="field-error">{failure}</li> : null}
                    {lastFailure && isOpenRun(status) ? (
                      <li className="muted">{t("bulk.lastFailure", { failure: lastFailure })}</li>
                    ) : null}
                    {run.fileBytes !== null && status === "done" ? (
                      <li>{t("bulk.history.size", { size: size(run.fileBytes) })}</li>
                    ) : null}
                    {run.downloadable && run.expiresAt ? (
                      <li className="muted">
                        {t("bulk.history.expires", { when: formatDateTime(run.expiresAt, lng) })}
                      </li>
                    ) : null}
                  </ul>
                  {run.downloadable ? (
                    <p>
                      {/* A file, not a page: the browser downloads it (Content-Disposition). */}
                      <a className="btn" href={`/admin/exports/${run.id}/download`} download>
                        {t("bulk.history.download")}
                      </a>
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </main>
  );
}

/** While a run is queued or running, asks the loader again every few seconds (the "Refresh" link without JavaScript). */
function useRefreshWhile(active: boolean) {
  const revalidator = useRevalidator();
  const latest = useRef(revalidator);
  latest.current = revalidator;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (latest.current.state === "idle") latest.current.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [active]);
}
