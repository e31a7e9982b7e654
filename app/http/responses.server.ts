/**
 * The one path from a Refusal to what the user sees:
 * - `refusalResponse`: a plain page in the reader's language (or JSON for a
 *   script that asked for it), with the refusal's status and headers. The
 *   HTTP layer answers with it before Remix; a loader or action throws it
 *   (Remix then shows the error page for that status).
 * - `formRefusal`: the form again, with the message above it and what was
 *   typed kept, for refusals a person can act on (wait, then try again).
 */
import { data } from "@remix-run/node";
import type { TFunction } from "i18next";
import type { Refusal } from "./refusal";
import { getLocale, getT } from "~/i18n/i18n.server";

/** The refusal's explanation in the reader's language: `common:errors.<kind>`. */
export function refusalText(t: TFunction, refusal: Refusal) {
  const waits = refusal.status === 429 && refusal.retryAfterSeconds !== undefined;
  return {
    title: t(`common:errors.${refusal.kind}.title`),
    body: waits ? t("common:errors.tooMany.wait", { count: refusal.minutes }) : t(`common:errors.${refusal.kind}.body`),
  };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export async function refusalResponse(request: Request, refusal: Refusal, init: { close?: boolean } = {}) {
  const [lng, t] = await Promise.all([getLocale(request), getT(request, "common")]);
  const { title, body } = refusalText(t, refusal);
  const headers = new Headers(refusal.headers);
  headers.set("Cache-Control", "no-store");
  // The rest of an unread body is not worth reading: the connection ends with this answer.
  if (init.close) headers.set("Connection", "close");
  if ((request.headers.get("Accept") ?? "").includes("application/json")) {
    headers.set("Content-Type", "application/json; charset=utf-8");
    return new Response(JSON.stringify({ ok: false, error: `${title}. ${body}` }), { status: refusal.status, headers });
  }
  headers.set("Content-Type", "text/html; charset=utf-8");
  const page = `<!doctype html>
<html lang="${escapeHtml(lng)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Gian Hàng Số</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(body)}</p>
<p><a href="/">${escapeHtml(t("common:errors.backHome"))}</a></p>
</main>
</body>
</html>
`;
  return new Response(page, { status: refusal.status, headers });
}

export type FormValues = Record<string, string>;

/** The form again with the refusal's message (`errors.form`) and what was typed. */
export function formRefusal(t: TFunction, refusal: Refusal, values: FormValues) {
  const { body } = refusalText(t, refusal);
  return data(
    { errors: { form: body } as Partial<Record<string, string>>, values },
    {
      status: refusal.status,
      headers: refusal.headers,
    },
  );
}
