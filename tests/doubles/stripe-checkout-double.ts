/**
 * A local stand-in for Stripe Checkout as a buyer's browser meets it, for
 * Playwright: the API the `stripe` SDK calls to create and read Checkout
 * Sessions (point STRIPE_API_BASE at `url`), and the hosted page each
 * session's URL opens.
 *
 * - POST /v1/checkout/sessions: an open, unpaid session of the amount,
 *   reference, expiry and return URLs asked, at `${url}/c/pay/<id>`; the same
 *   Idempotency-Key gets the same session, as Stripe answers a retry.
 *   GET /v1/checkout/sessions/<id> reads it back (the reconcile job).
 * - GET /c/pay/<id>: a tiny page with the amount and two buttons, "Pay" and
 *   "Quay lại" (back without paying).
 * - "Pay" completes the session, posts `checkout.session.completed` to
 *   `${appOrigin}/payments/stripe/webhook`, signed with the real SDK's
 *   `webhooks.generateTestHeaderString` as Stripe signs it, records the app's
 *   answer in `webhookAnswers`, then redirects the browser to success_url.
 *   "Quay lại" redirects to cancel_url, the session left open.
 *
 * Tests that only drive the SDK from Node use tests/doubles/stripe-api.ts.
 */
import http from "node:http";
import { type AddressInfo } from "node:net";
import Stripe from "stripe";
import { checkoutSession, stripeEvent } from "./stripe-api";

export interface StripeCheckoutDoubleOptions {
  /** The app under test, e.g. http://localhost:3100. */
  appOrigin: string;
  secretKey: string;
  /** The secret the app verifies webhooks with (STRIPE_WEBHOOK_SECRET). */
  webhookSecret: string;
  /** A fixed port (Playwright: the app's STRIPE_API_BASE is set before the double starts); default: any free one. */
  port?: number;
}

export interface WebhookAnswer {
  sessionId: string;
  /** HTTP status of the app's answer. */
  status: number;
  body: unknown;
}

export interface StripeCheckoutDouble {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Sessions created, in order. */
  sessions: ReturnType<typeof checkoutSession>[];
  webhookAnswers: WebhookAnswer[];
  close(): Promise<void>;
}

/** A session as the API shows it, and what the double keeps beside it. */
interface Session {
  api: ReturnType<typeof checkoutSession>;
  successUrl: string;
  cancelUrl: string;
  description: string;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startStripeCheckoutDouble(options: StripeCheckoutDoubleOptions): Promise<StripeCheckoutDouble> {
  const appOrigin = options.appOrigin.replace(/\/+$/, "");
  const signer = new Stripe(options.secretKey);
  const sessions = new Map<string, Session>();
  const byIdempotencyKey = new Map<string, string>();
  const webhookAnswers: WebhookAnswer[] = [];
  let base = "";

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "request-id": "req_e2e" });
    res.end(JSON.stringify(body));
  };
  const notFound = (res: http.ServerResponse, what: string) =>
    json(res, 404, { error: { type: "invalid_request_error", message: `No such ${what}` } });

  function create(form: URLSearchParams, idempotencyKey: string | undefined): Session {
    const again = idempotencyKey ? byIdempotencyKey.get(idempotencyKey) : undefined;
    if (again) return sessions.get(again)!;
    const id = `cs_test_e2e_${sessions.size + 1}`;
    const session: Session = {
      api: checkoutSession({
        id,
        url: `${base}/c/pay/${id}`,
        amount_total: Number(form.get("line_items[0][price_data][unit_amount]")),
        currency: form.get("line_items[0][price_data][currency]") ?? "vnd",
        client_reference_id: form.get("client_reference_id"),
        metadata: { attemptId: form.get("metadata[attemptId]"), orderRef: form.get("metadata[orderRef]") },
        expires_at: Number(form.get("expires_at")),
        payment_intent: null,
        payment_status: "unpaid",
        status: "open",
      }),
      successUrl: form.get("success_url") ?? "",
      cancelUrl: form.get("cancel_url") ?? "",
      description: form.get("line_items[0][price_data][product_data][name]") ?? "",
    };
    sessions.set(id, session);
    if (idempotencyKey) byIdempotencyKey.set(idempotencyKey, id);
    return session;
  }

  function page(res: http.ServerResponse, session: Session) {
    const amount = new Intl.NumberFormat("vi-VN").format(session.api.amount_total);
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Stripe Checkout (thử nghiệm)</title></head>
<body style="font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem">
<h1>Stripe Checkout (thử nghiệm)</h1>
<p>${escapeHtml(session.description)}</p>
<p>Số tiền: <strong>${amount} VND</strong></p>
<form method="post" action="/c/pay/${escapeHtml(session.api.id)}">
<button type="submit" name="action" value="pay">Pay</button>
<button type="submit" name="action" value="cancel">Quay lại</button>
</form></body></html>`);
  }

  async function pay(session: Session) {
    session.api = {
      ...session.api,
      status: "complete",
      payment_status: "paid",
      payment_intent: `pi_e2e_${session.api.id.slice(-6)}`,
    };
    const payload = JSON.stringify(
      stripeEvent("checkout.session.completed", session.api, { id: `evt_e2e_${session.api.id}` }),
    );
    const answer = await fetch(`${appOrigin}/payments/stripe/webhook`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "stripe-signature": signer.webhooks.generateTestHeaderString({ payload, secret: options.webhookSecret }),
      },
      body: payload,
    });
    const text = await answer.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Kept as text: a test will want to see what the app said instead.
    }
    webhookAnswers.push({ sessionId: session.api.id, status: answer.status, body });
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://double");
    const method = req.method ?? "";
    void (async () => {
      if (method === "POST" && url.pathname === "/v1/checkout/sessions") {
        const key = req.headers["idempotency-key"];
        const session = create(new URLSearchParams(await readBody(req)), Array.isArray(key) ? key[0] : key);
        return json(res, 200, session.api);
      }
      const api = /^\/v1\/checkout\/sessions\/([\w-]+)$/.exec(url.pathname);
      if (method === "GET" && api) {
        const session = sessions.get(api[1]);
        return session ? json(res, 200, session.api) : notFound(res, `checkout.session: ${api[1]}`);
      }
      const hosted = /^\/c\/pay\/([\w-]+)$/.exec(url.pathname);
      const session = hosted ? sessions.get(hosted[1]) : undefined;
      if (hosted && !session) {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        return res.end("Không có phiên thanh toán này.");
      }
      if (session && method === "GET") return page(res, session);
      if (session && method === "POST") {
        const action = new URLSearchParams(await readBody(req)).get("action");
        if (action === "pay" && session.api.status === "open") await pay(session);
        res.writeHead(303, {
          location: action === "pay" ? session.successUrl : session.cancelUrl,
          "cache-control": "no-store",
        });
        return res.end();
      }
      return notFound(res, `route (${method}: ${url.pathname})`);
    })().catch((error: unknown) => {
      console.error("Stripe Checkout double:", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "api_error", message: "the double failed" } }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    get sessions() {
      return [...sessions.values()].map((s) => s.api);
    },
    webhookAnswers,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
