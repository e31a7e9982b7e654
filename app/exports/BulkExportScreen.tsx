import { useEffect, useRef, type ReactNode } from "react";
import { Form, useRevalidator } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BULK_EXPORT_FORMATS, BULK_FAILURES, isOpenRun, type BulkFailure, type BulkRunStatus } from "./bulk";
import type { BulkExportRow } from "./bulk.server";
import { READINESS_CODES } from "./readiness";
import { FormError, SelectField } from "~/components/forms";
import { formatDateTime, formatNumber } from "~/utils/format";
import type { FormErrors } from "~/utils/forms";

/** How often the page asks again while a run is queued or running. */
const REFRESH_MS = 2000;

/** A format's label key: i18next reads dots in keys as nesting ("google.xml" → "google_xml"). */
const formatKey = (format: string) => format.replace(/\./g, "_");

/** A run as the history shows it (dates as the loader's JSON has them). */
export type BulkRunView = Omit<BulkExportRow, "createdAt" | "finishedAt" | "expiresAt" | "scopeKind" | "status"> & {
  scopeKind: string;
  status: string;
  createdAt: string | Date;
  finishedAt: string | Date | null;
  expiresAt: string | Date | null;
};

export interface BulkExportScreenProps {
  /** The screen's own path (the form posts to the page itself): the Refresh link, downloads at `<home>/<runId>/download`. */
  home: string;
  /** The runs this person may see, newest first. */
  runs: BulkRunView[];
  /** The format chosen and the form's messages. */
  format: string;
  errors: FormErrors;
  /** The intro under the heading (who may export what). */
  intro: ReactNode;
  /** Links under the intro (the admins' category mapping). */
  links?: ReactNode;
  /** The scope fields: the admins' province and commune picker, an officer's communes. */
  scope: ReactNode;
  /** Remounts the form (new defaults after a round trip without JavaScript). */
  formKey?: string;
}

/**
 * The bulk export screen: a form (the caller's scope fields, a format) and
 * the history of runs with their progress and downloads; it refreshes itself
 * while a run is under way. Admins and officers see the same screen.
 */
export function BulkExportScreen({ home, runs, format, errors, intro, links, scope, formKey }: BulkExportScreenProps) {
  const { t, i18n } = useTranslation("exports");
  const lng = i18n.language;
  const open = runs.some((run) => isOpenRun(run.status as BulkRunStatus));
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
      <p className="muted">{intro}</p>
      {links}

      <section className="stack" aria-labelledby="new-export-heading">
        <h2 id="new-export-heading">{t("bulk.form.heading")}</h2>
        <Form method="post" className="stack" noValidate key={formKey}>
          <FormError message={errors.form} />
          {scope}
          <SelectField
            name="format"
            label={t("bulk.form.format")}
            hint={t("bulk.form.formatHint")}
            error={errors.format}
            defaultValue={format}
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
            {t("bulk.history.refreshing")} <a href={home}>{t("bulk.history.refresh")}</a>
          </p>
        ) : null}
        {runs.length === 0 ? (
          <p className="muted">{t("bulk.history.empty")}</p>
        ) : (
          <ul className="list-plain stack">
            {runs.map((run) => {
              const status = run.status as BulkRunStatus;
              const kind = run.scopeKind === "province" ? "province" : "commune";
              const failure = failureText(run.errors.failure);
              const lastFailure = failureText(run.errors.lastFailure);
              const reasons = reasonsText(run.errors.skippedByReason);
              return (
                <li key={run.id} className="card stack" data-run={run.id}>
                  <p>
                    <strong>{t(`bulk.history.scope.${kind}`, { name: run.scopeName ?? run.scopeCode })}</strong> ·{" "}
                    {t(`bulk.formats.${formatKey(run.format)}`)}
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
                      <a className="btn" href={`${home}/${run.id}/download`} download>
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
