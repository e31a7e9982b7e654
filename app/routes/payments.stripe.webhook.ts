import type { ActionFunctionArgs } from "@remix-run/node";
import { answerStripeWebhook } from "~/payments/index.server";
import { publicOrigin } from "~/stalls/index.server";
import { db } from "~/utils/db.server";

/**
 * Stripe's webhook: the signature is checked on the raw body before anything
 * reads it; a bad one answers 400 and changes nothing. Every verified event
 * answers 200, a replay too (it changes nothing). An error of ours answers
 * 500, so Stripe sends the event again.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
  const { status, result } = await answerStripeWebhook(db, request, { origin: publicOrigin(request) });
  return Response.json(status === 200 ? { received: true, result } : { received: false }, {
    status,
    headers: { "Cache-Control": "no-store" },
  });
}
