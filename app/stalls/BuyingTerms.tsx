import { useTranslation } from "react-i18next";
import { formatVnd } from "~/utils/format";
import type { PublicStall } from "./stalls.server";

/** "Nhận tại vườn: …", "Giao trong …: phí …", "Thanh toán: tiền mặt khi nhận hàng, …". */
export function BuyingTerms({ stall }: { stall: Pick<PublicStall, "delivery" | "payments" | "communeName"> }) {
  const { t, i18n } = useTranslation("common");
  const money = (dong: number) => formatVnd(dong, i18n.language);
  const { pickup, local, shipping } = stall.delivery;
  const delivery = [
    pickup
      ? t("storefront.pickup", {
          place: [pickup.address || stall.communeName, pickup.hours].filter(Boolean).join(", "),
        })
      : null,
    local
      ? t(local.feeDong > 0 ? "storefront.local" : "storefront.localFree", {
          communes: local.communes.length > 0 ? local.communes.join(", ") : stall.communeName,
          fee: money(local.feeDong),
        })
      : null,
    shipping
      ? shipping.feeDong > 0
        ? t(`storefront.shipping.${shipping.feeMode}`, { fee: money(shipping.feeDong) })
        : t("storefront.shipping.free")
      : null,
  ].filter((line): line is string => line !== null);
  const payments = [
    stall.payments.cod ? t("storefront.payments.cod") : null,
    stall.payments.vietqr ? t("storefront.payments.vietqr") : null,
  ].filter(Boolean);
  return (
    <ul className="list-plain buying-terms">
      {delivery.map((line) => (
        <li key={line}>{line}</li>
      ))}
      {payments.length > 0 ? <li>{t("storefront.payments.summary", { methods: payments.join(", ") })}</li> : null}
    </ul>
  );
}
