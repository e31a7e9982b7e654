import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CommunePicker, PICK_PROVINCE_INTENT } from "~/admin-units/CommunePicker";
import { listCommunes, listProvinces } from "~/admin-units/index.server";
import {
  requestPhoneCode,
  verifyPhoneCode,
  checkoutProofTokensFrom,
  rememberCheckoutProof,
  getUser,
  phoneProvedBefore,
} from "~/auth/index.server";
import { CodeField } from "~/auth/PhoneSteps";
import { findRequestCart, cartView, type CartStallGroup, type CartView } from "~/cart/index.server";
import { problemText } from "~/cart";
import { Field, FormError, PhoneField, TextareaField } from "~/components/forms";
import type { PaymentMethod } from "#db/schema";
import { countHit, RATE_LIMITS, Refusal, refusalText } from "~/http/index.server";
import { getLocale, getT } from "~/i18n/index.server";
import {
  CheckoutLimited,
  PhoneCodeNeeded,
  NOTE_MAX,
  paymentChoices,
  placeCheckout,
  type CheckoutItemInput,
} from "~/orders/index.server";
import { OrderError, type DeliveryMethodCode } from "~/orders";
import { afterCheckout, checkoutPayments, VNPAY_MAX_DONG, VNPAY_MIN_DONG } from "~/payments/index.server";
import { publicOrigin } from "~/stalls/index.server";
import { clientIpFrom } from "~/utils/client-ip.server";
import { db } from "~/utils/db.server";
import { formatVnd } from "~/utils/format";
import { logger } from "~/utils/logger.server";
import { formatPhone, parseVietnameseMobile } from "~/utils/phone";
import { redirectWithToast } from "~/utils/toast.server";

export const handle = { i18n: ["common", "orders", "listings"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

const NO_STORE = { "Cache-Control": "private, no-store" };

type Values = {
  name: string;
  phone: string;
  provinceCode: string;
  communeCode: string;
  addressLine: string;
  /** stallId → chosen method */
  delivery: Record<string, string>;
  /** stallId → note to the farmer */
  note: Record<string, string>;
  /** stallId → chosen payment method */
  payment: Record<string, string>;
};

const communeOptions = async (provinceCode: string) =>
  /^\d{2}$/.test(provinceCode)
    ? (await listCommunes(db, provinceCode)).map((c) => ({ code: c.code, name: c.name, fullName: c.fullName }))
    : [];

async function provinceOptions() {
  return (await listProvinces(db)).map((p) => ({ code: p.code, name: p.fullName }));
}

/** Checkout: /checkout. Guests may order; a signed-in buyer's name and phone are filled in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const cart = await findRequestCart(request, user);
  const view = await cartView(db, cart?.id);
  if (view.stalls.length === 0) throw redirect("/cart");
  const t = await getT(request, "orders");
  const values: Values = {
    name: user?.fullName ?? "",
    phone: user ? formatPhone(user.phone) : "",
    provinceCode: "",
    communeCode: "",
    addressLine: "",
    delivery: {},
    note: {},
    payment: {},
  };
  return data(
    {
      title: `${t("checkoutPage.title")} · Gian Hàng Số`,
      view,
      values,
      provinces: await provinceOptions(),
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

function readValues(form: FormData): Values {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const delivery: Record<string, string> = {};
  const note: Record<string, string> = {};
  const payment: Record<string, string> = {};
  for (const [key, value] of form) {
    if (typeof value !== "string") continue;
    if (key.startsWith("delivery.")) delivery[key.slice(9)] = value;
    else if (key.startsWith("note.")) note[key.slice(5)] = value;
    else if (key.startsWith("payment.")) payment[key.slice(8)] = value;
  }
  return {
    name: text("name"),
    phone: text("phone"),
    provinceCode: text("provinceCode"),
    communeCode: text("communeCode"),
    addressLine: text("addressLine"),
    delivery,
    note,
    payment,
  };
}

const DELIVERY_METHODS: readonly string[] = ["pickup", "local", "shipping"];

/**
 * What is bought is the cart as it is on the server (so a second tap of the
 * button finds it empty and places nothing twice); the prices come from the
 * form, `price.<listingId>`, only to be compared with today's. A line the page
 * did not show has no price and is refused as changed.
 */
function itemsOf(view: CartView, form: FormData): CheckoutItemInput[] {
  return view.stalls.flatMap((g) =>
    g.lines.map((line) => {
      const raw = form.get(`price.${line.listingId}`);
      const shown = typeof raw === "string" && /^\d{1,12}$/.test(raw) ? Number(raw) : -1;
      return { listingId: line.listingId, qty: line.qty, priceDong: shown };
    }),
  );
}

/** The code step on the page: where the code went, as people write the number. */
type CodeStep = { phone: string } | null;

export async function action({ request, context }: ActionFunctionArgs) {
  const [user, lng, t, authT, form] = await Promise.all([
    getUser(request),
    getLocale(request),
    getT(request, ["orders", "common", "payments", "auth"]),
    getT(request, "auth"),
    request.formData(),
  ]);
  const cart = await findRequestCart(request, user);
  const values = readValues(form);
  const view = await cartView(db, cart?.id, values.communeCode || null);
  const payments = await paymentChoices(
    db,
    view.stalls.map((g) => g.stall.id),
    checkoutPayments(),
  );
  const intent = form.get("intent");
  const phone = parseVietnameseMobile(values.phone);
  const codeStep: CodeStep = phone.ok ? { phone: formatPhone(phone.e164) } : null;

  // Without JavaScript, choosing a province reloads the form with its communes (and the code step, if
  // it was showing); nothing is placed.
  if (intent === PICK_PROVINCE_INTENT) {
    return data(
      {
        values: { ...values, communeCode: "" },
        errors: {} as Record<string, string>,
        message: null as string | null,
        problems: [] as string[],
        stallIds: [] as string[],
        paymentStallIds: [] as string[],
        communes: await communeOptions(values.provinceCode),
        view: await cartView(db, cart?.id),
        payments,
        codeStep: form.has("code") ? codeStep : null,
      },
      { headers: NO_STORE },
    );
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
  /** The form again, with what was typed and what the answer says; `init` is a status and headers (a Refusal is one). */
  const answer = async (
    extra: {
      errors?: Record<string, string>;
      message?: string | null;
      problems?: string[];
      stallIds?: string[];
      paymentStallIds?: string[];
      codeStep?: CodeStep;
    },
    { status = 200, headers }: { status?: number; headers?: Record<string, string> } = {},
  ) =>
    data(
      {
        values,
        errors: extra.errors ?? {},
        message: extra.message ?? null,
        problems: extra.problems ?? [],
        stallIds: extra.stallIds ?? [],
        paymentStallIds: extra.paymentStallIds ?? [],
        communes: await communeOptions(values.provinceCode),
        view,
        payments,
        codeStep: extra.codeStep ?? null,
      },
      { status, headers: headersWith(headers) },
    );

  /** Sends the SMS code (the prove-the-phone flow's "checkout" row) and shows the code step. */
  const askForCode = async (e164: string) => {
    const fromHere = await countHit("checkout.code.ip", ip);
    if (!fromHere.allowed) {
      const refusal = new Refusal("tooMany", fromHere.retryAfterSeconds);
      return answer({ message: t("orders:limits.codes", { count: refusal.minutes }) }, refusal);
    }
    const sent = await requestPhoneCode("checkout", { phone: e164, ip, t: authT, siteUrl });
    if (!sent.ok) {
      if ("refusal" in sent) {
        // A code that did come still works: the code step stays.
        const hours = Math.max(1, Math.ceil((sent.refusal.retryAfterSeconds ?? 3600) / 3600));
        const message = sent.dailyCap
          ? t("auth:errors.smsDailyCap", { count: hours })
          : refusalText(t, sent.refusal).body;
        return answer({ message, codeStep }, sent.refusal);
      }
      log.error({ err: sent.error, flow: "checkout" }, "sending the SMS failed");
      return answer({ message: t("auth:errors.sms"), codeStep }, { status: 503 });
    }
    return answer({ codeStep });
  };

  // Has whoever is ordering shown they hold the number? (ADR 019)
  let proved = false;
  if (phone.ok && view.stalls.length > 0) {
    proved = await phoneProvedBefore(db, {
      userId: user?.id,
      phone: phone.e164,
      proofTokens: await checkoutProofTokensFrom(request),
    });
    if (!proved && intent === "resend") return askForCode(phone.e164);
    const typed = String(form.get("code") ?? "").replace(/\s/g, "");
    if (!proved && (intent === "verify" || typed)) {
      if (!/^\d{6}$/.test(typed))
        return answer({ errors: { code: t("auth:errors.code.format") }, codeStep }, { status: 400 });
      const verified = await verifyPhoneCode("checkout", { phone: phone.e164, code: typed, ip });
      if (!verified.ok) {
        if ("refusal" in verified)
          return answer({ message: refusalText(t, verified.refusal).body, codeStep }, verified.refusal);
        // Placed meanwhile by a first tap of the button (its code is spent now): nothing more to do here.
        if (verified.reason === "expired" && (await cartView(db, cart?.id)).stalls.length === 0)
          throw redirect("/cart");
        const message =
          verified.reason === "wrong"
            ? t("auth:errors.code.wrong", { count: verified.attemptsLeft })
            : t(`auth:errors.code.${verified.reason}`);
        return answer({ errors: { code: message }, codeStep }, { status: 400 });
      }
      if (verified.outcome !== "checkout") throw new Error(`checkout code gave ${verified.outcome}`);
      proved = true;
      cookies.push(await rememberCheckoutProof(request, verified.proofToken));
      log.info({ flow: "checkout" }, "phone proved");
    }
  }

  try {
    const placed = await placeCheckout(db, {
      buyer: { userId: user?.id ?? null, name: values.name, phone: values.phone, locale: lng, phoneProved: proved },
      address: { provinceCode: values.provinceCode, communeCode: values.communeCode, addressLine: values.addressLine },
      stalls: view.stalls.map((g) => ({
        stallId: g.stall.id,
        // An unknown or missing choice is refused by the domain as "not offered".
        delivery: (DELIVERY_METHODS.includes(values.delivery[g.stall.id])
          ? values.delivery[g.stall.id]
          : "none") as DeliveryMethodCode,
        // Not posted (the radio's default): the stall's first method. Anything the stall does not offer is refused.
        paymentMethod: (values.payment[g.stall.id] ?? payments[g.stall.id]?.[0] ?? "cod") as PaymentMethod,
        note: values.note[g.stall.id] ?? "",
      })),
      items: itemsOf(view, form),
      cartId: cart?.id ?? null,
      payments: checkoutPayments(),
      guard: { ip },
      siteUrl,
    });
    // Placed and committed: now the payments (VietQR codes; the redirect to VNPay or Stripe).
    const paying = await afterCheckout(db, placed, { origin: siteUrl, ip, locale: lng });
    if (paying.redirectUrl) return redirect(paying.redirectUrl, { headers: headersWith() });
    const query = new URLSearchParams({ checkout: placed.checkoutCode });
    if (paying.failed) {
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
    }
    return redirect(`/orders/${placed.orders[0].code}?${query}`, { headers: headersWith() });
  } catch (error) {
    if (error instanceof PhoneCodeNeeded && phone.ok) {
      log.info({ flow: "checkout", reason: error.reason }, "checkout asks for the SMS code");
      return askForCode(phone.e164);
    }
    if (error instanceof CheckoutLimited) {
      const { refusal } = error;
      const count =
        error.reason === "waiting" ? Math.ceil((refusal.retryAfterSeconds ?? 3600) / 3600) : refusal.minutes;
      const max = RATE_LIMITS["checkout.waitingOrders.phone"].limit;
      log.info({ flow: "checkout", limit: error.reason }, "checkout refused");
      return answer({ message: t(`orders:${error.messageKey}`, { count, max }) }, refusal);
    }
    if (!(error instanceof OrderError)) throw error;
    // Placed in another tab, or a second tap: the cart is empty, nothing more to do here.
    if (error.code === "empty") throw redirect("/cart", { headers: headersWith() });
    const errors: Record<string, string> = {};
    for (const [field, key] of Object.entries(error.fields)) {
      // The domain's names → the form's (CommunePicker posts provinceCode / communeCode).
      const name = field === "province" ? "provinceCode" : field === "commune" ? "communeCode" : field;
      errors[name] = t(key);
    }
    const payment = error.code === "payment_unavailable" || error.code === "payment_amount";
    return answer(
      {
        errors,
        message: t(error.messageKey, {
          min: formatVnd(VNPAY_MIN_DONG, lng),
          max: formatVnd(VNPAY_MAX_DONG, lng),
        }),
        problems: error.items.map((p) => problemText(t, p, lng)),
        stallIds: payment ? [] : error.stallIds,
        paymentStallIds: payment ? error.stallIds : [],
      },
      { status: error.httpStatus },
    );
  }
}

export default function CheckoutPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation(["orders", "listings"]);
  const lng = i18n.language;
  const view = actionData?.view ?? loaded.view;
  const values = actionData?.values ?? loaded.values;
  const errors: Record<string, string> = actionData?.errors ?? {};
  const communes = actionData?.communes ?? [];
  const badStalls = new Set(actionData?.stallIds ?? []);
  const badPayments = new Set(actionData?.paymentStallIds ?? []);
  const payments: Record<string, PaymentMethod[]> = actionData?.payments ?? loaded.payments;
  const communeKnown = !!values.communeCode;
  const online = Object.values(payments).some((m) => m.includes("vnpay") || m.includes("stripe"));
  const codeStep = actionData?.codeStep ?? null;
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" && navigation.formMethod === "POST";

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
      {/* key: a reloaded province (no-JS) re-renders the fields with their new defaults. */}
      <Form method="post" className="stack" noValidate key={values.provinceCode}>
        {actionData?.message ? (
          <div className="form-error stack tight" role="alert" id="form-error">
            <p>{actionData.message}</p>
            {actionData.problems.length > 0 ? (
              <ul>
                {actionData.problems.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : view.blocked ? (
          <FormError message={t("checkoutPage.blocked")} />
        ) : null}

        {codeStep ? (
          // First in the form: Enter in the code field presses its button, and a phone shows it without scrolling.
          <section className="card stack" aria-labelledby="code-heading">
            <h2 id="code-heading">{t("checkoutPage.codeHeading")}</h2>
            <p role="status">{t("checkoutPage.codeSent", { phone: codeStep.phone })}</p>
            <CodeField label={t("checkoutPage.code")} hint={t("checkoutPage.codeHint")} error={errors.code} />
            <button
              type="submit"
              name="intent"
              value="verify"
              className="btn btn-primary btn-block"
              disabled={submitting}
            >
              {submitting ? t("checkoutPage.codeSubmitting") : t("checkoutPage.codeSubmit")}
            </button>
            <button
              type="submit"
              name="intent"
              value="resend"
              className="btn btn-link"
              formNoValidate
              disabled={submitting}
            >
              {t("checkoutPage.codeResend")}
            </button>
            <p className="muted">{t("checkoutPage.codeWhy")}</p>
          </section>
        ) : null}

        <section className="card stack" aria-labelledby="buyer-heading">
          <h2 id="buyer-heading">{t("checkoutPage.buyerHeading")}</h2>
          <Field
            name="name"
            label={t("checkoutPage.name")}
            error={errors.name}
            defaultValue={values.name}
            autoComplete="name"
            maxLength={100}
            required
          />
          <PhoneField
            label={t("checkoutPage.phone")}
            hint={t("checkoutPage.phoneHint")}
            error={errors.phone}
            defaultValue={values.phone}
          />
        </section>

        {view.stalls.map((group) => (
          <StallSection
            key={group.stall.id}
            group={group}
            chosen={values.delivery[group.stall.id]}
            note={values.note[group.stall.id] ?? ""}
            methods={payments[group.stall.id] ?? []}
            chosenMethod={values.payment[group.stall.id]}
            paymentRefused={badPayments.has(group.stall.id) ? (actionData?.message ?? null) : null}
            communeKnown={communeKnown}
            errors={errors}
            refused={badStalls.has(group.stall.id)}
            noteMax={loaded.noteMax}
            lng={lng}
          />
        ))}

        <section className="card stack" aria-labelledby="address-heading">
          <h2 id="address-heading">{t("checkoutPage.addressHeading")}</h2>
          <p className="muted">{t("checkoutPage.addressHint")}</p>
          <CommunePicker
            provinces={loaded.provinces}
            province={values.provinceCode}
            commune={values.communeCode}
            communes={communes}
            errors={{ provinceCode: errors.provinceCode, communeCode: errors.communeCode }}
          />
          <Field
            name="addressLine"
            label={t("checkoutPage.addressLine")}
            error={errors.addressLine}
            defaultValue={values.addressLine}
            autoComplete="street-address"
            maxLength={200}
          />
        </section>

        <div className="card stack checkout-summary">
          <p className="checkout-summary__total">
            {t("checkoutPage.total", { total: formatVnd(view.subtotalDong, lng) })}
          </p>
          <p className="muted">{t("checkoutPage.totalHint")}</p>
          {online ? <p className="muted">{t("checkoutPage.onlineHint")}</p> : null}
          <button type="submit" className="btn btn-primary btn-block" disabled={submitting}>
            {t("checkoutPage.submit")}
          </button>
        </div>
      </Form>
    </main>
  );
}

function StallSection({
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
  group: CartStallGroup;
  chosen: string | undefined;
  note: string;
  methods: PaymentMethod[];
  chosenMethod: string | undefined;
  paymentRefused: string | null;
  communeKnown: boolean;
  errors: Record<string, string>;
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
