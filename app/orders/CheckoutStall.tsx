/**
 * One stall's part of the checkout form: its items (with the price shown, which
 * placeCheckout compares with today's), how the order reaches the buyer, how it
 * is paid, and a note to the farmer.
 */
import { useTranslation } from "react-i18next";
import type { DeliveryOption } from "./delivery";
import type { ItemProblem } from "./errors";
import { problemText } from "./problem-text";
import type { PaymentMethod } from "#db/schema";
import { TextareaField } from "~/components/forms";
import { formatVnd } from "~/utils/format";

/** A stall of the cart as the checkout shows it. */
export interface CheckoutStallGroup {
  stall: { id: string; name: string; pickupAddress: string; pickupHours: string };
  lines: { listingId: string; title: string; qty: number; unit: string; priceDong: number; problems: ItemProblem[] }[];
  subtotalDong: number;
  deliveryOptions: DeliveryOption[];
}

export function CheckoutStall({
  group,
  chosen,
  note,
  methods,
  chosenMethod,
  paymentRefused,
  communeKnown,
  errors,
  refused,
  noteMax,
  lng,
}: {
  group: CheckoutStallGroup;
  chosen: string | undefined;
  note: string;
  methods: PaymentMethod[];
  chosenMethod: string | undefined;
  paymentRefused: string | null;
  communeKnown: boolean;
  errors: Record<string, string | undefined>;
  refused: boolean;
  noteMax: number;
  lng: string;
}) {
  const { t } = useTranslation(["orders", "listings"]);
  const id = group.stall.id;
  // Local delivery is greyed out only once a commune it does not reach is chosen; before that the domain checks.
  const selectable = group.deliveryOptions.filter((o) => o.available || (o.method === "local" && !communeKnown));
  const checked = chosen && selectable.some((o) => o.method === chosen) ? chosen : selectable[0]?.method;
  const deliveryError = errors[`delivery.${id}`] ?? (refused ? t("errors.delivery_unavailable") : undefined);
  // Cash on delivery first when offered (the order offeredPaymentMethods gives).
  const method = chosenMethod && methods.includes(chosenMethod as PaymentMethod) ? chosenMethod : methods[0];
  return (
    <section className="card stack checkout-stall" aria-labelledby={`stall-${id}`}>
      <h2 id={`stall-${id}`}>{t("checkoutPage.stallHeading", { stall: group.stall.name })}</h2>
      <ul className="list-plain checkout-items">
        {group.lines.map((line) => (
          <li key={line.listingId}>
            {t("checkoutPage.itemLine", {
              title: line.title,
              qty: line.qty,
              unit: t(`listings:units.${line.unit}`),
              price: formatVnd(line.priceDong, lng),
            })}
            {line.problems.length > 0 ? (
              <ul className="cart-line__notices">
                {line.problems.map((p) => (
                  <li key={p.problem}>{problemText(t, p, lng)}</li>
                ))}
              </ul>
            ) : null}
            {/* The price shown, compared by the domain with today's: never charged from here. */}
            <input type="hidden" name={`price.${line.listingId}`} value={line.priceDong} />
          </li>
        ))}
      </ul>
      <p>{t("checkoutPage.stallSubtotal", { total: formatVnd(group.subtotalDong, lng) })}</p>
      {methods.length === 0 ? <p className="cart-blocked">{t("checkoutPage.noPaymentMethod")}</p> : null}
      <fieldset
        className="option-group stack tight"
        aria-invalid={deliveryError ? true : undefined}
        aria-describedby={deliveryError ? `delivery-${id}-error` : undefined}
      >
        <legend>{t("checkoutPage.deliveryLegend")}</legend>
        {group.deliveryOptions.map((option) => {
          const enabled = selectable.includes(option);
          return (
            <div key={option.method}>
              <label className="choice">
                <input
                  type="radio"
                  name={`delivery.${id}`}
                  value={option.method}
                  defaultChecked={option.method === checked}
                  disabled={!enabled}
                />
                {t("checkoutPage.optionLabel", {
                  method: t(`delivery.${option.method}`),
                  fee: option.feeDong === 0 ? t("checkoutPage.free") : formatVnd(option.feeDong, lng),
                })}
              </label>
              {option.method === "pickup" && group.stall.pickupAddress ? (
                <p className="field-hint">
                  {t("checkoutPage.pickupAt", { address: group.stall.pickupAddress })}
                  {group.stall.pickupHours
                    ? ` · ${t("checkoutPage.pickupHours", { hours: group.stall.pickupHours })}`
                    : ""}
                </p>
              ) : null}
              {option.method === "local" ? (
                <p className="field-hint">{enabled ? t("checkoutPage.localOnly") : t("checkoutPage.localNotHere")}</p>
              ) : null}
            </div>
          );
        })}
        {deliveryError ? (
          <p id={`delivery-${id}-error`} className="field-error">
            {deliveryError}
          </p>
        ) : null}
      </fieldset>
      {methods.length > 0 ? (
        <fieldset
          className="option-group stack tight"
          aria-invalid={paymentRefused ? true : undefined}
          aria-describedby={paymentRefused ? `payment-${id}-error` : undefined}
        >
          <legend>{t("checkoutPage.paymentLegend")}</legend>
          {methods.map((m) => (
            <div key={m}>
              <label className="choice">
                <input
                  type="radio"
                  name={`payment.${id}`}
                  value={m}
                  defaultChecked={m === method}
                  aria-describedby={`payment-${id}-${m}-hint`}
                />
                {t(`payment.${m}`)}
              </label>
              <p className="field-hint" id={`payment-${id}-${m}-hint`}>
                {t(`checkoutPage.methodHints.${m}`)}
              </p>
            </div>
          ))}
          {paymentRefused ? (
            <p id={`payment-${id}-error`} className="field-error">
              {paymentRefused}
            </p>
          ) : null}
        </fieldset>
      ) : null}
      <TextareaField
        id={`note-${id}`}
        name={`note.${id}`}
        label={t("checkoutPage.note")}
        error={errors[`note.${id}`]}
        defaultValue={note}
        maxLength={noteMax}
        rows={2}
      />
    </section>
  );
}
