import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PICK_PROVINCE_INTENT } from "~/admin-units/CommunePicker";
import { listCommunes, listProvinces } from "~/admin-units/index.server";
import { checkoutPhoneStep, type CodeStepAnswer, getUser, sendCheckoutCode } from "~/auth/index.server";
import { findRequestCart, cartView } from "~/cart/index.server";
import { answerRefusal, type FormErrors } from "~/http/index.server";
import { getLocale, getT } from "~/i18n/index.server";
import { problemText } from "~/orders";
import { CheckoutForm } from "~/orders/CheckoutForm";
import {
  blankCheckout,
  checkoutRefusal,
  checkoutValues,
  NOTE_MAX,
  parseCheckoutForm,
  paymentChoices,
  placeCheckoutForm,
} from "~/orders/index.server";
import { afterCheckout, checkoutPayments } from "~/payments/index.server";
import { publicOrigin } from "~/stalls/index.server";
import { clientIpFrom } from "~/utils/client-ip.server";
import { db } from "~/utils/db.server";
import { translateErrors } from "~/utils/forms";
import { logger } from "~/utils/logger.server";
import { formatPhone, parseVietnameseMobile } from "~/utils/phone";
import { isRefusal } from "~/utils/refusal";
import { redirectWithToast } from "~/utils/toast.server";
import { pageTitle } from "~/utils/page-title";

export const handle = { i18n: ["common", "orders", "listings"], hydrate: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

const NO_STORE = { "Cache-Control": "private, no-store" };

const communeOptions = async (provinceCode: string) =>
  /^\d{2}$/.test(provinceCode)
    ? (await listCommunes(db, provinceCode)).map((c) => ({ code: c.code, name: c.name, fullName: c.fullName }))
    : [];

/** Checkout: /checkout. Guests may order; a signed-in buyer's name and phone are filled in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const view = await cartView(db, (await findRequestCart(request, user))?.id);
  if (view.stalls.length === 0) throw redirect("/cart");
  const t = await getT(request, "orders");
  return data(
    {
      title: pageTitle(t("checkoutPage.title")),
      view,
      values: blankCheckout(user),
      provinces: (await listProvinces(db)).map((p) => ({ code: p.code, name: p.fullName })),
      noteMax: NOTE_MAX,
      // Only the methods each stall offers here (the farmer's choice and this deployment's providers).
      payments: await paymentChoices(
        db,
        view.stalls.map((g) => g.stall.id),
        checkoutPayments(),
      ),
    },
    { headers: NO_STORE },
  );
}

/** The code step on the page: where the code went, as people write the number. */
type CodeStep = { phone: string } | null;
type Shown = { errors?: FormErrors; problems?: string[]; stallIds?: string[]; paymentStallIds?: string[] };

export async function action({ request, context }: ActionFunctionArgs) {
  const [user, lng, t, authT, form] = await Promise.all([
    getUser(request),
    getLocale(request),
    getT(request, ["orders", "common", "payments", "auth"]),
    getT(request, "auth"),
    request.formData(),
  ]);
  const cart = await findRequestCart(request, user);
  const values = checkoutValues(form);
  const view = await cartView(db, cart?.id, values.communeCode || null);
  const payments = await paymentChoices(
    db,
    view.stalls.map((g) => g.stall.id),
    checkoutPayments(),
  );
  const intent = form.get("intent");
  const phone = parseVietnameseMobile(values.phone);
  const codeStep: CodeStep = phone.ok ? { phone: formatPhone(phone.e164) } : null;
  // The page again, with what the answer says. `message` is errors.form, the alert above the form.
  const page = async (shown: Shown & { codeStep?: CodeStep }, communeCode = values.communeCode) => ({
    values: { ...values, communeCode },
    errors: shown.errors ?? ({} as FormErrors),
    message: shown.errors?.form ?? null,
    problems: shown.problems ?? [],
    stallIds: shown.stallIds ?? [],
    paymentStallIds: shown.paymentStallIds ?? [],
    communes: await communeOptions(values.provinceCode),
    view: communeCode === values.communeCode ? view : await cartView(db, cart?.id),
    payments,
    codeStep: shown.codeStep ?? null,
  });

  // Without JavaScript, choosing a province reloads the form with its communes (and the code step, if
  // it was showing); nothing is placed.
  if (intent === PICK_PROVINCE_INTENT) {
    return data(await page({ codeStep: form.has("code") ? codeStep : null }, ""), { headers: NO_STORE });
  }

  const ip = clientIpFrom(context);
  const log = context.logger ?? logger;
  const siteUrl = publicOrigin(request);
  // Set-Cookie for whatever is answered: the proof of a phone proved by code just now.
  const cookies: string[] = [];
  const headersWith = (extra?: Record<string, string>) => {
    const headers = new Headers({ ...NO_STORE, ...extra });
    for (const cookie of cookies) headers.append("Set-Cookie", cookie);
    return headers;
  };
  const answer = async (
    shown: Shown & { codeStep?: CodeStep },
    init: { status?: number; headers?: Record<string, string> },
  ) => data(await page(shown), { status: init.status ?? 200, headers: headersWith(init.headers) });

  const asking = { ip, siteUrl, t, authT, log };
  const answerStep = (step: CodeStepAnswer) =>
    answer({ errors: step.errors, codeStep: step.codeStep ? codeStep : null }, step);

  // Has whoever is ordering shown they hold the number? (ADR 019)
  let proved = false;
  if (phone.ok && view.stalls.length > 0) {
    const step = await checkoutPhoneStep(db, request, {
      ...asking,
      phone: phone.e164,
      intent,
      typed: String(form.get("code") ?? ""),
      userId: user?.id,
      cartEmpty: async () => (await cartView(db, cart?.id)).stalls.length === 0,
    });
    if ("answer" in step) return answerStep(step.answer);
    if ("emptied" in step) throw redirect("/cart");
    proved = step.proved;
    if (step.setCookie) cookies.push(step.setCookie);
  }

  const parsed = parseCheckoutForm(form, view, payments);
  if (!parsed.ok) {
    // The fields by their names, and the form's message above them.
    const shown = await page({ errors: translateErrors(t, parsed.errors, "orders") });
    return data({ ...shown, message: t("orders:errors.invalid_input") }, { status: 400, headers: headersWith() });
  }
  try {
    const outcome = await placeCheckoutForm(db, {
      ...parsed.data,
      buyer: { ...parsed.data.buyer, userId: user?.id ?? null, locale: lng, phoneProved: proved },
      cartId: cart?.id ?? null,
      payments: checkoutPayments(),
      guard: { ip },
      siteUrl,
    });
    if ("codeNeeded" in outcome) {
      log.info({ flow: "checkout", reason: outcome.codeNeeded }, "checkout asks for the SMS code");
      return answerStep(await sendCheckoutCode({ ...asking, phone: parsed.data.buyer.phone }));
    }
    // Placed in another tab, or a second tap: the cart is empty, nothing more to do here.
    if ("emptied" in outcome) throw redirect("/cart", { headers: headersWith() });
    // Placed and committed: now the payments (VietQR codes; the redirect to VNPay or Stripe).
    const { placed } = outcome;
    const paying = await afterCheckout(db, placed, { origin: siteUrl, ip, locale: lng });
    if (paying.redirectUrl) return redirect(paying.redirectUrl, { headers: headersWith() });
    const query = new URLSearchParams({ checkout: placed.checkoutCode });
    if (!paying.failed) return redirect(`/orders/${placed.orders[0].code}?${query}`, { headers: headersWith() });
    // The provider did not answer: the orders stay placed, unpaid; their page offers to pay again.
    return redirectWithToast(
      `/orders/${paying.failed.orderCode}?${query}`,
      {
        key: "payments:pay.notStarted",
        values: { provider: t(`payments:orderPayment.providers.${paying.failed.provider}`) },
        kind: "error",
      },
      { headers: headersWith() },
    );
  } catch (error) {
    if (isRefusal(error)) log.info({ flow: "checkout", refused: error.code }, "checkout refused");
    const { items, deliveryStallIds, paymentStallIds } = checkoutRefusal(error);
    const shown = await page({
      problems: items.map((p) => problemText(t, p, lng)),
      stallIds: deliveryStallIds,
      paymentStallIds,
    });
    return answerRefusal(t, error, values, (errors) => ({ ...shown, errors, message: errors.form ?? null }), {
      headers: headersWith(),
    });
  }
}

export default function CheckoutPage() {
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation(["orders", "listings"]);
  const view = answer?.view ?? loaded.view;

  if (view.stalls.length === 0) {
    return (
      <main className="page stack">
        <h1>{t("checkoutPage.title")}</h1>
        <p>{t("cartPage.empty")}</p>
        <Link to="/search" className="btn btn-primary btn-block">
          {t("cartPage.emptyLink")}
        </Link>
      </main>
    );
  }

  return (
    <main className="page page--narrow stack checkout-page">
      <h1>{t("checkoutPage.title")}</h1>
      <Link to="/cart" className="back-link">
        <span aria-hidden="true">←</span>
        {t("checkoutPage.backToCart")}
      </Link>
      <CheckoutForm
        view={view}
        values={answer?.values ?? loaded.values}
        answer={answer}
        payments={answer?.payments ?? loaded.payments}
        provinces={loaded.provinces}
        communes={answer?.communes ?? []}
        noteMax={loaded.noteMax}
        codeStep={answer?.codeStep ?? null}
      />
    </main>
  );
}
