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
 * Where VNPay sends the buyer back. Display only: the signature is checked so
 * the page says nothing a forged URL made up, and the state shown is the
 * app's (the IPN, not this page, marks the order paid). Then the rest of the
 * checkout: the next payment, or this one again.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const vnpay = paymentProviders().vnpay;
  if (!vnpay) throw new Response("Not found", { status: 404 });
  const t = await getT(request, "payments");
  const title = pageTitle(t("returnPage.title"));
  const headers = { "Cache-Control": "private, no-store" };
  const said = vnpay.verifyReturn(request.url);
  const view = said.verified ? await returnView(db, { provider: "vnpay", providerRef: said.providerRef }) : null;
  let result: ReturnState;
  if (!said.verified || !view) result = { state: "unverified" };
  else {
    const paid = isPaid(view.attemptStatus);
    // What is left of the checkout: the next payment, or this one again when it did not go through.
    const settled = paid || said.outcome === "succeeded";
    const checkout = await returnNext(db, { checkoutCode: view.checkoutCode, provider: "vnpay", settled });
    const orders = returnLinks(view);
    if (paid) result = { state: "paid", amountDong: view.amountDong, orders, checkout };
    else if (settled) result = { state: "waiting", provider: "VNPay", orders, checkout };
    else result = { state: "failed", reason: said.reason ?? "other", orders, checkout };
  }
  return data({ title, result }, { headers });
}

export default function VnpayReturn() {
  const { result } = useLoaderData<typeof loader>();
  return <PaymentReturn result={result} />;
}
