import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormError } from "~/components/forms";
import { getT } from "~/i18n/index.server";
import { formatCode } from "~/orders";
import {
  importStatement,
  STATEMENT_MAX_BYTES,
  type ImportedLine,
  type StatementProblem,
} from "~/payments/index.server";
import { requireActingStall } from "~/stalls/index.server";
import { db } from "~/utils/db.server";
import { formatNumber, formatVnd } from "~/utils/format";
import { countHit, Refusal, isMultipart, withUploadForm } from "~/http/index.server";
import { pageTitle } from "~/utils/page-title";
import { useActingPath } from "~/utils/acting-paths";

export const handle = { i18n: ["common", "seller", "orders", "payments"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

const FILE_FIELD = "statement";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireActingStall(request);
  const t = await getT(request, "payments");
  return { title: pageTitle(t("statementImport.title")), maxMb: STATEMENT_MAX_BYTES / (1024 * 1024) };
}

type Line = Pick<
  ImportedLine,
  "row" | "date" | "amountDong" | "description" | "outcome" | "orderCode" | "expectedDong"
>;
type Answer =
  | { ok: true; matched: Line[]; unmatched: Line[]; unmatchedCount: number; creditLines: number }
  | { ok: false; error: string };

/**
 * The upload: a bank statement CSV (statement-import.server.ts says what is
 * read). The answer lists what matched and what did not; posting the same
 * file again changes nothing and says so line by line.
 */
export async function action({ request }: ActionFunctionArgs) {
  const { user, stall } = await requireActingStall(request);
  const t = await getT(request, "payments");
  const refuse = (problem: StatementProblem | "no_file" | "rate_limited", status = 400, headers?: HeadersInit) =>
    data<Answer>(
      { ok: false, error: t(`statementImport.problems.${problem}`, { max: STATEMENT_MAX_BYTES / (1024 * 1024) }) },
      { status, headers },
    );
  if (!isMultipart(request)) return refuse("no_file");
  const bytes = await withUploadForm(
    request,
    { fileField: FILE_FIELD, maxFiles: 1, maxFileBytes: STATEMENT_MAX_BYTES },
    async ({ files, problems }) => (problems.includes("too_large") ? "too_large" : ((await files[0]?.read()) ?? null)),
  );
  if (bytes === "too_large") return refuse("too_large", 413);
  if (!bytes) return refuse("no_file");
  const limited = await countHit("statementImport.stall", stall.id);
  if (!limited.allowed) return refuse("rate_limited", 429, new Refusal("tooMany", limited.retryAfterSeconds).headers);

  const result = await importStatement(db, { bytes, stallId: stall.id, actor: { role: "farmer", userId: user.id } });
  if (!result.ok) return refuse(result.problem);
  const slim = ({ row, date, amountDong, description, outcome, orderCode, expectedDong }: ImportedLine): Line => ({
    row,
    date,
    amountDong,
    description,
    outcome,
    orderCode,
    expectedDong,
  });
  return data<Answer>({
    ok: true,
    matched: result.matched.map(slim),
    unmatched: result.unmatched.map(slim),
    unmatchedCount: result.unmatchedCount,
    creditLines: result.creditLines,
  });
}

function LineItem({ line }: { line: Line }) {
  const { t, i18n } = useTranslation("payments");
  const to = useActingPath();
  const lng = i18n.language;
  return (
    <li className="statement-line">
      <span className="muted">
        {t("statementImport.row", { row: line.row })}
        {line.date ? ` · ${line.date}` : ""}
      </span>{" "}
      <strong>{line.amountDong !== null ? formatVnd(line.amountDong, lng) : "—"}</strong>
      <br />
      <span className="statement-memo">{line.description}</span>
      <br />
      {line.orderCode ? (
        <Link to={to(`/seller/orders/${line.orderCode}`)}>{formatCode(line.orderCode)}</Link>
      ) : null}{" "}
      {t(`statementImport.outcomes.${line.outcome}`, {
        expected: line.expectedDong !== undefined ? formatVnd(line.expectedDong, lng) : "",
      })}
    </li>
  );
}

export default function StatementImport() {
  const { maxMb } = useLoaderData<typeof loader>();
  const answer: Answer | undefined = useActionData<typeof action>();
  const { t, i18n } = useTranslation("payments");
  const to = useActingPath();
  const busy = useNavigation().state === "submitting";

  return (
    <main className="page stack">
      <h1>{t("statementImport.title")}</h1>
      <p>{t("statementImport.intro")}</p>
      <details>
        <summary>{t("statementImport.helpSummary")}</summary>
        <ul>
          <li>{t("statementImport.helpFormat")}</li>
          <li>{t("statementImport.helpColumns")}</li>
          <li>{t("statementImport.helpMatch")}</li>
        </ul>
      </details>

      <Form method="post" encType="multipart/form-data" className="card stack">
        {answer && !answer.ok ? <FormError message={answer.error} /> : null}
        <div className="field">
          <label htmlFor="f-statement">{t("statementImport.file")}</label>
          <input
            id="f-statement"
            name={FILE_FIELD}
            type="file"
            accept=".csv,text/csv,text/plain"
            required
            aria-describedby="f-statement-hint"
          />
          <p id="f-statement-hint" className="field-hint">
            {t("statementImport.fileHint", { max: maxMb })}
          </p>
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t("statementImport.importing") : t("statementImport.submit")}
        </button>
      </Form>

      {answer?.ok ? (
        <>
          <p role="status">
            {t("statementImport.summary", {
              credits: formatNumber(answer.creditLines, i18n.language),
              matched: formatNumber(answer.matched.length, i18n.language),
              unmatched: formatNumber(answer.unmatchedCount, i18n.language),
            })}
          </p>
          <section className="stack" aria-labelledby="matched-heading">
            <h2 id="matched-heading">{t("statementImport.matchedHeading")}</h2>
            {answer.matched.length > 0 ? (
              <ul className="statement-lines">
                {answer.matched.map((line) => (
                  <LineItem key={line.row} line={line} />
                ))}
              </ul>
            ) : (
              <p className="muted">{t("statementImport.noneMatched")}</p>
            )}
          </section>
          <section className="stack" aria-labelledby="unmatched-heading">
            <h2 id="unmatched-heading">{t("statementImport.unmatchedHeading")}</h2>
            {answer.unmatched.length > 0 ? (
              <ul className="statement-lines">
                {answer.unmatched.map((line) => (
                  <LineItem key={line.row} line={line} />
                ))}
              </ul>
            ) : (
              <p className="muted">{t("statementImport.noneUnmatched")}</p>
            )}
            {answer.unmatchedCount > answer.unmatched.length ? (
              <p className="muted">
                {t("statementImport.moreUnmatched", {
                  n: formatNumber(answer.unmatchedCount - answer.unmatched.length, i18n.language),
                })}
              </p>
            ) : null}
          </section>
        </>
      ) : null}
      <p>
        <Link to={to("/seller/orders")}>{t("statementImport.backToOrders")}</Link>
      </p>
    </main>
  );
}
