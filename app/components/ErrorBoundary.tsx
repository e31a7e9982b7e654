import { isRouteErrorResponse, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * The one error page: 404, 403 and 500 (and anything else) with a translated
 * explanation and a way back. Used by root and by any route that wants its own.
 */
export function GeneralErrorBoundary({ error }: { error: unknown }) {
  const { t } = useTranslation("common");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const kind =
    status === 404
      ? "notFound"
      : status === 403
        ? "forbidden"
        : status === 401
          ? "unauthorized"
          : status === 429
            ? "tooMany"
            : "server";
  return (
    <main className="page stack error-page" aria-labelledby="error-title">
      <p className="error-code" aria-hidden="true">
        {status}
      </p>
      <h1 id="error-title">{t(`errors.${kind}.title`)}</h1>
      <p>{t(`errors.${kind}.body`)}</p>
      <p>
        <Link className="btn btn-primary" to="/">
          {t("errors.backHome")}
        </Link>
      </p>
    </main>
  );
}
