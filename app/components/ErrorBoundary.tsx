import { isRouteErrorResponse, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

const KIND_OF_STATUS: Record<number, string> = {
  400: "badRequest",
  401: "unauthorized",
  403: "forbidden",
  404: "notFound",
  413: "tooLarge",
  415: "unsupportedType",
  429: "tooMany",
};

/**
 * The one error page: 404, 403, the refusals of app/http (400, 413, 415, 429) and 500 with a translated
 * explanation and a way back. Used by root and by any route that wants its own.
 */
export function GeneralErrorBoundary({ error }: { error: unknown }) {
  const { t } = useTranslation("common");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const kind = KIND_OF_STATUS[status] ?? "server";
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
