import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUser } from "~/auth/index.server";
import {
  cartOwner,
  findRequestCart,
  serializeCartToken,
  addToCart,
  cartView,
  getOrCreateCart,
  removeItem,
  setQuantity,
  type CartLine,
} from "~/cart/index.server";
import { problemText } from "~/cart";
import { getLocale, getT } from "~/i18n/index.server";
import { OrderError, type ItemProblem } from "~/orders";
import { db } from "~/utils/db.server";
import { formatVnd } from "~/utils/format";

export const handle = { i18n: ["common", "orders", "listings"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

/** The buyer's cart: /cart. Anyone may have one; an anonymous one lives in the ghs_cart cookie. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const [t, cart] = await Promise.all([getT(request, ["orders", "common"]), findRequestCart(request, user)]);
  return data(
    { title: `${t("cartPage.title")} · Gian Hàng Số`, view: await cartView(db, cart?.id) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

/** "3" → 3; anything else (empty, "2.5", "-1", "abc") → NaN, which the domain refuses with a message. */
function quantityOf(value: FormDataEntryValue | null): number {
  const raw = typeof value === "string" ? value.trim() : "";
  return /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
}

/**
 * intent=add (the product page's form: listingId, quantity), intent=set
 * (listingId, quantity) and intent=remove (listingId). A refusal re-renders
 * the cart with the reason and changes nothing; success goes back to /cart.
 */
export async function action({ request }: ActionFunctionArgs) {
  const [user, lng, t, form] = await Promise.all([
    getUser(request),
    getLocale(request),
    getT(request, ["orders", "common"]),
    request.formData(),
  ]);
  const intent = form.get("intent");
  const listingId = String(form.get("listingId") ?? "");
  const quantity = String(form.get("quantity") ?? "");
  const qty = quantityOf(quantity);
  const headers = new Headers();
  try {
    if (intent === "add") {
      const owner = await cartOwner(request, user);
      // One transaction: a refused first add leaves no empty cart (and sets no cookie).
      const token = await db.transaction(async (tx) => {
        const { cart, token: created } = await getOrCreateCart(tx, owner);
        await addToCart(tx, { cartId: cart.id, listingId, qty });
        return created ?? ("token" in owner ? owner.token : null);
      });
      if (token) headers.append("Set-Cookie", await serializeCartToken(token));
    } else if (intent === "set" || intent === "remove") {
      const cart = await findRequestCart(request, user);
      if (!cart) throw new OrderError("not_found");
      if (intent === "set") await setQuantity(db, { cartId: cart.id, listingId, qty });
      else await removeItem(db, { cartId: cart.id, listingId });
    } else {
      throw new OrderError("invalid_input");
    }
  } catch (error) {
    if (!(error instanceof OrderError)) throw error;
    const cart = await findRequestCart(request, user);
    return data(
      {
        error: {
          listingId,
          quantity,
          message: t(error.messageKey),
          items: error.items.map((p: ItemProblem) => problemText(t, p, lng)),
          fields: Object.values(error.fields).map((key) => t(key)),
        },
        view: await cartView(db, cart?.id),
      },
      { status: error.httpStatus, headers: { "Cache-Control": "private, no-store" } },
    );
  }
  return redirect("/cart", { headers });
}

export default function CartPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation(["orders", "listings"]);
  const lng = i18n.language;
  const view = actionData?.view ?? loaded.view;
  const error = actionData?.error;
  const changes = view.stalls.flatMap((g) => g.lines.flatMap((l) => l.problems));

  return (
    <main className="page stack cart-page">
      <h1>{t("cartPage.title")}</h1>
      {error ? (
        <div className="form-error stack tight" role="alert" id="cart-error">
          <p>{error.message}</p>
          {[...error.items, ...error.fields].length > 0 ? (
            <ul>
              {[...error.items, ...error.fields].map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {view.stalls.length === 0 ? (
        <div className="card stack cart-empty">
          <p>{t("cartPage.empty")}</p>
          <Link to="/search" className="btn btn-primary btn-block">
            {t("cartPage.emptyLink")}
          </Link>
        </div>
      ) : (
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
                    error={error?.listingId === line.listingId ? error : undefined}
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
      )}
    </main>
  );
}

function CartLineRow({ line, stallSlug, error }: { line: CartLine; stallSlug: string; error?: { quantity: string } }) {
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
            key={error ? `typed-${error.quantity}` : `saved-${line.qty}`}
            defaultValue={error ? error.quantity : line.qty}
            aria-invalid={error ? true : undefined}
            aria-describedby={[error ? "cart-error" : "", notices.length > 0 ? `${qtyId}-notices` : "", `${qtyId}-hint`]
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
