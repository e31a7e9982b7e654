import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getT } from "~/i18n/index.server";
import { isPaid } from "~/payments";
import { PaymentReturn, type ReturnState } from "~/payments/PaymentReturn";
import { returnLinks, returnNext, returnView, paymentProviders } from "~/payments/index.server";
import { db } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "payments"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

/**
 * Where Stripe Checkout sends the buyer back: ?attempt=<id> after paying,
 * with &cancelled=1 when they gave up. Display only: the webhook marks the
 * order paid; the attempt id (random, known to the buyer's browser and
 * Stripe) says which orders to link to, and which checkout's next payment
 * to offer.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!paymentProviders().stripe) throw new Response("Not found", { status: 404 });
  const t = await getT(request, "payments");
  const title = pageTitle(t("returnPage.title"));
  const url = new URL(request.url);
  const view = await returnView(db, { provider: "stripe", attemptId: url.searchParams.get("attempt") ?? "" });
  let result: ReturnState;
  if (!view) result = { state: "unverified" };
  else {
    const paid = isPaid(view.attemptStatus);
    // What is left of the checkout: the next payment, or this one again when the buyer gave up.
    const settled = paid || url.searchParams.get("cancelled") !== "1";
    const checkout = await returnNext(db, { checkoutCode: view.checkoutCode, provider: "stripe", settled });
    const orders = returnLinks(view);
    if (paid) result = { state: "paid", amountDong: view.amountDong, orders, checkout };
    else if (settled) result = { state: "waiting", provider: "Stripe", orders, checkout };
    else result = { state: "cancelled", orders, checkout };
  }
  return data({ title, result }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function StripeReturn() {
  const { result } = useLoaderData<typeof loader>();
  return <PaymentReturn result={result} />;
}
