import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CommunePicker, PICK_PROVINCE_INTENT } from "~/admin-units/CommunePicker";
import { listCommunes, listProvinces } from "~/admin-units/admin-units.server";
import { getUser } from "~/auth/session.server";
import { findRequestCart } from "~/cart/cart-cookie.server";
import { cartView, type CartStallGroup, type CartView } from "~/cart/cart.server";
import { problemText } from "~/cart/problem-text";
import { Field, FormError, PhoneField, TextareaField } from "~/components/forms";
import type { PaymentMethod } from "../../db/schema";
import { getLocale, getT } from "~/i18n/i18n.server";
import { NOTE_MAX, paymentChoices, placeCheckout, type CheckoutItemInput } from "~/orders/checkout.server";
import { OrderError } from "~/orders/errors";
import type { DeliveryMethodCode } from "~/orders/state-machine";
import { afterCheckout } from "~/payments/pay.server";
import { VNPAY_MAX_DONG, VNPAY_MIN_DONG } from "~/payments/vnpay.server";
import { publicOrigin } from "~/stalls/qr.server";
import { clientIpFrom } from "~/utils/client-ip.server";
import { db } from "~/utils/db.server";
import { formatVnd } from "~/utils/format";
import { formatPhone } from "~/utils/phone";
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

export async function action({ request, context }: ActionFunctionArgs) {
  const [user, lng, t, form] = await Promise.all([
    getUser(request),
    getLocale(request),
    getT(request, ["orders", "common", "payments"]),
    request.formData(),
  ]);
  const cart = await findRequestCart(request, user);
  const values = readValues(form);
  const view = await cartView(db, cart?.id, values.communeCode || null);
  const payments = await paymentChoices(
    db,
    view.stalls.map((g) => g.stall.id),
  );

  // Without JavaScript, choosing a province reloads the form with its communes; nothing is placed.
  if (form.get("intent") === PICK_PROVINCE_INTENT) {
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
      },
      { headers: NO_STORE },
    );
  }

  try {
    const placed = await placeCheckout(db, {
      buyer: { userId: user?.id ?? null, name: values.name, phone: values.phone, locale: lng },
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
    });
    // Placed and committed: now the payments (VietQR codes; the redirect to VNPay or Stripe).
    const paying = await afterCheckout(db, placed, {
      origin: publicOrigin(request),
      ip: clientIpFrom(context),
      locale: lng,
    });
    if (paying.redirectUrl) return redirect(paying.redirectUrl);
    const query = new URLSearchParams({ checkout: placed.checkoutCode });
    if (paying.failed) {
      // The provider did not answer: the orders stay placed, unpaid; their page offers to pay again.
      return redirectWithToast(`/orders/${paying.failed.orderCode}?${query}`, {
        key: "payments:pay.notStarted",
        values: { provider: t(`payments:orderPayment.providers.${paying.failed.provider}`) },
        kind: "error",
      });
    }
    return redirect(`/orders/${placed.orders[0].code}?${query}`);
  } catch (error) {
    if (!(error instanceof OrderError)) throw error;
    // Placed in another tab, or a second tap: the cart is empty, nothing more to do here.
    if (error.code === "empty") throw redirect("/cart");
    const errors: Record<string, string> = {};
    for (const [field, key] of Object.entries(error.fields)) {
      // The domain's names → the form's (CommunePicker posts provinceCode / communeCode).
      const name = field === "province" ? "provinceCode" : field === "commune" ? "communeCode" : field;
      errors[name] = t(key);
    }
    const payment = error.code === "payment_unavailable" || error.code === "payment_amount";
    return data(
      {
        values,
        errors,
        message: t(error.messageKey, {
          min: formatVnd(VNPAY_MIN_DONG, lng),
          max: formatVnd(VNPAY_MAX_DONG, lng),
        }) as string | null,
        problems: error.items.map((p) => problemText(t, p, lng)),
        stallIds: payment ? [] : error.stallIds,
        paymentStallIds: payment ? error.stallIds : [],
        communes: await communeOptions(values.provinceCode),
        view,
        payments,
      },
      { status: error.httpStatus, headers: NO_STORE },
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
          <button type="submit" className="btn btn-primary btn-block">
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
