import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormError } from "~/components/forms";
import { isMultipart, withUploadForm } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import {
  applyDraft,
  checkRoster,
  correctDraftRow,
  coveredCommunes,
  createDraft,
  discardDraft,
  loadAppliedImport,
  loadDraft,
  mapCommuneName,
  readRoster,
  recentImports,
  requireOfficer,
  ROSTER_MAX_BYTES,
  ROSTER_MAX_ROWS,
  ROSTER_RETENTION_DAYS,
  type CheckedRow,
  type RosterColumn,
  type RosterFileProblem,
} from "~/officers/index.server";
import { db } from "~/utils/db.server";
import { formatDate, formatNumber } from "~/utils/format";
import { pageTitle } from "~/utils/page-title";

/**
 * /officer/import: a commune's roster → a preview → the roster (ADR 028).
 * Every step is a plain form post answered by a redirect, so it works
 * without JavaScript: the upload keeps the rows read as the officer's draft
 * (server-side, in roster_imports) and sends them to `?draft=<id>`; the
 * preview's forms map unknown commune names, correct a row, apply or discard
 * the draft; an applied import is shown at `?done=<id>` with its report.
 */
export const handle = { i18n: ["common", "officers", "roster"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

const FILE_FIELD = "roster";
const ERRORS_SHOWN = 100;
const READY_SHOWN = 20;

type PreviewRow = Pick<
  CheckedRow,
  "line" | "name" | "phone" | "commune" | "hamlet" | "errors" | "phoneProblem" | "firstLine"
>;
const slim = ({ line, name, phone, commune, hamlet, errors, phoneProblem, firstLine }: CheckedRow): PreviewRow => ({
  line,
  name,
  phone,
  commune,
  hamlet,
  errors,
  phoneProblem,
  firstLine,
});

export async function loader({ request }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request);
  const t = await getT(request, "roster");
  const url = new URL(request.url);
  const covered = await coveredCommunes(db, officer.id);
  const names = new Map(covered.map((c) => [c.code, c.fullName]));

  const draftId = url.searchParams.get("draft");
  const draft = draftId ? await loadDraft(db, officer.id, draftId) : null;
  let preview = null;
  if (draft) {
    const check = await checkRoster(db, officer.id, draft.rows);
    const bad = check.rows.filter((r) => r.errors.length > 0);
    const good = check.rows.filter((r) => r.errors.length === 0);
    preview = {
      id: draft.id,
      fileName: draft.fileName,
      total: check.rows.length,
      ready: check.ready,
      withErrors: check.withErrors,
      unknown: check.unknown.map(({ nameKey, districtKey, name, district, rows, suggestions }) => ({
        nameKey,
        districtKey,
        name,
        district,
        rows,
        suggestions,
      })),
      errorRows: bad.slice(0, ERRORS_SHOWN).map(slim),
      moreErrors: Math.max(0, bad.length - ERRORS_SHOWN),
      readyRows: good
        .slice(0, READY_SHOWN)
        .map((r) => ({ ...slim(r), communeName: names.get(r.communeCode!) ?? r.commune })),
      moreReady: Math.max(0, good.length - READY_SHOWN),
    };
  }
  const doneId = url.searchParams.get("done");
  const applied = doneId ? await loadAppliedImport(db, officer.id, doneId) : null;
  const done = applied
    ? {
        id: applied.id,
        fileName: applied.fileName,
        imported: applied.rowsImported,
        skipped: applied.rowsTotal - applied.rowsImported,
      }
    : null;
  return {
    title: pageTitle(t("title")),
    maxMb: ROSTER_MAX_BYTES / (1024 * 1024),
    maxRows: ROSTER_MAX_ROWS,
    retentionMonths: Math.round(ROSTER_RETENTION_DAYS / 30.4),
    communes: covered.map((c) => c.fullName),
    preview,
    done,
    gone: (draftId !== null && !draft) || (doneId !== null && !applied),
    recent: await recentImports(db, officer.id),
  };
}

type Answer = { error: string };

export async function action({ request }: ActionFunctionArgs) {
  const officer = await requireOfficer(request);
  const t = await getT(request, ["roster"]);
  const refuse = (message: string, status = 400) => data<Answer>({ error: message }, { status });
  const problem = (p: RosterFileProblem | "no_file", missing: RosterColumn[] = []) =>
    t(`problems.${p}`, {
      max: p === "too_many_rows" ? formatNumber(ROSTER_MAX_ROWS) : ROSTER_MAX_BYTES / (1024 * 1024),
      columns: missing.map((c) => t(`columns.${c}`)).join(", "),
    });

  if (isMultipart(request)) {
    const upload = await withUploadForm(
      request,
      { fileField: FILE_FIELD, maxFiles: 1, maxFileBytes: ROSTER_MAX_BYTES },
      async ({ files, problems }) => {
        if (problems.includes("too_large")) return "too_large" as const;
        const file = files[0];
        return file ? { bytes: await file.read(), name: file.name } : null;
      },
    );
    if (upload === "too_large") return refuse(problem("too_large"), 413);
    if (!upload) return refuse(problem("no_file"));
    if ((await coveredCommunes(db, officer.id)).length === 0) return refuse(t("noCommunes"), 403);
    const read = await readRoster(upload.bytes);
    if (!read.ok) return refuse(problem(read.problem, read.missing));
    const id = await createDraft(db, officer.id, { fileName: upload.name, format: read.format, rows: read.rows });
    return redirect(`/officer/import?draft=${id}`);
  }

  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const draftId = String(form.get("draft") ?? "");
  const back = redirect(`/officer/import?draft=${encodeURIComponent(draftId)}`);
  if (!(await loadDraft(db, officer.id, draftId))) return refuse(t("problems.not_found"), 404);

  if (intent === "map") {
    let chosen = 0;
    for (let i = 0; form.has(`map.${i}.name`); i++) {
      const communeCode = String(form.get(`map.${i}.code`) ?? "");
      if (!communeCode) continue;
      const mapped = await mapCommuneName(db, officer.id, {
        nameKey: String(form.get(`map.${i}.name`)),
        districtKey: String(form.get(`map.${i}.district`) ?? ""),
        communeCode,
      });
      if (!mapped.ok)
        return refuse(t(`problems.${mapped.problem === "not_covered" ? "not_covered" : "not_found"}`), 403);
      chosen++;
    }
    return chosen > 0 ? back : refuse(t("problems.choose_commune"));
  }
  if (intent === "fix") {
    const field = (name: string) => (form.has(name) ? String(form.get(name)) : undefined);
    await correctDraftRow(db, officer.id, draftId, Number(form.get("line")), {
      name: field("name"),
      phone: field("phone"),
      commune: field("commune"),
    });
    return back;
  }
  if (intent === "apply") {
    const applied = await applyDraft(db, officer.id, draftId);
    if (!applied.ok) return refuse(t(`problems.${applied.problem}`), applied.problem === "not_found" ? 404 : 400);
    return redirect(`/officer/import?done=${applied.importId}`);
  }
  if (intent === "discard") {
    await discardDraft(db, officer.id, draftId);
    return redirect("/officer/import");
  }
  return refuse(t("problems.not_found"));
}

function RowErrors({ row }: { row: PreviewRow }) {
  const { t } = useTranslation("roster");
  return (
    <span className="field-error">
      {row.errors
        .map((e) =>
          e === "bad_phone" && row.phoneProblem
            ? `${t("errors.bad_phone")} (${t(`phone.${row.phoneProblem}`)})`
            : t(`errors.${e}`, { line: row.firstLine }),
        )
        .join("; ")}
    </span>
  );
}

function Preview({ preview }: { preview: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["preview"]> }) {
  const { t, i18n } = useTranslation("roster");
  const lng = i18n.language;
  const busy = useNavigation().state === "submitting";
  const n = (value: number) => formatNumber(value, lng);
  return (
    <section className="stack" aria-labelledby="preview-heading">
      <h2 id="preview-heading">{t("preview.heading", { file: preview.fileName })}</h2>
      <p role="status">
        {t("preview.counts", { total: n(preview.total), ready: n(preview.ready), errors: n(preview.withErrors) })}
      </p>

      {preview.unknown.length > 0 ? (
        <Form method="post" className="card stack" aria-labelledby="map-heading">
          <h3 id="map-heading">{t("preview.mapHeading")}</h3>
          <p>{t("preview.mapIntro")}</p>
          <input type="hidden" name="intent" value="map" />
          <input type="hidden" name="draft" value={preview.id} />
          {preview.unknown.map((u, i) => (
            <div className="field" key={`${u.nameKey}|${u.districtKey}`}>
              <label htmlFor={`map-${i}`}>
                {t("preview.mapName", { name: u.name })}
                {u.district ? ` ${t("preview.mapDistrict", { district: u.district })}` : ""} ·{" "}
                {t("preview.mapRows", { n: n(u.rows) })}
              </label>
              <input type="hidden" name={`map.${i}.name`} value={u.nameKey} />
              <input type="hidden" name={`map.${i}.district`} value={u.districtKey} />
              <select id={`map-${i}`} name={`map.${i}.code`} defaultValue="">
                <option value="">{t("preview.mapChoose")}</option>
                {u.suggestions.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.fullName}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <button type="submit" className="btn">
            {t("preview.mapSubmit")}
          </button>
        </Form>
      ) : null}

      {preview.errorRows.length > 0 ? (
        <section className="stack" aria-labelledby="errors-heading">
          <h3 id="errors-heading">{t("preview.errorsHeading")}</h3>
          <p>{t("preview.errorsIntro")}</p>
          <ul className="stack">
            {preview.errorRows.map((row) => (
              <li key={row.line} className="card">
                <Form method="post" className="stack">
                  <input type="hidden" name="intent" value="fix" />
                  <input type="hidden" name="draft" value={preview.id} />
                  <input type="hidden" name="line" value={row.line} />
                  <p>
                    <strong>{t("preview.line", { line: row.line })}</strong> · {row.name || t("preview.noName")} ·{" "}
                    <RowErrors row={row} />
                  </p>
                  <div className="field">
                    <label htmlFor={`name-${row.line}`}>{t("columns.name")}</label>
                    <input id={`name-${row.line}`} name="name" defaultValue={row.name} maxLength={100} />
                  </div>
                  <div className="field">
                    <label htmlFor={`phone-${row.line}`}>{t("columns.phone")}</label>
                    <input
                      id={`phone-${row.line}`}
                      name="phone"
                      type="tel"
                      inputMode="tel"
                      defaultValue={row.phone}
                      maxLength={30}
                    />
                  </div>
                  <div className="field">
                    <label htmlFor={`commune-${row.line}`}>{t("columns.commune")}</label>
                    <input id={`commune-${row.line}`} name="commune" defaultValue={row.commune} maxLength={100} />
                  </div>
                  <button type="submit" className="btn">
                    {t("preview.fixSubmit", { line: row.line })}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
          {preview.moreErrors > 0 ? (
            <p className="muted">{t("preview.moreErrors", { n: n(preview.moreErrors) })}</p>
          ) : null}
        </section>
      ) : null}

      {preview.readyRows.length > 0 ? (
        <section className="stack" aria-labelledby="ready-heading">
          <h3 id="ready-heading">{t("preview.readyHeading")}</h3>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t("columns.name")}</th>
                <th scope="col">{t("columns.phone")}</th>
                <th scope="col">{t("columns.commune")}</th>
                <th scope="col">{t("columns.hamlet")}</th>
              </tr>
            </thead>
            <tbody>
              {preview.readyRows.map((row) => (
                <tr key={row.line}>
                  <td>{row.line}</td>
                  <td>{row.name}</td>
                  <td>{row.phone}</td>
                  <td>{row.communeName}</td>
                  <td>{row.hamlet}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.moreReady > 0 ? (
            <p className="muted">{t("preview.moreReady", { n: n(preview.moreReady) })}</p>
          ) : null}
        </section>
      ) : null}

      <Form method="post" className="card stack">
        <input type="hidden" name="draft" value={preview.id} />
        <p>{t("preview.applyNote")}</p>
        <button
          type="submit"
          name="intent"
          value="apply"
          className="btn btn-primary"
          disabled={busy || preview.ready === 0}
        >
          {busy ? t("preview.applying") : t("preview.apply", { n: n(preview.ready) })}
        </button>
        <button type="submit" name="intent" value="discard" className="btn">
          {t("preview.discard")}
        </button>
      </Form>
    </section>
  );
}

export default function RosterImport() {
  const { maxMb, maxRows, retentionMonths, communes, preview, done, gone, recent } = useLoaderData<typeof loader>();
  const answer: Answer | undefined = useActionData<typeof action>();
  const { t, i18n } = useTranslation("roster");
  const lng = i18n.language;
  const busy = useNavigation().state === "submitting";

  return (
    <main className="page stack">
      <h1>{t("title")}</h1>
      {answer ? <FormError message={answer.error} /> : null}
      {gone ? <FormError message={t("problems.not_found")} id="gone" /> : null}

      {done ? (
        <section className="card stack" aria-labelledby="done-heading">
          <h2 id="done-heading">{t("done.heading")}</h2>
          <p role="status">
            {t("done.summary", {
              imported: formatNumber(done.imported, lng),
              skipped: formatNumber(done.skipped, lng),
              file: done.fileName,
            })}
          </p>
          <p>
            {/* A file, not a page: the browser downloads it. */}
            <a href={`/officer/import/${done.id}.csv`} download>
              {t("done.download")}
            </a>
          </p>
          <p>
            <Link to="/officer/import">{t("done.again")}</Link>
          </p>
        </section>
      ) : null}

      {preview ? (
        <Preview preview={preview} />
      ) : done ? null : (
        <>
          <p>{t("intro")}</p>
          <details>
            <summary>{t("help.summary")}</summary>
            <ul>
              <li>{t("help.format")}</li>
              <li>{t("help.columns")}</li>
              <li>{t("help.communes")}</li>
              <li>{t("help.retention", { months: retentionMonths })}</li>
            </ul>
          </details>
          {communes.length === 0 ? (
            <p className="muted">{t("noCommunes")}</p>
          ) : (
            <>
              <p className="muted">{t("yourCommunes", { communes: communes.join(", ") })}</p>
              <Form method="post" encType="multipart/form-data" className="card stack">
                <div className="field">
                  <label htmlFor="f-roster">{t("file")}</label>
                  <input
                    id="f-roster"
                    name={FILE_FIELD}
                    type="file"
                    accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    required
                    aria-describedby="f-roster-hint"
                  />
                  <p id="f-roster-hint" className="field-hint">
                    {t("fileHint", { max: maxMb, rows: formatNumber(maxRows, lng) })}
                  </p>
                </div>
                <button type="submit" className="btn btn-primary" disabled={busy}>
                  {busy ? t("uploading") : t("submit")}
                </button>
              </Form>
            </>
          )}
        </>
      )}

      {recent.length > 0 ? (
        <section className="stack" aria-labelledby="recent-heading">
          <h2 id="recent-heading">{t("recent.heading")}</h2>
          <ul>
            {recent.map((r) => (
              <li key={r.id}>
                {t("recent.item", {
                  date: formatDate(r.createdAt, lng),
                  file: r.fileName,
                  imported: formatNumber(r.rowsImported, lng),
                  total: formatNumber(r.rowsTotal, lng),
                })}{" "}
                · <a href={`/officer/import/${r.id}.csv`}>{t("recent.download")}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}
