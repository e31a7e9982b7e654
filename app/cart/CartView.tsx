/**
 * The cart page's contents (/cart): what changed since the items were added,
 * each stall's lines (a quantity to change, a line to remove: plain forms that
 * work without JavaScript), and the total with the way to checkout.
 */
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { CartLine, CartView as Cart } from "./cart.server";
import { problemText } from "~/orders";
import { formatVnd } from "~/utils/format";

/** A refused change: the line it was about and what was typed there. */
export interface RefusedLine {
  listingId: string;
  quantity: string;
}

export function CartView({ view, refused }: { view: Cart; refused?: RefusedLine }) {
  const { t, i18n } = useTranslation(["orders", "listings"]);
  const lng = i18n.language;
  const changes = view.stalls.flatMap((g) => g.lines.flatMap((l) => l.problems));

  if (view.stalls.length === 0) {
    return (
      <div className="card stack cart-empty">
        <p>{t("cartPage.empty")}</p>
        <Link to="/search" className="btn btn-primary btn-block">
          {t("cartPage.emptyLink")}
        </Link>
      </div>
    );
  }
  return (
    <>
      {changes.length > 0 ? (
        <section className="cart-changes stack tight" aria-labelledby="cart-changes">
          <h2 id="cart-changes">{t("cartPage.changesHeading")}</h2>
          <ul>
            {changes.map((p) => (
              <li key={`${p.listingId}-${p.problem}`}>{problemText(t, p, lng)}</li>
            ))}
          </ul>
        </section>
      ) : null}

      {view.stalls.map((group) => (
        <section key={group.stall.id} className="card stack cart-stall" aria-labelledby={`stall-${group.stall.id}`}>
          <h2 id={`stall-${group.stall.id}`}>
            <Link to={`/s/${group.stall.slug}`}>{group.stall.name}</Link>
          </h2>
          <ul className="list-plain cart-lines">
            {group.lines.map((line) => (
              <CartLineRow
                key={line.listingId}
                line={line}
                stallSlug={group.stall.slug}
                refused={refused?.listingId === line.listingId ? refused : undefined}
              />
            ))}
          </ul>
          <p className="cart-stall__subtotal">
            {t("cartPage.stallSubtotal", { total: formatVnd(group.subtotalDong, lng) })}
          </p>
        </section>
      ))}

      <div className="card stack cart-summary">
        <p className="cart-summary__total">{t("cartPage.total", { total: formatVnd(view.subtotalDong, lng) })}</p>
        <p className="muted">{t("cartPage.feesLater")}</p>
        {view.blocked ? (
          <p className="cart-blocked">{t("cartPage.blocked")}</p>
        ) : (
          <Link to="/checkout" className="btn btn-primary btn-block">
            {t("cartPage.checkout")}
          </Link>
        )}
        <Link to="/search" className="btn btn-block">
          {t("cartPage.continue")}
        </Link>
      </div>
    </>
  );
}

function CartLineRow({ line, stallSlug, refused }: { line: CartLine; stallSlug: string; refused?: RefusedLine }) {
  const { t, i18n } = useTranslation(["orders", "listings"]);
  const lng = i18n.language;
  const unit = t(`listings:units.${line.unit}`);
  const qtyId = `qty-${line.listingId}`;
  const notices = line.problems.map((p) =>
    p.problem === "price_changed"
      ? t("cart.priceChanged", { old: formatVnd(line.priceAtAddDong, lng), new: formatVnd(line.priceDong, lng) })
      : problemText(t, p, lng),
  );
  return (
    <li className={notices.length > 0 ? "cart-line cart-line--changed" : "cart-line"}>
      <div className="cart-line__head">
        <Link to={`/s/${stallSlug}/${line.slug}`} className="cart-line__title">
          {line.title}
        </Link>
        <span>{t("cartPage.unitPrice", { price: formatVnd(line.priceDong, lng), unit })}</span>
      </div>
      {notices.length > 0 ? (
        <ul className="cart-line__notices" id={`${qtyId}-notices`}>
          {notices.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      <Form method="post" className="cart-line__form" noValidate>
        <input type="hidden" name="listingId" value={line.listingId} />
        <div className="field">
          <label htmlFor={qtyId}>
            {t("cartPage.quantity", { unit })}
            <span className="visually-hidden"> – {line.title}</span>
          </label>
          <input
            id={qtyId}
            name="quantity"
            type="number"
            inputMode="numeric"
            min={line.minOrderQty}
            max={line.left ?? undefined}
            step={1}
            // key: after a refused change the box shows what was typed; after a save, the saved amount.
            key={refused ? `typed-${refused.quantity}` : `saved-${line.qty}`}
            defaultValue={refused ? refused.quantity : line.qty}
            aria-invalid={refused ? true : undefined}
            aria-describedby={[
              refused ? "cart-error" : "",
              notices.length > 0 ? `${qtyId}-notices` : "",
              `${qtyId}-hint`,
            ]
              .filter(Boolean)
              .join(" ")}
          />
          <p id={`${qtyId}-hint`} className="field-hint">
            {t("cartPage.minHint", { min: line.minOrderQty, unit })}
            {line.left !== null ? ` · ${t("cartPage.leftHint", { left: line.left, unit })}` : ""}
          </p>
        </div>
        <div className="button-row">
          <button type="submit" name="intent" value="set" className="btn btn-small">
            {t("cartPage.update")}
            <span className="visually-hidden"> – {line.title}</span>
          </button>
          <button type="submit" name="intent" value="remove" className="btn btn-small btn-link" formNoValidate>
            {t("cartPage.remove")}
            <span className="visually-hidden"> – {line.title}</span>
          </button>
        </div>
      </Form>
      <p className="cart-line__total">{t("cartPage.lineTotal", { total: formatVnd(line.lineTotalDong, lng) })}</p>
    </li>
  );
}
