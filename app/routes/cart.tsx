import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUser } from "~/auth/index.server";
import { CartView } from "~/cart/CartView";
import { CART_FORM_FIELDS, cartView, changeCart, findRequestCart } from "~/cart/index.server";
import { answerRefusal } from "~/http/index.server";
import { getLocale, getT } from "~/i18n/index.server";
import { problemText, refusedItems } from "~/orders";
import { db } from "~/utils/db.server";
import { formValues } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "orders", "listings"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

const NO_STORE = { "Cache-Control": "private, no-store" };

/** The buyer's cart: /cart. Anyone may have one; an anonymous one lives in the ghs_cart cookie. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const [t, cart] = await Promise.all([getT(request, ["orders", "common"]), findRequestCart(request, user)]);
  return data({ title: pageTitle(t("cartPage.title")), view: await cartView(db, cart?.id) }, { headers: NO_STORE });
}

/**
 * Adding (the product page's form), changing a quantity, removing a line
 * (app/cart/cart-form.server.ts). A refusal re-renders the cart with the
 * reason and changes nothing; success goes back to /cart.
 */
export async function action({ request }: ActionFunctionArgs) {
  const [user, lng, t, form] = await Promise.all([
    getUser(request),
    getLocale(request),
    getT(request, ["orders", "common"]),
    request.formData(),
  ]);
  const values = formValues(form, CART_FORM_FIELDS);
  try {
    const { setCookie } = await changeCart(db, request, user, form);
    return redirect("/cart", setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined);
  } catch (error) {
    const view = await cartView(db, (await findRequestCart(request, user))?.id);
    const items = refusedItems(error).map((p) => problemText(t, p, lng));
    // `error.message` is errors.form, under the name this page's answers have had.
    return answerRefusal(t, error, values, (errors) => ({ view, error: { items, message: errors.form } }), {
      headers: NO_STORE,
    });
  }
}

export default function CartPage() {
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation(["orders", "listings"]);
  const { form: message, ...fields } = answer?.errors ?? {};
  // Each item the refusal names, then each field it refused.
  const lines = [...(answer?.error.items ?? []), ...Object.values(fields)];

  return (
    <main className="page stack cart-page">
      <h1>{t("cartPage.title")}</h1>
      {answer ? (
        <div className="form-error stack tight" role="alert" id="cart-error">
          <p>{message}</p>
          {lines.length > 0 ? (
            <ul>
              {lines.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <CartView view={answer?.view ?? loaded.view} refused={answer?.values} />
    </main>
  );
}
