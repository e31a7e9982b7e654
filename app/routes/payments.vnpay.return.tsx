import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getT } from "~/i18n/index.server";
import { isPaid } from "~/payments";
import { PaymentReturn, type ReturnState } from "~/payments/PaymentReturn";
import { returnLinks, returnView, paymentProviders } from "~/payments/index.server";
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
 * app's (the IPN, not this page, marks the order paid).
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
  else if (isPaid(view.attemptStatus))
    result = { state: "paid", amountDong: view.amountDong, orders: returnLinks(view) };
  else if (said.outcome === "succeeded") result = { state: "waiting", provider: "VNPay", orders: returnLinks(view) };
  else result = { state: "failed", reason: said.reason ?? "other", orders: returnLinks(view) };
  return data({ title, result }, { headers });
}

export default function VnpayReturn() {
  const { result } = useLoaderData<typeof loader>();
  return <PaymentReturn result={result} />;
}
