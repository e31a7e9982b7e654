/**
 * Order notifications through channels, like SMS through providers: the
 * default channel writes the message to the log; SmsOrderChannel sends it
 * through the SMS provider (sms.server.ts); a Zalo ZNS channel is one more
 * class. Templates are short translations (orders.json "notifications.*",
 * vi and en), rendered in the recipient's language.
 *
 * Who hears what (app/orders calls notifyOrderPlaced / notifyStatusChanged
 * after the change is committed):
 * - an order is placed: the farmer ("new order") and the buyer ("received");
 * - the farmer, an officer or the system changes the status: the buyer;
 * - the buyer cancels: the farmer.
 * A failing channel is logged and never undoes or fails the order change.
 *
 * A buyer's number that nobody proved at checkout (orders.buyer_phone_confirmed_at
 * is null) may be a stranger's, typed by anyone: messages to it carry no text
 * a farmer or a buyer typed — no stall name (a stall can be named "Trúng
 * thưởng 50 triệu, gọi 09…"), no reason — only our words, the order's code
 * and the link to its page ("buyer_plain"; ADR 019). A proved number gets the
 * richer messages.
 */
import { eq, sql } from "drizzle-orm";
import { checkouts, households, orders, stalls, users } from "#db/schema";
import { smsProvider, type SmsProvider } from "~/notifications/index.server";
import { i18nInstance } from "~/i18n/index.server";
import { cancelReasonText } from "./cancel-reasons";
import { formatCode } from "./codes";
import type { ActorRole, OrderStatusCode } from "./state-machine";
import type { Database } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { formatVnd } from "~/utils/format";
import { logger } from "~/utils/logger.server";

export interface OrderNotification {
  /** E.164. */
  to: string;
  recipient: "buyer" | "farmer";
  locale: string;
  orderCode: string;
  /** The order's status after the change. */
  status: OrderStatusCode;
  /** Template: notifications.<template> in orders.json. */
  template: string;
  text: string;
}

export interface OrderNotificationChannel {
  readonly id: string;
  send(notification: OrderNotification): Promise<void>;
}

/** Every notification sent in this process, newest last, for tests. Never read by the app. */
export const sentOrderNotificationsForTests: OrderNotification[] = [];

export class LogOrderChannel implements OrderNotificationChannel {
  readonly id = "log";
  async send(n: OrderNotification): Promise<void> {
    logger.info(
      { orderNotification: { to: n.to, recipient: n.recipient, order: n.orderCode, msg: n.text } },
      "order notification (log channel: not actually sent)",
    );
    sentOrderNotificationsForTests.push(n);
  }
}

export class SmsOrderChannel implements OrderNotificationChannel {
  readonly id = "sms";
  constructor(private readonly sms: SmsProvider = smsProvider()) {}
  send(n: OrderNotification): Promise<void> {
    return this.sms.send(n.to, n.text);
  }
}

let channels: OrderNotificationChannel[] | undefined;

export function orderNotificationChannels(): OrderNotificationChannel[] {
  channels ??= [new LogOrderChannel()];
  return channels;
}

/** Tests (and, later, configuration) choose the channels; undefined restores the default. */
export function setOrderNotificationChannels(next: OrderNotificationChannel[] | undefined) {
  channels = next;
}

async function deliver(n: Omit<OrderNotification, "text">, vars: Record<string, string>) {
  const t = i18nInstance(n.locale).getFixedT(n.locale, "orders");
  const text = t(`notifications.${n.template}`, { ...vars, interpolation: { escapeValue: false } });
  for (const channel of orderNotificationChannels()) {
    try {
      await channel.send({ ...n, text });
    } catch (error) {
      logger.error({ err: error, channel: channel.id, order: n.orderCode }, "order notification failed");
    }
  }
}

async function recipients(db: Database, orderId: string) {
  const [row] = await db
    .select({
      code: orders.code,
      status: orders.status,
      totalDong: orders.totalDong,
      paymentMethod: orders.paymentMethod,
      buyerPhone: orders.buyerPhone,
      buyerLocale: orders.buyerLocale,
      buyerPhoneProved: sql<boolean>`${orders.buyerPhoneConfirmedAt} IS NOT NULL`,
      siteUrl: checkouts.siteUrl,
      stallName: stalls.name,
      householdPhone: households.phone,
      ownerPhone: users.phone,
      ownerLocale: users.locale,
    })
    .from(orders)
    .innerJoin(checkouts, eq(checkouts.id, orders.checkoutId))
    .innerJoin(stalls, eq(stalls.id, orders.stallId))
    .innerJoin(households, eq(households.id, stalls.householdId))
    .leftJoin(users, eq(users.id, households.ownerUserId))
    .where(eq(orders.id, orderId));
  return row;
}

type Recipients = NonNullable<Awaited<ReturnType<typeof recipients>>>;

/** The order's page for the buyer: PUBLIC_URL, else where the checkout was placed; null when neither is known. */
function orderUrl(row: Recipients): string | null {
  const base = env().PUBLIC_URL ?? row.siteUrl;
  return base ? `${new URL(base).origin}/orders/${row.code}` : null;
}

/**
 * What the buyer is told: the richer template to a proved number, else only
 * our words, the code and the link (buyer_plain, or buyer_plain_nolink for an
 * order from before checkouts kept their site and no PUBLIC_URL).
 */
function buyerMessage(row: Recipients, status: OrderStatusCode, reason?: string | null) {
  const locale = row.buyerLocale;
  const base = {
    to: row.buyerPhone,
    recipient: "buyer" as const,
    locale,
    orderCode: row.code,
    status,
  };
  if (row.buyerPhoneProved) return { n: { ...base, template: `buyer_${status}` }, vars: vars(row, locale, reason) };
  const url = orderUrl(row);
  const t = i18nInstance(locale).getFixedT(locale, "orders");
  return {
    n: { ...base, template: url ? "buyer_plain" : "buyer_plain_nolink" },
    vars: { code: formatCode(row.code), status: t(`plainStatus.${status}`), url: url ?? "" },
  };
}

function vars(row: Recipients, locale: string, reason?: string | null) {
  return {
    code: formatCode(row.code),
    stall: row.stallName,
    total: formatVnd(row.totalDong, locale),
    // A system reason is a key: in the recipient's language, like the rest of the message.
    reason: cancelReasonText(reason, i18nInstance(locale).getFixedT(locale, "orders")),
    payment: i18nInstance(locale).getFixedT(locale, "orders")(`notificationPayment.${row.paymentMethod}`),
  };
}

/** After placeCheckout: each order's farmer and its buyer. */
export async function notifyOrderPlaced(db: Database, orderId: string): Promise<void> {
  try {
    const row = await recipients(db, orderId);
    if (!row) return;
    const farmerPhone = row.householdPhone ?? row.ownerPhone;
    if (farmerPhone) {
      const locale = row.ownerLocale ?? "vi";
      await deliver(
        {
          to: farmerPhone,
          recipient: "farmer",
          locale,
          orderCode: row.code,
          status: row.status,
          template: "farmer_placed",
        },
        vars(row, locale),
      );
    }
    const buyer = buyerMessage(row, "placed");
    await deliver(buyer.n, buyer.vars);
  } catch (error) {
    logger.error({ err: error, orderId }, "could not prepare order notifications");
  }
}

/** After changeOrderStatus: the buyer, or the farmer when the buyer cancelled. */
export async function notifyStatusChanged(
  db: Database,
  { orderId, to, actor, reason }: { orderId: string; to: OrderStatusCode; actor: ActorRole; reason?: string | null },
): Promise<void> {
  try {
    const row = await recipients(db, orderId);
    if (!row) return;
    if (actor === "buyer") {
      const farmerPhone = row.householdPhone ?? row.ownerPhone;
      if (!farmerPhone) return;
      const locale = row.ownerLocale ?? "vi";
      await deliver(
        {
          to: farmerPhone,
          recipient: "farmer",
          locale,
          orderCode: row.code,
          status: to,
          template: "farmer_cancelled_by_buyer",
        },
        vars(row, locale, reason),
      );
      return;
    }
    const buyer = buyerMessage(row, to, reason);
    await deliver(buyer.n, buyer.vars);
  } catch (error) {
    logger.error({ err: error, orderId }, "could not prepare order notifications");
  }
}
