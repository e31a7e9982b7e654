/**
 * A local stand-in for api.stripe.com, for tests that drive the real `stripe`
 * SDK: `createStripeProvider(api.config())` points the SDK at it (or set
 * STRIPE_API_BASE to `baseUrl`).
 *
 * - Every request is recorded in `seen`, in order: method, path, headers, its
 *   Idempotency-Key, and its form (a GET's query, otherwise the body).
 * - It knows only what the test tells it: `reply("POST /v1/refunds", handler)`
 *   answers that method and exact path with the handler's JSON. Anything else
 *   is a 404 invalid_request_error, as Stripe answers an unknown route. State
 *   (the sessions Stripe knows, whether it is up) stays in the test.
 * - `refundsReply()` and `stripeError()` build the answers several tests share.
 *
 * Webhooks need no server: sign them with
 * `new Stripe(key).webhooks.generateTestHeaderString`, as Stripe signs them.
 */
import http from "node:http";
import { type AddressInfo } from "node:net";
import type { StripeConfig } from "~/payments/stripe/provider.server";

export interface StripeApiOptions {
  /** The key `config()` hands the SDK (Bearer on every request); a test key unless the test is about live mode. */
  secretKey?: string;
  /** The webhook signing secrets `config()` hands the provider. */
  webhookSecrets?: string[];
  /** A fixed port (the app's STRIPE_API_BASE is set before the double starts); default: any free one. */
  port?: number;
}

/** One request the SDK made. */
export interface StripeApiRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  idempotencyKey: string | undefined;
  /** Stripe's form encoding, e.g. `line_items[0][price_data][unit_amount]`. */
  form: URLSearchParams;
}

export interface StripeApiReply {
  /** Default 200. */
  status?: number;
  json: unknown;
}

export type StripeApiHandler = (request: StripeApiRequest) => StripeApiReply;

/** A method and an exact path, e.g. "GET /v1/checkout/sessions/cs_test_1". */
export type StripeApiRoute = `${"GET" | "POST" | "DELETE"} /v1/${string}`;

export interface StripeApi {
  port: number;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** Every request received since the last reset, in order. */
  seen: StripeApiRequest[];
  /** Answers `route` with `handler` from now on (replacing any earlier handler for it). */
  reply(route: StripeApiRoute, handler: StripeApiHandler): void;
  /** Forgets the requests seen and every route. */
  reset(): void;
  /** A provider configuration pointing at this double, without retries; `overrides` win. */
  config(overrides?: Partial<StripeConfig>): StripeConfig;
  close(): Promise<void>;
}

/** Stripe's error answer: `{ error: { type, message } }` with this status. */
export function stripeError(status: number, type: string, message: string): StripeApiReply {
  return { status, json: { error: { type, message } } };
}

/**
 * A Checkout Session as Stripe's API returns it and its events carry: paid
 * and complete unless `fields` say otherwise.
 */
export function checkoutSession(fields: Record<string, unknown> = {}) {
  return {
    id: "cs_test_a1B2c3",
    object: "checkout.session",
    amount_total: 75000,
    currency: "vnd",
    client_reference_id: "att_1",
    metadata: { attemptId: "att_1" },
    livemode: false,
    mode: "payment",
    payment_intent: "pi_3Ghs",
    payment_status: "paid",
    status: "complete",
    expires_at: Math.floor(Date.now() / 1000) + 3600,
    url: null,
    ...fields,
  };
}

/** The Checkout Session of one of the app's payment attempts (its id, amount and metadata). */
export function attemptSession(
  attempt: { id: string; providerRef: string | null; amountDong: number },
  fields: Record<string, unknown> = {},
) {
  return checkoutSession({
    id: attempt.providerRef,
    amount_total: attempt.amountDong,
    client_reference_id: attempt.id,
    metadata: { attemptId: attempt.id },
    payment_intent: `pi_${attempt.id.slice(0, 8)}`,
    ...fields,
  });
}

/**
 * Answers POST /v1/checkout/sessions as Stripe does for the app's request: an
 * open, unpaid session of the amount, reference and expiry asked, numbered
 * cs_test_<name>_1, _2, … (`created()` says how many so far).
 */
export function openSessions(name: string): StripeApiHandler & { created: () => number } {
  let created = 0;
  const handler: StripeApiHandler = ({ form }) => {
    const id = `cs_test_${name}_${++created}`;
    return {
      json: checkoutSession({
        id,
        url: `https://checkout.stripe.test/c/pay/${id}`,
        amount_total: Number(form.get("line_items[0][price_data][unit_amount]")),
        client_reference_id: form.get("client_reference_id"),
        metadata: { attemptId: form.get("metadata[attemptId]") },
        expires_at: Number(form.get("expires_at")),
        payment_intent: null,
        payment_status: "unpaid",
        status: "open",
      }),
    };
  };
  return Object.assign(handler, { created: () => created });
}

/** An event as Stripe posts it to a webhook, wrapping `object`; `fields` override (an id, an account). */
export function stripeEvent(type: string, object: Record<string, unknown>, fields: Record<string, unknown> = {}) {
  return {
    id: `evt_${type.replace(/\W/g, "_")}_1`,
    object: "event",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    ...fields,
  };
}

/**
 * Answers POST /v1/refunds: a succeeded refund of the amount asked, in VND,
 * numbered re_test_1, re_test_2, … by this handler.
 */
export function refundsReply(): StripeApiHandler {
  let seq = 0;
  return (request) => ({
    json: {
      id: `re_test_${++seq}`,
      object: "refund",
      amount: Number(request.form.get("amount")),
      currency: "vnd",
      payment_intent: request.form.get("payment_intent"),
      status: "succeeded",
    },
  });
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startStripeApi(options: StripeApiOptions = {}): Promise<StripeApi> {
  const secretKey = options.secretKey ?? "sk_test_51GhsStripeApiDouble";
  const webhookSecrets = options.webhookSecrets ?? ["whsec_stripe_api_double"];
  const seen: StripeApiRequest[] = [];
  const routes = new Map<string, StripeApiHandler>();

  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const method = req.method ?? "";
      const key = req.headers["idempotency-key"];
      const request: StripeApiRequest = {
        method,
        path: url.pathname,
        headers: req.headers,
        idempotencyKey: Array.isArray(key) ? key[0] : key,
        form: new URLSearchParams(method === "GET" ? url.search : body),
      };
      seen.push(request);
      const handler = routes.get(`${method} ${url.pathname}`);
      const reply = handler
        ? handler(request)
        : stripeError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${url.pathname})`);
      res.writeHead(reply.status ?? 200, { "content-type": "application/json", "request-id": "req_test" });
      res.end(JSON.stringify(reply.json));
    })().catch((error: unknown) => {
      console.error("Stripe API double:", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "api_error", message: "the double failed" } }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    seen,
    reply: (route, handler) => void routes.set(route, handler),
    reset: () => {
      seen.length = 0;
      routes.clear();
    },
    config: (overrides = {}) => ({
      secretKey,
      webhookSecrets,
      connect: false,
      api: { host: "127.0.0.1", port, protocol: "http" },
      maxNetworkRetries: 0,
      ...overrides,
    }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
