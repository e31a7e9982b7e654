/**
 * The seller dashboard's notice while Stripe keeps a stall's card payments
 * stopped (Stripe Connect): what happened, what buyers can still pay with,
 * whether the stall went off sale, and what to do — open Stripe (the farmer
 * only: the account is the household's) or turn on another way to get paid.
 * Takes the loader's `cardsNotice` (stripe/account-updates.server.ts).
 */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { CardsNotice } from "./stripe/account-updates.server";
import { useActingPath } from "~/utils/acting-paths";
import { formatDate } from "~/utils/format";

export function CardsStoppedNotice({ notice, canOpenStripe }: { notice: CardsNotice; canOpenStripe: boolean }) {
  const { t, i18n } = useTranslation("payments");
  const to = useActingPath();
  const methods = notice.stillOffered.map((m) => t(`cardsStopped.methods.${m}`)).join(", ");
  const hidden = notice.status === "unpublished";
  return (
    <section className="notice stack" aria-labelledby="cards-stopped-heading" data-cards-stopped>
      <h2 id="cards-stopped-heading">{t("cardsStopped.heading")}</h2>
      <p>{t("cardsStopped.since", { date: formatDate(notice.since, i18n.language) })}</p>
      {notice.stillOffered.length > 0 ? (
        <p>
          {t("cardsStopped.stillWorks", { methods })}
          {notice.status === "published" ? ` ${t("cardsStopped.stillOnSale")}` : null}
        </p>
      ) : (
        <p>
          {t("cardsStopped.nothingLeft")}
          {hidden ? ` ${t("cardsStopped.offSale")}` : null}
        </p>
      )}
      <p>{t(canOpenStripe ? "cardsStopped.whatToDo" : "cardsStopped.whatToDoOfficer")}</p>
      {hidden ? <p>{t("cardsStopped.thenPublish")}</p> : null}
      <div className="button-row">
        {canOpenStripe ? (
          // A resource route that redirects to Stripe: a full page load, not a client navigation.
          <a href={to(notice.links.openStripe)} className="btn btn-primary">
            {t("cardsStopped.openStripe")}
          </a>
        ) : null}
        <Link to={to(notice.links.paymentSettings)} className="btn">
          {t("cardsStopped.paymentSettings")}
        </Link>
      </div>
    </section>
  );
}
