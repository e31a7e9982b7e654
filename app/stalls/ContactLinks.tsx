import { useTranslation } from "react-i18next";
import { formatPhone } from "~/utils/phone";
import { telHref, zaloHref } from "./storefront";

/** Call and Zalo buttons for the farmer's mobile; nothing when the household gave no number. */
export function ContactLinks({ phone }: { phone: string | null }) {
  const { t } = useTranslation("common");
  if (!phone) return null;
  const zalo = zaloHref(phone);
  return (
    <ul className="contact-links">
      <li>
        <a className="btn btn-primary" href={telHref(phone)}>
          {t("storefront.call", { phone: formatPhone(phone) })}
        </a>
      </li>
      {zalo ? (
        <li>
          <a className="btn btn-zalo" href={zalo} rel="noopener noreferrer">
            {t("storefront.zalo")}
          </a>
        </li>
      ) : null}
    </ul>
  );
}
